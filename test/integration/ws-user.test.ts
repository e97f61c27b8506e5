/**
 * WebSocketUser through the real runner against a real `ws` server: handshakes, round trips,
 * messages sent and received, the server's closes and refusals, timeouts that fire on time, and
 * the backoff that keeps a refused user from spinning. Every figure is checked against what the
 * server saw.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { constant, WebSocketUser, type WsMessage } from '../../src/index.js';
import { httpClientSettings } from '../../src/http/client-settings.js';
import type { EntrySummary } from '../../src/stats/types.js';
import { makeJob } from '../helpers/job.js';
import { startWsServer, type WsTestServer } from '../helpers/ws-server.js';

let srv: WsTestServer;

before(async () => {
  srv = await startWsServer({ pushEveryMs: 50 });
});

after(async () => {
  await srv.close();
});

function row(entries: readonly EntrySummary[], method: string, name: string): EntrySummary {
  const e = entries.find((x) => x.method === method && x.name === name);
  assert.ok(e, `a ${method} ${name} row among ${entries.map((x) => `${x.method} ${x.name}`).join(', ')}`);
  return e;
}

class Chat extends WebSocketUser {
  override waitTime = constant(0.01);
  #n = 0;
  override async onStart(): Promise<void> {
    await this.ws.connect('/echo');
  }
  static override tasks = { say: 1 };
  async say(): Promise<void> {
    const id = `${this.environment.userId}-${this.#n++}`;
    const answer = await this.ws.sendAndWait(JSON.stringify({ id }), (m) => (JSON.parse(String(m)) as { re?: string }).re === id, { name: 'say', timeout: 5 });
    assert.ok(answer === null || typeof answer === 'string');
  }
  override messageName(m: WsMessage): string {
    return (JSON.parse(String(m)) as { type?: string }).type ?? 'message';
  }
}

test('round trips: one WS row per handshake and per sendAndWait, pushed messages in WSR rows, left out of Aggregated', async () => {
  const before = srv.messages;
  const { job } = makeJob({ host: srv.url, userClasses: [Chat], users: 3, runTimeSec: 1.5 });
  const result = await job.run();
  assert.equal(result.totalFailures, 0);
  const { entries, aggregated } = job.stats.summaries(Date.now());
  const connect = row(entries, 'WS', 'connect /echo');
  const say = row(entries, 'WS', 'say');
  const news = row(entries, 'WSR', 'news');
  assert.equal(connect.numRequests, 3, 'one handshake per user');
  assert.ok(say.numRequests > 30, `round trips: ${say.numRequests}`);
  assert.equal(say.numRequests, srv.messages - before, 'every message the server got was one timed round trip');
  assert.ok(news.numRequests >= 3 * 15, `pushed messages counted: ${news.numRequests}`);
  assert.equal(aggregated.numRequests, connect.numRequests + say.numRequests, 'messages are not requests: Aggregated counts handshakes and round trips only');
  assert.ok((say.percentilesMs[0] ?? 0) > 0, 'a round trip has a time');
});

class Sender extends WebSocketUser {
  override waitTime = constant(0.02);
  static override tasks = { post: 1 };
  override async onStart(): Promise<void> {
    await this.ws.connect('/silent', { headers: { 'x-test': 'yes' } });
  }
  post(): void {
    this.ws.send('hello', { name: 'greeting' });
  }
}

test('send(): a WSS row counts each message and its bytes, exactly as the server received them; headers and -H credentials reach the handshake', async () => {
  // A server of its own: another test's messages still in flight must not count here.
  const server = await startWsServer();
  try {
    const { job } = makeJob({ host: `http://127.0.0.1:${server.port}`, userClasses: [Sender], users: 2, runTimeSec: 1, http: httpClientSettings({ auth: ['alice', 's3cret'] }) });
    await job.run();
    const { entries } = job.stats.summaries(Date.now());
    const sent = row(entries, 'WSS', 'greeting');
    await new Promise((r) => setTimeout(r, 100)); // the last messages' way to the server
    assert.equal(sent.numRequests, server.messages);
    assert.equal(sent.totalContentLength, 5 * sent.numRequests);
    assert.equal(server.upgradeHeaders.length, 2);
    for (const h of server.upgradeHeaders) {
      assert.equal(h['x-test'], 'yes');
      assert.equal(h.authorization, `Basic ${Buffer.from('alice:s3cret').toString('base64')}`);
    }
  } finally {
    await server.close();
  }
});

class Waiter extends WebSocketUser {
  override waitTime = constant(0);
  static override tasks = { ask: 1 };
  override async onStart(): Promise<void> {
    await this.ws.connect('/silent');
  }
  async ask(): Promise<void> {
    await this.ws.sendAndWait('?', () => true, { name: 'ask', timeout: 0.2 });
  }
}

test('a sendAndWait nobody answers fails at its timeout, on time', async () => {
  const { job } = makeJob({ host: srv.url, userClasses: [Waiter], users: 1, runTimeSec: 1.1 });
  await job.run();
  const ask = row(job.stats.summaries(Date.now()).entries, 'WS', 'ask');
  assert.ok(ask.numRequests >= 4 && ask.numRequests <= 6, `about 5 timeouts of 200 ms in 1.1 s: ${ask.numRequests}`);
  assert.equal(ask.numFailures, ask.numRequests);
  assert.ok((ask.minResponseTimeMs ?? 0) >= 199 && (ask.maxResponseTimeMs ?? Infinity) < 300, `fired at 200 ms: ${ask.minResponseTimeMs}..${ask.maxResponseTimeMs}`);
  const failures = job.stats.failures();
  assert.deepEqual(failures.map((f) => f.error), ['timeout after 200 ms waiting for a matching message']);
});

class Reconnecting extends WebSocketUser {
  override waitTime = constant(0);
  static override tasks = { talk: 1 };
  path = '/close';
  async talk(): Promise<void> {
    if (!this.ws.connected) {
      await this.ws.connect(this.path, { timeout: 1 });
      return;
    }
    await this.ws.sendAndWait('{"id":1}', () => true, { name: 'talk', timeout: 1 });
  }
}

test('the server closing the connection is a failure with its close code; the user reconnects', async () => {
  const server = await startWsServer({ closeAfterMs: 100 });
  try {
    const { job } = makeJob({ host: server.url, userClasses: [Reconnecting], users: 1, runTimeSec: 1.2 });
    await job.run();
    const failures = job.stats.failures();
    const closes = failures.find((f) => f.name === 'close /close');
    assert.ok(closes, JSON.stringify(failures));
    assert.equal(closes.error, 'closed by the server or the network: connection closed (1011 overloaded)');
    assert.ok(closes.occurrences >= 3, `reconnected and closed again: ${closes.occurrences}`);
    assert.ok(server.connections >= 3 && server.connections <= 12, `connections: ${server.connections}`);
  } finally {
    await server.close();
  }
});

test('a refusing server: one failure per attempt, and the backoff keeps a user without think time from spinning', async () => {
  const { job } = makeJob({ host: 'ws://127.0.0.1:1', userClasses: [Reconnecting], users: 1, runTimeSec: 1 });
  await job.run();
  const connect = row(job.stats.summaries(Date.now()).entries, 'WS', 'connect /close');
  assert.equal(connect.numFailures, connect.numRequests);
  // 50 + 100 + 200 + 400 ms of backoff fit in 1 s: about 5 attempts, not thousands.
  assert.ok(connect.numRequests >= 3 && connect.numRequests <= 7, `attempts: ${connect.numRequests}`);
  assert.deepEqual(job.stats.failures().map((f) => f.error), ['ECONNREFUSED']);
});

class Refused extends Reconnecting {
  override path = '/reject';
}

test('an upgrade the server refuses is a failure naming its HTTP status', async () => {
  const { job } = makeJob({ host: srv.url, userClasses: [Refused], users: 1, runTimeSec: 0.5 });
  await job.run();
  assert.deepEqual(job.stats.failures().map((f) => [f.name, f.error]), [['connect /reject', 'HTTP 403 Forbidden instead of a WebSocket upgrade']]);
});

class Binary extends WebSocketUser {
  override waitTime = constant(0.01);
  static override tasks = { blob: 1 };
  kinds = new Set<string>();
  override async onStart(): Promise<void> {
    await this.ws.connect('/binary');
  }
  async blob(): Promise<void> {
    const payload = Buffer.from([1, 2, 3, 4]);
    const m = await this.ws.sendAndWait(payload, (x) => Buffer.isBuffer(x) && x.equals(payload), { name: 'blob' });
    this.kinds.add(Buffer.isBuffer(m) ? 'buffer' : typeof m);
  }
}

test('binary frames reach match() and the task as Buffers; text as strings', async () => {
  const { job } = makeJob({ host: srv.url, userClasses: [Binary], users: 1, runTimeSec: 0.5 });
  await job.run();
  const blob = row(job.stats.summaries(Date.now()).entries, 'WS', 'blob');
  assert.ok(blob.numRequests > 5);
  assert.equal(blob.numFailures, 0);
  assert.equal(blob.totalContentLength, 4 * blob.numRequests);
});

class Huge extends WebSocketUser {
  override waitTime = constant(0.05);
  static override tasks = { big: 1 };
  override async onStart(): Promise<void> {
    await this.ws.connect('/binary');
  }
  async big(): Promise<void> {
    if (!this.ws.connected) return;
    await this.ws.sendAndWait(Buffer.alloc(4096), () => true, { name: 'big', timeout: 2 });
  }
}

test('a message larger than --max-body-size is refused: the connection is dropped, the reason recorded', async () => {
  const { job } = makeJob({ host: srv.url, userClasses: [Huge], users: 1, runTimeSec: 0.5, http: httpClientSettings({ maxBodyBytes: 1024 }) });
  await job.run();
  const errors = job.stats.failures().map((f) => `${f.name}: ${f.error}`);
  assert.ok(errors.some((e) => /^big: connection closed \(1006\): a message larger than --max-body-size \(1024 bytes\) before a matching message$/.test(e)), errors.join('; '));
});

/** connect() again on an open connection: the old socket closes, and its late close is not the new one's failure. */
class Reconnector extends WebSocketUser {
  override waitTime = constant(0.01);
  static override tasks = { again: 1 };
  #n = 0;
  override async onStart(): Promise<void> {
    await this.ws.connect('/echo');
  }
  async again(): Promise<void> {
    if (this.#n % 3 === 0) await this.ws.connect('/echo');
    const id = `r-${this.#n++}`;
    await this.ws.sendAndWait(JSON.stringify({ id }), (m) => (JSON.parse(String(m)) as { re?: string }).re === id, { name: 'say', timeout: 2 });
  }
}

test('connect() on an open connection: the old socket\'s close fails nothing of the new one and starts no backoff', async () => {
  const { job } = makeJob({ host: srv.url, userClasses: [Reconnector], users: 2, runTimeSec: 1 });
  const result = await job.run();
  const { entries } = job.stats.summaries(Date.now());
  assert.equal(result.totalFailures, 0, JSON.stringify(job.stats.failures()));
  assert.equal(entries.some((e) => e.name === 'close /echo'), false, 'no close row: the user closed its old socket itself');
  const connects = row(entries, 'WS', 'connect /echo').numRequests;
  const says = row(entries, 'WS', 'say').numRequests;
  assert.ok(says > 20 && connects >= says / 3, `reconnecting every third message, without a pause: ${connects} connects, ${says} round trips`);
});

/**
 * Two waits pending at once; the first one's match() throws on the message the second is waiting
 * for: the first fails with the reason, and the second still gets its message.
 */
class Picky extends WebSocketUser {
  override waitTime = constant(0.01);
  static override tasks = { ask: 1 };
  #n = 0;
  override async onStart(): Promise<void> {
    await this.ws.connect('/echo');
  }
  async ask(): Promise<void> {
    const a = `a-${this.#n}`;
    const b = `b-${this.#n++}`;
    const reOf = (m: WsMessage): string | undefined => (JSON.parse(String(m)) as { re?: string }).re;
    await Promise.all([
      this.ws.sendAndWait(JSON.stringify({ id: a }), (m) => {
        if (reOf(m) === b) throw new Error('bad match');
        return false;
      }, { name: 'throws', timeout: 2 }),
      this.ws.sendAndWait(JSON.stringify({ id: b }), (m) => reOf(m) === b, { name: 'fine', timeout: 2 }),
    ]);
  }
}

test('a match() that throws fails its own wait only; another wait for the same message still gets it', async () => {
  const { job } = makeJob({ host: srv.url, userClasses: [Picky], users: 1, runTimeSec: 0.8 });
  await job.run();
  const { entries } = job.stats.summaries(Date.now());
  const fine = row(entries, 'WS', 'fine');
  const throws = row(entries, 'WS', 'throws');
  assert.ok(fine.numRequests >= 5, `waits answered: ${fine.numRequests}`);
  assert.equal(fine.numFailures, 0, JSON.stringify(job.stats.failures()));
  assert.equal(throws.numFailures, throws.numRequests);
  assert.ok(job.stats.failures().every((f) => f.name === 'throws' && /bad match/.test(f.error)), JSON.stringify(job.stats.failures()));
});
