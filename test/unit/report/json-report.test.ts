import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TargetResult } from '../../../src/core/targets.js';
import type { FailureRow } from '../../../src/stats/types.js';
import { buildJsonReport, jsonReportText } from '../../../src/report/json-report.js';
import { emptySnapshot, entry, historyPoint, runInfo } from './report-fixtures.js';

const p95Target: TargetResult = {
  label: 'P95 latency', metric: 'p95', comparator: '<', threshold: 100, unit: 'ms', endpoints: null, measured: 4, met: true,
};

function sampleInput(targets: TargetResult[] = [p95Target]) {
  const recall = entry('GET', '/recall', 90, 4, { numFailures: 9 });
  const learn = entry('POST', '/learn', 10, 8, { numFailures: 1 });
  const aggregated = entry('', 'Aggregated', 100, 4.4, { numFailures: 10 });
  return {
    run: runInfo({ durationSecs: 20 }), entries: [recall, learn], aggregated,
    failures: [{ method: 'GET', name: '/recall', error: 'HTTP 500', occurrences: 9, firstSeenWallMs: 0, lastSeenWallMs: 1000 }] as FailureRow[],
    exceptions: [{ message: 'boom', traceback: 'Error: boom\n    at x', count: 2, nodes: ['local'] }],
    metrics: [{ name: 'concepts_found', count: 3, sum: 36, mean: 12, min: 10, max: 14, p50: 12, p95: 14, p99: 14 }],
    targets, history: [historyPoint(1, aggregated)], snapshot: emptySnapshot(),
  };
}

test('has the seed\'s summary, latency and validation shape plus the extra sections', () => {
  const report = buildJsonReport(sampleInput());
  assert.deepEqual(Object.keys(report), [
    'brood_version', 'run', 'summary', 'latency', 'validation', 'stats', 'failures', 'exceptions', 'custom_metrics', 'history', 'endpoint_history', 'metric_history', 'stages', 'snapshot',
  ]);
  assert.deepEqual(report.summary, {
    total_operations: 100, total_failures: 10, duration_secs: 20, throughput_ops_sec: 5, error_rate: 0.1,
  });
  assert.deepEqual(Object.keys(report.latency), ['POST /learn', 'GET /recall', 'Aggregated']);
  assert.deepEqual(report.latency['GET /recall'], { p50: 4, p95: 4, p99: 4, 'p99.9': 4, max: 4, avg: 4, count: 90, failures: 9 });
  assert.deepEqual(report.validation, { targets: [{ ...p95Target }], all_met: true });
  assert.equal(report.run.test_file, 'users/reader.ts');
  assert.equal(report.run.start_time, '1970-01-01T00:00:00.000Z');
  assert.equal(report.stats.at(-1)?.name, 'Aggregated');
  assert.equal(report.stats[0]?.percentiles_ms['99.9%'], 8);
  assert.equal(report.custom_metrics[0]?.name, 'concepts_found');
  assert.equal(report.history[0]?.percentiles_ms['50%'], 4.4);
});

test('failure times: ISO when recorded, null when the source had none (Locust ≤ 2.43)', () => {
  const input = sampleInput();
  input.failures.push({ method: 'POST', name: '/learn', error: 'HTTP 502', occurrences: 1, firstSeenWallMs: null, lastSeenWallMs: null });
  const report = buildJsonReport(input);
  assert.deepEqual(report.failures.map((f) => [f.name, f.first_seen, f.last_seen]), [
    ['/learn', null, null],
    ['/recall', '1970-01-01T00:00:00.000Z', '1970-01-01T00:00:01.000Z'],
  ]);
});

test('a missed target makes all_met false', () => {
  const report = buildJsonReport(sampleInput([p95Target, { ...p95Target, label: 'errors', met: false }]));
  assert.equal(report.validation.all_met, false);
});

test('an empty, zero-length run gives nulls and zeros, never NaN', () => {
  const input = { ...sampleInput([]), entries: [], aggregated: entry('', 'Aggregated', 0, 0), run: runInfo({ durationSecs: 0 }), history: [] };
  const report = buildJsonReport(input);
  assert.deepEqual(report.summary, { total_operations: 0, total_failures: 0, duration_secs: 0, throughput_ops_sec: 0, error_rate: 0 });
  assert.deepEqual(report.latency['Aggregated'], { p50: null, p95: null, p99: null, 'p99.9': null, max: null, avg: null, count: 0, failures: 0 });
  const text = jsonReportText(report);
  assert.doesNotMatch(text, /NaN|Infinity/);
  assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(report)));
});

test('per-endpoint timelines and shape stages are carried in snake_case; absent ones are empty', () => {
  const input = {
    ...sampleInput(),
    endpointHistory: { 'GET /recall': [{ timestamp: 5, rps: 2, failPerSec: Number.NaN, p50Ms: 1, p95Ms: null, p99Ms: 3 }] },
    stages: [{ startSec: 0, label: 'step 1', users: 100 }],
  };
  const report = buildJsonReport(input);
  assert.deepEqual(report.endpoint_history, {
    'GET /recall': [{ timestamp: 5, rps: 2, fail_per_sec: 0, p50_ms: 1, p95_ms: null, p99_ms: 3 }],
  });
  assert.deepEqual(report.stages, [{ start_sec: 0, label: 'step 1', users: 100 }]);
  const bare = buildJsonReport(sampleInput());
  assert.deepEqual([bare.endpoint_history, bare.stages], [{}, []]);
});

test('the JSON text is indented but writes each timeline point on one line', () => {
  const text = jsonReportText({ a: { b: [{ t: 1, v: 2 }, { t: 2, v: 3 }], c: [1, 2, 3] } } as unknown as Parameters<typeof jsonReportText>[0]);
  assert.equal(text, '{\n  "a": {\n    "b": [\n      {"t":1,"v":2},\n      {"t":2,"v":3}\n    ],\n    "c": [1,2,3]\n  }\n}\n');
  assert.deepEqual(JSON.parse(text), { a: { b: [{ t: 1, v: 2 }, { t: 2, v: 3 }], c: [1, 2, 3] } });
});

test('after a --reset-stats the summary covers the span after it, and the run says when it came', () => {
  const input = sampleInput();
  const report = buildJsonReport({ ...input, run: runInfo({ durationSecs: 20, statsResetWallMs: 5_000, statsResetHistoryTimestamp: 5 }) });
  assert.equal(report.run.duration_secs, 20);
  assert.equal(report.run.stats_reset_at, '1970-01-01T00:00:05.000Z');
  assert.equal(report.run.stats_reset_after_secs, 5);
  assert.equal(report.run.stats_reset_history_timestamp, 5);
  assert.equal(report.summary.duration_secs, 15);
  assert.equal(report.summary.throughput_ops_sec, 100 / 15);
  const plain = buildJsonReport(input);
  assert.equal(plain.run.stats_reset_at, null);
  assert.equal(plain.run.stats_reset_after_secs, null);
  assert.equal(plain.run.stats_reset_history_timestamp, null);
});

