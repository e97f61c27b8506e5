import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { createHooks } from '../../src/core/hooks.js';
import { HttpSession, type RequestRecorder } from '../../src/http/client.js';
import { PerUserDispatchers, SharedPools } from '../../src/http/dispatchers.js';
import { StatsRegistry } from '../../src/stats/registry.js';
import { startTargetServer, type TargetServer } from '../helpers/target-server.js';

const servers: TargetServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

function session(baseUrl: string, recorder: RequestRecorder, requestTimeoutMs = 5000, shared?: SharedPools): HttpSession {
  return new HttpSession({
    baseUrl,
    requestTimeoutMs,
    maxBodyBytes: 1024,
    maxRedirects: 10,
    acceptEncoding: true,
    auth: null,
    recorder,
    hooks: createHooks(),
    userId: 0,
    dispatchers: shared ? shared.source() : new PerUserDispatchers({ keepAliveTimeoutMs: 5000, connectTimeoutMs: 2000 }),
  });
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

test('requests are recorded under (method, name) with status failures as "HTTP <code>"', async () => {
  const target = await startTargetServer({ status: (req) => (req.url?.startsWith('/bad') ? 500 : req.url?.startsWith('/missing') ? 404 : 200) });
  servers.push(target);
  const stats = new StatsRegistry(() => Date.now());
  const s = session(target.url, stats);
  const ok = await s.get('/item?id=1', { name: '/item?id=[id]' });
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.json(), { ok: true });
  assert.equal(ok.size, 11);
  await s.get('/item?id=2', { name: '/item?id=[id]' });
  const bad = await s.post('/bad', { json: { a: 1 } });
  assert.equal(bad.error, 'HTTP 500');
  await s.get('/missing');
  const { entries } = stats.summaries(Date.now());
  const rows = Object.fromEntries(entries.map((e) => [`${e.method} ${e.name}`, [e.numRequests, e.numFailures]]));
  assert.deepEqual(rows, { 'POST /bad': [1, 1], 'GET /item?id=[id]': [2, 0], 'GET /missing': [1, 1] });
  const failures = stats.failures().map((f) => `${f.method} ${f.name} ${f.error} ${f.occurrences}`).sort();
  assert.deepEqual(failures, ['GET /missing HTTP 404 1', 'POST /bad HTTP 500 1']);
  assert.equal(target.counts.get('GET /item'), 2);
  s.close(false);
});

test('a request is dated in the stats by the end of its own time, not by when the stats were read', async () => {
  const target = await startTargetServer({ delayMs: (req) => (req.url === '/slow' ? 300 : 0) });
  servers.push(target);
  let clockReads = 0;
  const stats = new StatsRegistry(() => {
    clockReads++;
    return Date.now();
  });
  const s = session(target.url, stats);
  const sentAt = Date.now();
  const readsBefore = clockReads;
  const r = await s.get('/slow');
  const doneAt = Date.now();
  assert.equal(r.status, 200);
  assert.equal(clockReads, readsBefore, 'the session hands over its end reading: the stats read no clock of their own');
  const row = stats.summaries(Date.now()).entries[0]!;
  // Within the clock's millisecond of the two readings around the request.
  assert.ok(row.lastRequestWallMs! >= sentAt + 299 && row.lastRequestWallMs! <= doneAt + 1, `${sentAt} ${row.lastRequestWallMs} ${doneAt}`);
  assert.ok(Math.abs(row.lastStartWallMs! - (row.lastRequestWallMs! - r.elapsedMs)) < 1e-6);
  assert.ok(row.lastStartWallMs! >= sentAt - 1 && row.lastStartWallMs! <= sentAt + 50, `${sentAt} ${row.lastStartWallMs}`);
  s.close(false);
});

test('json, query and headers reach the server; absolute URLs go to their own origin', async () => {
  let seen: { method?: string; url?: string; type?: string; custom?: string; body?: string } = {};
  const target = await startTargetServer();
  servers.push(target);
  target.server.removeAllListeners('request');
  target.server.on('request', (req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      seen = { method: req.method, url: req.url, type: req.headers['content-type'], custom: req.headers['x-custom'] as string, body };
      res.end('{}');
    });
  });
  const other = await startTargetServer();
  servers.push(other);
  const stats = new StatsRegistry(() => Date.now());
  const s = session(`${target.url}/api`, stats);
  await s.put('/things', { json: { text: 'hi' }, query: { page: 2, q: 'a b' }, headers: { 'x-custom': 'yes' } });
  assert.deepEqual(seen, { method: 'PUT', url: '/api/things?page=2&q=a+b', type: 'application/json', custom: 'yes', body: '{"text":"hi"}' });
  await s.get(`${other.url}/elsewhere`, { name: 'other' });
  assert.equal(other.counts.get('GET /elsewhere'), 1);
  s.close(false);
});

