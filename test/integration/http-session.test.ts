import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { createHooks, type RequestEvent } from '../../src/core/hooks.js';
import { HttpSession, type SessionSettings } from '../../src/http/client.js';
import { PerUserDispatchers } from '../../src/http/dispatchers.js';
import { HttpError } from '../../src/http/response.js';
import { StatsRegistry } from '../../src/stats/registry.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';

const servers: RecordingServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

async function server(handler?: Parameters<typeof startRecordingServer>[0], host?: string): Promise<RecordingServer> {
  const s = await startRecordingServer(handler, host);
  servers.push(s);
  return s;
}

function makeSession(baseUrl: string, overrides: Partial<SessionSettings> = {}): { s: HttpSession; stats: StatsRegistry; events: RequestEvent[] } {
  const stats = new StatsRegistry(() => Date.now());
  const hooks = createHooks();
  const events: RequestEvent[] = [];
  hooks.request.on((e) => events.push(e));
  const s = new HttpSession({
    baseUrl,
    requestTimeoutMs: 5000,
    maxBodyBytes: 1 << 20,
    maxRedirects: 10,
    acceptEncoding: true,
    auth: null,
    recorder: stats,
    hooks,
    userId: 0,
    dispatchers: new PerUserDispatchers({ keepAliveTimeoutMs: 5000, connectTimeoutMs: 2000 }),
    ...overrides,
  });
  return { s, stats, events };
}

function rows(stats: StatsRegistry): Record<string, [number, number]> {
  return Object.fromEntries(stats.summaries(Date.now()).entries.map((e) => [`${e.method} ${e.name}`, [e.numRequests, e.numFailures]]));
}

test('login over cookies: each user gets its own session cookie back, never another user\'s', async () => {
  const sessions = new Map<string, string>();
  let next = 0;
  const srv = await server((req, res) => {
    const cookie = req.headers.cookie ?? '';
    if (req.url === '/login') {
      const user = new URLSearchParams(req.body.toString()).get('user') ?? '';
      const sid = `s${next++}`;
      sessions.set(sid, user);
      res.writeHead(200, { 'set-cookie': [`sid=${sid}; Path=/; HttpOnly`, 'theme=dark; Path=/account'] });
      res.end('ok');
      return;
    }
    const sid = /(?:^|; )sid=([^;]+)/.exec(cookie)?.[1];
    const user = sid === undefined ? undefined : sessions.get(sid);
    res.writeHead(user === undefined ? 401 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ user: user ?? null, cookie }));
  });
  const users = ['ana', 'bo', 'chen'].map((name) => ({ name, ...makeSession(srv.url) }));
  for (const u of users) {
    const before = await u.s.get('/me', { catchResponse: true });
    assert.equal(before.status, 401, 'not logged in yet');
    before.success();
    const login = await u.s.post('/login', { data: { user: u.name } });
    assert.deepEqual(login.cookies, { sid: login.cookies.sid, theme: 'dark' });
  }
  for (const u of users) {
    for (let i = 0; i < 3; i++) {
      const me = await u.s.get('/me');
      assert.equal(me.status, 200);
      const body = me.json<{ user: string; cookie: string }>();
      assert.equal(body.user, u.name);
      assert.doesNotMatch(body.cookie, /theme=/, 'a Path=/account cookie is not sent to /me');
    }
    const account = await u.s.get('/account/settings');
    assert.match(account.json<{ cookie: string }>().cookie, /theme=dark/);
    assert.equal(u.s.cookies.get('theme'), 'dark');
    u.s.cookies.clear();
    assert.equal((await u.s.get('/me', { catchResponse: true })).status, 401, 'cleared jar: logged out');
    u.s.flushPending();
    u.s.close(false);
  }
});

test('cookies: set through the API and per request; per-request cookies are not stored', async () => {
  const srv = await server();
  const { s } = makeSession(srv.url);
  s.cookies.set('a', '1');
  await s.get('/x', { cookies: { b: '2', a: 'override' } });
  await s.get('/y');
  assert.deepEqual(srv.headerValues(0, 'cookie'), ['b=2; a=override'], 'the jar\'s a is replaced, not sent twice');
  assert.deepEqual(srv.headerValues(1, 'cookie'), ['a=1']);
  // A Cookie header given by the task wins over the jar (as requests), and goes out once.
  await s.get('/z', { headers: { Cookie: 'manual=1' } });
  assert.deepEqual(srv.headerValues(2, 'cookie'), ['manual=1']);
  s.close(false);
});

