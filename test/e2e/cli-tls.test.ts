import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { startHttp2Server, startHttpsServer, type SecureServer } from '../helpers/secure-servers.js';
import { testCertificates } from '../helpers/tls-certs.js';

const servers: SecureServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

async function keep(p: Promise<SecureServer>): Promise<SecureServer> {
  const s = await p;
  servers.push(s);
  return s;
}

const FILE = 'test/fixtures/session/tls-users.mjs';

test('self-signed HTTPS: refused without --insecure (a failure saying what to do), reached with --insecure or a class\'s static insecure', async (t) => {
  const srv = await keep(startHttpsServer({ cert: 'self-signed' }));
  const dir = mkdtempSync(join(tmpdir(), 'brood-tls-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const strict = await runCli(['-f', FILE, 'Strict', '-H', srv.url, '-t', '1s', '--csv', join(dir, 'strict')]);
  assert.equal(strict.code, 1, strict.stderr);
  assert.match(readFileSync(join(dir, 'strict_failures.csv'), 'utf8'), /certificate not accepted \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\): --insecure skips the check/);
  assert.equal(srv.requests.length, 0);
  const flag = await runCli(['-f', FILE, 'Strict', '-H', srv.url, '-t', '1s', '--insecure', '--csv', join(dir, 'flag')]);
  assert.equal(flag.code, 0, flag.stderr + flag.stdout);
  const byClass = await runCli(['-f', FILE, 'Lax', '-H', srv.url, '-t', '1s', '--csv', join(dir, 'class')]);
  assert.equal(byClass.code, 0, byClass.stderr + byClass.stdout);
  assert.ok(srv.requests.length >= 2);
  for (const r of [strict, flag, byClass]) assert.doesNotMatch(r.stderr + r.stdout, /Warning|NODE_TLS_REJECT_UNAUTHORIZED/);
});

test('--ca, --cert and --key: a private CA is trusted and a client certificate presented', async (t) => {
  const certs = testCertificates();
  const srv = await keep(startHttpsServer({ cert: 'ca-signed', requestClientCert: true }));
  const dir = mkdtempSync(join(tmpdir(), 'brood-tls-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const r = await runCli(['-f', FILE, 'Strict', '-H', srv.url, '-t', '1s', '--ca', certs.ca.certPath, '--cert', certs.client.certPath, '--key', certs.client.keyPath, '--results-dir', dir]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.ok(srv.requests.length > 0 && srv.requests.every((q) => q.clientCertCN === 'brood-test-client'));
  // One file holding certificate and key, as Locust's cert= accepts.
  writeFileSync(join(dir, 'both.pem'), certs.client.cert + certs.client.key);
  const both = await runCli(['-f', FILE, 'Strict', '-H', srv.url, '-t', '1s', '--ca', certs.ca.certPath, '--cert', join(dir, 'both.pem'), '--results-dir', dir]);
  assert.equal(both.code, 0, both.stderr + both.stdout);
});

test('bad certificate flags are one line each, exit 2, before anything runs', async (t) => {
  const certs = testCertificates();
  const dir = mkdtempSync(join(tmpdir(), 'brood-tls-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'not.pem'), 'hello');
  const cases: Array<[string[], RegExp]> = [
    [['--ca', join(dir, 'missing.pem')], /^error: --ca .*missing\.pem cannot be read \(not found\)$/],
    [['--ca', join(dir, 'not.pem')], /^error: --ca .*not\.pem is not a PEM file/],
    [['--cert', certs.client.certPath], /^error: --cert .* holds no private key: give it with --key FILE$/],
    [['--key', certs.client.keyPath], /^error: --key needs --cert/],
    [['--cert', certs.client.certPath, '--key', certs.server.keyPath], /^error: --ca\/--cert\/--key cannot be used: .*key/],
    [['--max-redirects', '-1'], /^error: --max-redirects "-1" must be a whole number from 0 to 1000$/],
    [['--request-timeout', '1e10'], /^error: --request-timeout "1e10" must be a positive number of seconds, at most 2147483$/],
  ];
  for (const [flags, message] of cases) {
    const results = join(dir, 'results');
    const r = await runCli(['-f', FILE, '-t', '1s', ...flags, '--results-dir', results]);
    assert.equal(r.code, 2, `${flags.join(' ')}: ${r.stderr}`);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0] ?? '', message);
  }
});

for (const processes of [1, 2]) {
  test(`--http2 (--processes ${processes}): h2 negotiated, and the run says how many connections spoke which protocol`, async (t) => {
    const srv = await keep(startHttp2Server({ tls: true }));
    const dir = mkdtempSync(join(tmpdir(), 'brood-h2-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const r = await runCli(['-f', FILE, 'Strict', '-H', srv.url, '-u', '4', '-r', '100', '-t', '1s', '--http2', '--ca', testCertificates().ca.certPath, '--processes', String(processes), '--json', join(dir, 'r.json'), '--results-dir', dir]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.ok(srv.requests.length > 0 && srv.requests.every((q) => q.httpVersion === '2.0'));
    assert.match(r.stdout, /^Connections: 4 HTTP\/2, 0 HTTP\/1\.1$/m);
    const json = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { connections: unknown };
    assert.deepEqual(json.connections, { 'http/1.1': 0, h2: 4 });
  });
}

test('--h2c speaks HTTP/2 in clear text', async (t) => {
  const srv = await keep(startHttp2Server({ tls: false }));
  const dir = mkdtempSync(join(tmpdir(), 'brood-h2c-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const r = await runCli(['-f', FILE, 'Strict', '-H', srv.url, '-u', '2', '-r', '100', '-t', '1s', '--h2c', '--results-dir', dir]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.ok(srv.requests.length > 0 && srv.requests.every((q) => q.httpVersion === '2.0'));
  assert.match(r.stdout, /^Connections: 2 HTTP\/2, 0 HTTP\/1\.1$/m);
});
