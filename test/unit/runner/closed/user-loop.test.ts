import { testEnvironment } from '../../../helpers/user-environment.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { Rng } from '../../../../src/core/rng.js';
import { buildTaskTable } from '../../../../src/core/tasks.js';
import { task } from '../../../../src/core/task-decorators.js';
import { SequentialTaskSet, TaskSet, User, type UserEnvironment } from '../../../../src/core/user.js';
import { constant, type WaitTimeFn } from '../../../../src/core/wait-time.js';
import { RunningUser } from '../../../../src/runner/closed/user-loop.js';
import { LoopTurns } from '../../../../src/core/loop-turns.js';
import { RescheduleTask, RescheduleTaskImmediately } from '../../../../src/core/user-signals.js';
import { systemClock } from '../../../../src/core/clock.js';

function env(): UserEnvironment {
  return testEnvironment({ rng: new Rng(3) });
}

/** Lets every task, hook and wake-up due so far run (they are promise chains and macrotasks). */
const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * Moves `clock` on in 10 ms steps, letting the user run between them, until `done` settles (or a
 * minute of fake time passed); returns the fake milliseconds that took.
 */
async function runUntil(clock: FakeClock, done: Promise<unknown>): Promise<number> {
  let finished = false;
  void done.then(() => (finished = true));
  const started = clock.now();
  await settle();
  while (!finished && clock.now() - started < 60_000) {
    clock.advance(10);
    await settle();
  }
  assert.ok(finished, 'the user ended within a minute of fake time');
  return clock.now() - started;
}

/** Runs a user until `limit` log entries exist, then stops it: its log, the exceptions recorded and the fake ms it took. */
async function drive(user: User & { log: string[] }, limit: number): Promise<{ log: string[]; errors: string[]; elapsedMs: number }> {
  const errors: string[] = [];
  const clock = new FakeClock();
  const running = new RunningUser(user, 0, buildTaskTable(user.constructor), {
    clock,
    recordException: (e) => errors.push(e instanceof Error ? e.message : String(e)),
    afterTask: () => {
      if (user.log.length >= limit) running.requestStop();
    },
  }, () => {});
  running.start();
  const elapsedMs = await runUntil(clock, running.done);
  return { log: user.log, errors, elapsedMs };
}

test('a TaskSet runs until interrupt(), then the parent picks again; onStart/onStop run each visit', async () => {
  class Inner extends SequentialTaskSet<Looper> {
    override async onStart(): Promise<void> { this.user.log.push('inner:start'); }
    @task async a(): Promise<void> { this.user.log.push('a'); }
    @task async b(): Promise<void> { this.user.log.push('b'); this.interrupt(); }
    override async onStop(): Promise<void> { this.user.log.push('inner:stop'); }
  }
  class Looper extends User {
    log: string[] = [];
    static override tasks = [Inner];
  }
  const { log } = await drive(new Looper(env()), 8);
  assert.deepEqual(log.slice(0, 8), ['inner:start', 'a', 'b', 'inner:stop', 'inner:start', 'a', 'b', 'inner:stop']);
});

test('a listed function gets the user as its argument (Locust\'s `def index(user)`) and as `this` (a method listed by reference)', async () => {
  class Listed extends User {
    log: string[] = [];
    browse(this: Listed): void {
      this.log.push('this');
    }
    // eslint-disable-next-line @typescript-eslint/unbound-method -- listed unbound on purpose: the loop gives it its `this`
    static override tasks = [(user: Listed): void => void user.log.push('arg'), Listed.prototype.browse];
  }
  const { log, errors } = await drive(new Listed(env()), 20);
  assert.deepEqual(errors, []);
  assert.ok(log.includes('arg') && log.includes('this'), log.join(','));
});

test('interrupt(false) waits the think time before the parent goes on; interrupt() does not (fake clock)', async () => {
  const timeOf = async (reschedule: boolean): Promise<number> => {
    class Quick extends TaskSet<Timed> {
      @task async leave(): Promise<void> { this.user.log.push('x'); this.interrupt(reschedule); }
    }
    class Timed extends User {
      log: string[] = [];
      override waitTime = constant(0.2);
      static override tasks = [Quick];
    }
    return (await drive(new Timed(env()), 3)).elapsedMs;
  };
  const rescheduled = await timeOf(true);
  const waited = await timeOf(false);
  assert.ok(rescheduled < 150, `reschedule: ${rescheduled} ms`);
  assert.ok(waited >= 380, `no reschedule waits between visits: ${waited} ms`);
});

