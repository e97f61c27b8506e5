/**
 * The demo server's WebSocket conversation stream (GET /ws/conversation) over real connections on
 * port 0, with the `ws` package as the client: turn → ack, then the recall push; ping → pong;
 * malformed messages → an error message on a connection that stays open; 200 connections at once;
 * a client that stops reading is closed, not buffered for; shutdown closes every connection
 * (1001), in-process and in its own process (as runs start it).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { startDemoServer, type RunningDemoServer } from '../../src/demo-server/server.js';
import { startDemoServerProcess } from '../../src/demo-server/process-host.js';

type Message = Record<string, unknown>;

/** A client connection that keeps every message it gets, parsed, and can wait for the next ones. */
class Client {
  readonly messages: Message[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly #waiters: Array<() => void> = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      this.messages.push(JSON.parse(data.toString('utf8')) as Message);
      for (const wake of this.#waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => ws.once('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString('utf8') })));
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' || Buffer.isBuffer(message) ? message : JSON.stringify(message));
  }

  /** Resolves once `count` messages have arrived in all; fails after `timeoutMs`. */
  async received(count: number, timeoutMs = 2_000): Promise<Message[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) assert.fail(`${this.messages.length} of ${count} messages within ${timeoutMs} ms: ${JSON.stringify(this.messages)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.messages.slice(0, count);
  }
}

function wsUrl(server: RunningDemoServer, path = '/ws/conversation'): string {
  return `${server.url.replace(/^http/, 'ws')}${path}`;
}

function connect(server: RunningDemoServer, headers: Record<string, string> = {}): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl(server), { headers, perMessageDeflate: false });
    const client = new Client(ws);
    ws.once('open', () => resolve(client));
    ws.once('error', reject);
  });
}

/** The HTTP status an upgrade is refused with (null when it was accepted). */
function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<{ status: number | null; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => {
      ws.close();
      resolve({ status: null, body: '' });
    });
    ws.once('unexpected-response', (req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    ws.once('error', (e) => (e.message.startsWith('Unexpected server response') ? undefined : reject(e)));
  });
}

/** The most a TCP connection's kernel buffers may grow to (Linux: tcp_rmem and tcp_wmem maxima; elsewhere 32 MB). */
function loopbackBufferBytes(): number {
  try {
    const max = (file: string): number => Number(readFileSync(file, 'utf8').trim().split(/\s+/)[2]);
    const bytes = max('/proc/sys/net/ipv4/tcp_rmem') + max('/proc/sys/net/ipv4/tcp_wmem');
    return Number.isFinite(bytes) && bytes > 0 ? bytes : 32 * 1024 * 1024;
  } catch {
    return 32 * 1024 * 1024;
  }
}

async function recallNames(server: RunningDemoServer, query: string, space?: string): Promise<string[]> {
  const res = await fetch(`${server.url}/recall?q=${encodeURIComponent(query)}`, { headers: space === undefined ? {} : { 'x-memory-space': space } });
  const body = (await res.json()) as { results: Array<{ name: string }> };
  return body.results.map((r) => r.name);
}

describe('demo server /ws/conversation', () => {
  let server: RunningDemoServer;
  before(async () => {
    server = await startDemoServer({ seed: 1 });
  });
  after(() => server.close());

  test('a turn is acknowledged at once, then its recall is pushed; the turn is learned', { timeout: 10_000 }, async () => {
    await fetch(`${server.url}/learn`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Grace Hopper built the first compiler.' }) });
    const client = await connect(server);
    client.send({ type: 'turn', id: 't1', text: 'Who built the compiler?' });
    const [ack, recall] = await client.received(2);
    assert.deepEqual(ack, { type: 'ack', re: 't1' });
    assert.equal(recall?.type, 'recall');
    assert.equal(recall?.re, 't1');
    const results = recall?.results as Array<{ id: string; name: string; type: string; score: number }>;
    assert.ok(results.length >= 1 && results.length <= 5, JSON.stringify(results));
    assert.equal(results[0]?.name, 'compiler');
    assert.match(results[0]?.id ?? '', /^c\d+$/);

    client.send({ type: 'turn', id: 2, text: 'Volcanoes erupt magma near Reykjavik.' });
    const [, , ack2] = await client.received(4);
    assert.deepEqual(ack2, { type: 'ack', re: 2 }, 'a numeric id comes back as a number');
    assert.ok((await recallNames(server, 'volcanoes')).includes('volcanoes'), 'the turn was learned into the memory space');
    client.ws.close();
    await client.closed;
  });

  test('ping → pong with the ping\'s id (null without one)', { timeout: 10_000 }, async () => {
    const client = await connect(server);
    client.send({ type: 'ping', id: 'p1' });
    client.send({ type: 'ping', id: 7 });
    client.send({ type: 'ping' });
    assert.deepEqual(await client.received(3), [{ type: 'pong', re: 'p1' }, { type: 'pong', re: 7 }, { type: 'pong', re: null }]);
    client.ws.close();
  });

  test('malformed messages each get an error message; the connection stays open and keeps answering', { timeout: 10_000 }, async () => {
    const client = await connect(server);
    const bad: Array<[unknown, RegExp, unknown]> = [
      ['not json', /^not JSON/, undefined],
      ['[1,2]', /must be a JSON object/, undefined],
      ['null', /must be a JSON object/, undefined],
      [{ type: 'shout', id: 'x1' }, /"type" must be one of turn, ping \(got "shout"\)/, 'x1'],
      [{ id: 'x2' }, /"type" must be one of turn, ping \(got nothing\)/, 'x2'],
      [{ type: 'turn', text: 'no id' }, /a turn needs an "id"/, undefined],
      [{ type: 'turn', id: 'x3' }, /a turn needs a non-empty string "text"/, 'x3'],
      [{ type: 'turn', id: 'x4', text: '   ' }, /a turn needs a non-empty string "text"/, 'x4'],
      [{ type: 'turn', id: 'x5', text: 'a'.repeat(10_001) }, /"text" is longer than 10000 characters/, 'x5'],
      [{ type: 'ping', id: { nested: true } }, /"id" must be a string/, undefined],
      [{ type: 'ping', id: 'y'.repeat(129) }, /"id" must be a string of at most 128 characters/, undefined],
      [Buffer.from([1, 2, 3]), /binary frames are not understood/, undefined],
    ];
    for (const [message] of bad) client.send(message);
    client.send({ type: 'ping', id: 'still-there' });
    const got = await client.received(bad.length + 1);
    bad.forEach(([, pattern, re], i) => {
      const m = got[i];
      assert.equal(m?.type, 'error', JSON.stringify(m));
      assert.match(String(m?.message), pattern);
      assert.equal(m?.re, re, `re of ${JSON.stringify(m)}`);
    });
    assert.deepEqual(got.at(-1), { type: 'pong', re: 'still-there' });
    assert.equal(client.ws.readyState, WebSocket.OPEN);
    client.ws.close();
  });

  test('200 connections at once: every one is answered', { timeout: 20_000 }, async () => {
    const clients = await Promise.all(Array.from({ length: 200 }, () => connect(server)));
    clients.forEach((c, i) => {
      c.send({ type: 'turn', id: `u${i}`, text: `Connection ${i} talks about Ada Lovelace and the analytical engine.` });
      c.send({ type: 'ping', id: i });
    });
    await Promise.all(clients.map(async (c, i) => {
      const [ack, recall, pong] = await c.received(3, 10_000);
      assert.deepEqual(ack, { type: 'ack', re: `u${i}` });
      assert.equal(recall?.type, 'recall');
      assert.equal(recall?.re, `u${i}`);
      assert.deepEqual(pong, { type: 'pong', re: i });
    }));
    for (const c of clients) c.ws.close();
    await Promise.all(clients.map((c) => c.closed));
  });

  test('memory spaces: X-Memory-Space on the upgrade picks the space; a bad name is refused with 400', { timeout: 10_000 }, async () => {
    const tenant = await connect(server, { 'x-memory-space': 'ws-tenant' });
    tenant.send({ type: 'turn', id: 1, text: 'Quasars outshine galaxies.' });
    await tenant.received(2);
    assert.ok((await recallNames(server, 'quasars', 'ws-tenant')).includes('quasars'));
    assert.deepEqual(await recallNames(server, 'quasars'), [], 'the default space never saw it');
    tenant.ws.close();
    const refused = await upgradeStatus(wsUrl(server), { 'x-memory-space': 'no spaces allowed' });
    assert.equal(refused.status, 400);
    assert.match(refused.body, /X-Memory-Space must be/);
  });

  test('other paths refuse the upgrade with 404; a plain GET of the endpoint answers 426', { timeout: 10_000 }, async () => {
    const other = await upgradeStatus(wsUrl(server, '/ws/elsewhere'));
    assert.equal(other.status, 404);
    assert.match(other.body, /no WebSocket endpoint at \/ws\/elsewhere; connect to \/ws\/conversation/);
    const plain = await fetch(`${server.url}/ws/conversation`);
    assert.equal(plain.status, 426);
    assert.equal(plain.headers.get('upgrade'), 'websocket');
    assert.match(((await plain.json()) as { error: string }).error, /is a WebSocket endpoint/);
    const health = await fetch(`${server.url}/health`);
    assert.equal(health.status, 200, 'HTTP still served beside it');
  });

  test('a frame larger than 64 KiB closes that connection with 1009; others are untouched', { timeout: 10_000 }, async () => {
    const [big, bystander] = await Promise.all([connect(server), connect(server)]);
    big.send({ type: 'turn', id: 'huge', text: 'x'.repeat(70 * 1024) });
    assert.equal((await big.closed).code, 1009);
    bystander.send({ type: 'ping', id: 'ok' });
    assert.deepEqual(await bystander.received(1), [{ type: 'pong', re: 'ok' }]);
    bystander.ws.close();
  });

  test('a client that stops reading is closed (1008) once its backlog passes the bound, not buffered for', { timeout: 30_000 }, async () => {
    const client = await connect(server);
    client.ws.pause(); // stops reading the socket: the server's writes back up
    const id = 'i'.repeat(120);
    // Pongs of ~150 bytes: more than the kernel buffers of both ends (server send, client receive) can hold, so the server's own backlog fills.
    const sent = Math.ceil((loopbackBufferBytes() + 4 * 1024 * 1024) / 150);
    for (let i = 0; i < sent; i++) client.send(`{"type":"ping","id":"${id}"}`);
    // Every ping on its way, then time for the server to read and answer them all.
    while (client.ws.bufferedAmount > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    client.ws.resume();
    const { code, reason } = await client.closed;
    assert.equal(code, 1008);
    assert.equal(reason, 'client is not reading its messages');
    assert.ok(client.messages.length < sent, `${client.messages.length} pongs of ${sent}: the rest were never queued`);
    assert.ok(client.messages.every((m) => m.type === 'pong'));
  });
});

describe('demo server shutdown with WebSocket connections open', () => {
  test('close() closes every connection with 1001 and resolves promptly; new connections are refused', { timeout: 15_000 }, async () => {
    const server = await startDemoServer({ seed: 2 });
    const clients = await Promise.all(Array.from({ length: 20 }, () => connect(server)));
    clients[0]?.send({ type: 'ping', id: 1 });
    await clients[0]?.received(1);
    const started = performance.now();
    await server.close();
    assert.ok(performance.now() - started < 2_000, `closed in ${Math.round(performance.now() - started)} ms`);
    for (const c of clients) assert.deepEqual(await c.closed, { code: 1001, reason: 'demo server shutting down' });
    await assert.rejects(connect(server), /ECONNREFUSED/);
  });

  test('the own-process variant serves the stream and closes it on close()', { timeout: 15_000 }, async () => {
    const server = await startDemoServerProcess({ seed: 3 });
    const client = await connect(server);
    client.send({ type: 'turn', id: 'w', text: 'Worker threads run the demo server.' });
    const [ack, recall] = await client.received(2);
    assert.deepEqual(ack, { type: 'ack', re: 'w' });
    assert.equal(recall?.type, 'recall');
    await server.close();
    assert.equal((await client.closed).code, 1001);
  });
});
