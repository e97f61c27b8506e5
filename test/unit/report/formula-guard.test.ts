import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FORMULA_START_CHARS, safeText, unguardedText } from '../../../src/report/formula-guard.js';

test('safeText neutralises spreadsheet formulas from hostile strings', () => {
  const hostile = ['=HYPERLINK("http://evil","x")', '+1', '-2+3', '@SUM(A1:A9)', '\t=1', '\r=1', '\uFF1D1'];
  for (const h of hostile) assert.equal(safeText(h), `'${h}`, JSON.stringify(h));
  assert.equal(safeText('/recall'), '/recall');
  assert.equal(safeText('GET'), 'GET');
  assert.equal(safeText(''), '');
  assert.equal(safeText('a=b'), 'a=b');
});

test('unguardedText takes off only the guard safeText adds', () => {
  assert.equal(unguardedText("'=cmd"), '=cmd');
  assert.equal(unguardedText("'\uFF20x"), '\uFF20x');
  assert.equal(unguardedText("'plain"), "'plain", 'a quote before ordinary text is the text itself');
  assert.equal(unguardedText("'"), "'");
  assert.equal(unguardedText(''), '');
  assert.equal(unguardedText('=1'), '=1', 'an unguarded formula (a Locust file) is left as it is');
});

test('every formula character is guarded on writing and recognised on reading', () => {
  for (const c of FORMULA_START_CHARS) {
    assert.equal(safeText(`${c}x`), `'${c}x`, JSON.stringify(c));
    assert.equal(unguardedText(`'${c}x`), `${c}x`, JSON.stringify(c));
  }
});

test('reading back what safeText wrote gives the original text, and no written cell starts a formula', () => {
  const formulaChar = fc.constantFrom(...FORMULA_START_CHARS);
  const text = fc.oneof(fc.string(), fc.tuple(formulaChar, fc.string()).map(([c, s]) => c + s));
  fc.assert(
    fc.property(text, (s) => {
      // The one ambiguity of the format: text that itself starts with the guard and a formula character.
      fc.pre(!(s[0] === "'" && s[1] !== undefined && FORMULA_START_CHARS.includes(s[1])));
      const cell = safeText(s);
      assert.ok(cell === '' || !FORMULA_START_CHARS.includes(cell[0] ?? ''), JSON.stringify(cell));
      assert.equal(unguardedText(cell), s);
    }),
    { seed: 18, numRuns: 500 },
  );
});
