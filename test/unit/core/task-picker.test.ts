import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../src/core/rng.js';
import { SequencePicker, WeightedPicker } from '../../../src/core/task-picker.js';

test('weighted choice holds the weights within ±2% over 100 000 draws (fixed seed)', () => {
  const cases: Array<{ weights: number[] }> = [{ weights: [3, 1] }, { weights: [60, 20, 15, 5] }, { weights: [1, 1, 1, 1, 1, 1, 1] }, { weights: [0.5, 99.5] }];
  for (const { weights } of cases) {
    const items = weights.map((_, i) => i);
    const picker = new WeightedPicker(items, weights);
    const rng = new Rng(42);
    const counts = new Array<number>(weights.length).fill(0);
    const n = 100_000;
    for (let i = 0; i < n; i++) counts[picker.pick(rng)]! += 1;
    const total = weights.reduce((a, b) => a + b, 0);
    weights.forEach((w, i) => {
      const expected = w / total;
      const observed = counts[i]! / n;
      // ±2 points for every share, and ±2% relative for shares big enough that sampling noise allows it.
      assert.ok(Math.abs(observed - expected) < 0.02, `weights ${weights}: item ${i} ${observed} vs ${expected}`);
      if (expected >= 0.15) assert.ok(Math.abs(observed / expected - 1) < 0.02, `weights ${weights}: item ${i} relative`);
    });
  }
});

test('pickAt maps draws to cumulative weight boundaries exactly', () => {
  const picker = new WeightedPicker(['a', 'b', 'c'], [1, 2, 1]);
  const table: Array<[number, string]> = [[0, 'a'], [0.2499, 'a'], [0.25, 'b'], [0.7499, 'b'], [0.75, 'c'], [0.9999, 'c']];
  for (const [u, want] of table) assert.equal(picker.pickAt(u), want, `u=${u}`);
});

test('zero-weight items are never picked; all-zero is an error', () => {
  const picker = new WeightedPicker(['never', 'always'], [0, 1]);
  const rng = new Rng(1);
  for (let i = 0; i < 1000; i++) assert.equal(picker.pick(rng), 'always');
  assert.throws(() => new WeightedPicker(['x'], [0]), /weight > 0/);
});

test('sequence picker repeats each task weight times, in order, round and round', () => {
  const seq = new SequencePicker(['login', 'browse', 'logout'], [1, 2, 1]);
  const got = Array.from({ length: 8 }, () => seq.pick());
  assert.deepEqual(got, ['login', 'browse', 'browse', 'logout', 'login', 'browse', 'browse', 'logout']);
});
