import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { TargetResult } from '../../../src/core/targets.js';
import type { EntrySummary } from '../../../src/stats/types.js';
import {
  consoleSummary,
  errorReport,
  PERCENTILES_TITLE,
  percentilesTable,
  requestStatsTable,
  targetsTable,
} from '../../../src/report/console-summary.js';
import { liveLine, progressBar } from '../../../src/report/live-line.js';
import { entry, referencePath } from './report-fixtures.js';

/** The final tables of the Locust 2.12 sample run, as lines. */
function sampleTables(): { stats: string[]; percentiles: string[]; errors: string[] } {
  const lines = readFileSync(referencePath('locust-2.12-sample/console-stderr.log'), 'utf8').split('\n');
  const statsStart = lines.map((l) => l.startsWith('Type     Name') && l.includes('# reqs      # fails')).lastIndexOf(true);
  const pctStart = lines.indexOf('Response time percentiles (approximated)');
  const errStart = lines.indexOf('Error report');
  return {
    stats: lines.slice(statsStart, statsStart + 9),
    percentiles: lines.slice(pctStart + 1, pctStart + 10),
    errors: lines.slice(errStart, errStart + 10),
  };
}

/** The sample's final numbers as EntrySummary values (whole ms, so brood prints what Locust printed). */
function sampleEntries(): { entries: EntrySummary[]; aggregated: EntrySummary } {
  const row = (method: string, name: string, n: number, fails: number, avg: number, min: number, max: number, pct: number[]): EntrySummary =>
    entry(method, name, n, 0, {
      numFailures: fails, totalResponseTimeMs: avg * n, minResponseTimeMs: min, maxResponseTimeMs: max,
      percentilesMs: pct, lastRequestWallMs: 14_792,
    });
  const entries = [
    row('GET', 'home', 147, 7, 2, 0, 19, [2, 2, 2, 2, 3, 3, 7, 7, 20, 20, 20]),
    row('GET', '/item?id=[id]', 90, 6, 2, 1, 20, [2, 2, 2, 2, 3, 4, 20, 20, 20, 20, 20]),
    row('GET', 'refused', 32, 32, 1, 1, 3, [2, 2, 2, 2, 3, 3, 4, 4, 4, 4, 4]),
    row('POST', 'POST about', 206, 11, 2, 0, 19, [2, 2, 2, 3, 3, 5, 18, 19, 20, 20, 20]),
    row('GET', 'cart (checked)', 59, 14, 2, 0, 19, [2, 2, 2, 2, 3, 3, 6, 19, 19, 19, 19]),
  ];
  const aggregated = row('', 'Aggregated', 534, 70, 2, 0, 20, [2, 2, 2, 2, 3, 4, 7, 19, 20, 20, 20]);
  return { entries, aggregated };
}

test('request stats table matches Locust\'s layout character for character', () => {
  const { entries, aggregated } = sampleEntries();
  assert.deepEqual(requestStatsTable(entries, aggregated, 0), sampleTables().stats);
});

test('percentile table matches Locust\'s layout under brood\'s own title', () => {
  const { entries, aggregated } = sampleEntries();
  const [title, ...table] = percentilesTable(entries, aggregated);
  assert.equal(title, PERCENTILES_TITLE);
  assert.deepEqual(table, sampleTables().percentiles);
});

test('error report matches Locust\'s layout (most frequent first)', () => {
  const failure = (method: string, name: string, error: string, occurrences: number) =>
    ({ method, name, error, occurrences, firstSeenWallMs: 0, lastSeenWallMs: 0 });
  const lines = errorReport([
    failure('GET', 'cart (checked)', "CatchResponseError('custom check failed: cart looked empty')", 13),
    failure('GET', '/item?id=[id]', "HTTPError('500 Server Error: Internal Server Error for url: /item?id=[id]')", 6),
    failure('GET', 'refused', "ConnectionRefusedError(111, 'Connection refused')", 32),
    failure('POST', 'POST about', "HTTPError('500 Server Error: Internal Server Error for url: POST about')", 11),
    failure('GET', 'home', "HTTPError('500 Server Error: Internal Server Error for url: home')", 7),
    failure('GET', 'cart (checked)', "HTTPError('500 Server Error: Internal Server Error for url: http://127.0.0.1:8091/cart')", 1),
  ]);
  const expected = sampleTables().errors;
  assert.deepEqual(lines.slice(0, 3), expected.slice(0, 3));
  assert.deepEqual(lines.slice(3, 9), [...expected.slice(3, 9)].sort((a, b) => parseInt(b, 10) - parseInt(a, 10)));
  assert.equal(lines[9], expected[9]);
  assert.deepEqual(errorReport([]), []);
});