for (const [status, method, expectMethod, keepsBody] of [
  [301, 'POST', 'GET', false], [302, 'POST', 'GET', false], [303, 'PUT', 'GET', false], [307, 'POST', 'POST', true], [308, 'PUT', 'PUT', true], [302, 'HEAD', 'HEAD', false],
] as const) {
  test(`redirect ${status} after ${method}: followed as ${expectMethod}${keepsBody ? ' with the body' : ''}, recorded once under the first name`, async () => {
    const srv = await server((req, res) => {
      if (req.url.startsWith('/from')) {
        res.writeHead(status, { location: '/to?x=1', 'set-cookie': 'hop=1; Path=/' });
        res.end('moved');
      } else {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(req.method === 'HEAD' ? undefined : 'arrived');
      }
    });
    const { s, stats, events } = makeSession(srv.url);
    const r = await s.request(method, '/from', { body: 'payload', name: 'start' });
    assert.equal(r.status, 200);
    assert.equal(r.error, null);
    assert.equal(r.url, `${srv.url}/to?x=1`);
    assert.deepEqual(r.redirects, [{ status, url: `${srv.url}/from` }]);
    const second = srv.requests[1];
    assert.equal(second?.method, expectMethod);
    assert.equal(second?.body.toString(), keepsBody ? 'payload' : '');
    assert.deepEqual(srv.headerValues(1, 'cookie'), ['hop=1'], 'the cookie set by the redirect is sent on the next hop');
    assert.deepEqual(rows(stats), { [`${method} start`]: [1, 0] });
    assert.equal(events.length, 1);
    assert.equal(events[0]?.url, `${srv.url}/from`);
    s.close(false);
  });
}

test('redirects: a loop fails as "too many redirects (N)", allowRedirects: false returns the 3xx, timing covers every hop', async () => {
  const srv = await server((req, res) => {
    if (req.url === '/loop') {
      res.writeHead(302, { location: '/loop' });
      res.end();
    } else if (req.url.startsWith('/slow')) {
      const n = Number(req.url.slice(5));
      setTimeout(() => {
        res.writeHead(n < 3 ? 302 : 200, n < 3 ? { location: `/slow${n + 1}` } : {});
        res.end('done');
      }, 60);
    }
  });
  const { s, stats } = makeSession(srv.url, { maxRedirects: 4 });
  const loop = await s.get('/loop');
  assert.equal(loop.error, 'too many redirects (4)');
  assert.equal(loop.redirects.length, 4);
  assert.equal(srv.requests.length, 5, 'the first request and 4 redirects, then it stops');
  const kept = await s.get('/loop', { allowRedirects: false, name: 'no-follow' });
  assert.equal(kept.status, 302);
  assert.equal(kept.error, null);
  assert.equal(kept.headers.Location, '/loop', 'response headers read case-insensitively');
  const slow = await s.get('/slow1');
  assert.equal(slow.redirects.length, 2);
  assert.ok(slow.elapsedMs >= 170, `three hops of 60 ms each: ${slow.elapsedMs}`);
  assert.deepEqual(rows(stats), { 'GET /loop': [1, 1], 'GET no-follow': [1, 0], 'GET /slow1': [1, 0] });
  assert.deepEqual(stats.failures().map((f) => f.error), ['too many redirects (4)']);
  s.close(false);
});

test('forms: UTF-8 and reserved characters arrive byte for byte; multipart is parsed by the server', async () => {
  const parts: Array<{ name: string; value: string; filename?: string; type?: string }> = [];
  const srv = await server(async (req, res) => {
    if (req.url === '/upload') {
      const form = await new Response(req.body, { headers: { 'content-type': req.headers['content-type'] ?? '' } }).formData();
      for (const [name, v] of form.entries()) {
        if (typeof v === 'string') parts.push({ name, value: v });
        else parts.push({ name, value: Buffer.from(await v.arrayBuffer()).toString('latin1'), filename: v.name, type: v.type });
      }
    }
    res.end('{}');
  });
  const { s } = makeSession(srv.url);
  const fields = { name: 'Zoë 日本 🚀', q: 'a&b=c+d%e f/g?h#i' };
  await s.post('/form', { form: fields });
  await s.post('/data', { data: fields });
  for (const i of [0, 1]) {
    assert.deepEqual(srv.headerValues(i, 'content-type'), ['application/x-www-form-urlencoded']);
    assert.equal(srv.requests[i]?.body.toString('latin1'), new URLSearchParams(fields).toString());
    assert.deepEqual(Object.fromEntries(new URLSearchParams(srv.requests[i]?.body.toString() ?? '')), fields);
  }
  const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  await s.post('/upload', { form: { title: 'Zoë' }, files: { doc: { filename: 'r\u00e9sum\u00e9.bin', content: binary, contentType: 'application/x-test' } } });
  assert.deepEqual(parts, [
    { name: 'title', value: 'Zoë' },
    { name: 'doc', value: binary.toString('latin1'), filename: 'résumé.bin', type: 'application/x-test' },
  ]);
  await s.post('/raw', { data: 'plain text body' });
  assert.equal(srv.requests[3]?.body.toString(), 'plain text body');
  s.close(false);
});

