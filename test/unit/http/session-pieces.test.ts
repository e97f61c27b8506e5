import { performance } from 'node:perf_hooks';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { basicAuthHeader, redactCredentials, splitCredentials } from '../../../src/http/basic-auth.js';
import { decodeBody, DecodedBodyTooLargeError, UnsupportedEncodingError } from '../../../src/http/content-decoding.js';
import { caseInsensitiveView, SessionHeaderStore } from '../../../src/http/header-map.js';
import { isRedirect, nextHop } from '../../../src/http/redirect-plan.js';
import { dispatchHeaders, RequestHeaders } from '../../../src/http/request-headers.js';
import { optionsProblem, type RequestOptions } from '../../../src/http/request-options.js';
import { rawHeaderValue, rawHeaderValues } from '../../../src/http/raw-headers.js';
import { DeadlineQueue, earlyDelayMs, SessionDeadlines } from '../../../src/http/request-deadline.js';

test('redirect plan: method and body per status, Location resolved, another host drops credentials', () => {
  const here = new URL('http://a.test:8080/dir/page?x=1');
  const cases: Array<[number, string, string, string, string, boolean, boolean]> = [
    // status, method, location → url, method, keepBody, otherHost
    [301, 'POST', '/new', 'http://a.test:8080/new', 'GET', false, false],
    [302, 'PUT', 'next', 'http://a.test:8080/dir/next', 'GET', false, false],
    [303, 'DELETE', '?y=2#frag', 'http://a.test:8080/dir/page?y=2', 'GET', false, false],
    [307, 'POST', 'https://b.test/z', 'https://b.test/z', 'POST', true, true],
    [308, 'PATCH', '//a.test:9/p', 'http://a.test:9/p', 'PATCH', true, false],
    [302, 'HEAD', '/h', 'http://a.test:8080/h', 'HEAD', false, false],
  ];
  for (const [status, method, location, url, toMethod, keepBody, otherHost] of cases) {
    const hop = nextHop(status, method, location, here, 'a.test');
    assert.ok(typeof hop !== 'string', `${status} ${location}`);
    assert.deepEqual([hop.url.href, hop.method, hop.keepBody, hop.otherHost], [url, toMethod, keepBody, otherHost], `${status} ${method} ${location}`);
  }
  assert.equal(nextHop(302, 'GET', undefined, here, 'a.test'), 'HTTP 302 redirect without a Location header');
  assert.equal(nextHop(301, 'GET', 'ftp://x/y', here, 'a.test'), 'HTTP 301 redirect to a ftp: URL, which brood cannot follow');
  assert.equal(nextHop(301, 'GET', 'http://[bad', here, 'a.test'), 'HTTP 301 redirect to an invalid Location');
  assert.deepEqual([300, 301, 302, 303, 304, 305, 307, 308].filter(isRedirect), [301, 302, 303, 307, 308]);
});