test('RescheduleTask ends the task and the user waits its think time; RescheduleTaskImmediately starts the next at once; neither is an error (Locust\'s)', async () => {
  const run = async (Signal: new () => Error): Promise<{ elapsedMs: number; log: string[]; errors: string[] }> => {
    class Rescheduler extends User {
      log: string[] = [];
      override waitTime = constant(0.2);
      @task async t(): Promise<void> {
        this.log.push('t');
        throw new Signal();
      }
    }
    return drive(new Rescheduler(env()), 3);
  };
  const now = await run(RescheduleTaskImmediately);
  assert.deepEqual([now.log, now.errors], [['t', 't', 't'], []]);
  assert.ok(now.elapsedMs < 150, `RescheduleTaskImmediately: ${now.elapsedMs} ms for 3 tasks`);
  const later = await run(RescheduleTask);
  assert.deepEqual([later.log, later.errors], [['t', 't', 't'], []]);
  assert.ok(later.elapsedMs >= 380, `RescheduleTask waits between tasks: ${later.elapsedMs} ms`);
});

test('RescheduleTaskImmediately in a TaskSet\'s task skips the TaskSet\'s think time (listed functions too)', async () => {
  class Inner extends TaskSet<Outer> {
    override waitTime = constant(0.5);
    static override tasks = [(ts: Inner): void => {
      ts.user.log.push('f');
      throw new RescheduleTaskImmediately();
    }];
  }
  class Outer extends User {
    log: string[] = [];
    static override tasks = [Inner];
  }
  const { log, errors, elapsedMs } = await drive(new Outer(env()), 4);
  assert.deepEqual([log, errors], [['f', 'f', 'f', 'f'], []]);
  assert.ok(elapsedMs < 150, `${elapsedMs} ms`);
});

test('a TaskSet uses its own waitTime, else the user\'s', async () => {
  const seen: string[] = [];
  const spy = (label: string, seconds: number): WaitTimeFn => () => { seen.push(label); return seconds; };
  class Own extends TaskSet<Spied> {
    override waitTime = spy('set', 0);
    @task async t(): Promise<void> { this.user.log.push('t'); if (this.user.log.length % 2 === 0) this.interrupt(); }
  }
  class Spied extends User {
    log: string[] = [];
    override waitTime = spy('user', 0);
    static override tasks = [Own];
  }
  await drive(new Spied(env()), 4);
  assert.ok(seen.includes('set'));
  assert.ok(!seen.includes('user'), 'interrupt() reschedules, so the user wait is never used here');
});

test('exceptions in tasks and onStart are recorded and the user goes on; a broken waitTime does not spin', async () => {
  class Faulty extends User {
    log: string[] = [];
    override waitTime: WaitTimeFn = () => Number.NaN;
    override async onStart(): Promise<void> { throw new Error('login failed'); }
    @task async boom(): Promise<void> { this.log.push('boom'); throw new Error('task exploded'); }
  }
  const { log, errors, elapsedMs } = await drive(new Faulty(env()), 2);
  assert.deepEqual(log, ['boom', 'boom']);
  assert.equal(errors[0], 'login failed');
  assert.ok(errors.includes('task exploded'));
  assert.ok(errors.some((e) => /waitTime returned NaN/.test(e)));
  assert.ok(elapsedMs >= 900, 'a broken waitTime falls back to 1 s, not a busy loop');
});

test('a stop request cuts think time short', async () => {
  class Sleeper extends User {
    log: string[] = [];
    override waitTime = constant(60);
    @task async once(): Promise<void> { this.log.push('once'); }
  }
  const user = new Sleeper(env());
  const clock = new FakeClock();
  const running = new RunningUser(user, 0, buildTaskTable(Sleeper), { clock, recordException: () => {}, afterTask: () => {} }, () => {});
  running.start();
  await settle();
  clock.advance(50);
  await settle();
  running.requestStop();
  // Not one fake millisecond more: the 60 s think time ends with the stop request itself.
  assert.equal(await runUntil(clock, running.done), 0);
  assert.deepEqual(user.log, ['once']);
});