test('times keep 3 significant digits instead of Locust\'s truncation', () => {
  const e = entry('GET', '/x', 3, 0, { totalResponseTimeMs: 7.29, minResponseTimeMs: 0.6112, maxResponseTimeMs: 1234.56, percentilesMs: Array(11).fill(2.4317) });
  const line = requestStatsTable([e], e, 0)[2] ?? '';
  assert.match(line, /\|\s+2\.43\s+0\.611\s+1235\s+2\.43 \|/);
});

test('hostile names and errors lose their control characters in every table', () => {
  const name = '/x\x1b[2J\rfake\x07';
  const e = entry('GET', name, 1, 1);
  const text = consoleSummary({
    entries: [e], aggregated: entry('', 'Aggregated', 1, 1), startWallMs: 0, targets: [],
    failures: [{ method: 'GET', name, error: 'bad\x1b]0;title\x07 \r\nthing', occurrences: 1, firstSeenWallMs: 0, lastSeenWallMs: 0 }],
    exceptions: [{ message: 'boom\x1b[1A', traceback: 'Error: boom\n    at task (file.ts:3:9)\x1b[K', count: 2, nodes: ['local'] }],
  });
  assert.doesNotMatch(text, /[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
  assert.match(text, /^GET {6}\/xfake /m);
  assert.match(text, /GET \/xfake: bad thing /);
  assert.match(text, /2 {18}boom \(at task \(file\.ts:3:9\)\)/);
});

test('targets table shows threshold, measured value and PASS/FAIL', () => {
  const targets: TargetResult[] = [
    { label: 'P95 latency', metric: 'p95', comparator: '<', threshold: 100, unit: 'ms', endpoints: null, measured: 87.25, met: true },
    { label: 'errors', metric: 'error_rate', comparator: '<', threshold: 0.01, unit: '%', endpoints: ['GET /recall'], measured: 0.025, met: false },
    { label: 'creates', metric: 'requests_per_minute', comparator: '>=', threshold: 1000, unit: 'req/min', endpoints: null, measured: null, met: false },
  ];
  const lines = targetsTable(targets);
  assert.equal(lines[0], 'Targets');
  assert.match(lines[3] ?? '', /^P95 latency +Aggregated +< 100 ms +87\.25 ms +PASS$/);
  assert.match(lines[4] ?? '', /^errors +GET \/recall +< 1% +2\.5% +FAIL$/);
  assert.match(lines[5] ?? '', /^creates +Aggregated +>= 1000 req\/min +n\/a +FAIL$/);
  assert.equal(lines.at(-1), '2 of 3 targets missed');
  assert.deepEqual(targetsTable([]), []);
});

test('live line: ASCII progress bar, remaining time, rates and percentiles', () => {
  const line = liveLine({ elapsedSecs: 65, runTimeLimitSecs: 300, users: 50, rps: 123.44, failRatio: 0.005, p50Ms: 12.34, p95Ms: 45.6, p99Ms: null });
  assert.equal(line, 'elapsed 00:01:05 remaining 00:03:55 [####................]  21% | users 50 | 123.4 req/s | failures 0.50% | p50 12.3 p95 45.6 p99 - ms');
  assert.match(liveLine({ elapsedSecs: 5, runTimeLimitSecs: null, users: 1, rps: 0, failRatio: 0, p50Ms: null, p95Ms: null, p99Ms: null }), /^elapsed 00:00:05 \(no time limit\) \|/);
  // Remaining time rounds up: 0.6 s left is not "00:00:00".
  assert.match(liveLine({ elapsedSecs: 10.4, runTimeLimitSecs: 11, users: 1, rps: 0, failRatio: 0, p50Ms: null, p95Ms: null, p99Ms: null }), /remaining 00:00:01 /);
  assert.equal(progressBar(2, 4), '[####]');
  assert.equal(progressBar(0.5, 10), '[#####.....]');
  assert.doesNotMatch(line, /[^\x20-\x7e]/);
});