test('basic auth: per request, per session, from URL credentials; never carried to another host by a redirect', async () => {
  const other = await server(undefined, 'localhost');
  const srv = await server((req, res) => {
    if (req.url === '/away') {
      res.writeHead(302, { location: `${other.url}/landing` });
      res.end();
    } else res.end('{}');
  });
  const { s } = makeSession(srv.url, { auth: ['run', 'pw'] });
  await s.get('/a');
  await s.get('/b', { auth: ['ana', 'sécret'] });
  s.auth = null;
  await s.get('/c');
  await s.get(`http://bo:p%40ss@127.0.0.1:${srv.port}/d`);
  s.auth = ['ana', 'x'];
  const away = await s.get('/away');
  assert.equal(away.status, 200);
  s.auth = null;
  const malformed = await s.get(`http://bo:50%zz@127.0.0.1:${srv.port}/e`);
  assert.equal(malformed.error, null, 'a % that starts no escape is kept as written, as requests does');
  const basic = (u: string, p: string): string => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
  assert.deepEqual(srv.headerValues(0, 'authorization'), [basic('run', 'pw')]);
  assert.deepEqual(srv.headerValues(1, 'authorization'), [basic('ana', 'sécret')]);
  assert.deepEqual(srv.headerValues(2, 'authorization'), []);
  assert.deepEqual(srv.headerValues(3, 'authorization'), [basic('bo', 'p@ss')]);
  assert.deepEqual(srv.headerValues(4, 'authorization'), [basic('ana', 'x')]);
  assert.deepEqual(other.headerValues(0, 'authorization'), [], 'not sent to the host the redirect named');
  assert.deepEqual(srv.headerValues(5, 'authorization'), [basic('bo', '50%zz')]);
  // …nor an Authorization header of the session's or the request's own.
  s.auth = null;
  s.headers.Authorization = 'Bearer session-token';
  await s.get('/away', { headers: { 'X-Keep': '1' } });
  assert.deepEqual(srv.headerValues(6, 'authorization'), ['Bearer session-token']);
  assert.deepEqual(other.headerValues(1, 'authorization'), []);
  assert.deepEqual(other.headerValues(1, 'x-keep'), ['1'], 'other request headers go on'); 
  s.close(false);
});

test('headers: session headers on every request, names case-insensitive, a user Content-Type or User-Agent replaces brood\'s', async () => {
  const srv = await server();
  const { s } = makeSession(srv.url);
  s.headers['X-Token'] = 'abc';
  s.headers['x-token'] = 'def'; // the same header, whatever the case
  await s.post('/one', { json: { a: 1 }, headers: { 'Content-Type': 'application/vnd.api+json', 'USER-AGENT': 'my-agent' } });
  delete s.headers['X-TOKEN'];
  Object.assign(s.headers, { Authorization: 'Bearer t0k' });
  await s.get('/two');
  assert.deepEqual(srv.headerValues(0, 'x-token'), ['def']);
  assert.deepEqual(srv.headerValues(0, 'content-type'), ['application/vnd.api+json']);
  assert.deepEqual(srv.headerValues(0, 'user-agent'), ['my-agent']);
  assert.deepEqual(srv.headerValues(1, 'x-token'), []);
  assert.deepEqual(srv.headerValues(1, 'authorization'), ['Bearer t0k']);
  assert.deepEqual(srv.headerValues(1, 'user-agent'), ['brood']);
  assert.deepEqual(srv.headerValues(1, 'accept-encoding'), ['gzip, deflate, br']);
  assert.deepEqual(Object.keys(s.headers), ['Authorization']);
  assert.equal(s.headers.authorization, 'Bearer t0k');
  s.close(false);
});

