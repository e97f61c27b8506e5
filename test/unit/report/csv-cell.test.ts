import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toCsv } from '../../../src/report/csv-cell.js';
import { safeText } from '../../../src/report/formula-guard.js';
import { parseCsv } from './report-fixtures.js';

test('toCsv writes CRLF after every record, like Python csv', () => {
  assert.equal(toCsv([['a', 'b'], ['1', '2']]), 'a,b\r\n1,2\r\n');
  assert.equal(toCsv([]), '');
});

test('toCsv quotes only cells with comma, quote, CR or LF and doubles quotes', () => {
  const text = toCsv([['plain', 'a,b', 'say "hi"', 'line1\nline2', 'cr\rhere', '']]);
  assert.equal(text, 'plain,"a,b","say ""hi""","line1\nline2","cr\rhere",\r\n');
  assert.deepEqual(parseCsv(text), [['plain', 'a,b', 'say "hi"', 'line1\nline2', 'cr\rhere', '']]);
});

test('a neutralised formula with a comma is still quoted and round-trips', () => {
  const cell = safeText('=HYPERLINK("http://evil","x")');
  const text = toCsv([[cell]]);
  assert.equal(text, `"'=HYPERLINK(""http://evil"",""x"")"\r\n`);
  assert.deepEqual(parseCsv(text), [[`'=HYPERLINK("http://evil","x")`]]);
});

test('toCsv itself does not touch numbers formatted as text (a negative value stays a number)', () => {
  assert.equal(toCsv([['-5', '+1']]), '-5,+1\r\n');
});
