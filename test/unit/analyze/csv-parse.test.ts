import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnalyzeError } from '../../../analyze/analyze-error.js';
import { parseCsv } from '../../../analyze/csv-parse.js';
import { csvTable } from '../../../analyze/csv-table.js';

test('quoted cells keep CRLF/LF and "" escapes; a BOM and a trailing CRLF add nothing', () => {
  const text = '\uFEFFCount,Message,Traceback\r\n3,"say ""hi""","line 1\r\nline 2\nline 3"\r\n4,,""\r\n';
  const records = parseCsv(text, 'x.csv');
  assert.deepEqual(records.map((r) => r.cells), [
    ['Count', 'Message', 'Traceback'],
    ['3', 'say "hi"', 'line 1\r\nline 2\nline 3'],
    ['4', '', ''],
  ]);
  assert.deepEqual(records.map((r) => r.line), [1, 2, 5]);
});

test('a last record without line ending and an empty quoted last cell are kept', () => {
  assert.deepEqual(parseCsv('a,b\n1,""', 'x.csv').map((r) => r.cells), [['a', 'b'], ['1', '']]);
});

test('an unterminated quote and text after a closing quote are errors naming the file and line', () => {
  assert.throws(() => parseCsv('a,b\n1,"open\n', 'cut.csv'), (e: unknown) => e instanceof AnalyzeError && /cut\.csv: quoted cell starting at line 2 never ends/.test(e.message));
  assert.throws(() => parseCsv('a,b\n1,"x"y\n', 'bad.csv'), /bad\.csv line 2: unexpected text after a closing quote/);
});

test('csvTable checks the header and the width of every row', () => {
  const records = parseCsv('Name,Count\r\nx,1\r\ny\r\n', 'w.csv');
  assert.throws(() => csvTable(records, 'w.csv', ['Name', 'Count'], 'test CSV'), /w\.csv line 3: 1 cells where the header has 2/);
  assert.throws(() => csvTable(records, 'w.csv', ['Name', 'Total'], 'test CSV'), /w\.csv: not a test CSV \(header lacks "Total"\)/);
  const table = csvTable(parseCsv("Name,Count\r\n'=cmd,N/A\r\n", 'ok.csv'), 'ok.csv', ['Name'], 'test CSV');
  const row = table.rows[0];
  assert.ok(row);
  assert.equal(row.name('Name'), '=cmd', "brood's formula guard is undone");
  assert.equal(row.number('Count', true), null);
  assert.throws(() => row.number('Count'), /ok\.csv line 2, column "Count": "N\/A" is not a number/);
});
