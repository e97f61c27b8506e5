import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, type ClientHttp2Session, type SecureClientSessionOptions } from 'node:http2';
import { request, type RequestOptions } from 'node:https';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ConnectionOptions } from 'node:tls';
import { startHttp2Server, startHttpsServer, type SecureServer } from '../helpers/secure-servers.js';
import { testCertificates } from '../helpers/tls-certs.js';

// The helpers are proved with Node's own clients, so a failure here is the helper's, never brood's.
const certs = testCertificates();
const OK = { status: 200, body: '{"ok":true}' };
const BOUNDED = { timeout: 5000 };

const warnings: Error[] = [];
process.on('warning', (warning) => warnings.push(warning));

const servers: SecureServer[] = [];
async function started(starting: Promise<SecureServer>): Promise<SecureServer> {
  const server = await starting;
  servers.push(server); // closed by after() even when a test fails half-way
  return server;
}
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await nextTurn(); // warnings are emitted on a later tick
  assert.deepEqual(warnings.map((w) => `${w.name}: ${w.message}`), [], 'the servers printed warnings');
});

interface Answer {
  status: number;
  body: string;
}

/** One HTTPS/1.1 request on its own connection (agent: false), so every call is a fresh handshake. */
function httpsGet(url: string, options: RequestOptions & Pick<ConnectionOptions, 'ALPNProtocols'> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, timeout: 2000, ...options }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end();
  });
}

async function h2Session(url: string, options: SecureClientSessionOptions = {}): Promise<ClientHttp2Session> {
  const session = connect(url, options);
  // The listener stays: a session reset by the server after the test's checks must not crash the file.
  await new Promise<void>((resolve, reject) => {
    session.once('connect', () => resolve());
    session.on('error', reject);
  });
  return session;
}

function h2Get(session: ClientHttp2Session, path = '/'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':path': path });
    let status = 0;
    let body = '';
    stream.setTimeout(2000, () => stream.destroy(new Error('stream timed out')));
    stream.on('response', (headers) => (status = Number(headers[':status'])));
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => (body += chunk));
    stream.on('error', reject);
    // A stream the server cancels still emits 'end'; only its RST code tells it from an answer.
    stream.on('close', () => (stream.rstCode === 0 ? resolve({ status, body }) : reject(new Error(`stream reset, code ${stream.rstCode}`))));
    stream.end();
  });
}

function codeOf(err: unknown): string {
  return err instanceof Error && 'code' in err ? String(err.code) : String(err);
}

const UNTRUSTED = ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT'];

test('a CA-signed HTTPS server is accepted with the test CA, for 127.0.0.1 and localhost, and refused without it', BOUNDED, async () => {
  const server = await started(startHttpsServer({ cert: 'ca-signed' }));
  assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  assert.deepEqual(await httpsGet(`${server.url}/hello?x=1`, { ca: certs.ca.cert, headers: { 'x-probe': 'one' } }), OK);
  // servername checks the DNS:localhost name without depending on how localhost resolves here.
  assert.deepEqual(await httpsGet(server.url, { ca: certs.ca.cert, servername: 'localhost' }), OK);
  await assert.rejects(httpsGet(server.url), (err) => UNTRUSTED.includes(codeOf(err)));
  assert.deepEqual(
    server.requests.map((r) => [r.method, r.path, r.httpVersion, r.clientCertCN]),
    [['GET', '/hello?x=1', '1.1', undefined], ['GET', '/', '1.1', undefined]],
  );
  assert.equal(server.requests[0]?.headers['x-probe'], 'one');
  assert.equal(server.connections(), 3);
  assert.throws(() => server.goaway(), /HTTP\/2/);
});

test('a self-signed HTTPS server is refused even with the test CA, accepted when its own cert is trusted', BOUNDED, async () => {
  const server = await started(startHttpsServer({ cert: 'self-signed' }));
  await assert.rejects(httpsGet(server.url, { ca: certs.ca.cert }), (err) => codeOf(err) === 'DEPTH_ZERO_SELF_SIGNED_CERT');
  assert.deepEqual(await httpsGet(server.url, { ca: certs.selfSigned.cert }), OK);
  assert.equal(server.requests.length, 1);
});

