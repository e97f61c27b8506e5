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

test('lines count LF and CRLF once, a lone CR only where it ends a record; blank lines are no records', () => {
  const text = 'a,b\r\n\r\n"x\ry","p\r\nq"\n""\n\r1,2\r3,4';
  const records = parseCsv(text, 'x.csv');
  assert.deepEqual(records.map((r) => r.cells), [['a', 'b'], ['x\ry', 'p\r\nq'], ['1', '2'], ['3', '4']]);
  assert.deepEqual(records.map((r) => r.line), [1, 3, 7, 8]);
});

test('a quote error inside a multi-line record names the line of the bad quote', () => {
  assert.throws(() => parseCsv('a,b\n"p\r\nq","x"y\n', 'late.csv'), /^AnalyzeError: late\.csv line 3: unexpected text after a closing quote$/);
  assert.throws(() => parseCsv('a,b\n"p\nq",1\n2,"open ""x""\nmore\n', 'cut.csv'), /cut\.csv: quoted cell starting at line 4 never ends/);
  assert.throws(() => parseCsv('a,b\n1,"p\nq"\n"""x\n', 'cut.csv'), /cut\.csv: quoted cell starting at line 4 never ends/);
});

test('a quote inside an unquoted cell is an error naming the line (Python and csv-stringify quote such a cell whole)', () => {
  assert.throws(() => parseCsv('a,b\r\n1,2\r\n3,say "hi"\r\n', 'q.csv'), (e: unknown) => e instanceof AnalyzeError && /^q\.csv line 3: a quote inside an unquoted cell/.test(e.message));
});

test('a long quoted cell (a deep traceback) has no size limit', () => {
  const trace = 'at frame\n'.repeat(30_000);
  const records = parseCsv(`Count,Traceback\r\n1,"${trace}"\r\n2,x\r\n`, 'big.csv');
  assert.equal(records[1]?.cells[1], trace);
  assert.equal(records[2]?.line, 30_003);
});
