import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BYTES_PER_MB, type ResourceSample } from '../../../src/monitor/resource-sample.js';
import { summarizeResources } from '../../../src/monitor/resource-summary.js';
import type { ChartContext } from '../../../src/report/report-charts.js';
import { legendName, resourceCharts, RESOURCE_CHART_POINTS } from '../../../src/report/resource-charts.js';
import type { ResourcesReport } from '../../../src/report/resources-report.js';

const T0 = 1_700_000_000;
const CTX: ChartContext = { originSec: T0, markers: [], bands: [] };
/** svg-chart.ts's plot: x from 64 to 884 px on a 900 px wide chart. */
const PLOT_LEFT = 64;
const PLOT_WIDTH = 820;

/** Reading `i` of a source: one a second, RSS growing 0.5 MB a second from 100 MB (+50 per source). */
function sample(i: number, source: number, overrides: Partial<ResourceSample> = {}): ResourceSample {
  return {
    timestamp: T0 + i, elapsedSec: i, userCount: 10, source,
    rssBytes: (100 + 50 * source + 0.5 * i) * BYTES_PER_MB, cpuPercent: 30 + 10 * source, threads: 8, openFiles: 20 + source,
    metrics: [], gap: null, ...overrides,
  };
}

function resources(sources: string[], samples: ResourceSample[], metricNames: string[] = [], warmUpSec: number | null = null): ResourcesReport {
  const infos = sources.map((name) => ({ name, kind: 'url' as const }));
  return { summary: summarizeResources(infos, samples, metricNames, warmUpSec), samples, sources, metricNames };
}

function seconds(n: number, sources = 1, each: (i: number, s: number) => Partial<ResourceSample> = () => ({})): ResourceSample[] {
  return Array.from({ length: n }, (_, k) => k + 1).flatMap((i) => Array.from({ length: sources }, (_, s) => sample(i, s, each(i, s))));
}

interface Line {
  series: string;
  dashed: boolean;
  points: number;
  /** Each subpath's first and last x, in px. */
  segments: Array<{ from: number; to: number }>;
}

/** The drawn lines of an SVG chart, decoding svg-chart.ts's "M x,y l dx,dy …" paths. */
function lines(svg: string): Line[] {
  return [...svg.matchAll(/<path class="line[^"]*"[^>]*>/g)].map(([tag]) => {
    const d = /\sd="([^"]*)"/.exec(tag)?.[1] ?? '';
    const segments = d.split('M').filter((p) => p !== '').map((part) => {
      const nums = (part.match(/-?\d+(?:\.\d+)?/g) ?? []).map(Number);
      let x = nums[0] ?? 0;
      const from = x;
      for (let k = 2; k < nums.length; k += 2) x += nums[k] ?? 0;
      return { from, to: x };
    });
    return {
      series: /data-series="([^"]*)"/.exec(tag)?.[1] ?? '',
      dashed: tag.includes('stroke-dasharray'),
      points: Number(/data-points="(\d+)"/.exec(tag)?.[1]),
      segments,
    };
  });
}

function xAt(elapsed: number, spanSec: number): number {
  return PLOT_LEFT + (elapsed / spanSec) * PLOT_WIDTH;
}

test('RSS and CPU: one solid line per source, plus a dashed fit per source and the dashed 80 % line', () => {
  const r = resources(['pid 1 (api)', 'pid 2 (db)'], seconds(60, 2), [], 10);
  const charts = resourceCharts(r, CTX, T0 + 60);
  const rss = lines(charts.rss);
  assert.deepEqual(rss.filter((l) => !l.dashed).map((l) => l.series), ['pid 1 (api)', 'pid 2 (db)']);
  assert.deepEqual(rss.filter((l) => l.dashed).map((l) => l.series), ['growth fit 1', 'growth fit 2']);
  for (const l of rss.filter((x) => !x.dashed)) assert.equal(l.points, 60);
  const cpu = lines(charts.cpu);
  assert.deepEqual(cpu.map((l) => [l.series, l.dashed]), [['pid 1 (api)', false], ['pid 2 (db)', false], ['80 % criterion', true]]);
  // The reference line runs from the first reading to the axis' end.
  const criterion = cpu[2]?.segments ?? [];
  assert.equal(criterion.length, 1);
  assert.ok(Math.abs((criterion[0]?.from ?? 0) - xAt(1, 60)) <= 0.1 && Math.abs((criterion[0]?.to ?? 0) - xAt(60, 60)) <= 0.1, JSON.stringify(criterion));
  assert.equal(charts.readingsPerPoint, 1);
  assert.match(charts.rss, /class="marker-label"[^>]*>warm-up end/);
});

test('a gap splits a line into two segments, and stays a gap when readings are merged', () => {
  const gapAt = (at: number) => (i: number): Partial<ResourceSample> =>
    (i === at ? { gap: 'process 4242 is gone', rssBytes: null, cpuPercent: null, threads: null, openFiles: null } : {});
  const short = resourceCharts(resources(['api'], seconds(30, 1, gapAt(15))), CTX, T0 + 30);
  for (const svg of [short.rss, short.cpu, short.threads ?? '', short.openFiles ?? '']) {
    const line = lines(svg).find((l) => l.series === 'api');
    assert.equal(line?.segments.length, 2, svg.slice(0, 200));
    assert.equal(line?.points, 29);
  }
  const long = resourceCharts(resources(['api'], seconds(1500, 1, gapAt(700))), CTX, T0 + 1500);
  assert.equal(long.readingsPerPoint, 3);
  const rss = lines(long.rss).find((l) => l.series === 'api');
  assert.equal(rss?.segments.length, 2, 'a merged bucket holding the gap is a gap');
  assert.equal(rss?.points, 499);
});