test('request options: unknown keys name the brood spelling; values are type-checked', () => {
  assert.equal(optionsProblem({ name: 'x', timeout: 1.5, headers: {}, allowRedirects: false, auth: ['a', 'b'] }), null);
  // Plain JavaScript files pass what the types do not name: null query values (left out), numbers as cookie values.
  assert.equal(optionsProblem({ query: { q: 'a b', n: 2, ok: true, none: null, tags: ['x', 1] }, cookies: { '': 'bare', sid: 'a,b=c', n: 5 } } as unknown as RequestOptions), null);
  const bad: Array<[Record<string, unknown>, RegExp]> = [
    [{ nmae: 1 }, /did you mean 'name'/],
    [{ allowRedirect: true }, /did you mean 'allowRedirects'/],
    [{ zzzzzzzz: 1 }, /^unknown request option 'zzzzzzzz': known options: name, headers/],
    [{ stream: true }, /Python's spelling: bodies are always read/],
    [{ proxies: {} }, /does not send through proxies/],
    [{ timeout: -1 }, /timeout must be/],
    [{ timeout: '5' }, /timeout must be/],
    [{ timeout: Number.NaN }, /timeout must be/],
    [{ cookies: ['a'] }, /cookies must be an object/],
    [{ catchResponse: 'yes' }, /catchResponse must be true or false/],
    [{ auth: ['only-user'] }, /auth must be/],
    [{ name: 5 }, /name must be a string/],
    // Values that would go out as something else than the task wrote: "[object Object]", or a Cookie header split in two.
    [{ query: { filter: { a: 1 } } }, /^request option query: the value of "filter" is an object; give a string, a number or an array of them$/],
    [{ params: { ids: [[1, 2]] } }, /^request option params: the value of "ids" is an array inside an array/],
    [{ cookies: { 'a b': 'c' } }, /^request option cookies: the name "a b" cannot be sent in a Cookie header/],
    [{ cookies: { 'a=b': 'c' } }, /the name "a=b" cannot be sent/],
    [{ cookies: { sid: 'x; admin=1' } }, /^request option cookies: the value of "sid" cannot be sent in a Cookie header/],
    [{ cookies: { sid: 'x\r\nX-Evil: 1' } }, /the value of "sid" cannot be sent/],
    [{ cookies: { sid: { v: 1 } } }, /the value of "sid" is an object; give text/],
  ];
  for (const [o, re] of bad) assert.match(optionsProblem(o) ?? '', re, JSON.stringify(o));
});

test('basic auth: header, credentials split out of a URL, passwords masked in text', () => {
  assert.equal(basicAuthHeader(['Aladdin', 'open sesame']), 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
  assert.deepEqual(splitCredentials('http://us%40er:p%3Aw@h:8/api'), { url: 'http://h:8/api', auth: ['us@er', 'p:w'] });
  assert.deepEqual(splitCredentials('http://user:pw@host'), { url: 'http://host', auth: ['user', 'pw'] });
  assert.deepEqual(splitCredentials('https://host/'), { url: 'https://host/', auth: null });
  assert.deepEqual(splitCredentials('not a url'), { url: 'not a url', auth: null });
  // A % that starts no valid escape stays as written (Python's unquote, which requests uses), not "URI malformed".
  assert.deepEqual(splitCredentials('http://u:p%zz@h'), { url: 'http://h', auth: ['u', 'p%zz'] });
  assert.deepEqual(splitCredentials('http://%C3%A9%:100%25%zz%41@h'), { url: 'http://h', auth: ['é%', '100%%zzA'] });
  assert.equal(redactCredentials('-H http://me:hunter2@x:1/p and redis://:pw@r:6379'), '-H http://me:***@x:1/p and redis://:***@r:6379');
  assert.equal(redactCredentials('http://host/path:with@signs'), 'http://host/path:with@signs');
});

test('content decoding: gzip, zlib and raw deflate, br, stacked codings; the decoded size is capped', () => {
  const text = Buffer.from('hello '.repeat(1000));
  assert.deepEqual(decodeBody('gzip', gzipSync(text), 1 << 20), text);
  assert.deepEqual(decodeBody('x-gzip', gzipSync(text), 1 << 20), text);
  assert.deepEqual(decodeBody('deflate', deflateSync(text), 1 << 20), text);
  assert.deepEqual(decodeBody('deflate', deflateRawSync(text), 1 << 20), text);
  assert.deepEqual(decodeBody('BR', brotliCompressSync(text), 1 << 20), text);
  assert.deepEqual(decodeBody('gzip, br', brotliCompressSync(gzipSync(text)), 1 << 20), text);
  assert.deepEqual(decodeBody('identity', text, 10), text);
  assert.throws(() => decodeBody('gzip', gzipSync(text), 100), DecodedBodyTooLargeError);
  assert.throws(() => decodeBody('zstd', text, 1 << 20), UnsupportedEncodingError);
});

test('session headers: one entry per name whatever its case; the version moves on each change', () => {
  const store = new SessionHeaderStore();
  const h = store.view;
  h['X-A'] = '1';
  h['x-a'] = '2';
  assert.deepEqual(Object.keys(h), ['x-a']);
  assert.equal(h['X-A'], '2');
  assert.equal('X-a' in h, true);
  const v = store.version;
  delete h['X-A'];
  assert.equal(store.version, v + 1);
  assert.deepEqual({ ...h }, {});
  store.replace({ Accept: 'text/html', Skip: undefined });
  assert.deepEqual({ ...h }, { Accept: 'text/html' });
  const view = caseInsensitiveView<string>({ 'content-type': 'text/plain' });
  assert.equal(view['Content-Type'], 'text/plain');
  assert.equal('CONTENT-TYPE' in view, true);
});

test('request headers: defaults are shared constants; the merged object is reused until an input changes', () => {
  const cache = new RequestHeaders();
  type In = { contentType: string | null; acceptEncoding: boolean; session: SessionHeaderStore | null; authorization: string | null; cookie: string | null; request: Record<string, unknown> | undefined };
  const headers = { for: (i: In) => cache.for(i.contentType, i.acceptEncoding, i.session, i.authorization, i.cookie, i.request) };
  const base: In = { contentType: null, acceptEncoding: true, session: null, authorization: null, cookie: null, request: undefined };
  const a = headers.for(base);
  assert.equal(a, headers.for(base), 'the same object each time');
  assert.deepEqual(a, { 'user-agent': 'brood', 'accept-encoding': 'gzip, deflate, br' });
  assert.deepEqual(headers.for({ ...base, acceptEncoding: false }), { 'user-agent': 'brood' });
  const store = new SessionHeaderStore();
  store.set('Authorization', 'Bearer x');
  const m1 = headers.for({ ...base, session: store, cookie: 'sid=1' });
  assert.equal(m1, headers.for({ ...base, session: store, cookie: 'sid=1' }), 'cached while nothing changed');
  store.set('X-B', '2');
  const m2 = headers.for({ ...base, session: store, cookie: 'sid=1' });
  assert.notEqual(m1, m2);
  assert.deepEqual(m2, { 'user-agent': 'brood', 'accept-encoding': 'gzip, deflate, br', Authorization: 'Bearer x', 'X-B': '2', cookie: 'sid=1' });
  // auth beats a session Authorization header; a request Cookie beats the jar; request headers replace any case.
  assert.deepEqual(
    headers.for({ ...base, session: store, authorization: 'Basic Zg==', cookie: 'sid=1', contentType: 'application/json', request: { COOKIE: 'mine', 'content-TYPE': 'text/csv', 'x-b': null } }),
    { 'user-agent': 'brood', 'accept-encoding': 'gzip, deflate, br', 'content-TYPE': 'text/csv', authorization: 'Basic Zg==', COOKIE: 'mine' },
  );
});

test('dispatch headers: each shared constant goes to undici as the same pairs in a flat list; any other object as itself', () => {
  const cache = new RequestHeaders();
  for (const [contentType, acceptEncoding] of [[null, true], [null, false], ['application/json', true], ['application/json', false]] as const) {
    const h = cache.for(contentType, acceptEncoding, null, null, null, undefined);
    const sent = dispatchHeaders(h);
    assert.ok(Array.isArray(sent), `${contentType} ${acceptEncoding}`);
    assert.deepEqual(sent, Object.entries(h).flat());
    assert.equal(dispatchHeaders(h), sent, 'one list per constant, not one per request');
  }
  const merged = cache.for(null, true, null, null, 'sid=1', undefined);
  assert.equal(dispatchHeaders(merged), merged);
});

test('raw headers: values read by name without parsing the list', () => {
  const raw = ['Set-Cookie', 'a=1', 'Location', '/x', 'set-cookie', 'b=2'].map((s) => Buffer.from(s));
  assert.equal(rawHeaderValue(raw, 'location'), '/x');
  assert.deepEqual(rawHeaderValues(raw, 'set-cookie'), ['a=1', 'b=2']);
  assert.equal(rawHeaderValue(null, 'location'), undefined);
});

test('deadlines: one queue and timer per timeout length; ended requests never fire; a busy node is never reused', async () => {
  const queue = new DeadlineQueue(40);
  const a = new SessionDeadlines(queue);
  const b = new SessionDeadlines(queue);
  const fired: string[] = [];
  const start = (s: SessionDeadlines, name: string, ms = 40) => {
    const d = s.start(ms);
    d.target = { timeOut: () => fired.push(name) };
    return d;
  };
  const a1 = start(a, 'a1');
  const a2 = start(a, 'a2'); // a's node is busy: a second request at once gets its own
  assert.notEqual(a1, a2);
  const b1 = start(b, 'b1');
  const own = start(b, 'own', 15); // its own timeout: a private timer
  assert.notEqual(own.own, null);
  a2.end();
  await new Promise((r) => setTimeout(r, 25));
  assert.deepEqual(fired, ['own']);
  a1.end(); // the oldest ends before its time: the timer re-arms for the next
  await new Promise((r) => setTimeout(r, 40));
  assert.deepEqual(fired, ['own', 'b1']);
  assert.ok(b1.expired && !a1.expired);
  b1.end();
  own.end();
  const again = start(a, 'again');
  assert.equal(again, a1, 'the session reuses its node once it is free');
  again.end();
  await new Promise((r) => setTimeout(r, 60));
  assert.deepEqual(fired, ['own', 'b1'], 'an ended request is not timed out');
  queue.clear();
});

test('deadline timers are armed early by 1 % and re-armed for the rest: a host whose timers run slow still fires on time, never early', async () => {
  assert.equal(earlyDelayMs(5000), 4950);
  assert.equal(earlyDelayMs(100), 99);
  assert.equal(earlyDelayMs(40.2), 40); // ceil(39.798)
  assert.equal(earlyDelayMs(0.3), 1, "at least 1 ms, as Node's timers");
  // Woken early, a deadline waits for the rest instead of firing: both the queue's and a private timer.
  // Long enough that 1 % early (6-7 ms) is far more than a timer's own error.
  const queue = new DeadlineQueue(700);
  const s = new SessionDeadlines(queue);
  const firedAt: Record<string, number> = {};
  const t0 = performance.now();
  for (const [name, ms] of [['queued', 700], ['own', 600]] as const) {
    const d = s.start(ms, t0);
    d.target = { timeOut: () => (firedAt[name] = performance.now() - t0) };
  }
  await new Promise((r) => setTimeout(r, 850));
  for (const [name, ms] of [['queued', 700], ['own', 600]] as const) {
    const at = firedAt[name];
    assert.ok(at !== undefined, `${name} fired`);
    assert.ok(at >= ms - 0.5, `${name} never early: ${at.toFixed(2)} ms for ${ms}`);
  }
  queue.clear();
});