test('a server requiring a client cert refuses a client without one and records the CN of one with it', BOUNDED, async () => {
  const server = await started(startHttpsServer({ cert: 'ca-signed', requestClientCert: true }));
  await assert.rejects(httpsGet(server.url, { ca: certs.ca.cert }), (err) => codeOf(err) === 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED');
  // The self-signed key pair is a certificate the CA did not sign: refused as well.
  await assert.rejects(httpsGet(server.url, { ca: certs.ca.cert, key: certs.selfSigned.key, cert: certs.selfSigned.cert }));
  const withCert = await httpsGet(server.url, { ca: certs.ca.cert, key: certs.client.key, cert: certs.client.cert });
  assert.deepEqual(withCert, OK);
  assert.deepEqual(server.requests.map((r) => r.clientCertCN), ['brood-test-client']);
});

test('HTTP/2 over TLS is negotiated by ALPN and one session carries many requests', BOUNDED, async () => {
  const server = await started(startHttp2Server({ tls: true }));
  const session = await h2Session(server.url, { ca: certs.ca.cert });
  assert.equal(session.alpnProtocol, 'h2');
  assert.deepEqual(await h2Get(session, '/a'), OK);
  assert.deepEqual(await h2Get(session, '/b'), OK);
  session.close();
  assert.deepEqual(
    server.requests.map((r) => [r.method, r.path, r.httpVersion, r.alpnProtocol]),
    [['GET', '/a', '2.0', 'h2'], ['GET', '/b', '2.0', 'h2']],
  );
  assert.equal(server.connections(), 1);
});

test('h2c (clear text, prior knowledge) works', BOUNDED, async () => {
  const server = await started(startHttp2Server({ tls: false }));
  assert.match(server.url, /^http:\/\//);
  const session = await h2Session(server.url);
  assert.deepEqual(await h2Get(session), OK);
  session.close();
  assert.deepEqual(server.requests.map((r) => [r.httpVersion, r.alpnProtocol]), [['2.0', undefined]]);
  await assert.rejects(startHttp2Server({ tls: false, allowHTTP1: true }), /allowHTTP1 needs tls/);
});

test('the TLS HTTP/2 server also answers HTTP/1.1 clients', BOUNDED, async () => {
  const server = await started(startHttp2Server({ tls: true }));
  assert.deepEqual(await httpsGet(server.url, { ca: certs.ca.cert, ALPNProtocols: ['http/1.1'] }), OK);
  assert.deepEqual(await httpsGet(server.url, { ca: certs.ca.cert }), OK); // no ALPN offered at all
  assert.deepEqual(server.requests.map((r) => [r.httpVersion, r.alpnProtocol]), [['1.1', 'http/1.1'], ['1.1', undefined]]);
});

test('goaway() sends GOAWAY to open sessions and a new session afterwards succeeds', BOUNDED, async () => {
  const server = await started(startHttp2Server({ tls: true }));
  const first = await h2Session(server.url, { ca: certs.ca.cert });
  assert.deepEqual(await h2Get(first), OK);
  const goaway = once(first, 'goaway');
  server.goaway();
  const [code] = (await goaway) as [number];
  assert.equal(code, 0); // NO_ERROR: a graceful shutdown, not a failure
  await once(first, 'close');
  const second = await h2Session(server.url, { ca: certs.ca.cert });
  assert.deepEqual(await h2Get(second), OK);
  second.close();
  assert.equal(server.connections(), 2);
  assert.equal(server.requests.length, 2);
});

test('close() ends connections with a request still in flight, so no test hangs on them', BOUNDED, async () => {
  const viaHttp1 = (url: string): Promise<Answer> => httpsGet(url, { ca: certs.ca.cert });
  const viaH2 = async (url: string): Promise<Answer> => h2Get(await h2Session(url, { ca: certs.ca.cert }));
  const cases: Array<[string, (handler: () => void) => Promise<SecureServer>, (url: string) => Promise<Answer>]> = [
    ['https', (handler) => startHttpsServer({ cert: 'ca-signed', handler }), viaHttp1],
    ['h2 over TLS', (handler) => startHttp2Server({ tls: true, handler }), viaH2],
    ['HTTP/1.1 on the TLS h2 server', (handler) => startHttp2Server({ tls: true, handler }), viaHttp1],
    ['h2c', (handler) => startHttp2Server({ tls: false, handler }), viaH2],
  ];
  for (const [name, start, send] of cases) {
    let arrived!: () => void;
    const seen = new Promise<void>((resolve) => (arrived = resolve));
    const server = await started(start(() => arrived())); // a handler that never answers
    const answer = send(server.url);
    await seen;
    await server.close();
    // Ended by close(), not by the clients' own 2 s timeouts.
    await assert.rejects(answer, (err) => !/timed out/.test(String(err)), name);
  }
});