test('connection refused and timeouts are failures with their reason, not exceptions', async () => {
  const port = await freePort();
  const stats = new StatsRegistry(() => Date.now());
  const refused = await session(`http://127.0.0.1:${port}`, stats).get('/', { name: 'refused' });
  assert.equal(refused.status, 0);
  assert.equal(refused.error, 'ECONNREFUSED');
  const hanging = await startTargetServer({ delayMs: 5000 });
  servers.push(hanging);
  const s = session(hanging.url, stats, 300);
  const started = Date.now();
  const slow = await s.get('/slow');
  assert.equal(slow.error, 'timeout after 300 ms');
  assert.ok(Date.now() - started < 2000);
  const perRequest = await s.get('/slow2', { timeout: 0.2 });
  assert.equal(perRequest.error, 'timeout after 200 ms');
  const errors = stats.failures().map((f) => f.error).sort();
  assert.deepEqual(errors, ['ECONNREFUSED', 'timeout after 200 ms', 'timeout after 300 ms']);
  s.close(true);
});

test("an error of brood's own while a response is finished reaches the task's await, never undici: the connection and the next request are unharmed", { timeout: 10_000 }, async () => {
  const target = await startTargetServer();
  servers.push(target);
  const stats = new StatsRegistry(() => Date.now());
  let throwNext = true;
  // The response is finished (recorded, the task's promise settled) from inside undici's onComplete.
  const recorder = {
    recordSuccess: (...a: Parameters<StatsRegistry['recordSuccess']>) => {
      if (throwNext) {
        throwNext = false;
        throw new Error('recorder broke');
      }
      stats.recordSuccess(...a);
    },
    recordFailure: (...a: Parameters<StatsRegistry['recordFailure']>) => stats.recordFailure(...a),
  };
  const s = session(target.url, recorder, 300);
  await assert.rejects(s.get('/a'), /recorder broke/);
  const next = await s.get('/b');
  assert.equal(next.status, 200);
  assert.equal(next.error, null);
  // The first request's deadline ended with it: nothing fires 300 ms later and nothing else is recorded.
  await new Promise((r) => setTimeout(r, 400));
  assert.deepEqual(stats.summaries(Date.now()).entries.map((e) => `${e.name} ${e.numRequests} ${e.numFailures}`), ['/b 1 0']);
  assert.equal(target.counts.get('GET /a'), 1);
  s.close(false);
});

test('catchResponse: the task decides (the last call wins); everything is recorded when the task ends, undecided ones by status or by what the task threw', async () => {
  const target = await startTargetServer({ status: (req) => (req.url === '/err' ? 503 : 200) });
  servers.push(target);
  const stats = new StatsRegistry(() => Date.now());
  const s = session(target.url, stats);
  const r1 = await s.get('/ok', { catchResponse: true, name: 'checked' });
  if (!r1.json<{ ok: boolean }>().ok) r1.success();
  else r1.failure('custom check failed');
  const r2 = await s.get('/err', { catchResponse: true, name: 'forgiven' });
  r2.success();
  await s.get('/err', { catchResponse: true, name: 'undecided' });
  const r4 = await s.get('/ok', { catchResponse: true, name: 'changed-mind' });
  r4.failure('first thought');
  r4.success(); // the last call wins, as in Locust's with-block
  assert.equal(stats.summaries(Date.now()).aggregated.numRequests, 0, 'nothing recorded before the task ends');
  s.flushPending();
  const rows = Object.fromEntries(stats.summaries(Date.now()).entries.map((e) => [e.name, e.numFailures]));
  assert.deepEqual(rows, { checked: 1, forgiven: 0, undecided: 1, 'changed-mind': 0 });
  const errors = stats.failures().map((f) => `${f.name}: ${f.error}`).sort();
  assert.deepEqual(errors, ['checked: custom check failed', 'undecided: HTTP 503']);
  r4.failure('too late'); // after the task: nothing changes
  // A task that throws while a request is undecided: that request fails with the exception's message.
  await s.get('/ok', { catchResponse: true, name: 'thrown' });
  s.flushPending(new TypeError('body.items is undefined'));
  assert.deepEqual(stats.failures().map((f) => `${f.name}: ${f.error}`).sort(), ['checked: custom check failed', 'thrown: TypeError: body.items is undefined', 'undecided: HTTP 503']);
  s.close(false);
});

