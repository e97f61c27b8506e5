import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compactPath, downsample, lineChartSvg, niceStep, timeStep } from '../../../src/report/svg-chart.js';

/** Absolute points back from a compact path: one array per subpath. */
function decodePath(d: string): Array<Array<[number, number]>> {
  const out: Array<Array<[number, number]>> = [];
  for (const sub of d.split('M').filter(Boolean)) {
    const [start = '', rel = ''] = sub.split('l');
    const nums = (s: string): number[] => (s.match(/-?\d+(?:\.\d+)?/g) ?? []).map(Number);
    const [x0 = 0, y0 = 0] = nums(start);
    const pts: Array<[number, number]> = [[x0, y0]];
    const steps = nums(rel);
    for (let i = 0; i + 1 < steps.length; i += 2) {
      const [px, py] = pts[pts.length - 1] ?? [0, 0];
      pts.push([px + (steps[i] ?? 0), py + (steps[i + 1] ?? 0)]);
    }
    out.push(pts);
  }
  return out;
}

test('labels are XML-escaped inside the SVG', () => {
  const svg = lineChartSvg({
    title: '<script>x</script>', unit: 'ms', times: [1, 2], series: [{ label: '"><b>', color: '#000', values: [1, 2] }],
    markers: [{ atSec: 1, label: '<img src=x>', detail: '<i>' }], bands: [{ fromSec: 1, toSec: 2 }], bandLabel: '<u>',
  });
  assert.equal(/<(script|b|img|i|u)[\s>]/.test(svg), false);
  assert.ok(svg.includes('&lt;script&gt;x&lt;/script&gt;'));
  assert.ok(svg.includes('&lt;img src=x&gt;'));
});

test('a compact path decodes to the rounded positions, with no drift over many points', () => {
  const xs = Array.from({ length: 500 }, (_, i) => 64 + i * 1.6789);
  const ys = xs.map((_, i) => 100 + 80 * Math.sin(i / 7));
  const { d, points } = compactPath(xs, ys);
  assert.equal(points, 500);
  const [decoded = []] = decodePath(d);
  assert.equal(decoded.length, 500);
  decoded.forEach(([x, y], i) => {
    assert.ok(Math.abs(x - (xs[i] ?? 0)) <= 0.051, `x ${i}: ${x} vs ${xs[i]}`);
    assert.ok(Math.abs(y - (ys[i] ?? 0)) <= 0.051, `y ${i}: ${y} vs ${ys[i]}`);
  });
  assert.ok(d.length < 500 * 10, `about 8 bytes a point, got ${d.length / 500}`);
});

test('gaps split a series into subpaths; a lone point still draws', () => {
  const svg = lineChartSvg({ title: 't', unit: 'ms', times: [1, 2, 3, 4, 5], series: [{ label: 'p50', color: '#000', values: [1, 2, null, 4, null] }] });
  const d = /<path [^>]*d="([^"]+)"/.exec(svg)?.[1] ?? '';
  assert.deepEqual(decodePath(d).map((s) => s.length), [2, 2], d); // the lone point gets a zero-length step
  assert.match(d, /l0,0$/);
});

test('downsampling keeps spikes with "max" and averages with "mean"', () => {
  const times = [0, 1, 2, 3, 4, 5];
  const out = downsample(times, [
    { label: 'a', color: '#000', values: [1, 9, 1, 1, 1, 1], reduce: 'max' },
    { label: 'b', color: '#000', values: [1, 3, null, 2, 4, 6] },
  ], 3);
  assert.deepEqual(out.times, [0, 2, 4]);
  assert.deepEqual(out.values, [[9, 1, 1], [2, 2, 5]]);
});

test('markers inside the time range are drawn; labels that would overlap are left off, lines kept', () => {
  const times = Array.from({ length: 101 }, (_, i) => 1000 + i);
  const svg = lineChartSvg({
    title: 't', unit: '/s', times, originSec: 1000, series: [{ label: 'rps', color: '#000', values: times.map(() => 1) }],
    markers: [
      { atSec: 1000, label: 'step 1', detail: '10 users' },
      { atSec: 1001, label: 'step 2', detail: '20 users' }, // 8 px later: label would overlap
      { atSec: 1050, label: 'step 3', detail: '30 users' },
      { atSec: 1200, label: 'step 4', detail: '40 users' }, // after the run: not drawn
    ],
  });
  assert.equal(svg.match(/<line class="marker"/g)?.length, 3);
  assert.deepEqual([...svg.matchAll(/class="marker-label"[^>]*>([^<]+)/g)].map((m) => m[1]), ['step 1', 'step 3']);
  assert.ok(svg.includes('<title>step 2: 20 users</title>'));
});

test('bands are shaded within the plot only, with a legend entry; none on an empty chart', () => {
  const times = [10, 11, 12, 13, 14];
  const spec = { title: 't', unit: 'ms', times, originSec: 9, series: [{ label: 'p95', color: '#000', values: [1, 2, 3, 4, 5] }], bands: [{ fromSec: 11, toSec: 13 }, { fromSec: 50, toSec: 60 }], bandLabel: 'generator overloaded' };
  const svg = lineChartSvg(spec);
  assert.equal(svg.match(/<rect class="band"/g)?.length, 1);
  assert.match(svg, /class="legend">generator overloaded</);
  const empty = lineChartSvg({ ...spec, series: [{ label: 'p95', color: '#000', values: [null, null, null, null, null] }] });
  assert.doesNotMatch(empty, /class="band"/);
  assert.match(empty, /no data/);
});

test('axis steps are round numbers and round clock intervals', () => {
  assert.equal(niceStep(100, 4), 50);
  assert.equal(niceStep(7, 4), 2);
  assert.equal(niceStep(0, 4), 1);
  assert.equal(timeStep(3600, 6), 600);
  assert.equal(timeStep(50, 6), 10);
});
