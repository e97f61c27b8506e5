import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareRows, DEFAULT_BASELINE_OPTIONS } from '../../../analyze/baseline-compare.js';
import type { EndpointRow } from '../../../analyze/run-summary.js';

function row(p95: number, p99: number, errorRate = 0, requests = 100): EndpointRow {
  return { method: 'GET', name: '/x', label: 'GET /x', requests, failures: Math.round(errorRate * requests), errorRate, rps: 1, avgMs: p95 / 2, p50Ms: p95 / 2, p95Ms: p95, p99Ms: p99, maxMs: p99 };
}
const o = DEFAULT_BASELINE_OPTIONS;

test('a P95 rise beyond 10% and 1 ms is a regression, with before/after numbers', () => {
  const c = compareRows('GET /x', row(20, 30), row(30, 31), o, false);
  assert.equal(c.regression, true);
  const p95 = c.changes.find((x) => x.metric === 'p95');
  assert.deepEqual([p95?.before, p95?.after, p95?.change, p95?.regression], [20, 30, 50, true]);
  assert.equal(c.changes.find((x) => x.metric === 'p99')?.regression, false);
});

test('small or sub-millisecond changes, too few requests and new endpoints are not regressions', () => {
  assert.equal(compareRows('GET /x', row(20, 30), row(21, 31), o, false).regression, false, '+5%');
  assert.equal(compareRows('GET /x', row(1, 1), row(1.5, 1.5), o, false).regression, false, '+50% but 0.5 ms');
  assert.equal(compareRows('GET /x', row(20, 30, 0, 5), row(90, 90, 0, 5), o, false).status, 'too-few-requests');
  assert.equal(compareRows('GET /x', undefined, row(90, 90), o, false).status, 'new');
});

test('an error-rate rise of more than one point is a regression', () => {
  assert.equal(compareRows('GET /x', row(20, 30, 0.01), row(20, 30, 0.025), o, false).regression, true);
  assert.equal(compareRows('GET /x', row(20, 30, 0.01), row(20, 30, 0.015), o, false).regression, false);
});
