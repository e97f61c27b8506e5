import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedTimeline } from '../../../../src/runner/job/bounded-timeline.js';

test('keeps every point until full, then halves resolution and stays bounded', () => {
  const t = new BoundedTimeline<number>(8);
  for (let i = 0; i < 7; i++) t.push(i);
  assert.deepEqual(t.points, [0, 1, 2, 3, 4, 5, 6]);
  t.push(7); // full: keep every other point
  assert.deepEqual(t.points, [0, 2, 4, 6]);
  for (let i = 8; i < 16; i++) t.push(i); // now only every second new point is kept: 8, 10, 12, 14
  assert.deepEqual(t.points, [0, 4, 8, 12], 'full again at 8 points: halved to multiples of 4');
  for (let i = 16; i < 100_000; i++) t.push(i);
  assert.ok(t.points.length < 8, `bounded: ${t.points.length}`);
  assert.equal(t.points[0], 0);
  // Points stay evenly spaced in time after any number of halvings.
  const gaps = t.points.slice(1).map((p, i) => p - (t.points[i] as number));
  assert.equal(new Set(gaps).size, 1, `even spacing: ${gaps}`);
});

test('with a merge function no point is lost: a spike in any second survives every halving', () => {
  const t = new BoundedTimeline<number>(8, Math.max);
  for (let i = 0; i < 10_000; i++) t.push(i === 5_555 ? 1_000_000 : i % 7);
  assert.ok(t.points.length < 8);
  assert.ok(t.points.includes(1_000_000), `spike kept: ${t.points}`);
  const sum = new BoundedTimeline<number>(4, (a, b) => a + b);
  for (let i = 0; i < 64; i++) sum.push(1);
  assert.equal(sum.points.reduce((a, b) => a + b, 0), 64, 'every pushed point is accounted for');
});
