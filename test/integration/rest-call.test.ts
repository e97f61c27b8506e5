import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { HttpUser } from '../../src/http/http-user.js';
import { task } from '../../src/core/task-decorators.js';
import { constant } from '../../src/core/wait-time.js';
import { startRecordingServer, type RecordingServer, type ReceivedRequest } from '../helpers/recording-server.js';
import { makeJob } from '../helpers/job.js';
import type { ServerResponse } from 'node:http';
import type { RestCheck } from '../../src/http/rest-call.js';

interface Echo {
  args: Record<string, string>;
  data: { foo?: number } | null;
}

/** A small JSON API on 127.0.0.1 (postman-echo's shape, which Locust's rest example calls). */
function api(req: ReceivedRequest, res: ServerResponse): void {
  const url = new URL(req.url, 'http://x');
  const json = (status: number, value: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
  };
  if (url.pathname === '/html') {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html>not json</html>');
  } else if (url.pathname === '/empty') {
    res.writeHead(204);
    res.end();
  } else if (url.pathname === '/missing') json(404, { error: 'nope' });
  else {
    const body = req.body.toString('utf8');
    let data: unknown = body;
    try {
      data = body === '' ? null : JSON.parse(body);
    } catch {
      // a form body: echoed as text
    }
    json(200, { args: Object.fromEntries(url.searchParams), data });
  }
}

const servers: RecordingServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

/** What each rest() call in the task saw: the response's js and the order it ran in. */
const seen: Record<string, unknown> = {};
let thrownByRest = '';

class RestShop extends HttpUser {
  override waitTime = constant(0);

  @task async calls(): Promise<void> {
    await this.rest<Echo>('GET', '/get?foo=1', { name: 'plain' }, (resp) => {
      seen.plain = resp.js;
      if (resp.js?.args.foo !== '1') resp.failure('foo was not echoed');
    });
    await this.rest<Echo>('POST', '/post', { json: { foo: 1 }, name: 'custom' }, (resp) => {
      assert.equal(resp.js?.data?.foo, 2, 'my custom error message');
    });
    await this.rest<Echo>('POST', '/post', { json: { foo: 1 }, name: 'comma' }, (resp) => {
      assert.equal(resp.js?.data?.foo, 2, 'with response text,');
    });
    await this.rest<Echo>('POST', '/post', { json: { foo: 1 }, name: 'generated' }, (resp) => {
      assert.ok(resp.js?.data?.foo === 2);
    });
    await this.rest('POST', '/post', { json: { foo: 1 }, name: 'typeerror' }, (resp) => {
      const js = resp.js as { missing: { deeper: number } };
      seen.deeper = js.missing.deeper;
    });
    await this.rest('GET', '/html', { name: 'html' }, (resp) => {
      seen.html = resp.js;
    });
    await this.rest('GET', '/empty', { name: 'empty' }, (resp) => {
      seen.empty = resp.js;
    });
    const missing = await this.rest('GET', '/missing', { name: 'missing' });
    seen.missing = missing.js;
    await this.rest('GET', '/missing', { name: 'accepted' }, (resp) => resp.success());
    await this.rest('POST', '/post', { name: 'own-type', body: 'x=1', headers: { 'content-type': 'text/plain' } });
    await this.rest('POST', '/post', { name: 'form', form: { a: 'b' } });
    await this.rest_('GET', '/items');
    await this.rest('GET', 'http://127.0.0.1:1/refused', { name: 'refused' }, (resp) => {
      seen.refused = resp.js;
    });
    await this.rest('GET', '/get', async (resp) => {
      await new Promise((r) => setTimeout(r, 5));
      throw new Error(`async block saw ${resp.status}`);
    });
    try {
      await this.rest('GET', '/get', { catchResponse: false, name: 'never' });
    } catch (e) {
      thrownByRest = e instanceof Error ? e.message : String(e);
    }
    try {
      await this.rest('GET', '/get', { name: 'never' }, 'not a block' as unknown as RestCheck);
    } catch (e) {
      thrownByRest += ` | ${e instanceof Error ? e.message : String(e)}`;
    }
  }
}

