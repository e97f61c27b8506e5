import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Client, buildConnector } from 'undici';
import { WarmSockets } from '../../src/http/warm-sockets.js';
import { ClientTemplate } from '../../src/http/dispatchers.js';

const servers: Server[] = [];
const accepted: Socket[] = [];
after(() => {
  // Whatever a failed test left open must not keep the process alive.
  for (const s of accepted) s.destroy();
  for (const s of servers) s.close();
});

/** A raw TCP listener on 127.0.0.1 that answers every request with a tiny 200 and keeps its sockets. */
async function listener(): Promise<{ origin: string; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    accepted.push(socket);
    socket.on('data', () => socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok'));
    socket.on('error', () => {});
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sockets };
}

const until = async (ok: () => boolean, what: string): Promise<void> => {
  const deadline = Date.now() + 5000;
  while (!ok()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

test('open() connects the given number of sockets before it resolves; take() hands each out once', { timeout: 20_000 }, async () => {
  const { origin, sockets } = await listener();
  const warm = new WarmSockets({ connectTimeoutMs: 2000, maxIdleMs: 60_000 });
  const r = await warm.open(origin, 100);
  assert.deepEqual({ opened: r.opened, failed: r.failed, firstError: r.firstError }, { opened: 100, failed: 0, firstError: null });
  await until(() => sockets.length === 100, 'the server to accept 100');
  assert.equal(warm.available(), 100);
  const url = new URL(origin);
  assert.ok(warm.holds('http:', url.host));
  assert.equal(warm.take('http:', 'elsewhere:1'), undefined, 'only for its own origin');
  const taken = new Set<Socket>();
  for (let i = 0; i < 100; i++) {
    const s = warm.take('http:', url.host);
    assert.ok(s && !s.destroyed);
    taken.add(s);
  }
  assert.equal(taken.size, 100, 'no socket handed out twice');
  assert.equal(warm.take('http:', url.host), undefined);
  for (const s of taken) s.destroy();
});

test('a connection the server closed, or one idle longer than the keep-alive time, is not handed out', { timeout: 20_000 }, async () => {
  const { origin, sockets } = await listener();
  let now = 0;
  const warm = new WarmSockets({ connectTimeoutMs: 2000, maxIdleMs: 1000, now: () => now });
  await warm.open(origin, 4);
  await until(() => sockets.length === 4, 'four connections');
  // The server closes two of them: the stash notices (it reads to the end) and skips them.
  sockets[0]?.destroy();
  sockets[1]?.end();
  await until(() => warm.available() === 2, 'two closed connections to be noticed');
  const host = new URL(origin).host;
  const live = warm.take('http:', host);
  assert.ok(live && !live.destroyed);
  live.destroy();
  now = 1001; // the last one has waited past the keep-alive time
  assert.equal(warm.take('http:', host), undefined);
  assert.equal(warm.available(), 0, 'the stale one was closed, not left open');
});

test('connector(): a warm socket first, then the wrapped connector; an undici client sends its request on it', { timeout: 20_000 }, async () => {
  const { origin, sockets } = await listener();
  const warm = new WarmSockets({ connectTimeoutMs: 2000, maxIdleMs: 60_000 });
  await warm.open(origin, 1);
  await until(() => sockets.length === 1, 'the warm connection');
  let baseCalls = 0;
  const base = buildConnector({ timeout: 2000 });
  const connect = warm.connector((o, cb) => {
    baseCalls++;
    base(o, cb);
  });
  const first = new Client(origin, { connect, pipelining: 1 });
  const second = new Client(origin, { connect, pipelining: 1 });
  try {
    const a = await first.request({ path: '/', method: 'GET' });
    assert.equal(a.statusCode, 200);
    await a.body.text();
    assert.equal(baseCalls, 0, 'the first client took the warm connection');
    assert.equal(sockets.length, 1, 'and opened none');
    const b = await second.request({ path: '/', method: 'GET' });
    assert.equal(b.statusCode, 200);
    await b.body.text();
    assert.equal(baseCalls, 1, 'the second connected as usual');
    assert.equal(sockets.length, 2);
  } finally {
    await first.close();
    await second.close();
  }
});

test('ClientTemplate with warm sockets: per-user clients take them (no new connection at the server)', { timeout: 20_000 }, async () => {
  const { origin, sockets } = await listener();
  const warm = new WarmSockets({ connectTimeoutMs: 2000, maxIdleMs: 60_000 });
  await warm.open(origin, 3);
  await until(() => sockets.length === 3, 'three warm connections');
  const template = new ClientTemplate({ keepAliveTimeoutMs: 60_000, connectTimeoutMs: 2000 }, warm);
  const clients = [template.create(origin), template.create(origin), template.create(origin)];
  try {
    for (const c of clients) {
      const r = await c.request({ path: '/', method: 'GET' });
      assert.equal(r.statusCode, 200);
      await r.body.text();
    }
    assert.equal(sockets.length, 3);
    assert.equal(warm.available(), 0);
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
});

test('connections that cannot be opened are counted with the first reason; closeAll() closes what nobody took', { timeout: 20_000 }, async () => {
  const { origin } = await listener();
  const gone = servers.pop() as Server;
  await new Promise<void>((resolve) => gone.close(() => resolve()));
  const warm = new WarmSockets({ connectTimeoutMs: 2000, maxIdleMs: 60_000 });
  const r = await warm.open(origin, 3);
  assert.equal(r.opened, 0);
  assert.equal(r.failed, 3);
  assert.match(r.firstError ?? '', /ECONNREFUSED/);
  // After a failure no new connect starts: 10 000 wanted, at most one lane's worth tried.
  const many = await warm.open(origin, 10_000);
  assert.deepEqual([many.opened, many.failed], [0, 10_000]);
  // (Trying all 10 000 against a refusing port takes ~350 ms here; giving up ~20 ms.)
  assert.ok(many.elapsedMs < 200, `gave up at the first failure: ${many.elapsedMs} ms`);
  const live = await listener();
  await warm.open(live.origin, 2);
  await until(() => live.sockets.length === 2, 'two connections');
  warm.closeAll();
  await until(() => live.sockets.every((s) => s.destroyed || s.readableEnded), 'the server to see both closed');
  assert.equal(warm.available(), 0);
});
