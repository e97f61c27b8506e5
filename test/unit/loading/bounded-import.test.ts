import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LOAD_TIMEOUT_ENV, LOAD_TIMEOUT_MS, LoadStalledError, importWithin, loadTimeoutMs } from '../../../src/loading/bounded-import.js';

test('importWithin: a load that never settles is cut at the bound with one line naming the file', async () => {
  // The bound's timer is unref'd (so an empty loop reaches 'beforeExit'): here a timer keeps the
  // loop alive, as a test file's setInterval would.
  const keepAlive = setTimeout(() => {}, 5000);
  const baseline = process.listenerCount('beforeExit'); // node:test has its own
  const started = performance.now();
  assert.equal(process.listenerCount('beforeExit'), baseline);
  const pending = importWithin(() => new Promise(() => {}), 'hang.mjs', 80);
  assert.equal(process.listenerCount('beforeExit'), baseline + 1, 'an empty loop would end the wait at once');
  await assert.rejects(pending, (e: Error) => {
    assert.ok(e instanceof LoadStalledError);
    assert.equal(e.message, 'hang.mjs: loading did not finish within 80 ms (a top-level await that never resolves?)');
    return true;
  });
  clearTimeout(keepAlive);
  assert.ok(performance.now() - started >= 75);
  assert.equal(process.listenerCount('beforeExit'), baseline, 'the beforeExit listener is removed');
});

test('importWithin: a load that settles in time passes its value or its own error through, and leaves nothing behind', async () => {
  const baseline = process.listenerCount('beforeExit'); // node:test has its own
  assert.equal(await importWithin(async () => 42, 'ok.mjs', 1000), 42);
  const own = new Error('thrown by the file');
  await assert.rejects(importWithin(() => Promise.reject(own), 'bad.mjs', 1000), (e) => e === own);
  assert.equal(process.listenerCount('beforeExit'), baseline);
});

test('a whole number of seconds is said in seconds, as the default 30 s bound is', async () => {
  const keepAlive = setTimeout(() => {}, 5000);
  await assert.rejects(importWithin(() => new Promise(() => {}), 'hang.mjs', 1000), /^ConfigError: hang\.mjs: loading did not finish within 1 s \(a top-level await/);
  clearTimeout(keepAlive);
});

test('loadTimeoutMs: 30 s unless the variable says otherwise; a bad value is an error naming the variable', () => {
  assert.equal(LOAD_TIMEOUT_MS, 30_000);
  assert.equal(loadTimeoutMs({}), 30_000);
  assert.equal(loadTimeoutMs({ [LOAD_TIMEOUT_ENV]: '1500' }), 1500);
  for (const bad of ['', 'soon', '0', '-5', 'Infinity', '3000000000']) {
    assert.throws(() => loadTimeoutMs({ [LOAD_TIMEOUT_ENV]: bad }), new RegExp(`^ConfigError: ${LOAD_TIMEOUT_ENV} ".*" must be a number of milliseconds > 0$`), bad);
  }
});
