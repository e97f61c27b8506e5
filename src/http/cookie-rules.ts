/**
 * The RFC 6265 details cookie-jar.ts applies around tough-cookie: expiry from Max-Age counted from
 * receipt, what a replacement may change, public suffixes, scopes for get/delete, and names and
 * values a Cookie header cannot carry.
 */
import { getPublicSuffix, type Cookie } from 'tough-cookie';

export interface CookieScope {
  domain?: string;
  path?: string;
}

/** Date's upper bound: a huge Max-Age must not make an Invalid Date. */
export const MAX_DATE_MS = 8.64e15;

/**
 * tough-cookie 6 measures Max-Age from the cookie's lastAccessed, which its own reads move forward:
 * a Max-Age=60 cookie read every second would never expire. RFC 6265 5.2.2 counts from receipt, so
 * Max-Age becomes an absolute Expires once, here. Returns the expiry in ms (Infinity: session cookie).
 */
export function fixExpiry(cookie: Cookie, now: number): number {
  const maxAge = cookie.maxAge;
  if (maxAge === null) return expiryOf(cookie);
  cookie.maxAge = null;
  const ms = maxAge === 'Infinity' ? Infinity : maxAge === '-Infinity' || maxAge <= 0 ? 0 : Math.min(now + maxAge * 1000, MAX_DATE_MS);
  cookie.expires = ms === Infinity ? 'Infinity' : new Date(ms);
  return ms;
}

export function expiryOf(c: Cookie): number {
  return c.expires instanceof Date ? c.expires.getTime() : Infinity;
}

/** What a replacement may change without changing any request's Cookie header or all()'s flags. */
export function sameContent(a: Cookie, b: Cookie): boolean {
  return a.value === b.value && a.secure === b.secure && a.httpOnly === b.httpOnly && a.sameSite === b.sameSite && a.hostOnly === b.hostOnly;
}

export function isPublicSuffix(host: string): boolean {
  return getPublicSuffix(host, { allowSpecialUseDomain: true, ignoreError: true }) === undefined;
}

/**
 * Whether url's origin is `origin`, without building url.origin (a new string per call): href is
 * stored, and when it starts with scheme://host[:port] followed by '/', that is its origin (a
 * user:pass@ or another port fails the test and takes the slow way, never a wrong one).
 */
export function isOrigin(url: URL, origin: string): boolean {
  const href = url.href;
  return href.startsWith(origin) && href.charCodeAt(origin.length) === 47;
}

/** The path tough-cookie matches cookies against: the URL's, percent-decoded where it can be. */
export function requestPath(url: URL): string {
  const p = url.pathname;
  if (!p.includes('%')) return p;
  try {
    return decodeURI(p);
  } catch {
    return p;
  }
}

export function scopeDomain(scope: CookieScope | undefined): string | undefined {
  return scope?.domain === undefined ? undefined : scope.domain.trim().replace(/^\./, '').toLowerCase();
}

export function inScope(c: Cookie, domain: string | undefined, path: string | undefined): boolean {
  return (domain === undefined || c.domain === domain) && (path === undefined || c.path === path);
}

/** A name or value that would split or break the Cookie header is refused, not sent. */
export function checkNameValue(name: string, value: string): void {
  if (name === '' && value === '') throw new TypeError('cookies.set: name and value are both empty');
  if (/[\x00-\x20\x7f;=,]/.test(name)) throw new TypeError(`cookies.set('${name}'): a name cannot contain '=', ';', ',', spaces or control characters`);
  if (/[\x00-\x1f\x7f;]/.test(value)) throw new TypeError(`cookies.set('${name}'): a value cannot contain ';' or control characters`);
}
