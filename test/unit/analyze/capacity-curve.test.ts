import { test } from 'node:test';
import assert from 'node:assert/strict';
import { capacityCurve, type CapacityPoint } from '../../../analyze/capacity-curve.js';
import { capacitySvg } from '../../../analyze/capacity-chart.js';

function point(users: number | null, rps: number, p99: number, errorRate = 0, label = `u${users ?? rps}`): CapacityPoint {
  return { label, users, rps, requests: 1000, errorRate, p50Ms: p99 / 2, p95Ms: p99 * 0.8, p99Ms: p99 };
}

const cases: Array<{ name: string; points: CapacityPoint[]; knee: string | null; reason: RegExp }> = [
  {
    name: 'P99 doubles past the baseline',
    points: [point(80, 420, 120), point(10, 100, 10), point(40, 390, 15), point(20, 200, 11)],
    knee: 'u40', reason: /u80 at 420 req\/s .*P99 120 ms > 20 ms/,
  },
  {
    name: 'errors above 1% end the safe range even with flat latency',
    points: [point(10, 100, 10), point(20, 200, 10), point(40, 380, 11, 0.03)],
    knee: 'u20', reason: /error rate 3% > 1%/,
  },
  {
    name: 'latency rises with no throughput gain (infinite slope) below the rise limit',
    points: [point(10, 100, 10), point(20, 200, 11), point(40, 200, 18)],
    knee: 'u20', reason: /no more throughput \(slope ∞ > 3\)/,
  },
  {
    name: 'a flat curve has its knee at the highest load tested',
    points: [point(10, 100, 10), point(20, 200, 10.5), point(40, 400, 11)],
    knee: 'u40', reason: /no point breaks the rule/,
  },
  {
    name: 'the lowest load already failing has no safe point',
    points: [point(10, 100, 10, 0.5), point(20, 200, 10)],
    knee: null, reason: /error rate 50%/,
  },
  {
    name: 'without user counts the runs are ordered by throughput',
    points: [point(null, 300, 50), point(null, 100, 10), point(null, 200, 12)],
    knee: 'u200', reason: /u300/,
  },
];

for (const c of cases) {
  test(`knee: ${c.name}`, () => {
    const curve = capacityCurve(c.points);
    const knee = curve.kneeIndex === null ? null : curve.points[curve.kneeIndex]?.label;
    assert.equal(knee, c.knee);
    assert.match(curve.reason, c.reason);
  });
}

test('the SVG escapes labels and marks the knee', () => {
  const svg = capacitySvg(capacityCurve([point(10, 100, 10, 0, '<script>x</script>'), point(20, 200, 11)]));
  assert.doesNotMatch(svg, /<script>/);
  assert.match(svg, /&lt;script&gt;/);
  assert.match(svg, /class="knee"/);
  assert.match(svg, /knee: 200 req\/s/);
});
