import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistoryWriter, HISTORY_CSV_HEADER } from '../../../src/report/history-writer.js';
import { entry, historyPoint, parseCsv } from './report-fixtures.js';

function tempFile(): { path: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'brood-history-'));
  return { path: join(dir, 'run_stats_history.csv'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The file must parse completely (no half record) with 24 fields on every row. */
function readValid(path: string): string[][] {
  const text = readFileSync(path, 'utf8');
  assert.ok(text.endsWith('\r\n'), 'file does not end with a complete record');
  const rows = parseCsv(text);
  for (const r of rows) assert.equal(r.length, 24, JSON.stringify(r));
  assert.deepEqual(rows[0], [...HISTORY_CSV_HEADER]);
  return rows;
}

test('appends one Aggregated row per interval and the file is valid after each append', (t) => {
  const { path, cleanup } = tempFile();
  t.after(cleanup);
  const writer = new HistoryWriter(path);
  assert.equal(readValid(path).length, 1, 'header written at open');
  writer.append(historyPoint(1795459787, entry('', 'Aggregated', 0, 0), { userCount: 0, rps: 0, failPerSec: 0 }), null);
  let rows = readValid(path);
  assert.deepEqual(rows[1], ['1795459787', '0', '', 'Aggregated', '0.000000', '0.000000', ...Array<string>(11).fill('N/A'), '0', '0', '0', '0.0', '0', '0', '0']);
  writer.append(historyPoint(1795459788, entry('', 'Aggregated', 4, 2.5), { rps: 38, failPerSec: 7 / 3 }), null);
  rows = readValid(path);
  assert.deepEqual(rows[2], ['1795459788', '10', '', 'Aggregated', '38.000000', '2.333333', ...Array<string>(11).fill('2.5'), '4', '0', '2.5', '2.5', '2.5', '2.5', '10.0']);
  writer.close();
  assert.equal(writer.closed, true);
  writer.close();
});

test('an entry with requests but none in this interval prints 0 percentiles, as Locust', (t) => {
  const { path, cleanup } = tempFile();
  t.after(cleanup);
  const writer = new HistoryWriter(path);
  const total = entry('', 'Aggregated', 3, 2);
  writer.append(historyPoint(1, total, { intervalPercentilesMs: Array(11).fill(null) }), null);
  writer.close();
  assert.deepEqual(readValid(path)[1]?.slice(6, 17), Array(11).fill('0'));
});

test('full history writes sorted per-entry rows before the Aggregated row', (t) => {
  const { path, cleanup } = tempFile();
  t.after(cleanup);
  const writer = new HistoryWriter(path);
  const entries = [historyPoint(5, entry('POST', '/b', 1, 1)), historyPoint(5, entry('GET', '=cmd,x', 2, 1))];
  writer.append(historyPoint(5, entry('', 'Aggregated', 3, 1)), entries);
  writer.close();
  const rows = readValid(path);
  assert.deepEqual(rows.slice(1).map((r) => [r[2], r[3]]), [['POST', '/b'], ['GET', "'=cmd,x"], ['', 'Aggregated']]);
});

test('a new history replaces an earlier run\'s file; "continue" appends without a second header', (t) => {
  const { path, cleanup } = tempFile();
  t.after(cleanup);
  const earlier = new HistoryWriter(path);
  earlier.append(historyPoint(7, entry('', 'Aggregated', 1, 1)), null);
  earlier.close();
  const first = new HistoryWriter(path);
  first.append(historyPoint(1, entry('', 'Aggregated', 1, 1)), null);
  first.close();
  assert.deepEqual(readValid(path).map((r) => r[0]), ['Timestamp', '1']);
  const second = new HistoryWriter(path, 'continue');
  second.append(historyPoint(2, entry('', 'Aggregated', 2, 1)), null);
  second.close();
  const rows = readValid(path);
  assert.deepEqual(rows.map((r) => r[0]), ['Timestamp', '1', '2']);
  assert.throws(() => second.append(historyPoint(3, entry('', 'Aggregated', 2, 1)), null), /closed/);
});

test('rows are on disk without close(): a killed process leaves every appended interval', (t) => {
  const { path, cleanup } = tempFile();
  t.after(cleanup);
  const writer = new HistoryWriter(path);
  t.after(() => writer.close());
  for (let i = 1; i <= 3; i++) {
    writer.append(historyPoint(i, entry('', 'Aggregated', i, 1)), null);
    assert.equal(readValid(path).length, i + 1);
  }
});
