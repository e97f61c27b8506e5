/**
 * Vegeta's reports for a brood run (issue 22): a run built by hand with known numbers, and every
 * field, unit and layout checked against what Vegeta's lib/metrics.go, lib/reporters.go and
 * lib/histogram.go print for those numbers (the goldens below are worked out from those sources:
 * tabwriter columns are the widest cell + 2, durations as Go's Duration.String() after Vegeta's
 * round(), %.2f rounding a tie to even). Then the refusals, and the command line around them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnalyzeError } from '../../../analyze/analyze-error.js';
import { main } from '../../../analyze/cli.js';
import { formatVegetaJson, formatVegetaText, vegetaMetrics } from '../../../analyze/format-vegeta.js';
import { goDuration, goFixed, goParseDuration, goTabwriter } from '../../../analyze/go-text.js';
import type { LoadedRun } from '../../../analyze/loaded-run.js';
import { loadRun } from '../../../analyze/run-loader.js';
import { formatHdrPlot, formatHist, histCounts, parseHistBuckets } from '../../../analyze/vegeta-histogram.js';
import { percentilesMs } from '../../../src/stats/entry.js';
import { LatencyHistogram } from '../../../src/stats/histogram.js';
import { StatsRegistry } from '../../../src/stats/registry.js';
import type { EntrySummary } from '../../../src/stats/types.js';
import { REPO_ROOT } from '../../helpers/cli.js';

const LOCUST_CSV = join(REPO_ROOT, 'test', 'fixtures', 'locust-reference', 'locust-2.12-sample', 'run_stats.csv');
/** Ten response times (ms), 8 answered 2xx, one 404, one with no response. */
const LATENCIES_MS = [0.5, 0.75, 1.5, 2, 2.5, 3, 4, 10, 12, 20.25];
const T0 = 1_700_000_000_000; // 2023-11-14T22:13:20Z

function summaryOf(latenciesMs: readonly number[], extra: Partial<EntrySummary> = {}): { summary: EntrySummary; histogram: string } {
  const h = new LatencyHistogram();
  for (const ms of latenciesMs) h.record(Math.round(ms * 1000));
  const min = Math.min(...latenciesMs);
  const max = Math.max(...latenciesMs);
  const summary: EntrySummary = {
    method: '', name: 'Aggregated', numRequests: latenciesMs.length, numFailures: 2,
    totalResponseTimeMs: latenciesMs.reduce((a, b) => a + b, 0), minResponseTimeMs: min, maxResponseTimeMs: max,
    totalContentLength: 1234, percentilesMs: percentilesMs(h, latenciesMs.length, min, max),
    firstRequestWallMs: T0 + 1, lastRequestWallMs: T0 + 2012, currentRps: 0, currentFailPerSec: 0,
    statusCodes: { '404': 1, '200': 8, '0': 1 }, requestBytes: 230,
    // Send times are completion minus response time: fractions of the 1 ms wall clock.
    firstStartWallMs: T0 + 0.4, lastStartWallMs: T0 + 1999.6,
    ...extra,
  };
  return { summary, histogram: h.encode() };
}

function run(latenciesMs: readonly number[] = LATENCIES_MS, extra: Partial<EntrySummary> = {}): LoadedRun {
  const { summary, histogram } = summaryOf(latenciesMs, extra);
  const failure = (name: string, error: string, firstSeenWallMs: number): LoadedRun['failures'][number] =>
    ({ method: 'GET', name, error, occurrences: 1, firstSeenWallMs, lastSeenWallMs: firstSeenWallMs });
  return {
    label: '/tmp/r/run', source: 'brood-json', files: ['/tmp/r/run.json'],
    meta: {
      scenario: null, testFile: null, host: null, command: null, users: null, spawnRate: null, shape: null, seed: null, userClasses: [],
      startWallMs: T0, endWallMs: T0 + 2100, durationSecs: 2.1, stopReason: null, breakingPoint: null, statsResetWallMs: null,
      runTimeLimitSecs: null, broodVersion: null, nodeVersion: null,
    },
    entries: [], aggregated: { summary, rps: 0, failPerSec: 0 }, history: [], endpointHistory: {}, metricHistory: {},
    // Listed most frequent first, as brood stores them; Vegeta lists errors as first seen, each once.
    failures: [failure('/missing', 'HTTP 404', T0 + 1000), failure('/down', 'ECONNREFUSED', T0 + 500), failure('/other', 'HTTP 404', T0 + 1500)],
    exceptions: [], metrics: [], stages: [], declaredTargets: [], aggregatedHistogram: histogram,
  };
}

