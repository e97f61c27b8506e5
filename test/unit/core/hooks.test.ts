import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Hook } from '../../../src/core/hooks.js';

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
