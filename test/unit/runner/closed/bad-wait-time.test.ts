import { testEnvironment } from '../../../helpers/user-environment.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { systemClock } from '../../../../src/core/clock.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { Rng } from '../../../../src/core/rng.js';
import { buildTaskTable } from '../../../../src/core/tasks.js';
import { task } from '../../../../src/core/task-decorators.js';
import { User } from '../../../../src/core/user.js';
import { RunningUser } from '../../../../src/runner/closed/user-loop.js';
import { WakeQueue } from '../../../../src/runner/closed/wake-queue.js';

/** The first exception a user whose waitTime returns `value` records (it stops after its second task). */
async function firstError(value: unknown): Promise<{ error: Error; tasks: number; elapsedMs: number }> {
  class Broken extends User {
    tasks = 0;
    override waitTime = (() => value) as unknown as User['waitTime'];
    @task async t(): Promise<void> { this.tasks++; }
  }
  const user = new Broken(testEnvironment({ rng: new Rng(1) }));
  const errors: unknown[] = [];
  const running = new RunningUser(user, 0, buildTaskTable(Broken), {
    clock: systemClock,
    recordException: (e) => errors.push(e),
    afterTask: () => {
      if (user.tasks >= 2) running.requestStop();
    },
  }, () => {});
  const started = performance.now();
  running.start();
  await running.done;
  return { error: errors[0] as Error, tasks: user.tasks, elapsedMs: performance.now() - started };
}

test('a waitTime that returns no usable seconds is one clear error naming the class, and the user waits 1 s (no busy loop)', async () => {
  const cases: Array<[unknown, string]> = [
    [Number.NaN, 'NaN'], [-1, '-1'], [Number.POSITIVE_INFINITY, 'Infinity'], ['2', '"2"'], [undefined, 'undefined'], [null, 'null'],
    [{ toString() { throw new Error('never called'); } }, 'a object'],
  ];
  for (const [value, shown] of cases) {
    const { error, tasks, elapsedMs } = await firstError(value);
    assert.equal(error.message, `Broken.waitTime returned ${shown}: it must return a finite number of seconds >= 0 (the user waits 1 s instead)`);
    assert.equal(error.stack, `TypeError: ${error.message}`, 'no frames of brood\'s own code');
    assert.equal(tasks, 2);
    assert.ok(elapsedMs >= 950, `waited ${elapsedMs} ms between the two tasks`);
  }
});

test('a waitTime of 1e10 s sleeps in the wake queue and a stop wakes it at once', async () => {
  class Patient extends User {
    tasks = 0;
    override waitTime = (): number => 1e10;
    @task async t(): Promise<void> { this.tasks++; }
  }
  const clock = new FakeClock();
  const user = new Patient(testEnvironment({ rng: new Rng(1) }));
  const queue = new WakeQueue(clock);
  const running = new RunningUser(user, 0, buildTaskTable(Patient), { clock, recordException: () => assert.fail('no error'), afterTask: () => {}, wakeQueue: queue }, () => {});
  running.start();
  await new Promise((r) => setImmediate(r));
  assert.equal(user.tasks, 1);
  assert.equal(queue.size, 1);
  clock.advance(2 ** 31 * 100);
  await new Promise((r) => setImmediate(r));
  assert.equal(user.tasks, 1, 'still asleep long after 2^31 ms');
  running.requestStop();
  await running.done;
  assert.equal(queue.size, 0);
  assert.equal(clock.pendingTimers(), 0);
});
