import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';

const PASSWORD = 's3cr3t-Pa55';
const TOKEN = 'tok-9f8e7d6c';
const servers: RecordingServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

/** Basic auth required on every path; /login sets a session cookie and hands out a token; /account redirects. */
async function protectedTarget(): Promise<RecordingServer> {
  const expected = `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`;
  const srv = await startRecordingServer((req, res) => {
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="x"' });
      res.end();
    } else if (req.url === '/login') {
      const user = new URLSearchParams(req.body.toString()).get('user');
      res.writeHead(200, { 'set-cookie': `sid=${user}-sid; Path=/; HttpOnly`, 'content-type': 'application/json' });
      res.end(JSON.stringify({ token: TOKEN }));
    } else if (!/sid=u\d+-sid/.test(req.headers.cookie ?? '') || req.headers['x-api-token'] !== TOKEN) {
      res.writeHead(403);
      res.end();
    } else if (req.url === '/account') {
      res.writeHead(302, { location: '/account/home' });
      res.end();
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"items":[]}');
    }
  });
  servers.push(srv);
  return srv;
}

test('a login flow with -H user:password@host: every request authenticated, cookie and token sent back; the password is in no output', async (t) => {
  const srv = await protectedTarget();
  const dir = mkdtempSync(join(tmpdir(), 'brood-secrets-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const host = `http://admin:${PASSWORD}@127.0.0.1:${srv.port}`;
  writeFileSync(join(dir, 'brood.conf'), `host = ${host}\n`);
  const r = await runCli([
    '-f', 'test/fixtures/session/login-user.mjs', '--config', join(dir, 'brood.conf'), '-u', '3', '-r', '50', '-t', '2s',
    '--csv', join(dir, 'run'), '--json', join(dir, 'run.json'), '--html', join(dir, 'run.html'), '--record-trace', join(dir, 'trace.jsonl'),
  ]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  // What the server got: logins, then authenticated browsing with the cookie and token, and the redirect followed.
  const paths = new Set(srv.requests.map((q) => q.url));
  assert.deepEqual([...paths].sort(), ['/account', '/account/home', '/items', '/login'].filter((p) => paths.has(p)).sort());
  assert.ok(paths.has('/items') && paths.has('/login'));
  const stats = readFileSync(join(dir, 'run_stats.csv'), 'utf8');
  assert.match(stats, /^POST,\/login,3,0,/m);
  assert.match(stats, /^GET,\/items,\d+,0,/m);
  assert.doesNotMatch(stats, /account\/home/, 'a redirect is recorded once, under the first name');
  // The password, its base64 and the token: in no console line, log, CSV, JSON, HTML or trace.
  const secrets = [PASSWORD, Buffer.from(`admin:${PASSWORD}`).toString('base64'), TOKEN, 'sid=u'];
  const outputs: Array<[string, string]> = [['stdout', r.stdout], ['stderr', r.stderr]];
  for (const f of readdirSync(dir).filter((f) => f !== 'brood.conf')) outputs.push([f, readFileSync(join(dir, f), 'utf8')]);
  assert.ok(outputs.length >= 10, outputs.map(([n]) => n).join(', '));
  for (const [name, text] of outputs) {
    for (const secret of secrets) assert.ok(!text.includes(secret), `${name} contains ${secret}`);
  }
  assert.match(r.stdout, /Options from .*brood\.conf: host = http:\/\/admin:\*\*\*@127\.0\.0\.1/, 'the config source is shown masked');
  const json = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { run: { host: string } };
  assert.equal(json.run.host, `http://127.0.0.1:${srv.port}`);
});

test('the command line in the JSON report shows -H with the password masked', async (t) => {
  const srv = await startRecordingServer();
  servers.push(srv);
  const dir = mkdtempSync(join(tmpdir(), 'brood-secrets-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const r = await runCli(['-f', 'test/fixtures/plain-tasks.js', '-H', `http://admin:${PASSWORD}@127.0.0.1:${srv.port}`, '-t', '1s', '--json', join(dir, 'r.json'), '--results-dir', dir]);
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { run: { command: string } };
  assert.match(json.run.command, /-H 'http:\/\/admin:\*\*\*@127\.0\.0\.1:\d+' /);
  assert.ok(srv.requests.length > 0 && srv.requests.every((q) => q.headers.authorization === `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`));
});

test('-H with a password holding a % that starts no escape runs (kept as written, as requests does) instead of failing as an internal error', async (t) => {
  const srv = await startRecordingServer();
  servers.push(srv);
  const dir = mkdtempSync(join(tmpdir(), 'brood-secrets-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const r = await runCli(['-f', 'test/fixtures/plain-tasks.js', '-H', `http://admin:100%zz@127.0.0.1:${srv.port}`, '-t', '1s', '--results-dir', dir]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(srv.requests.length > 0 && srv.requests.every((q) => q.headers.authorization === `Basic ${Buffer.from('admin:100%zz').toString('base64')}`));
  assert.ok(!`${r.stdout}${r.stderr}`.includes('100%zz'), 'the password is in no console line');
});

test('a host that cannot be reached is reported with the password masked', async () => {
  const r = await runCli(['-f', 'test/fixtures/plain-tasks.js', '-t', '1s', '-H', `http://admin:${PASSWORD}@127.0.0.1:9`]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /cannot reach http:\/\/127\.0\.0\.1:9 /);
  assert.ok(!r.stderr.includes(PASSWORD) && !r.stdout.includes(PASSWORD));
  const bad = await runCli(['-f', 'test/fixtures/plain-tasks.js', '-H', `ftp://admin:${PASSWORD}@host`]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--host "ftp:\/\/admin:\*\*\*@host" must be an http/);
});
