import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyzeRun } from '../../../analyze/analysis-report.js';
import { DEFAULT_BASELINE_OPTIONS } from '../../../analyze/baseline-compare.js';
import { latencyTrends } from '../../../analyze/latency-trend.js';
import { loadRun } from '../../../analyze/run-loader.js';
import { REPO_ROOT } from '../../helpers/cli.js';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'analyze');
const LOCUST = join(REPO_ROOT, 'test', 'fixtures', 'locust-reference', 'locust-2.12-sample', 'run_stats.csv');
const options = { targets: null, baseline: null, baselineOptions: DEFAULT_BASELINE_OPTIONS };

test('errors that start at a user-count step name the capacity limit with the numbers', () => {
  const report = analyzeRun(loadRun(join(FIXTURES, 'step_stats.csv')), options);
  const step = report.recommendations.find((r) => r.rule === 'load-step-errors');
  assert.ok(step, JSON.stringify(report.recommendations));
  assert.match(step.title, /Capacity limit at about 20 users/);
  assert.match(step.evidence, /0% at 10 users .* → 10% at 20 users .*48 of 480 requests failed/);
  const kind = report.recommendations.find((r) => r.rule === 'failure-kind');
  assert.match(kind?.title ?? '', /48 of 48 failures \(100%\) are HTTP 503\/429/);
});

test("Locust's reference run: connection-refused share, 5xx share and test exceptions, each with its numbers", () => {
  const report = analyzeRun(loadRun(LOCUST), options);
  const titles = report.recommendations.map((r) => r.title);
  assert.ok(titles.includes('31 of 65 failures (47.69%) are connection errors'), titles.join(' | '));
  assert.ok(titles.includes('21 of 65 failures (32.31%) are HTTP 5xx server errors'), titles.join(' | '));
  assert.ok(titles.includes('The test code raised 30 exception(s)'), titles.join(' | '));
  assert.equal(report.summary.requests, 505);
  assert.equal(report.summary.p99Ms, 19);
  assert.equal(report.summary.rps, 36.12288438702571, 'rps from the Requests/s column');
});

test('a P95 that grows over the run is found; a flat one is not', () => {
  const flat = [5, 6, 5, 6, 5, 6, 5, 6, 5];
  const growing = [5, 5, 6, 10, 20, 30, 40, 45, 50];
  const series = (values: number[]): Record<string, Array<{ timestamp: number; rps: number; failPerSec: number; p50Ms: null; p95Ms: number; p99Ms: null }>> => ({
    'GET /x': values.map((v, i) => ({ timestamp: 100 + i, rps: 10, failPerSec: 0, p50Ms: null, p95Ms: v, p99Ms: null })),
  });
  assert.deepEqual(latencyTrends([], series(flat)), []);
  const [trend] = latencyTrends([], series(growing));
  assert.equal(trend?.key, 'GET /x');
  assert.equal(trend?.firstMs, 5);
  assert.equal(trend?.lastMs, 45);
});
