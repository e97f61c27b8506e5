import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { statsCsv } from '../../../src/report/stats-csv.js';
import { failuresCsv } from '../../../src/report/failures-csv.js';
import { exceptionsCsv } from '../../../src/report/exceptions-csv.js';
import { HISTORY_CSV_HEADER } from '../../../src/report/history-writer.js';
import { toCsv } from '../../../src/report/csv-cell.js';
import { entry, parseCsv, referencePath } from './report-fixtures.js';

/** The reference header lines, keyed by the file they belong to ("PREFIX_stats.csv" …). */
function referenceHeaders(): Map<string, string> {
  const lines = readFileSync(referencePath('locust-csv-headers.txt'), 'utf8').split('\n');
  const headers = new Map<string, string>();
  lines.forEach((line, i) => {
    const m = /^# (PREFIX_\w+\.csv)/.exec(line);
    const next = lines[i + 1];
    if (m?.[1] !== undefined && next !== undefined) headers.set(m[1], next);
  });
  assert.equal(headers.size, 4, 'reference file layout changed');
  return headers;
}

function firstLine(text: string): string {
  const end = text.indexOf('\r\n');
  assert.ok(end > 0, 'no CRLF after the header');
  return text.slice(0, end);
}

test('every CSV header equals Locust\'s byte for byte', () => {
  const ref = referenceHeaders();
  const agg = entry('', 'Aggregated', 0, 0);
  assert.equal(firstLine(statsCsv([], agg, 0)), ref.get('PREFIX_stats.csv'));
  assert.equal(firstLine(failuresCsv([])), ref.get('PREFIX_failures.csv'));
  assert.equal(firstLine(exceptionsCsv([])), ref.get('PREFIX_exceptions.csv'));
  assert.equal(firstLine(toCsv([HISTORY_CSV_HEADER])), ref.get('PREFIX_stats_history.csv'));
});

test('an empty run gives Locust\'s empty Aggregated row with N/A percentiles', () => {
  const text = statsCsv([], entry('', 'Aggregated', 0, 0), 0);
  const rows = parseCsv(text);
  assert.equal(rows.length, 2);
  assert.deepEqual(rows[1], ['', 'Aggregated', '0', '0', '0', '0.0', '0', '0', '0', '0.0', '0.0', ...Array<string>(11).fill('N/A')]);
  assert.ok(text.endsWith('\r\n'));
  assert.equal(text.split('\r\n').length, 3);
});

test('rows are sorted by (name, method), Aggregated last with an empty Type', () => {
  const entries = [entry('POST', '/b', 1, 1), entry('GET', '/b', 1, 1), entry('GET', '/a', 1, 1), entry('DELETE', 'Z', 1, 1)];
  const rows = parseCsv(statsCsv(entries, entry('', 'Aggregated', 4, 1), 0));
  assert.deepEqual(rows.slice(1).map((r) => `${r[0]} ${r[1]}`), ['GET /a', 'GET /b', 'POST /b', 'DELETE Z', ' Aggregated']);
});

test('values are exact: percentiles to the microsecond, averages and extremes as full floats', () => {
  const e = entry('GET', '/item', 3, 0, {
    numFailures: 1,
    totalResponseTimeMs: 7.737046,
    minResponseTimeMs: 1.3910790000863926,
    maxResponseTimeMs: 20.293177999974432,
    totalContentLength: 32,
    percentilesMs: [1.391, 2.05, 2.05, 2.05, 20.3, 20.3, 20.3, 20.3, 20.3, 20.3, 20.293],
    lastRequestWallMs: 4_000,
  });
  const agg = { ...e, method: '', name: 'Aggregated' };
  const rows = parseCsv(statsCsv([e], agg, 0));
  assert.deepEqual(rows[1], [
    'GET', '/item', '3', '1', '1.391', String(7.737046 / 3), '1.3910790000863926', '20.293177999974432',
    String(32 / 3), '0.75', '0.25', '1.391', '2.05', '2.05', '2.05', '20.3', '20.3', '20.3', '20.3', '20.3', '20.3', '20.293',
  ]);
});

test('Requests/s uses the run\'s last request for every row, as Locust', () => {
  // The run starts at t=1 s, the last request of the run is at t=11 s: 10 s for every row.
  const early = entry('GET', '/early', 5, 2, { lastRequestWallMs: 3_000 });
  const agg = entry('', 'Aggregated', 25, 2, { lastRequestWallMs: 11_000, numFailures: 5 });
  const rows = parseCsv(statsCsv([early], agg, 1_000));
  assert.equal(rows[1]?.[9], '0.5');
  assert.equal(rows[2]?.[9], '2.5');
  assert.equal(rows[2]?.[10], '0.5');
  assert.equal(rows[1]?.[8], '10.0', 'average content size printed as a Python float');
});

test('hostile names are quoted and neutralised, numbers are not', () => {
  const names = ['=HYPERLINK("http://evil","click")', '+1', '-2+3', '@SUM(A1)', 'a,b', 'line\nbreak'];
  const entries = names.map((n) => entry('GET', n, 1, 1));
  const text = statsCsv(entries, entry('', 'Aggregated', names.length, 1), 0);
  const rows = parseCsv(text);
  const written = rows.slice(1, -1).map((r) => r[1]);
  assert.deepEqual(new Set(written), new Set([
    `'=HYPERLINK("http://evil","click")`, "'+1", "'-2+3", "'@SUM(A1)", 'a,b', 'line\nbreak',
  ]));
  for (const r of rows.slice(1)) for (const cell of r.slice(2)) assert.match(cell, /^(N\/A|-?[\d.]+(e[+-]\d+)?)$/);
  assert.equal(rows.every((r) => r.length === 22), true);
});
