/**
 * The HTTP client flags (--request-timeout, --max-redirects, --insecure, --ca, --cert/--key,
 * --http2, --h2c, …) turned into the run's HttpClientSettings. Certificate files are read and
 * checked here, so a wrong path or a key that does not match its certificate is one line before
 * the run (exit 2), not a failure on every request.
 */
import { parseDecimal } from '../core/decimal.js';
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { ConfigError } from '../core/errors.js';
import { DEFAULT_HTTP_SETTINGS, type HttpClientSettings, type TlsSettings } from '../http/client-settings.js';
import { MAX_TIMEOUT_SEC, type BasicAuth } from '../http/request-options.js';
import type { RawRunOptions } from './args.js';

type HttpFlags = Pick<
  RawRunOptions,
  'requestTimeout' | 'maxBodySize' | 'connectionPool' | 'maxRedirects' | 'acceptEncoding' | 'insecure' | 'ca' | 'cert' | 'key' | 'http2' | 'h2c'
>;

function readPem(flag: string, path: string, problems: ConfigError[]): string | null {
  try {
    const text = readFileSync(path, 'utf8');
    if (!text.includes('-----BEGIN ')) {
      problems.push(new ConfigError('BAD_TLS_FILE', `${flag} ${path} is not a PEM file (no -----BEGIN line)`));
      return null;
    }
    return text;
  } catch (err: unknown) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    problems.push(new ConfigError('BAD_TLS_FILE', `${flag} ${path} cannot be read (${code === 'ENOENT' ? 'not found' : code})`));
    return null;
  }
}

function tlsSettings(raw: HttpFlags, problems: ConfigError[]): TlsSettings {
  const before = problems.length;
  const ca = raw.ca === undefined ? null : readPem('--ca', raw.ca, problems);
  const cert = raw.cert === undefined ? null : readPem('--cert', raw.cert, problems);
  // Locust's cert= takes one file holding both, or a (cert, key) pair: --cert alone works when it has the key.
  let key = raw.key === undefined ? null : readPem('--key', raw.key, problems);
  if (raw.key !== undefined && raw.cert === undefined) problems.push(new ConfigError('BAD_ARGUMENT', '--key needs --cert (the client certificate it belongs to)'));
  if (cert !== null && key === null && raw.key === undefined) {
    if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(cert)) key = cert;
    else problems.push(new ConfigError('BAD_ARGUMENT', `--cert ${raw.cert ?? ''} holds no private key: give it with --key FILE`));
  }
  if (problems.length === before && (ca !== null || cert !== null)) {
    try {
      createSecureContext({ ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) });
    } catch (err: unknown) {
      const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
      problems.push(new ConfigError('BAD_TLS_FILE', `--ca/--cert/--key cannot be used: ${message} (is the key the one of this certificate?)`));
    }
  }
  return { insecure: raw.insecure === true, ca, cert, key };
}

function wholeNumber(flag: string, text: string, max: number, problems: ConfigError[]): number | null {
  const n = parseDecimal(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < 0 || n > max) {
    problems.push(new ConfigError('BAD_NUMBER', `${flag} "${text}" must be a whole number from 0 to ${max}`));
    return null;
  }
  return n;
}

function requestTimeout(text: string | undefined, problems: ConfigError[]): number {
  if (text === undefined) return DEFAULT_HTTP_SETTINGS.requestTimeoutSec;
  const n = parseDecimal(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0 || n > MAX_TIMEOUT_SEC) {
    problems.push(new ConfigError('BAD_NUMBER', `--request-timeout "${text}" must be a positive number of seconds, at most ${MAX_TIMEOUT_SEC}`));
    return DEFAULT_HTTP_SETTINGS.requestTimeoutSec;
  }
  return n;
}

/** The run's HTTP client settings; each problem is pushed to `problems` (one line each). */
export function httpClientConfig(raw: HttpFlags, auth: BasicAuth | null, problems: ConfigError[]): HttpClientSettings {
  const pool = raw.connectionPool ?? 'per-user';
  if (pool !== 'per-user' && pool !== 'shared') {
    problems.push(new ConfigError('BAD_ARGUMENT', `--connection-pool "${pool}" is not a mode: use per-user or shared`));
  }
  let maxBodyBytes = DEFAULT_HTTP_SETTINGS.maxBodyBytes;
  if (raw.maxBodySize !== undefined) {
    const n = parseDecimal(raw.maxBodySize);
    if (raw.maxBodySize.trim() === '' || !Number.isInteger(n) || n <= 0) {
      problems.push(new ConfigError('BAD_NUMBER', `--max-body-size "${raw.maxBodySize}" must be a positive whole number`));
    } else {
      maxBodyBytes = n;
    }
  }
  return {
    requestTimeoutSec: requestTimeout(raw.requestTimeout, problems),
    maxBodyBytes,
    connectionPool: pool === 'shared' ? 'shared' : 'per-user',
    maxRedirects: raw.maxRedirects === undefined ? DEFAULT_HTTP_SETTINGS.maxRedirects : (wholeNumber('--max-redirects', raw.maxRedirects, 1000, problems) ?? 0),
    acceptEncoding: raw.acceptEncoding !== false,
    auth,
    tls: tlsSettings(raw, problems),
    http2: raw.http2 === true,
    h2c: raw.h2c === true,
  };
}