function refusal(fn: () => unknown): AnalyzeError {
  try {
    fn();
  } catch (err: unknown) {
    if (err instanceof AnalyzeError) return err;
    throw err;
  }
  assert.fail('expected an AnalyzeError');
}

test('Go text formats: Duration.String(), ParseDuration, %.2f ties to even, tabwriter columns', () => {
  const durations: Array<[number, string]> = [
    [0, '0s'], [1, '1ns'], [999, '999ns'], [54_260, '54.26µs'], [1_234_567, '1.234567ms'], [2e6, '2ms'],
    [10_000_012_000, '10.000012s'], [60e9, '1m0s'], [9_999e9, '2h46m39s'], [-1_500, '-1.5µs'],
  ];
  for (const [ns, text] of durations) assert.equal(goDuration(ns), text, String(ns));
  const parsed: Array<[string, number | null]> = [
    ['0', 0], ['2ms', 2e6], ['1.5s', 1.5e9], ['1m30s', 90e9], ['250us', 250e3], ['250µs', 250e3], ['.5ms', 5e5], ['2', null], ['', null], ['ms', null], ['1 ms', null],
  ];
  for (const [text, ns] of parsed) assert.equal(goParseDuration(text), ns, text);
  // 0.125 and 40.125 are exact in binary: Go rounds the tie to even, JavaScript's toFixed up.
  assert.deepEqual([0.125, 0.375, 40.125, 2 / 3, 0.005].map((x) => goFixed(x, 2)), ['0.12', '0.38', '40.12', '0.67', '0.01']);
  assert.equal(goFixed(1 / (1 - 0.1), 6), '1.111111');
  assert.equal(goTabwriter('a\tbb\tx\nccc\td\ty\nno tabs\ne\tf\n'), 'a    bb  x\nccc  d   y\nno tabs\ne  f\n');
});

test('--format vegeta: every field of Vegeta\'s JSON, in its order, durations in integer ns', () => {
  const json = formatVegetaJson(vegetaMetrics(run(), '--format vegeta'));
  assert.equal(json, '{"latencies":{"total":56500000,"mean":5650000,"50th":2501000,"90th":12007000,"95th":20250000,"99th":20250000,"max":20250000,"min":500000},'
    + '"bytes_in":{"total":1234,"mean":123.4},"bytes_out":{"total":230,"mean":23},'
    + '"earliest":"2023-11-14T22:13:20Z","latest":"2023-11-14T22:13:22Z","end":"2023-11-14T22:13:22.012Z",'
    + '"duration":2000000000,"wait":12000000,"requests":10,"rate":5,"throughput":3.9761431411530817,"success":0.8,'
    + '"status_codes":{"0":1,"200":8,"404":1},"errors":["ECONNREFUSED","HTTP 404"]}\n');
  const parsed = JSON.parse(json) as { latencies: Record<string, number> };
  // 50th: 2.5 ms is kept as HDR's 2500–2501 µs range, its highest; 90th 12 ms as 12000–12007 µs; 95th/99th clamped to the exact max.
  assert.ok((parsed.latencies['99th'] ?? Infinity) < 500_000_000, 'the jq check of the issue');
});

test("--format vegeta-text: Vegeta's text report, its columns and Go's duration formatting", () => {
  assert.equal(formatVegetaText(vegetaMetrics(run(), '--format vegeta-text')), [
    'Requests      [total, rate, throughput]         10, 5.00, 3.98',
    'Duration      [total, attack, wait]             2.012s, 2s, 12ms',
    'Latencies     [min, mean, 50, 90, 95, 99, max]  500µs, 5.65ms, 2.501ms, 12.007ms, 20.25ms, 20.25ms, 20.25ms',
    'Bytes In      [total, mean]                     1234, 123.40',
    'Bytes Out     [total, mean]                     230, 23.00',
    'Success       [ratio]                           80.00%',
    'Status Codes  [code:count]                      0:1  200:8  404:1  ',
    'Error Set:',
    'ECONNREFUSED',
    'HTTP 404',
    '',
  ].join('\n'));
});

