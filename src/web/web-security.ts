/**
 * The web UI's request checks, where Locust is weak (it binds every interface, sends
 * `Access-Control-Allow-Origin: *` and changes state on GET): a Host header that names the UI
 * (against DNS rebinding), POSTs only from the UI's own origin (against cross-site requests), and
 * basic auth compared in constant time. Pure functions: web-server.ts applies them.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

/** Sent with every answer: nothing but brood's own files may run, load or frame the page. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
});

/** A loopback address: the only kind the UI may bind without --web-auth. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h.startsWith('::ffff:127.');
  return false;
}

/**
 * The names a request's Host header may carry: the bound address, `localhost` and 127.0.0.1/[::1]
 * when bound to loopback (or to every interface), and the --web-host name itself. Compared
 * without the port (a proxy may change it) and case-insensitively.
 */
export function allowedHostNames(webHost: string): Set<string> {
  const names = new Set<string>([hostPart(webHost)]);
  if (isLoopback(webHost) || webHost === '0.0.0.0' || webHost === '::') {
    for (const n of ['localhost', '127.0.0.1', '[::1]']) names.add(n);
  }
  return names;
}

/** "Example.com:8089" → "example.com"; "[::1]:8089" → "[::1]"; a bare IPv6 address gets its brackets. */
export function hostPart(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  if (isIP(h) === 6) return `[${h}]`;
  const colon = h.lastIndexOf(':');
  return colon === -1 ? h : h.slice(0, colon);
}

/**
 * A request's Host is acceptable: present and naming the UI. Bound to every interface
 * (0.0.0.0), any host name reaching it is accepted only when --web-auth guards the UI.
 */
export function hostAllowed(hostHeader: string | undefined, allowed: ReadonlySet<string>, anyHost: boolean): boolean {
  if (hostHeader === undefined || hostHeader === '') return false;
  return anyHost || allowed.has(hostPart(hostHeader));
}

/**
 * A state-changing request comes from the UI's own page: its Origin (or, without one, its
 * Referer) has the request's own scheme and Host. A request with neither is refused as well: a
 * browser always sends Origin on a POST, and scripts (curl, Locust clients) send neither, so
 * those must name the origin with an `Origin` header of their own.
 */
export function originAllowed(origin: string | undefined, referer: string | undefined, hostHeader: string, scheme: 'http' | 'https'): boolean {
  const own = `${scheme}://${hostHeader.toLowerCase()}`;
  const from = origin !== undefined && origin !== '' ? origin : referer;
  if (from === undefined || from === '' || from === 'null') return false;
  try {
    const u = new URL(from);
    return `${u.protocol}//${u.host}` === own || `${u.protocol}//${u.host}` === new URL(own).origin;
  } catch {
    return false;
  }
}

/**
 * HTTP basic auth against `user:password`, compared in constant time: both sides are hashed first,
 * so neither the length nor the first wrong byte shows in the time taken.
 */
export class BasicAuthCheck {
  readonly #expected: Buffer;

  constructor(credentials: string) {
    this.#expected = digest(credentials);
  }

  /** The Authorization header carries the right user and password. */
  accepts(authorization: string | undefined): boolean {
    const given = basicCredentials(authorization);
    // Always one comparison of equal-length digests, whatever was sent.
    return timingSafeEqual(digest(given ?? '\u0000no credentials'), this.#expected) && given !== null;
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** "Basic dXNlcjpwYXNz" → "user:pass"; null when it is not basic auth. */
export function basicCredentials(authorization: string | undefined): string | null {
  if (authorization === undefined) return null;
  const m = /^\s*basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(authorization);
  if (!m || m[1] === undefined) return null;
  return Buffer.from(m[1], 'base64').toString('utf8');
}
