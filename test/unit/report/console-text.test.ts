import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stripControl, stripControlMultiline } from '../../../src/report/console-text.js';

test('stripControl removes ANSI sequences and control characters', () => {
  assert.equal(stripControl('\x1b[2Jcleared'), 'cleared');
  assert.equal(stripControl('over\rwrite'), 'overwrite');
  assert.equal(stripControl('bell\x07'), 'bell');
  assert.equal(stripControl('\x1b]0;pwned title\x07name'), 'name');
  assert.equal(stripControl('\x1b[31mred\x1b[0m'), 'red');
  assert.equal(stripControl('c1\x9b2Jx\x85y'), 'c1xy');
  assert.equal(stripControl('tab\there\nnl'), 'tabherenl');
  assert.equal(stripControl('bidi\u202Eevil'), 'bidievil');
  assert.equal(stripControl('/recall?q=café'), '/recall?q=café');
});

test('stripControlMultiline keeps line feeds but not escapes or CR', () => {
  assert.equal(stripControlMultiline('a\r\nb\rc\n\x1b[2K\td\x07'), 'a\nb\nc\n  d');
});

test('nothing below 0x20 except LF survives either function', () => {
  const all = Array.from({ length: 0xa0 }, (_, i) => String.fromCharCode(i)).join('');
  assert.doesNotMatch(stripControl(all), /[\x00-\x1f\x7f-\x9f]/);
  assert.doesNotMatch(stripControlMultiline(all), /[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
});
