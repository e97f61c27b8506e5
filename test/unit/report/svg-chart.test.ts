import { test } from 'node:test';
import assert from 'node:assert/strict';
import { downsample, lineChartSvg, niceStep, timeStep } from '../../../src/report/svg-chart.js';

test('labels are XML-escaped inside the SVG', () => {
  const svg = lineChartSvg({ title: '<script>x</script>', unit: 'ms', times: [1, 2], series: [{ label: '"><b>', color: '#000', values: [1, 2] }] });
  assert.equal(svg.includes('<script>'), false);
  assert.equal(svg.includes('"><b>'), false);
  assert.ok(svg.includes('&lt;script&gt;x&lt;/script&gt;'));
});

test('gaps split a series into separate polylines', () => {
  const svg = lineChartSvg({ title: 't', unit: 'ms', times: [1, 2, 3, 4, 5], series: [{ label: 'p50', color: '#000', values: [1, 2, null, 4, 5] }] });
  assert.equal(svg.match(/<polyline /g)?.length, 2);
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

test('axis steps are round numbers and round clock intervals', () => {
  assert.equal(niceStep(100, 4), 50);
  assert.equal(niceStep(7, 4), 2);
  assert.equal(niceStep(0, 4), 1);
  assert.equal(timeStep(3600, 6), 600);
  assert.equal(timeStep(50, 6), 10);
});
