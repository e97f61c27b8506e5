import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jobProcesses, jobWarmUpPlan, openPoolShares, preAllocatedUsers, preallocationPlan } from '../../../../src/runner/job/job-plan.js';
import { LoadShape } from '../../../../src/core/shape.js';
import type { ArrivalSetup } from '../../../../src/runner/open/open-model-run.js';

function arrival(a: Partial<ArrivalSetup>): ArrivalSetup {
  return { pattern: { pattern: 'constant', rate: 100 }, maxUsers: 0, windowSec: 60, criteria: { minThroughputRatio: 0.95, p99Ms: null, maxErrorRate: null }, ...a };
}

class SteepShape extends LoadShape {
  tick(): { users: number; spawnRate: number } {
    return { users: 5000, spawnRate: 5000 };
  }
}

test('--processes defaults to this thread alone', () => {
  assert.equal(jobProcesses({}), 1);
  assert.equal(jobProcesses({ processes: 3 }), 3);
});

test('each worker gets its share of --max-users, the shares adding up to it exactly', () => {
  assert.deepEqual(openPoolShares({ processes: 3, arrival: arrival({ maxUsers: 10 }) }), [4, 3, 3]);
  assert.deepEqual(openPoolShares({ processes: 2, arrival: null }), [0, 0]);
});

test('--pre-allocated-users: none for a replay or a closed model; split per worker by class weight', () => {
  assert.equal(preAllocatedUsers({ arrival: null }), 0);
  assert.equal(preAllocatedUsers({ arrival: arrival({ preAllocatedUsers: 8, replay: { records: [], rateMultiplier: 1 } }) }), 0);
  assert.equal(preAllocatedUsers({ arrival: arrival({ preAllocatedUsers: 8 }) }), 8);
  const plan = preallocationPlan({ processes: 2, arrival: arrival({ preAllocatedUsers: 8 }) }, [{ weight: 3 }, { weight: 1 }]);
  assert.equal(plan.length, 2);
  assert.deepEqual(plan.map((w) => w.reduce((a, b) => a + b, 0)), [4, 4]);
  assert.deepEqual([0, 1].map((c) => (plan[0]?.[c] ?? 0) + (plan[1]?.[c] ?? 0)), [6, 2]);
});

test('a warm-up only when asked for and the start is steep (per worker); never for a shape', () => {
  const closed = { arrival: null, shape: null, users: 5000, spawnRate: 5000 };
  assert.equal(jobWarmUpPlan({ ...closed, warmUp: false }), null);
  assert.notEqual(jobWarmUpPlan({ ...closed, warmUp: true }), null);
  assert.equal(jobWarmUpPlan({ ...closed, warmUp: true, spawnRate: 10 }), null);
  assert.equal(jobWarmUpPlan({ ...closed, warmUp: true, processes: 20 }), null, '5 000/s over 20 workers is 250/s each: gentle');
  assert.equal(jobWarmUpPlan({ ...closed, warmUp: true, shape: new SteepShape() }), null);
  assert.notEqual(jobWarmUpPlan({ ...closed, warmUp: true, arrival: arrival({ pattern: { pattern: 'constant', rate: 2000 } }) })?.openRate ?? 0, 0);
});
