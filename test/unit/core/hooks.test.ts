import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Hook, createHooks, releaseRunHooks, runHooks } from '../../../src/core/hooks.js';
import { RescheduleTask } from '../../../src/core/user-signals.js';

test('emitAndWait waits for async listeners (their rejections go to onError) and gives up after its limit, saying how many still run', async () => {
  const hook = new Hook<number>();
  const errors: unknown[] = [];
  hook.onError = (e) => errors.push(e);
  const seen: string[] = [];
  hook.on((n) => void seen.push(`sync ${n}`));
  hook.on(async (n) => {
    await new Promise((r) => setTimeout(r, 50));
    seen.push(`async ${n}`);
  });
  hook.on(async () => {
    await new Promise((r) => setTimeout(r, 20));
    throw new Error('late failure');
  });
  hook.on(() => {
    throw new Error('sync failure');
  });
  assert.equal(await hook.emitAndWait(1, 5_000), 0);
  assert.deepEqual(seen, ['sync 1', 'async 1']);
  assert.deepEqual(errors.map((e) => (e as Error).message).sort(), ['late failure', 'sync failure']);

  const slow = new Hook<void>();
  let finished = false;
  slow.on(async () => {
    await new Promise((r) => setTimeout(r, 400));
    finished = true;
  });
  const started = performance.now();
  assert.equal(await slow.emitAndWait(undefined, 100), 1);
  const waited = performance.now() - started;
  assert.ok(waited >= 95 && waited < 350, `gave up after ${waited.toFixed(0)} ms`);
  assert.equal(finished, false);
  assert.equal(await new Hook<void>().emitAndWait(undefined, 100), 0, 'no listener: nothing to wait for');
});

test("emitInTask: a listener's user signal is thrown on to the task (the listeners after it do not run, as Locust's fire); other errors go to onError as with emit()", () => {
  const hook = new Hook<number>();
  const errors: unknown[] = [];
  hook.onError = (e) => errors.push(e);
  const ran: string[] = [];
  hook.on(() => {
    ran.push('first');
    throw new Error('plain');
  });
  hook.on((n) => {
    ran.push('second');
    if (n > 0) throw new RescheduleTask();
  });
  hook.on(() => void ran.push('third'));
  hook.emitInTask(0);
  assert.deepEqual(ran, ['first', 'second', 'third']);
  assert.deepEqual(errors.map((e) => (e as Error).message), ['plain']);
  ran.length = 0;
  assert.throws(() => hook.emitInTask(1), RescheduleTask);
  assert.deepEqual(ran, ['first', 'second']);
  hook.emit(1);
  assert.equal((errors.at(-1) as Error).name, 'RescheduleTask', 'emit() outside a task still never throws');
});

test("a listener added to the registry while a run is live (Locust's events.request.add_listener inside init) belongs to that run; after the run's release, to the registry again", () => {
  const registry = createHooks();
  const early = (): void => {};
  registry.request.on(early);
  const run = runHooks(registry, () => {});
  const late = (): void => {};
  const off = registry.request.on(late);
  assert.deepEqual(run.request.listeners(), [early, late], 'the run fires it');
  assert.deepEqual(registry.request.listeners(), [early], 'a later run of the file does not inherit it');
  off();
  assert.deepEqual(run.request.listeners(), [early], 'its unsubscribe works on the run');
  const next = runHooks(registry, () => {});
  registry.testStart.on(late);
  assert.deepEqual([run.testStart.listeners().length, next.testStart.listeners()], [0, [late]], 'the newest run is the live one');
  releaseRunHooks(run);
  registry.quitting.on(late);
  assert.deepEqual(next.quitting.listeners(), [late], "releasing an older run leaves the newer one's link");
  releaseRunHooks(next);
  registry.userError.on(late);
  assert.deepEqual([registry.userError.listeners(), next.userError.listeners()], [[late], []]);
});