test('bodies past the kept cap are counted but text() explains the cap', async () => {
  const target = await startTargetServer({ body: 'x'.repeat(5000) });
  servers.push(target);
  const stats = new StatsRegistry(() => Date.now());
  const s = session(target.url, stats);
  const r = await s.get('/big');
  assert.equal(r.size, 5000);
  assert.equal(r.error, null);
  assert.throws(() => r.text(), /exceeded the 1024 bytes kept/);
  s.close(false);
});

test('shared pool mode sends through one pool per origin', async () => {
  const target = await startTargetServer();
  servers.push(target);
  const stats = new StatsRegistry(() => Date.now());
  const pools = new SharedPools({ keepAliveTimeoutMs: 5000, connectTimeoutMs: 2000 });
  const a = session(target.url, stats, 5000, pools);
  const b = session(target.url, stats, 5000, pools);
  await Promise.all([a.get('/a'), b.get('/b'), a.get('/a')]);
  assert.equal(target.total(), 3);
  assert.equal(stats.summaries(Date.now()).aggregated.numRequests, 3);
  await pools.close(false);
});

test("a user's concurrent requests take turns on its one connection: never pipelined, each written after the last answer", async () => {
  // A raw server that answers each request 40 ms late and notes any request that arrives while an
  // answer is still owed on its connection (what pipelining would do).
  const arrivals: Array<{ conn: number; line: string; owed: boolean }> = [];
  let conns = 0;
  const server = createServer((socket) => {
    const conn = ++conns;
    let owed = 0;
    let buffered = '';
    socket.on('data', (d: Buffer) => {
      buffered += d.toString('latin1');
      for (let end = buffered.indexOf('\r\n\r\n'); end >= 0; end = buffered.indexOf('\r\n\r\n')) {
        const head = buffered.slice(0, end);
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (buffered.length < end + 4 + length) break;
        buffered = buffered.slice(end + 4 + length);
        arrivals.push({ conn, line: head.split('\r\n')[0] ?? '', owed: owed > 0 });
        owed++;
        setTimeout(() => {
          owed--;
          socket.write(`HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n${head.startsWith('HEAD') ? '' : 'ok'}`);
        }, 40);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const stats = new StatsRegistry(() => Date.now());
  const s = session(`http://127.0.0.1:${port}`, stats);
  try {
    const started = performance.now();
    const rs = await Promise.all([s.get('/a'), s.post('/b', { json: { n: 1 } }), s.get('/c'), s.head('/d')]);
    assert.deepEqual(rs.map((r) => r.status), [200, 200, 200, 200]);
    assert.deepEqual(arrivals.map((a) => a.line).sort(), ['GET /a HTTP/1.1', 'GET /c HTTP/1.1', 'HEAD /d HTTP/1.1', 'POST /b HTTP/1.1']);
    assert.deepEqual(arrivals.filter((a) => a.owed), [], 'a request was written before the previous answer');
    assert.equal(conns, 1, 'one keep-alive connection per user and origin');
    // Taking turns: four answers 40 ms apart each, not four at once.
    assert.ok(performance.now() - started >= 4 * 40 - 5, 'the requests overlapped');
  } finally {
    s.close(false);
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test('a path that is not a string throws a TypeError naming it (the task\'s own mistake, as requests raises), before anything is sent', async () => {
  const target = await startTargetServer();
  servers.push(target);
  const stats = new StatsRegistry(() => Date.now());
  const s = session(target.url, stats);
  const client = s as unknown as { get(path: unknown): Promise<unknown> };
  assert.throws(() => client.get(123), { name: 'TypeError', message: "client.request(GET, path): path must be a string such as '/items' or 'http://host/items' (got number)" });
  assert.throws(() => client.get(null), /path must be a string .* \(got null\)/);
  assert.equal(target.total(), 0);
  assert.equal(stats.summaries(Date.now()).aggregated.numRequests, 0);
  s.close(false);
});