/** A user at zero think time whose tasks run `body`, stopped after `tasks` tasks; resolves with what it did. */
async function zeroWaitRun(body: () => Promise<void> | void, tasks: number, loopTurns?: LoopTurns): Promise<void> {
  class Spinner extends User {
    override waitTime = constant(0);
    @task async spin(): Promise<void> { await body(); }
  }
  let n = 0;
  const running = new RunningUser(new Spinner(env()), 0, buildTaskTable(Spinner), {
    clock: systemClock,
    recordException: (e) => assert.fail(String(e)),
    afterTask: () => {
      if (++n >= tasks) running.requestStop();
    },
    ...(loopTurns ? { loopTurns } : {}),
  }, () => {});
  running.start();
  await running.done;
}

test('zero think time: CPU-only tasks still let a timer run within ~10 ms, even when the loop-turn count never moves', async () => {
  const started = performance.now();
  let firedAfterMs = -1;
  setTimeout(() => (firedAfterMs = performance.now() - started), 1);
  // Each task burns 0.2 ms and awaits nothing but itself: without the user's own yields the timer
  // could not run before the last of the 600 tasks (~120 ms).
  await zeroWaitRun(() => {
    const end = performance.now() + 0.2;
    while (performance.now() < end);
  }, 600, new LoopTurns());
  const ranMs = performance.now() - started;
  assert.ok(firedAfterMs >= 0 && firedAfterMs < Math.min(50, ranMs / 2), `the 1 ms timer fired after ${firedAfterMs.toFixed(1)} ms of a ${ranMs.toFixed(0)} ms run`);
});

test('zero think time: a user whose tasks saw the loop turn (a response came in) adds no setImmediate of its own; without the count it does', async () => {
  const turns = new LoopTurns();
  // Stands for a request: it completes in a macrotask, which bumps the count as a response does.
  const request = (): Promise<void> => new Promise((resolve) => setImmediate(() => {
    turns.count++;
    resolve();
  }));
  const original = globalThis.setImmediate;
  let immediates = 0;
  const counting = ((...args: Parameters<typeof setImmediate>) => {
    immediates++;
    return original(...args);
  }) as typeof setImmediate;
  const count = async (loopTurns?: LoopTurns): Promise<number> => {
    immediates = 0;
    globalThis.setImmediate = counting;
    try {
      await zeroWaitRun(request, 320, loopTurns);
    } finally {
      globalThis.setImmediate = original;
    }
    return immediates;
  };
  const withTurns = await count(turns);
  const withoutTurns = await count();
  assert.ok(withTurns <= 320 + 2, `with the count: ${withTurns} setImmediate calls for 320 tasks (each task makes one)`);
  assert.ok(withoutTurns >= 320 + 10, `without it the user yields every 16 tasks as well: ${withoutTurns}`);
});

test('lastTaskDurationSec is the last task alone: its think time is not counted, at zero think time or not (fake clock)', async () => {
  for (const think of [0, 0.1]) {
    const clock = new FakeClock();
    class Paced extends User {
      seen: number[] = [];
      override waitTime = constant(think);
      // Each task takes 30 fake ms; it notes what the loop measured for the one before it.
      @task async slow(): Promise<void> {
        this.seen.push(this.lastTaskDurationSec);
        await new Promise<void>((resolve) => clock.setTimer(resolve, 30));
      }
    }
    const user = new Paced(env());
    const running = new RunningUser(user, 0, buildTaskTable(Paced), {
      clock,
      recordException: (e) => assert.fail(String(e)),
      afterTask: () => {
        if (user.seen.length >= 5) running.requestStop();
      },
    }, () => {});
    running.start();
    await runUntil(clock, running.done);
    assert.deepEqual(user.seen.slice(1).map((s) => Math.round(s * 1000)), [30, 30, 30, 30], `think time ${think} s`);
  }
});