test("durations round as Vegeta's report does: to the unit below the duration's own", () => {
  const m = vegetaMetrics(run([1.2345678, 1234.5678, 61_234.5678], { statusCodes: { '200': 3 } }), '--format vegeta-text');
  const latencies = formatVegetaText(m).split('\n')[2] ?? '';
  assert.match(latencies, /\] {2}1\.235ms, 20\.823s, 1\.235s, 1m1s, 1m1s, 1m1s, 1m1s$/);
});

test('a run without requests prints the report Vegeta prints for no results: zeros and Go\'s zero time', () => {
  const empty = run([0.1], { numRequests: 0, numFailures: 0, totalResponseTimeMs: 0, minResponseTimeMs: null, maxResponseTimeMs: null, percentilesMs: [], statusCodes: undefined, requestBytes: undefined, firstStartWallMs: undefined, lastStartWallMs: undefined, totalContentLength: 0 });
  empty.failures = [];
  assert.equal(formatVegetaJson(vegetaMetrics(empty, '--format vegeta')),
    '{"latencies":{"total":0,"mean":0,"50th":0,"90th":0,"95th":0,"99th":0,"max":0,"min":0},"bytes_in":{"total":0,"mean":0},"bytes_out":{"total":0,"mean":0},'
    + '"earliest":"0001-01-01T00:00:00Z","latest":"0001-01-01T00:00:00Z","end":"0001-01-01T00:00:00Z","duration":0,"wait":0,"requests":0,"rate":0,"throughput":0,"success":0,"status_codes":{},"errors":[]}\n');
  assert.equal(refusal(() => formatHdrPlot(empty)).code, 'NO_REQUESTS');
});

test('--hist: buckets as Vegeta parses them, counts from the HDR histogram, its table layout', () => {
  assert.deepEqual(parseHistBuckets('0,2ms,4ms'), [0, 2e6, 4e6]);
  assert.deepEqual(parseHistBuckets('[3ms, 10ms]'), [0, 3e6, 10e6], 'a first edge above 0 gets [0, first) as in Vegeta');
  for (const bad of ['0,2', '4ms,2ms', '', '[0,,1ms]', '-1ms']) assert.equal(refusal(() => parseHistBuckets(bad)).code, 'BAD_USAGE', bad);
  const counts = histCounts(run(), parseHistBuckets('0,2ms,4ms,10ms'));
  assert.deepEqual({ counts: counts.counts, total: counts.total, unresolved: counts.unresolved }, { counts: [3, 3, 1, 3], total: 10, unresolved: 0 });
  assert.equal(formatHist(counts), [
    'Bucket         #  %       Histogram',
    '[0s,    2ms]   3  30.00%  ######################',
    '[2ms,   4ms]   3  30.00%  ######################',
    '[4ms,   10ms]  1  10.00%  #######',
    '[10ms,  +Inf]  3  30.00%  ######################',
    '',
  ].join('\n'));
});

test('--hist: a request within the histogram\'s resolution of an edge is counted at its HDR value and reported', () => {
  // 100.010 ms is kept in the 99.968–100.031 ms range (64 µs wide there): a 100 ms edge cuts it.
  const counts = histCounts(run([5, 100.01, 150]), parseHistBuckets('0,100ms'));
  assert.deepEqual([counts.counts, counts.unresolved], [[1, 2], 1]);
  assert.deepEqual(histCounts(run([5, 100.01, 150]), parseHistBuckets('0,99ms')).unresolved, 0, '99 ms falls between ranges');
});

test("--format hdrplot: Vegeta's header, quantiles and columns; exact min at 0 and max at 1", () => {
  const lines = formatHdrPlot(run()).split('\n');
  assert.equal(lines.length, 1 + 94 + 1, 'header, one row per quantile of lib/reporters.go, final newline');
  assert.equal(lines[0], 'Value(ms)  Percentile  TotalCount  1/(1-Percentile)');
  assert.equal(lines[1], '0.500000   0.000000    0           1.000000');
  assert.equal(lines[2], '0.500000   0.100000    1           1.111111');
  assert.equal(lines[6], '2.501000   0.500000    5           2.000000');
  assert.equal(lines[94], '20.250000  1.000000    10          10000000.000000');
  assert.equal(lines[95], '');
});

