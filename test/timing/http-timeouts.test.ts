import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { createHooks } from '../../src/core/hooks.js';
import { HttpSession } from '../../src/http/client.js';
import { PerUserDispatchers } from '../../src/http/dispatchers.js';
import { StatsRegistry } from '../../src/stats/registry.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';

/** How late a timeout may fire: the bound (a real timer, not undici's 1 s tick). */
const SLACK_MS = 20;

const cleanups: Array<() => unknown> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

function session(baseUrl: string, requestTimeoutMs = 5000): HttpSession {
  return new HttpSession({
    baseUrl, requestTimeoutMs, maxBodyBytes: 1 << 20, maxRedirects: 10, acceptEncoding: true, auth: null,
    recorder: new StatsRegistry(() => Date.now()), hooks: createHooks(), userId: 0,
    // A long connect timeout of its own, so only the request's timeout can end a hanging connect.
    dispatchers: new PerUserDispatchers({ keepAliveTimeoutMs: 5000, connectTimeoutMs: 30_000 }),
  });
}

async function server(handler: Parameters<typeof startRecordingServer>[0]): Promise<RecordingServer> {
  const s = await startRecordingServer(handler);
  cleanups.push(() => s.close());
  return s;
}

function assertOnTime(elapsedMs: number, timeoutSec: number, what: string): void {
  const asked = timeoutSec * 1000;
  assert.ok(elapsedMs >= asked - 1, `${what}: fired early (${elapsedMs.toFixed(1)} ms < ${asked} ms)`);
  assert.ok(elapsedMs <= asked + SLACK_MS, `${what}: fired late (${elapsedMs.toFixed(1)} ms > ${asked} + ${SLACK_MS} ms)`);
}

test('waiting for headers: 0.1 s, 1 s and 5 s fire on time, and the reason names the limit', async () => {
  const srv = await server(() => {}); // never answers
  const once = async (t: number): Promise<{ t: number; error: string | null; status: number; recorded: number; wall: number }> => {
    const s = session(srv.url);
    const started = performance.now();
    const r = await s.get('/hang', { timeout: t });
    const wall = performance.now() - started;
    s.close(true);
    return { t, error: r.error, status: r.status, recorded: r.elapsedMs, wall };
  };
  // Each case twice, the second 100 ms after the first, judged by its better attempt: one
  // event-loop stall or a moment of host steal (CI once saw both of two attempts started together
  // end 24 ms late) cannot delay both, while a coarse timer (undici's: ~1 s late) fails both.
  const later = (t: number): Promise<Awaited<ReturnType<typeof once>>> => new Promise((r) => setTimeout(() => r(once(t)), 100));
  const results = await Promise.all([0.1, 1, 5].map(async (t) => {
    const [a, b] = await Promise.all([once(t), later(t)]);
    return a.wall <= b.wall ? a : b;
  }));
  for (const { t, error, status, recorded, wall } of results) {
    assert.equal(error, `timeout after ${t * 1000} ms`);
    assert.equal(status, 0);
    assertOnTime(recorded, t, `headers ${t} s (recorded)`);
    assertOnTime(wall, t, `headers ${t} s (as the task saw it)`);
  }
});

test('--request-timeout (the session default) fires on time too, while the body is still arriving', async () => {
  const srv = await server((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    const timer = setInterval(() => res.write('x'.repeat(100)), 20);
    res.on('close', () => clearInterval(timer));
  });
  const s = session(srv.url, 1000);
  const r = await s.get('/endless');
  s.close(true);
  assert.equal(r.error, 'timeout after 1000 ms');
  assert.equal(r.status, 200);
  assert.ok(r.size > 1000, `the bytes that arrived are counted: ${r.size}`);
  assertOnTime(r.elapsedMs, 1, 'body 1 s');
});

/** A listener whose process is stopped, with its accept queue full: new connects hang in SYN. */
async function unresponsiveListener(): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, ['-e', `require('node:net').createServer().listen({ host: '127.0.0.1', port: 0, backlog: 1 }, function () { process.stdout.write(this.address().port + '\\n'); })`], { stdio: ['ignore', 'pipe', 'inherit'] });
  cleanups.push(() => child.kill('SIGKILL'));
  const port = await new Promise<number>((resolve) => child.stdout?.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
  child.kill('SIGSTOP');
  // Fill the accept queue (backlog + 1 on Linux) so that the next SYN is dropped.
  for (let i = 0; i < 8; i++) {
    const s: Socket = connect(port, '127.0.0.1');
    s.on('error', () => {});
    cleanups.push(() => s.destroy());
  }
  await new Promise((r) => setTimeout(r, 200));
  // Prove the premise: a further connect does not complete (else this would test waiting for headers).
  const probe = connect(port, '127.0.0.1');
  probe.on('error', () => {});
  cleanups.push(() => probe.destroy());
  const connected = await new Promise<boolean>((resolve) => {
    probe.once('connect', () => resolve(true));
    setTimeout(() => resolve(false), 300);
  });
  assert.equal(connected, false, 'the listener\'s queue is full: connects hang');
  return { port, child };
}

test('a connect that never completes is cut at the request timeout, not the connector\'s', async () => {
  const { port } = await unresponsiveListener();
  const s = session(`http://127.0.0.1:${port}`);
  const started = performance.now();
  const r = await s.get('/', { timeout: 0.1 });
  const wall = performance.now() - started;
  s.close(true);
  assert.equal(r.error, 'timeout after 100 ms');
  assertOnTime(r.elapsedMs, 0.1, 'connect 0.1 s');
  assertOnTime(wall, 0.1, 'connect 0.1 s (as the task saw it)');
});
