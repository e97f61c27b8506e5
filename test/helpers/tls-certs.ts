import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PemFile {
  cert: string;
  certPath: string;
}

export interface KeyAndCert extends PemFile {
  key: string;
  keyPath: string;
}

export interface TestCertificates {
  /** Temp dir holding every file below; removed when the process exits. */
  dir: string;
  /** The test CA: trust it (`ca: certs.ca.cert`) to accept `server` and `client`. */
  ca: PemFile;
  /** For 127.0.0.1 and localhost, signed by `ca`. */
  server: KeyAndCert;
  /** CN=brood-test-client, extendedKeyUsage clientAuth, signed by `ca`. */
  client: KeyAndCert;
  /** For 127.0.0.1 and localhost, signed by itself: what users call "a self-signed HTTPS target". */
  selfSigned: KeyAndCert;
}

// One config file gives each certificate exactly the extensions named here; without it `req -x509`
// would add the system config's v3_ca section and every leaf would claim to be a CA.
const OPENSSL_CONFIG = `
[req]
distinguished_name = dn
prompt = no
[dn]
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
authorityKeyIdentifier = keyid
[client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
`;

// Test helpers may cache per process (the style rule against module state is for src/): every test
// file shares one set, generated on first use, so a file that never asks pays nothing.
let cached: TestCertificates | undefined;

/** Certificates generated at test time with the openssl CLI (nothing is committed); ~50 ms the first call. */
export function testCertificates(): TestCertificates {
  cached ??= generate();
  return cached;
}

function generate(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'brood-certs-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'openssl.cnf'), OPENSSL_CONFIG);
  const ca = issue(dir, 'ca', '/CN=brood-test-ca', 'ca');
  const signedByCa = ['-CA', ca.certPath, '-CAkey', ca.keyPath];
  return {
    dir,
    ca: { cert: ca.cert, certPath: ca.certPath },
    server: issue(dir, 'server', '/CN=127.0.0.1', 'server', signedByCa),
    client: issue(dir, 'client', '/CN=brood-test-client', 'client', signedByCa),
    selfSigned: issue(dir, 'self-signed', '/CN=127.0.0.1', 'server'),
  };
}

/** A fresh P-256 key and its certificate: self-signed, or signed by the CA when `signer` names it. */
function issue(dir: string, name: string, subject: string, extensions: string, signer: string[] = []): KeyAndCert {
  const keyPath = join(dir, `${name}.key`);
  const certPath = join(dir, `${name}.crt`);
  // P-256 rather than RSA: key generation is instant, so the whole set costs tens of milliseconds.
  execFileSync(
    '/usr/bin/openssl',
    [
      'req', '-x509', '-config', join(dir, 'openssl.cnf'), '-extensions', extensions,
      '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-noenc',
      '-days', '2', '-subj', subject, '-keyout', keyPath, '-out', certPath, ...signer,
    ],
    // openssl prints progress dots on stderr; keep them off the test output, but show them on failure.
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return { key: readFileSync(keyPath, 'utf8'), keyPath, cert: readFileSync(certPath, 'utf8'), certPath };
}
