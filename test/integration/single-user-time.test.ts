import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { HttpUser } from '../../src/http/http-user.js';
import { constant } from '../../src/core/wait-time.js';
import { runSingleUser } from '../../src/runner/closed/single-user.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';

const servers: RecordingServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

class Three extends HttpUser {
  static override tasks = { work: 1 };
  override waitTime = constant(0.02);
  async work(): Promise<void> { await this.client.get('/work'); }
}

test('runSingleUser: a timeSec past Node\'s timer limit (2^31 ms) does not cut the user at once, nor warn', async () => {
  const srv = await startRecordingServer();
  servers.push(srv);
  let warnings = 0;
  const onWarning = (w: Error): void => {
    if (w.name === 'TimeoutOverflowWarning') warnings++;
  };
  process.on('warning', onWarning);
  try {
    // Before: the timer fired after 1 ms and the user stopped after its first task.
    const r = await runSingleUser(Three, { host: srv.url, iterations: 3, timeSec: 1e7, print: () => {} });
    assert.equal(r.requests, 3);
  } finally {
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', onWarning);
  }
  assert.equal(warnings, 0);
});

test('runSingleUser: a timeSec that is not seconds > 0 is refused before the user starts', async () => {
  const srv = await startRecordingServer();
  servers.push(srv);
  for (const timeSec of [Number.NaN, 0, -1]) {
    await assert.rejects(runSingleUser(Three, { host: srv.url, timeSec, print: () => {} }), /^TypeError: runSingleUser\(UserClass, \{ timeSec \}\): give seconds > 0, got /);
  }
  assert.equal(srv.requests.length, 0);
});
