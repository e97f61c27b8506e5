import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelayMs, ConnectionBackoff, isConnectionFailure } from '../../../src/http/connection-backoff.js';

test('backoff doubles from 50 ms and is capped at 1 s', () => {
  const cases: Array<[number, number]> = [[0, 0], [1, 50], [2, 100], [3, 200], [4, 400], [5, 800], [6, 1000], [7, 1000], [1000, 1000]];
  for (const [n, ms] of cases) assert.equal(backoffDelayMs(n), ms, `after ${n} failures`);
});

test('only connection-level failures back off; HTTP errors and timeouts never do', () => {
  for (const r of ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'connect timeout', 'connection closed by server (UND_ERR_SOCKET)']) assert.ok(isConnectionFailure(r), r);
  for (const r of ['HTTP 500', 'HTTP 503', 'timeout after 1000 ms', 'user stopped', 'anything else']) assert.ok(!isConnectionFailure(r), r);
});

test('per origin: consecutive failures grow the wait, an answer resets it', () => {
  const b = new ConnectionBackoff();
  const a = 'http://a';
  b.update(a, 'ECONNREFUSED', 1000);
  assert.equal(b.remainingMs(a, 1000), 50);
  assert.equal(b.remainingMs('http://other', 1000), 0);
  b.update(a, 'ECONNREFUSED', 1100);
  assert.equal(b.remainingMs(a, 1100), 100);
  assert.equal(b.remainingMs(a, 1250), 0, 'the wait is over');
  b.update(a, 'HTTP 500', 1300); // the server answered
  assert.equal(b.remainingMs(a, 1300), 0);
  b.update(a, 'ECONNRESET', 1400);
  assert.equal(b.remainingMs(a, 1400), 50, 'back to the first step');
});

test('cancel() ends a sleep at once (a hard stop must not wait for the backoff)', async () => {
  const b = new ConnectionBackoff();
  const started = performance.now();
  const slept = b.sleep(60_000);
  b.cancel();
  await slept;
  assert.ok(performance.now() - started < 1000);
});