test('compressed bodies: decoded only when read; size stays the bytes on the wire; acceptEncoding: false asks for none', async () => {
  const text = JSON.stringify({ words: 'lorem ipsum '.repeat(200) });
  const encoded: Record<string, Buffer> = { gzip: gzipSync(text), deflate: deflateSync(text), br: brotliCompressSync(text) };
  const srv = await server((req, res) => {
    const coding = req.url.slice(1);
    const body = encoded[coding];
    if (body === undefined || !(req.headers['accept-encoding'] ?? '').includes(coding)) {
      res.end(text);
      return;
    }
    res.writeHead(200, { 'content-encoding': coding, 'content-type': 'application/json' });
    res.end(body);
  });
  const { s } = makeSession(srv.url);
  for (const coding of ['gzip', 'deflate', 'br']) {
    const r = await s.get(`/${coding}`);
    assert.equal(r.size, encoded[coding]?.length, `${coding}: wire bytes`);
    assert.ok(r.size < text.length / 5);
    assert.equal(r.text(), text);
    assert.deepEqual(r.json(), JSON.parse(text));
  }
  const plain = await s.get('/gzip', { acceptEncoding: false });
  assert.equal(plain.size, text.length);
  assert.deepEqual(srv.headerValues(3, 'accept-encoding'), []);
  s.close(false);
});

test('responses: ok, raiseForStatus, absolute url; a full URL is named by its path', async () => {
  const srv = await server((req, res) => {
    res.writeHead(req.url.startsWith('/bad') ? 500 : 200);
    res.end('{}');
  });
  const { s, stats } = makeSession(srv.url);
  const good = await s.get('/good?x=1');
  assert.equal(good.ok, true);
  good.raiseForStatus();
  assert.equal(good.url, `${srv.url}/good?x=1`);
  const bad = await s.get('/bad');
  assert.equal(bad.ok, false);
  assert.throws(() => bad.raiseForStatus(), (e: unknown) => e instanceof HttpError && /GET http:\/\/127\.0\.0\.1:\d+\/bad: HTTP 500/.test(e.message));
  await s.get(`http://user:pw@127.0.0.1:${srv.port}/full/path?id=7`);
  assert.deepEqual(Object.keys(rows(stats)).sort(), ['GET /bad', 'GET /full/path?id=7', 'GET /good?x=1']);
  s.close(false);
});

test('an option brood does not know fails the request with a reason naming it, and nothing is sent', async () => {
  const srv = await server();
  const { s, stats } = makeSession(srv.url);
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ nmae: 'x' }, /^unknown request option 'nmae': did you mean 'name'\?$/],
    [{ verify: false }, /^request option 'verify' is Python's spelling: .*--insecure/],
    [{ allow_redirects: false }, /^request option 'allow_redirects' is Python's spelling: use 'allowRedirects'$/],
    [{ catch_response: true }, /use 'catchResponse'/],
    [{ timeout: 0 }, /^request option timeout must be a number of seconds > 0/],
    [{ timeout: 1e10 }, /≤ 2147483/],
    [{ auth: 'user:pw' }, /auth must be \[user, password\]/],
    [{ json: { a: 1 }, form: { b: 2 } }, /json and form are both given/],
    [{ query: { a: 1 }, params: { b: 2 } }, /query and params are both given/],
    [{ headers: 'x' }, /headers must be an object/],
  ];
  for (const [options, reason] of cases) {
    const r = await s.post('/x', options);
    assert.match(r.error ?? '', reason, JSON.stringify(options));
    assert.equal(r.status, 0);
  }
  assert.equal(srv.requests.length, 0, 'no request was sent');
  // A refused catchResponse request is recorded once, whatever the task then decides.
  const refused = await s.post('/x', { catchResponse: true, nmae: 'y' } as never);
  refused.success();
  s.flushPending();
  assert.deepEqual(rows(stats), { 'POST /x': [cases.length + 1, cases.length + 1] });
  s.close(false);
});

test('params is Locust\'s name for query; null values are dropped, arrays repeat', async () => {
  const srv = await server();
  const { s } = makeSession(srv.url);
  await s.get('/search?lang=en', { params: { q: 'a b', tag: ['x', 'y'], skip: null as unknown as string } });
  assert.equal(srv.requests[0]?.url, '/search?lang=en&q=a+b&tag=x&tag=y');
  s.close(false);
});
