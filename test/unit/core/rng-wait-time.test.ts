import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../src/core/rng.js';
import { between, constant, constantPacing, constantThroughput } from '../../../src/core/wait-time.js';
import { parseDuration } from '../../../src/core/duration.js';

test('the same seed gives the same stream; forks differ from each other', () => {
  const a = new Rng(7);
  const b = new Rng(7);
  const seqA = Array.from({ length: 5 }, () => a.nextUint32());
  const seqB = Array.from({ length: 5 }, () => b.nextUint32());
  assert.deepEqual(seqA, seqB);
  const f1 = new Rng(7).fork(1).next();
  const f2 = new Rng(7).fork(2).next();
  assert.notEqual(f1, f2);
  assert.notEqual(new Rng(8).next(), new Rng(7).next());
});

test('Rng.next is uniform enough: mean 0.5 ± 0.005 over 200 000 draws', () => {
  const r = new Rng(123);
  let sum = 0;
  for (let i = 0; i < 200_000; i++) sum += r.next();
  assert.ok(Math.abs(sum / 200_000 - 0.5) < 0.005);
});

test('wait-time functions', () => {
  const rng = new Rng(5);
  const subject = { rng, lastTaskDurationSec: 0.3 };
  const b = between(1, 5);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < 10_000; i++) {
    const w = b(subject);
    min = Math.min(min, w);
    max = Math.max(max, w);
  }
  assert.ok(min >= 1 && min < 1.01, `min ${min}`);
  assert.ok(max < 5 && max > 4.99, `max ${max}`);
  assert.equal(constant(2)(subject), 2);
  assert.ok(Math.abs(constantPacing(1)(subject) - 0.7) < 1e-9);
  assert.equal(constantPacing(0.1)(subject), 0);
  assert.ok(Math.abs(constantThroughput(2)(subject) - 0.2) < 1e-9);
});

test('bad wait-time arguments are configuration errors', () => {
  assert.throws(() => between(5, 1), /max must be >= min/);
  assert.throws(() => between(-1, 1), /min must be/);
  assert.throws(() => constant(Number.NaN), /seconds/);
  assert.throws(() => constantThroughput(0), /tasksPerSecond must be > 0/);
});

test('durations: the forms Locust users type, and clear errors for the rest', () => {
  const ok: Array<[string, number]> = [['90', 90], ['30s', 30], ['10m', 600], ['1h30m', 5400], ['1h 5m 3s', 3903], ['2.5m', 150], [' 45S ', 45]];
  for (const [text, seconds] of ok) assert.equal(parseDuration(text), seconds, text);
  for (const bad of ['10x', '-5m', '0', '', 'm', '5m-', 'abc']) {
    assert.throws(() => parseDuration(bad), /--time ".*" is not a duration/, bad);
  }
});
