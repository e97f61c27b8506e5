import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHooks } from '../../src/core/hooks.js';
import { HttpSession } from '../../src/http/client.js';
import { ClientTemplate, PerUserDispatchers, type DispatcherOptions } from '../../src/http/dispatchers.js';
import { StatsRegistry } from '../../src/stats/registry.js';
import { startHttp2Server, startHttpsServer, type SecureServer } from '../helpers/secure-servers.js';
import { testCertificates } from '../helpers/tls-certs.js';

const servers: SecureServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

async function keep(s: Promise<SecureServer>): Promise<SecureServer> {
  const server = await s;
  servers.push(server);
  return server;
}

/** Sessions of one run: they share a ClientTemplate (one per run, as UserFactory makes it). */
function sessions(baseUrl: string, options: Partial<DispatcherOptions>, count = 1): HttpSession[] {
  const template = new ClientTemplate({ keepAliveTimeoutMs: 5000, connectTimeoutMs: 2000, ...options });
  return Array.from({ length: count }, (_, userId) => new HttpSession({
    baseUrl, requestTimeoutMs: 5000, maxBodyBytes: 1 << 20, maxRedirects: 10, acceptEncoding: true, auth: null,
    recorder: new StatsRegistry(() => Date.now()), hooks: createHooks(), userId, dispatchers: new PerUserDispatchers(template),
  }));
}

test('a self-signed target is refused with a reason that says how to go on, and reached with --insecure', async () => {
  const srv = await keep(startHttpsServer({ cert: 'self-signed' }));
  const [strict] = sessions(srv.url, {});
  const refused = await strict?.get('/x');
  assert.equal(refused?.status, 0);
  assert.match(refused?.error ?? '', /^certificate not accepted \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\): --insecure skips the check, --ca FILE trusts its CA$/);
  assert.equal(srv.requests.length, 0);
  const [insecure] = sessions(srv.url, { verify: false });
  const ok = await insecure?.get('/x');
  assert.equal(ok?.status, 200);
  strict?.close(true);
  insecure?.close(true);
});

test('--ca trusts a private CA (beside the system roots); each user does its own handshake', async () => {
  const srv = await keep(startHttpsServer({ cert: 'ca-signed' }));
  const [noCa] = sessions(srv.url, {});
  assert.match((await noCa?.get('/x'))?.error ?? '', /^certificate not accepted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/);
  noCa?.close(true);
  const before = srv.connections();
  const users = sessions(srv.url, { ca: testCertificates().ca.cert }, 3);
  for (const u of users) for (let i = 0; i < 2; i++) assert.equal((await u.get('/x')).status, 200);
  assert.equal(srv.connections() - before, 3, 'one connection per user, kept alive across its requests');
  for (const u of users) u.close(true);
});

test('--cert/--key: a server that requires a client certificate sees ours; without it the request fails', async () => {
  const certs = testCertificates();
  const srv = await keep(startHttpsServer({ cert: 'ca-signed', requestClientCert: true }));
  const [without] = sessions(srv.url, { ca: certs.ca.cert });
  const refused = await without?.get('/x');
  assert.equal(refused?.status, 0);
  assert.notEqual(refused?.error ?? null, null);
  without?.close(true);
  const [withCert] = sessions(srv.url, { ca: certs.ca.cert, cert: certs.client.cert, key: certs.client.key });
  assert.equal((await withCert?.get('/x'))?.status, 200);
  assert.equal(srv.requests.at(-1)?.clientCertCN, 'brood-test-client');
  withCert?.close(true);
});

test('--http2 negotiates h2 by ALPN (HTTP/1.1 without it); --h2c speaks HTTP/2 in clear text', async () => {
  const ca = testCertificates().ca.cert;
  const h2 = await keep(startHttp2Server({ tls: true }));
  const [offered] = sessions(h2.url, { ca, allowH2: true });
  const [plain] = sessions(h2.url, { ca });
  assert.equal((await offered?.get('/a'))?.status, 200);
  assert.equal((await plain?.get('/b'))?.status, 200);
  assert.deepEqual(h2.requests.map((r) => [r.path, r.httpVersion, r.alpnProtocol]), [['/a', '2.0', 'h2'], ['/b', '1.1', 'http/1.1']]);
  const h2c = await keep(startHttp2Server({ tls: false }));
  const [clear] = sessions(h2c.url, { h2c: true });
  assert.equal((await clear?.get('/c'))?.status, 200);
  assert.equal(h2c.requests[0]?.httpVersion, '2.0');
  for (const s of [offered, plain, clear]) s?.close(true);
});

test('a GOAWAY mid-run is survived: later requests open a new HTTP/2 session and succeed', async () => {
  const srv = await keep(startHttp2Server({ tls: true }));
  const [user] = sessions(srv.url, { ca: testCertificates().ca.cert, allowH2: true });
  for (let i = 0; i < 3; i++) assert.equal((await user?.get(`/before${i}`))?.status, 200);
  assert.equal(srv.connections(), 1);
  srv.goaway();
  await new Promise((r) => setTimeout(r, 50));
  const after = await Promise.all(Array.from({ length: 5 }, (_, i) => user?.get(`/after${i}`) ?? Promise.resolve(undefined)));
  assert.deepEqual(after.map((r) => [r?.status, r?.error]), Array.from({ length: 5 }, () => [200, null]));
  assert.equal(srv.connections(), 2, 'a new session after the GOAWAY');
  assert.ok(srv.requests.every((r) => r.httpVersion === '2.0'));
  user?.close(true);
});
