import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatClock, formatMs, isoSecondsUtc, pyFloat, sig3 } from '../../../src/report/number-format.js';

test('formatMs prints HDR microsecond values without rounding or trailing zeros', () => {
  assert.equal(formatMs(2), '2');
  assert.equal(formatMs(1.391), '1.391');
  assert.equal(formatMs(20.3), '20.3');
  assert.equal(formatMs(1.0000000002), '1');
  assert.equal(formatMs(123456.789), '123456.789');
});

test('pyFloat matches Python repr()', () => {
  const cases: Array<[number, string]> = [
    [0, '0.0'], [11, '11.0'], [2.579015337219485, '2.579015337219485'], [0.0001, '0.0001'],
    [0.00001, '1e-05'], [1.5e-7, '1.5e-07'], [1e16, '1e+16'], [123456789012345680, '1.2345678901234568e+17'],
    [1e15, '1000000000000000.0'], [-3, '-3.0'],
  ];
  for (const [n, expected] of cases) assert.equal(pyFloat(n), expected, String(n));
});

test('sig3 keeps 3 significant digits and every integer digit', () => {
  assert.deepEqual([0.6112, 2.4317, 20.29, 99.96, 1234.56, 0].map(sig3), ['0.611', '2.43', '20.3', '100', '1235', '0']);
});

test('clock and UTC timestamps', () => {
  assert.equal(formatClock(3725.9), '01:02:05');
  assert.equal(formatClock(-4), '00:00:00');
  assert.equal(isoSecondsUtc(Date.UTC(2026, 10, 23, 18, 49, 47, 999)), '2026-11-23T18:49:47Z');
});
