import { testEnvironment } from '../../../helpers/user-environment.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { createHooks } from '../../../../src/core/hooks.js';
import { Rng } from '../../../../src/core/rng.js';
import { buildTaskTable } from '../../../../src/core/tasks.js';
import { task } from '../../../../src/core/task-decorators.js';
import { User, type UserEnvironment } from '../../../../src/core/user.js';
import { constant } from '../../../../src/core/wait-time.js';
import { UserRunner, type UserClassSpec } from '../../../../src/runner/closed/user-runner.js';

class Idle extends User {
  override waitTime = constant(1000);
  @task async nothing(): Promise<void> {}
}
class Other extends Idle {}

function specs(classes: Array<[typeof Idle, number, number]>): UserClassSpec[] {
  return classes.map(([cls, weight, fixedCount]) => ({ name: cls.name, weight, fixedCount, table: buildTaskTable(cls), create: (env: UserEnvironment) => new cls(env) }));
}

function makeRunner(clock: FakeClock, s: UserClassSpec[], completions: number[] = []): UserRunner {
  const hooks = createHooks();
  return new UserRunner(s, {
    clock,
    stopTimeoutMs: 5000,
    loop: { clock, recordException: (e) => assert.fail(String(e)), afterTask: () => {} },
    environmentFor: (userId) => testEnvironment({ userId, rng: new Rng(1).fork(userId), events: hooks }),
    onRampComplete: (_c, total) => completions.push(total),
  });
}

test('spawning is an even ramp: 100 users at 50/s → one user every 20 ms, done at ~2 s', () => {
  const clock = new FakeClock();
  const completions: number[] = [];
  const runner = makeRunner(clock, specs([[Idle, 1, 0]]), completions);
  runner.setTarget(100, 50);
  clock.advance(0);
  assert.equal(runner.userCount(), 1, 'first user at t=0');
  const timeline: number[] = [];
  for (let t = 100; t <= 2100; t += 100) {
    clock.advance(100);
    timeline.push(runner.userCount());
  }
  // After k*100 ms, 1 + 5k users (capped at 100): no bursts, no stalls.
  timeline.forEach((count, k) => assert.equal(count, Math.min(100, 1 + 5 * (k + 1)), `at ${(k + 1) * 100} ms`));
  assert.deepEqual(completions, [100]);
});

test('a new target replaces the ramp in flight and ramps down at the spawn rate', () => {
  const clock = new FakeClock();
  const runner = makeRunner(clock, specs([[Idle, 3, 0], [Other, 1, 0]]));
  runner.setTarget(40, 100);
  clock.advance(195); // 20 users so far
  assert.equal(runner.userCount(), 20);
  runner.setTarget(8, 10); // replace: go down to 8 at 10/s
  clock.advance(0);
  assert.equal(runner.userCount(), 19);
  clock.advance(1000);
  assert.equal(runner.userCount(), 9);
  clock.advance(1000);
  assert.equal(runner.userCount(), 8);
  assert.deepEqual(runner.countsByName(), { Idle: 6, Other: 2 });
});

test('fixedCount users come first and cap a fixed-only population', () => {
  const clock = new FakeClock();
  const runner = makeRunner(clock, specs([[Idle, 1, 2], [Other, 1, 0]]));
  runner.setTarget(5, 1000);
  clock.advance(10);
  assert.deepEqual(runner.countsByName(), { Idle: 2, Other: 3 });
  const fixedOnly = makeRunner(clock, specs([[Idle, 1, 3]]));
  fixedOnly.setTarget(10, 1000);
  clock.advance(50);
  assert.equal(fixedOnly.userCount(), 3);
});

test('stopAll ends sleeping users at once (think time is cut short)', async () => {
  const clock = new FakeClock();
  const runner = makeRunner(clock, specs([[Idle, 1, 0]]));
  runner.setTarget(5, 1000);
  clock.advance(10);
  await new Promise((r) => setImmediate(r)); // let users run their first task and start sleeping
  await runner.stopAll(false);
  assert.equal(runner.userCount(), 0);
});
