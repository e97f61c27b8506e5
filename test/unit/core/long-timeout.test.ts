import { test } from 'node:test';
import assert from 'node:assert/strict';
import { systemClock } from '../../../src/core/clock.js';
import { LongTimeout, MAX_TIMER_DELAY_MS, clearLongTimeout, setLongTimeout } from '../../../src/core/long-timeout.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Collects the process's TimeoutOverflowWarnings while `fn` runs (plus a turn for them to be emitted). */
async function overflowWarnings(fn: () => Promise<void>): Promise<number> {
  let seen = 0;
  const onWarning = (w: Error): void => {
    if (w.name === 'TimeoutOverflowWarning') seen++;
  };
  process.on('warning', onWarning);
  try {
    await fn();
    await sleep(20);
  } finally {
    process.off('warning', onWarning);
  }
  return seen;
}

test('a chunked timer fires once, not before its delay, re-arming a chunk at a time', async () => {
  const started = performance.now();
  let firedAt = -1;
  let fired = 0;
  const timer = new LongTimeout(() => {
    fired++;
    firedAt = performance.now();
  }, 60, 10);
  const ids = new Set<unknown>([timer.id]);
  const watch = setInterval(() => ids.add(timer.id), 3);
  await sleep(150);
  clearInterval(watch);
  assert.equal(fired, 1);
  // Node may fire up to ~1 ms before a performance.now() deadline (whole-ms loop time).
  assert.ok(firedAt - started >= 59, `fired after ${firedAt - started} ms`);
  assert.ok(ids.size >= 3, `re-armed in chunks (saw ${ids.size} timers)`);
});

test('clearTimeout(timer.id) between chunks cancels it for good', async () => {
  let fired = 0;
  const timer = new LongTimeout(() => fired++, 60, 10);
  await sleep(25);
  clearLongTimeout(timer);
  await sleep(80);
  assert.equal(fired, 0);
});

test('each chunk is armed from the target time, so a late chunk does not push the end back', async () => {
  // A monotonic clock that jumps ahead by 1000 ms between chunks: a timer counting chunk lengths
  // would wait its full 10 s; one aiming at the target sees that it is due.
  let now = 0;
  let fired = 0;
  const timer = new LongTimeout(() => fired++, 3000, 10, () => now);
  for (let i = 0; i < 3 && fired === 0; i++) {
    now += 1000;
    await sleep(15);
  }
  await sleep(15);
  assert.equal(fired, 1, 'due after 3 jumps of 1 s');
  clearLongTimeout(timer);
});

test('a delay past 2^31-1 ms neither fires early nor warns (setLongTimeout and systemClock.setTimer)', async () => {
  let fired = 0;
  const warnings = await overflowWarnings(async () => {
    const a = setLongTimeout(() => fired++, MAX_TIMER_DELAY_MS + 1);
    const b = systemClock.setTimer(() => fired++, 2 ** 31 * 10);
    const c = systemClock.setTimer(() => fired++, 1e13); // waitTime() { return 1e10; }
    const d = systemClock.setTimer(() => fired++, Number.POSITIVE_INFINITY);
    await sleep(60);
    clearLongTimeout(a);
    for (const t of [b, c, d]) systemClock.clearTimer(t);
  });
  assert.equal(fired, 0);
  assert.equal(warnings, 0);
});

test('short delays stay one plain setTimeout (the hot path); NaN fires at once instead of never', async () => {
  let fired = 0;
  const short = systemClock.setTimer(() => fired++, 5);
  assert.ok(!(short instanceof LongTimeout));
  assert.equal((short.id as NodeJS.Timeout).constructor.name, 'Timeout');
  systemClock.setTimer(() => fired++, Number.NaN);
  await sleep(40);
  assert.equal(fired, 2);
});