test('a CSV-only run is refused for every Vegeta report, one line saying to give the .json', () => {
  const csv = loadRun(LOCUST_CSV);
  for (const fn of [() => vegetaMetrics(csv, '--format vegeta'), () => formatHdrPlot(csv), () => histCounts(csv, [0, 1e6])]) {
    const err = refusal(fn);
    assert.equal(err.code, 'BAD_USAGE');
    assert.match(err.message, /needs the run's \.json written by brood/);
    assert.doesNotMatch(err.message, /\n/);
  }
});

test('a run JSON without status codes, send times or request bytes is refused naming what is missing', () => {
  const old = run(LATENCIES_MS, { statusCodes: undefined, requestBytes: undefined, firstStartWallMs: undefined, lastStartWallMs: undefined });
  const err = refusal(() => vegetaMetrics(old, '--format vegeta'));
  assert.equal(err.code, 'BAD_JSON');
  assert.match(err.message, /^\/tmp\/r\/run\.json: its Aggregated row has no send times, request bytes, status codes \(written by an older brood\?\)/);
  assert.ok(formatHdrPlot(old).startsWith('Value(ms)'), 'hdrplot needs only the histogram');
  const mixed = refusal(() => vegetaMetrics(run(LATENCIES_MS, { statusCodes: { '200': 7 } }), '--format vegeta'));
  assert.equal(mixed.code, 'BAD_USAGE');
  assert.match(mixed.message, /3 of 10 requests have no HTTP status/);
});

/** A brood run JSON written from a real registry; `older` drops what brood did not keep before Vegeta's reports. */
function writeRunJson(dir: string, name: string, older = false): string {
  let now = T0;
  const stats = new StatsRegistry(() => now, { startWallMs: T0 });
  for (const [ms, status] of [[12, 200], [30, 200], [8, 404]] as const) {
    now += 100;
    if (status === 200) stats.recordSuccess('POST', '/learn', ms, 11, status, 25);
    else stats.recordFailure('GET', '/missing', ms, 9, 'HTTP 404', status, 0);
  }
  const snapshot = stats.snapshot();
  if (older) for (const e of [snapshot.aggregated, ...snapshot.entries]) {
    delete e.statusCodes;
    delete e.requestBytes;
    delete e.firstStartWallMs;
    delete e.lastStartWallMs;
  }
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ run: { start_wall_ms: T0, end_wall_ms: now, duration_secs: 0.3 }, snapshot }));
  return file;
}

test('from a real run JSON; an older one is refused, not reported with invented send times and 0 bytes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'brood-vegeta-'));
  try {
    const m = vegetaMetrics(loadRun(writeRunJson(dir, 'new')), '--format vegeta');
    assert.deepEqual([m.requests, m.statusCodes, m.bytesOut.total, m.bytesIn.total, m.errors], [3, [['200', 2], ['404', 1]], 50, 31, ['HTTP 404']]);
    assert.deepEqual([m.earliestMs, m.latestMs, m.endMs, m.durationNs, m.waitNs], [T0 + 88, T0 + 292, T0 + 300, 204e6, 8e6]);
    const err = refusal(() => vegetaMetrics(loadRun(writeRunJson(dir, 'old', true)), '--format vegeta'));
    assert.match(err.message, /old\.json: its Aggregated row has no send times, request bytes, status codes/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

test('command line: JSON lines for several runs, --hist alone or in the JSON, refusals as one line and exit 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'brood-vegeta-cli-'));
  try {
    const a = writeRunJson(dir, 'a');
    const b = writeRunJson(dir, 'b');
    const lines = await cli([a, b, '--format', 'vegeta']);
    assert.equal(lines.code, 0, lines.err);
    const objects = lines.out.trimEnd().split('\n').map((l) => JSON.parse(l) as { requests: number });
    assert.deepEqual(objects.map((o) => o.requests), [3, 3], 'one JSON object per line, one per run');
    const withBuckets = await cli([a, '--format', 'vegeta', '--hist', '[0,10ms,20ms]']);
    assert.match(withBuckets.out, /,"buckets":\{"0":1,"10000000":1,"20000000":1\},"bytes_in":/);
    const hist = await cli([a, '--hist', '0,10ms,20ms']);
    assert.match(hist.out, /^Bucket {9}# {2}% {7}Histogram\n\[0s, {4}10ms\] {2}1/);
    const text = await cli([a, b, '--format', 'vegeta-text']);
    assert.equal(text.out.match(/^Requests /gm)?.length, 2);
    for (const args of [[a, '--hist', '0,1ms', '--format', 'text'], [LOCUST_CSV, '--format', 'vegeta'], [a, '--hist', '0,2']]) {
      const r = await cli(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.out, '');
      assert.match(r.err, /^error: [^\n]+\n$/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