test('the fit line is drawn only over the readings it was fitted to (after the warm-up)', () => {
  const r = resources(['api'], seconds(60), [], 20);
  const fit = r.summary.sources[0]?.fit;
  assert.equal(fit?.from_sec, 20);
  assert.equal(fit?.to_sec, 60);
  const [line, fitLine] = lines(resourceCharts(r, CTX, T0 + 60).rss);
  assert.equal(line?.segments.length, 1);
  assert.ok(Math.abs((line?.segments[0]?.from ?? 0) - xAt(1, 60)) <= 0.1, JSON.stringify(line));
  assert.equal(fitLine?.series, 'growth fit');
  assert.equal(fitLine?.dashed, true);
  assert.equal(fitLine?.segments.length, 1);
  assert.ok(Math.abs((fitLine?.segments[0]?.from ?? 0) - xAt(20, 60)) <= 0.1, JSON.stringify(fitLine));
  assert.ok(Math.abs((fitLine?.segments[0]?.to ?? 0) - xAt(60, 60)) <= 0.1, JSON.stringify(fitLine));
  assert.equal(fitLine?.points, 41);
  // Too few readings after the warm-up: no slope, no fit line.
  const unfitted = resources(['api'], seconds(10), [], 8);
  assert.equal(unfitted.summary.sources[0]?.fit, null);
  assert.deepEqual(lines(resourceCharts(unfitted, CTX, T0 + 10).rss).map((l) => l.series), ['api']);
});

test('the x axis ends where the load charts end: the last history row, not the last reading', () => {
  const [line] = lines(resourceCharts(resources(['api'], seconds(60)), CTX, T0 + 120).rss);
  assert.ok(Math.abs((line?.segments[0]?.to ?? 0) - xAt(60, 120)) <= 0.1, JSON.stringify(line));
});

test(`more than ${RESOURCE_CHART_POINTS} readings are thinned: RSS keeps each bucket's highest, CPU its mean`, () => {
  const spike = (i: number): Partial<ResourceSample> => (i === 701 ? { rssBytes: 900 * BYTES_PER_MB, cpuPercent: 300 } : { rssBytes: 100 * BYTES_PER_MB });
  const charts = resourceCharts(resources(['api'], seconds(1800, 1, spike)), CTX, T0 + 1800);
  assert.equal(charts.readingsPerPoint, 3);
  for (const svg of [charts.rss, charts.cpu]) {
    const line = lines(svg).find((l) => l.series === 'api');
    assert.equal(line?.points, RESOURCE_CHART_POINTS);
  }
  const yTicks = (svg: string): number[] => [...svg.matchAll(/class="ytick">([^<]*)</g)].map((m) => Number(m[1]));
  assert.equal(Math.max(...yTicks(charts.rss)), 1000, 'the 900 MB spike is kept (axis up to 1000)');
  // CPU 300 merged with two 30s: mean 120 (a max would have kept 300).
  assert.equal(Math.max(...yTicks(charts.cpu)), 150);
});

test('threads, open files and --monitor-metric charts appear only for what was read', () => {
  const none = resourceCharts(resources(['api'], seconds(10, 1, () => ({ threads: null, openFiles: null }))), CTX, null);
  assert.equal(none.threads, null);
  assert.equal(none.openFiles, null);
  assert.deepEqual(none.metrics, []);
  const some = resourceCharts(resources(['a', 'b'], seconds(10, 2, (i, s) => ({ metrics: s === 0 ? [i, null] : [null, null] })), ['queue_depth', 'missing']), CTX, null);
  assert.notEqual(some.threads, null);
  assert.deepEqual(some.metrics.map((m) => m.name), ['queue_depth', 'missing']);
  assert.deepEqual(lines(some.metrics[0]?.chart ?? '').map((l) => l.series), ['a']);
  assert.match(some.metrics[1]?.chart ?? '', /no data/);
});

test('stage markers and overload bands of the load charts are drawn on the resource charts too', () => {
  const ctx: ChartContext = { originSec: T0, markers: [{ atSec: T0 + 30, label: 'step 2', detail: '20 users' }], bands: [{ fromSec: T0 + 40, toSec: T0 + 50 }] };
  const charts = resourceCharts(resources(['api'], seconds(60)), ctx, T0 + 60);
  for (const svg of [charts.rss, charts.cpu, charts.threads ?? '']) {
    assert.match(svg, />step 2</);
    assert.match(svg, /<rect class="band"[^>]*><title>generator overloaded<\/title>/);
  }
});

test('hostile source and metric names appear only escaped', () => {
  const xss = '<script>alert(1)</script>';
  const charts = resourceCharts(resources([xss], seconds(20, 1, (i) => ({ metrics: [i] })), [xss]), CTX, null);
  const all = [charts.rss, charts.cpu, charts.threads ?? '', charts.openFiles ?? '', ...charts.metrics.map((m) => m.chart)].join('\n');
  assert.equal(all.includes('<script'), false);
  assert.ok(all.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  // The legend's shortened name too.
  assert.equal(lines(charts.rss)[0]?.series, '&lt;script&gt;aler…1)&lt;/script&gt;');
});

test('long source names are shortened in legends, keeping both ends', () => {
  assert.equal(legendName('pid 4242 (node)'), 'pid 4242 (node)');
  const name = legendName('http://api.internal.example:9100/metrics');
  assert.equal(name.length, 24);
  assert.ok(name.startsWith('http://api.i') && name.endsWith('100/metrics'), name);
});