test('rest() and rest_(): JSON headers by default, resp.js, and what the block throws fails the request, not the task (Locust\'s FastHttpUser.rest)', { timeout: 20_000 }, async () => {
  const server = await startRecordingServer(api);
  servers.push(server);
  const { job } = makeJob({ host: server.url, userClasses: [RestShop], iterations: 1, runTimeSec: 10 });
  const outcome = new Map<string, string | null>();
  job.hooks.request.on((e) => outcome.set(e.name, e.error));
  await job.run();
  assert.deepEqual(job.stats.exceptions(), [], 'nothing a block threw reached the task');

  assert.equal(outcome.get('plain'), null);
  assert.deepEqual(seen.plain, { args: { foo: '1' }, data: null });
  assert.equal(outcome.get('custom'), 'my custom error message');
  assert.equal(outcome.get('comma'), 'with response text, response was {"args":{},"data":{"foo":1}}');
  assert.equal(outcome.get('generated'), 'Assertion failed', 'an assertion without a message of its own: Locust\'s words');
  assert.match(outcome.get('typeerror') ?? '', /^TypeError: Cannot read properties of undefined \(reading 'deeper'\) at \S*rest-call\.test\.js:\d+(, \S*rest-call\.test\.js:\d+)*\. Response was \{"args":\{\},"data":\{"foo":1\}\}$/);
  assert.equal(outcome.get('html'), 'Could not parse response as JSON. <html>not json</html>, response code 200, error ' + jsonError('<html>not json</html>'));
  assert.equal(seen.html, null, 'the block ran, with js null');
  assert.equal(outcome.get('empty'), null);
  assert.equal(seen.empty, null);
  assert.equal(outcome.get('missing'), 'HTTP 404', 'undecided: judged by its status');
  assert.deepEqual(seen.missing, { error: 'nope' });
  assert.equal(outcome.get('accepted'), null);
  assert.match(outcome.get('refused') ?? '', /ECONNREFUSED|refused/i);
  assert.equal(seen.refused, null);
  assert.match(outcome.get('/get') ?? '', /^Error: async block saw 200 at \S*rest-call\.test\.js:\d+(, \S*rest-call\.test\.js:\d+)*\. Response was \{"args":\{\},"data":null\}$/);
  assert.equal(outcome.get('/items?_=...'), null, 'rest_() recorded under its cache-breaking name');
  assert.match(thrownByRest, /^rest\(\) always catches its response.* \| rest\(method, url, options, check\): check is the with-block, a function \(resp\) => …; got string$/);
  assert.equal(outcome.has('never'), false, 'a refused call sends nothing');

  // What the server received: JSON by default, the task's own Content-Type once, a form's type kept.
  const byPath = (p: string): number => server.requests.findIndex((r) => r.url.startsWith(p));
  const first = byPath('/get?foo=1');
  assert.deepEqual(server.headerValues(first, 'content-type'), ['application/json']);
  assert.deepEqual(server.headerValues(first, 'accept'), ['application/json']);
  const ownType = server.requests.findIndex((r) => r.body.toString() === 'x=1');
  assert.deepEqual(server.headerValues(ownType, 'content-type'), ['text/plain']);
  assert.deepEqual(server.headerValues(ownType, 'accept'), ['application/json']);
  const form = server.requests.findIndex((r) => r.body.toString() === 'a=b');
  assert.deepEqual(server.headerValues(form, 'content-type'), ['application/x-www-form-urlencoded']);
  assert.match(server.requests[byPath('/items')]?.url ?? '', /^\/items\?_=\d{13}$/);
});

function jsonError(text: string): string {
  try {
    JSON.parse(text);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}
