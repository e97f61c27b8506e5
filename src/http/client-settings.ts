/**
 * How a run's HTTP clients behave: one plain object, made once from the command line, that the
 * job, its --processes workers and the JIT warm-up all pass down unchanged to every user's session.
 */
import type { ConnectionPoolMode } from './dispatchers.js';
import { MAX_REDIRECTS_DEFAULT } from './redirect-plan.js';
import type { BasicAuth } from './request-options.js';

/** Certificate checks and client certificates (PEM texts, read from the files named on the command line). */
export interface TlsSettings {
  /** --insecure: do not verify the server's certificate (a class's `static insecure = true` does it for that class). */
  insecure: boolean;
  /** --ca FILE: an extra CA trusted beside the system's. */
  ca: string | null;
  /** --cert FILE / --key FILE: the client certificate and its key. */
  cert: string | null;
  key: string | null;
}

export interface HttpClientSettings {
  /** --request-timeout: the whole request (connect, headers, body, redirects), seconds. */
  requestTimeoutSec: number;
  /** --max-body-size: body bytes kept for text()/json(). */
  maxBodyBytes: number;
  connectionPool: ConnectionPoolMode;
  /** --max-redirects: redirects followed before a request fails. */
  maxRedirects: number;
  /** Accept-Encoding: gzip, deflate, br on every request (--no-accept-encoding: false). */
  acceptEncoding: boolean;
  /** Basic auth from the credentials of -H http://user:pass@host (taken out of the host). */
  auth: BasicAuth | null;
  tls: TlsSettings;
  /** --http2: offer HTTP/2 by ALPN on TLS connections. */
  http2: boolean;
  /** --h2c: speak HTTP/2 in clear text (prior knowledge) to http:// origins. */
  h2c: boolean;
}

export const DEFAULT_TLS: TlsSettings = Object.freeze({ insecure: false, ca: null, cert: null, key: null });

export const DEFAULT_HTTP_SETTINGS: HttpClientSettings = Object.freeze({
  requestTimeoutSec: 60,
  maxBodyBytes: 10 * 1024 * 1024,
  connectionPool: 'per-user',
  maxRedirects: MAX_REDIRECTS_DEFAULT,
  acceptEncoding: true,
  auth: null,
  tls: DEFAULT_TLS,
  http2: false,
  h2c: false,
});

/** The defaults with `overrides` applied (tests and benches name only what they change). */
export function httpClientSettings(overrides: Partial<HttpClientSettings> = {}): HttpClientSettings {
  return { ...DEFAULT_HTTP_SETTINGS, ...overrides };
}
