import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STEEP_START_PER_SEC, jitWarmUpPlan } from '../../../../src/runner/thread/jit-warm-up.js';

test('only a start of 500+ users (or arrivals) in the first second is warmed up for', () => {
  const cases: Array<[number, boolean]> = [
    [0, false],
    [1, false],
    [STEEP_START_PER_SEC - 1, false],
    [STEEP_START_PER_SEC, true],
    [5000, true],
    [Number.NaN, false],
    [Number.POSITIVE_INFINITY, true],
  ];
  for (const [perSec, warmed] of cases) assert.equal(jitWarmUpPlan(perSec) !== null, warmed, `${perSec}/s`);
});

test('the warm-up is bounded: a budget under a second, waves of users that each get a slice of it', () => {
  const plan = jitWarmUpPlan(10_000);
  assert.ok(plan);
  assert.ok(plan.budgetMs > 0 && plan.budgetMs < 1000);
  assert.ok(plan.waveMs > 0 && plan.waveMs < plan.budgetMs);
  assert.ok(plan.usersPerWave > 0);
});

test('an open-model start splits the same bound: closed waves, then arrivals at the run\'s first-second rate (2 000 to 20 000/s)', () => {
  const closed = jitWarmUpPlan(10_000);
  assert.equal(closed?.openRate, 0);
  for (const [perSec, rate] of [[600, 2000], [10_000, 10_000], [100_000, 20_000]] as const) {
    const plan = jitWarmUpPlan(perSec, true);
    assert.ok(plan);
    assert.equal(plan.openRate, rate);
    assert.ok(plan.budgetMs + plan.openMs < 1000);
  }
  assert.equal(jitWarmUpPlan(100, true), null);
});
