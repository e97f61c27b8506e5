import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { failuresCsv } from '../../../src/report/failures-csv.js';
import { exceptionsCsv } from '../../../src/report/exceptions-csv.js';
import { metricsCsv } from '../../../src/report/metrics-csv.js';
import { parseCsv, referencePath } from './report-fixtures.js';

test('failures: one row per (method, name, error), UTC times without fraction, stable order', () => {
  const text = failuresCsv([
    { method: 'GET', name: 'refused', error: "ConnectionRefusedError(111, 'Connection refused')", occurrences: 31, firstSeenWallMs: Date.UTC(2026, 10, 23, 18, 49, 47, 900), lastSeenWallMs: Date.UTC(2026, 10, 23, 18, 50, 1) },
    { method: 'GET', name: '/item', error: 'HTTP 500', occurrences: 5, firstSeenWallMs: 0, lastSeenWallMs: 1_500 },
  ]);
  assert.equal(text,
    'Method,Name,Error,Occurrences,First Seen,Last Seen\r\n' +
    'GET,/item,HTTP 500,5,1970-01-01T00:00:00Z,1970-01-01T00:00:01Z\r\n' +
    `GET,refused,"ConnectionRefusedError(111, 'Connection refused')",31,2026-11-23T18:49:47Z,2026-11-23T18:50:01Z\r\n`);
});

test('failures: times unknown (a report rebuilt from Locust ≤ 2.43) are empty cells, as Locust wrote none', () => {
  const text = failuresCsv([{ method: 'GET', name: '/item', error: 'HTTP 500', occurrences: 5, firstSeenWallMs: null, lastSeenWallMs: null }]);
  assert.equal(text, 'Method,Name,Error,Occurrences,First Seen,Last Seen\r\nGET,/item,HTTP 500,5,,\r\n');
});

test('failures: hostile errors are neutralised', () => {
  const rows = parseCsv(failuresCsv([
    { method: 'GET', name: '@x', error: '=1+1', occurrences: 1, firstSeenWallMs: 0, lastSeenWallMs: 0 },
  ]));
  assert.deepEqual(rows[1]?.slice(0, 4), ['GET', "'@x", "'=1+1", '1']);
});

test('exceptions: reproduces Locust 2.12\'s file byte for byte (multi-line quoted traceback)', () => {
  const expected = readFileSync(referencePath('locust-2.12-sample/run_exceptions.csv'), 'utf8');
  const rows = parseCsv(expected);
  const [count, message, traceback, nodes] = rows[1] ?? [];
  assert.ok(count !== undefined && message !== undefined && traceback !== undefined && nodes !== undefined);
  const text = exceptionsCsv([{ count: Number(count), message, traceback, nodes: nodes.split(', ') }]);
  assert.equal(text, expected);
});

test('exceptions: most frequent first; nodes joined with ", "; hostile message neutralised', () => {
  const rows = parseCsv(exceptionsCsv([
    { count: 1, message: 'rare', traceback: 'at a', nodes: ['local'] },
    { count: 9, message: '-boom', traceback: 'at b', nodes: ['worker-1', 'worker-2'] },
  ]));
  assert.deepEqual(rows.slice(1), [['9', "'-boom", 'at b', 'worker-1, worker-2'], ['1', 'rare', 'at a', 'local']]);
});

test('custom metrics: header, N/A for unknown values, negative numbers kept as numbers', () => {
  const text = metricsCsv([
    { name: 'query_time_ms', count: 2, sum: 3.5, mean: 1.75, min: 1.5, max: 2, p50: 1.5, p95: 2, p99: 2 },
    { name: 'conflicts_detected', count: 0, sum: 0, mean: null, min: null, max: null, p50: null, p95: null, p99: null },
    { name: '=cmd', count: 1, sum: -5, mean: -5, min: -5, max: -5, p50: null, p95: null, p99: null },
  ]);
  assert.equal(text,
    'Name,Count,Sum,Average,Min,Max,50%,95%,99%\r\n' +
    "'=cmd,1,-5,-5,-5,-5,N/A,N/A,N/A\r\n" +
    'conflicts_detected,0,0,N/A,N/A,N/A,N/A,N/A,N/A\r\n' +
    'query_time_ms,2,3.5,1.75,1.5,2,1.5,2,2\r\n');
});
