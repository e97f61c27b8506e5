/**
 * One virtual user's cookies (Python requests' Session.cookies, which Locust's HttpUser exposes as
 * `self.client.cookies`), over tough-cookie's RFC 6265 rules, with two caches in front: tough-cookie
 * costs ~4 µs to store a cookie and ~5 µs to build a Cookie header, and a load test sends ~80 000
 * requests/s per core. The cached paths skip tough-cookie entirely:
 * - headerFor(): per origin, the jar's cookies for that host across all paths, already sorted, kept
 *   until the jar's version changes. The common case (every cookie at Path=/) returns a prebuilt string.
 * - storeFromResponse(): the same raw Set-Cookie string again from the same origin, when the cookie
 *   it stored is still in the jar, would store the same cookie again: it is not parsed again.
 *
 * Expiry is wall-clock time (the cookie's own Expires and Max-Age), read through an injectable now().
 * SameSite is stored and reported but not enforced: a load-test client makes only the user's own
 * top-level requests, never cross-site ones, so no request here is one SameSite would withhold.
 */
import { canonicalDomain, Cookie, CookieJar, defaultPath, MemoryCookieStore } from 'tough-cookie';
import { appendExtra, hasOwnKeys, pairOf, pathMatching, putName, withExtraCookies, type OriginCookies } from './cookie-header.js';
import {
  checkNameValue, expiryOf, fixExpiry, inScope, isOrigin, isPublicSuffix, MAX_DATE_MS, requestPath, sameContent, scopeDomain, type CookieScope,
} from './cookie-rules.js';

export type { CookieScope } from './cookie-rules.js';
import type { CreateCookieJarOptions, GetCookiesOptions } from 'tough-cookie';

export interface SetCookieFields extends CookieScope {
  secure?: boolean;
  httpOnly?: boolean;
  expires?: Date;
  /** Seconds from now; 0 or less deletes. Wins over `expires`, as in a Set-Cookie header. */
  maxAge?: number;
  sameSite?: 'strict' | 'lax' | 'none';
}

export interface CookieInfo {
  name: string;
  value: string;
  domain: string;
  path: string;
  /** null for a session cookie (no Expires, no Max-Age). */
  expires: Date | null;
  secure: boolean;
  httpOnly: boolean;
  sameSite: string | null;
  hostOnly: boolean;
}

export interface SessionCookiesOptions {
  /** Wall-clock milliseconds (default Date.now); tests inject a fake one. */
  now?: () => number;
}

const JAR_OPTIONS: CreateCookieJarOptions = {
  // Domain=com or Domain=co.uk is refused, as every browser refuses it; IP addresses are exempt in
  // tough-cookie, and a public-suffix Domain equal to the host becomes host-only (see #put).
  rejectPublicSuffixes: true,
  // localhost, *.localhost, *.test, *.local, *.example are where load tests point: Domain=localhost
  // and Domain=app.test must be accepted (tough-cookie's default, stated because it matters here).
  allowSpecialUseDomain: true,
  // `Set-Cookie: token` (no '=') is a nameless cookie in browsers (RFC 6265bis) and in Python's
  // http.cookiejar, and both send it back as `token`; strict mode would drop it.
  looseMode: true,
  // Secure means https only, localhost included: what requests (Locust's client) does, so a
  // locustfile ported to brood sees the same cookies. (Chrome treats http://localhost as secure.)
  allowSecureOnLocal: false,
  // A Secure cookie from an http response is refused (RFC 6265bis 5.7 step 13, browsers).
  enforceSecureOriginOnStorage: true,
  // __Secure-/__Host- rules enforced; 'strict' makes set() say why it refused one (response cookies
  // are stored with ignoreError, so a refused one is dropped silently either way).
  prefixSecurity: 'strict',
};
/** allPaths: the origin cache filters paths. expire: false: expiry is ours (fixExpiry). sort: read, though untyped. */
const ORIGIN_QUERY: GetCookiesOptions & { sort: boolean } = { allPaths: true, expire: false, sort: true };
/** Raw Set-Cookie strings remembered per jar; a server sending unique ones costs at most this many. */
const RECENT_LIMIT = 32;
/** Origins with a cached header per jar; a user talking to more just rebuilds more often. */
const ORIGIN_LIMIT = 16;
const ignore = (): void => {};

/** What one raw Set-Cookie string stored from one origin. */
interface RecentSetCookie {
  origin: string;
  cookie: Cookie;
  /** Its Max-Age in ms: the same string again moves the expiry to now + this. */
  maxAgeMs: number | null;
  /** `{ name: value }` of it, frozen, made on the first fast-path hit (what the response reports). */
  kept?: Readonly<Record<string, string>>;
}

export class SessionCookies {
  /**
   * Grows whenever a cookie is added or removed (a Set-Cookie, set(), delete(), clear(), or an
   * expiry noticed by the next call that reads the jar) or changes its value or attributes. A
   * cookie whose expiry alone moved (the same cookie set again) leaves it: no header changes then.
   */
  version = 0;
  readonly #defaultUrl: string;
  readonly #now: () => number;
  #defaultHost: string | undefined;
  #jar: CookieJar | undefined;
  #store: MemoryCookieStore | undefined;
  /** No stored cookie expires before this (a lower bound: reaching it triggers a purge). */
  #nextExpiry = Infinity;
  #origins: Map<string, OriginCookies> | undefined;
  /** The origin of the previous headerFor(), found again without building url.origin. */
  #lastOrigin: OriginCookies | undefined;
  #recent: Map<string, RecentSetCookie> | undefined;

  /** Cheap on purpose: nothing is allocated until the first cookie arrives. */
  constructor(defaultUrl: string, options?: SessionCookiesOptions) {
    this.#defaultUrl = defaultUrl;
    this.#now = options?.now ?? Date.now;
  }

  /** Stores each Set-Cookie value of one response; returns name → value of those it kept. Never throws. */
  storeFromResponse(url: URL, setCookieValues: readonly string[]): Record<string, string> {
    const kept: Record<string, string> = {};
    if (setCookieValues.length === 0) return kept;
    const now = this.#now();
    if (now >= this.#nextExpiry) this.#purge(now);
    for (const raw of setCookieValues) {
      const cookie = this.#recentlyStored(raw, url, now) ?? this.#storeRaw(raw, url, now);
      if (cookie !== undefined) putName(kept, cookie.key, cookie.value);
    }
    return kept;
  }

  /**
   * storeFromResponse() for a response from `origin` + `path` (path and query, as sent), without a
   * URL object when it can: a server that sets the same session cookie on every response (the
   * common case) is answered from the remembered string alone. Anything else takes the full path.
   */
  storeFromResponseAt(origin: string, path: string, setCookieValues: readonly string[]): Readonly<Record<string, string>> {
    const raw = setCookieValues.length === 1 ? setCookieValues[0] : undefined;
    const hit = raw === undefined ? undefined : this.#recent?.get(raw);
    if (hit !== undefined && hit.origin === origin && hit.cookie.pathIsDefault !== true && this.#holds(hit.cookie)) {
      const now = this.#now();
      if (now < this.#nextExpiry) {
        // As #recentlyStored: storing it again would only move a Max-Age expiry (later: #nextExpiry stays a lower bound).
        if (hit.maxAgeMs !== null) hit.cookie.expires = new Date(Math.min(now + hit.maxAgeMs, MAX_DATE_MS));
        if (hit.kept === undefined) {
          const kept: Record<string, string> = {};
          putName(kept, hit.cookie.key, hit.cookie.value);
          hit.kept = Object.freeze(kept);
        }
        return hit.kept;
      }
    }
    return this.storeFromResponse(new URL(path, origin), setCookieValues);
  }

  /** The Cookie header for a request to url, or null. `extra` overrides same-named cookies, unstored. */
  headerFor(url: URL, extra?: Readonly<Record<string, string>> | null): string | null {
    const withExtra = extra != null && hasOwnKeys(extra);
    if (this.#jar === undefined) return withExtra ? appendExtra('', extra) : null;
    const now = this.#now();
    if (now >= this.#nextExpiry) this.#purge(now);
    const origin = this.#originCookies(url, this.#jar);
    if (withExtra) return withExtraCookies(origin, requestPath(url), extra);
    return origin.allRoot ? origin.joined : pathMatching(origin, requestPath(url));
  }

  /**
   * headerFor() for a request to `origin` + `path` (path and query, as sent), without a URL object
   * when it can: the session calls this on every request once the jar exists, and `new URL()`
   * costs more than the whole cached lookup. Falls back to headerFor() for anything but the
   * common case (the same origin as last time, unchanged jar, every cookie at Path=/).
   */
  headerForPath(origin: string, path: string, extra?: Readonly<Record<string, string>> | null): string | null {
    const last = this.#lastOrigin;
    if (
      last !== undefined && last.allRoot && last.origin === origin && last.version === this.version &&
      (extra == null || !hasOwnKeys(extra)) && this.#jar !== undefined
    ) {
      const now = this.#now();
      if (now < this.#nextExpiry) return last.joined;
    }
    return this.headerFor(new URL(path, origin), extra);
  }

  /** The value of the last-created unexpired cookie with this name (and domain/path when given). */
  get(name: string, options?: CookieScope): string | undefined {
    const domain = scopeDomain(options);
    let value: string | undefined;
    for (const c of this.#live()) if (c.key === name && inScope(c, domain, options?.path)) value = c.value;
    return value;
  }

  /** Domain default: host-only for the session's base URL host. Path default '/'. Throws on bad input. */
  set(name: string, value: string, options: SetCookieFields = {}): void {
    checkNameValue(name, value);
    const path = options.path ?? '/';
    if (!path.startsWith('/')) throw new TypeError(`cookies.set('${name}'): path must start with '/' (got '${path}')`);
    if (options.maxAge !== undefined && !Number.isFinite(options.maxAge)) throw new TypeError(`cookies.set('${name}'): maxAge must be a finite number of seconds`);
    if (options.expires !== undefined && Number.isNaN(options.expires.getTime())) throw new TypeError(`cookies.set('${name}'): expires is an invalid Date`);
    const domain = scopeDomain(options);
    if (domain === '') throw new TypeError(`cookies.set('${name}'): domain is empty; leave it out for the session's host`);
    const cookie = new Cookie({
      key: name, value, path, domain: domain ?? null, secure: options.secure ?? false, httpOnly: options.httpOnly ?? false,
      expires: options.expires ?? 'Infinity', maxAge: options.maxAge ?? null, sameSite: options.sameSite,
    });
    const host = domain ?? this.#hostOfDefaultUrl(name);
    const now = this.#now();
    if (now >= this.#nextExpiry) this.#purge(now);
    try { // https: the user asked for this cookie, Secure or not; the origin only matters for that check
      this.#put(cookie, new URL(`https://${host}/`), now, false);
    } catch (e) {
      throw new TypeError(`cookies.set('${name}'): ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Removes every cookie with this name (only those with this domain/path when given). */
  delete(name: string, options?: CookieScope): void {
    const domain = scopeDomain(options);
    const doomed = this.#live().filter((c) => c.key === name && inScope(c, domain, options?.path));
    for (const c of doomed) this.#remove(c);
    if (doomed.length > 0) this.version++;
  }

  clear(): void {
    if (this.#live().length > 0) this.version++;
    this.#jar = undefined;
    this.#store = undefined;
    this.#origins = undefined;
    this.#lastOrigin = undefined;
    this.#recent = undefined;
    this.#nextExpiry = Infinity;
  }

  /** name → value of every unexpired cookie; on duplicate names the last-created wins. */
  toJSON(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const c of this.#live()) putName(out, c.key, c.value);
    return out;
  }

  /** Every unexpired cookie, oldest first. */
  all(): CookieInfo[] {
    return this.#live().map((c) => ({
      name: c.key, value: c.value, domain: c.domain ?? '', path: c.path ?? '/',
      expires: c.expires instanceof Date ? new Date(c.expires.getTime()) : null,
      secure: c.secure, httpOnly: c.httpOnly, sameSite: c.sameSite ?? null, hostOnly: c.hostOnly === true,
    }));
  }

  get size(): number {
    return this.#live().length;
  }

  /**
   * The fast path: this raw string stored this cookie from this origin (so the same host and
   * scheme: the same Domain and Secure verdicts), and nothing replaced or removed it since. An
   * expired one fails the #holds check: storeFromResponse purges before it looks.
   */
  #recentlyStored(raw: string, url: URL, now: number): Cookie | undefined {
    const hit = this.#recent?.get(raw);
    if (hit === undefined || !isOrigin(url, hit.origin) || !this.#holds(hit.cookie)) return undefined;
    const c = hit.cookie;
    if (c.pathIsDefault === true && c.path !== defaultPath(requestPath(url))) return undefined; // another directory: another cookie
    // Storing it again would keep everything but move a Max-Age expiry: later, so #nextExpiry stays a lower bound.
    if (hit.maxAgeMs !== null) c.expires = new Date(Math.min(now + hit.maxAgeMs, MAX_DATE_MS));
    return c;
  }

  #storeRaw(raw: string, url: URL, now: number): Cookie | undefined {
    const cookie = Cookie.parse(raw, { loose: JAR_OPTIONS.looseMode }); // parsed here to find what it replaces
    if (cookie === undefined || (cookie.key === '' && cookie.value === '')) return undefined; // RFC 6265bis 5.6 step 5
    const maxAge = cookie.maxAge;
    let stored: Cookie | undefined;
    try {
      stored = this.#put(cookie, url, now, true);
    } catch {
      return undefined; // a browser ignores a cookie it cannot store; so does a load test
    }
    if (stored === undefined) return undefined;
    const maxAgeMs = typeof maxAge === 'number' ? maxAge * 1000 : null; // 'Infinity' never expires: nothing to move
    this.#remember(raw, { origin: url.origin, cookie: stored, maxAgeMs });
    return stored;
  }

  /** Stores through tough-cookie; returns the stored cookie, or undefined when refused or expired. */
  #put(cookie: Cookie, url: URL, now: number, fromResponse: boolean): Cookie | undefined {
    const jar = this.#jar ?? this.#createJar();
    const expiry = fixExpiry(cookie, now);
    // Fill in host and default path as tough-cookie would, to find the cookie this one replaces.
    const host = canonicalDomain(url.hostname) ?? url.hostname;
    if (!cookie.path?.startsWith('/')) {
      cookie.path = defaultPath(requestPath(url));
      cookie.pathIsDefault = true;
    }
    // RFC 6265 5.3 step 5: a public-suffix Domain equal to the host (http://myservice setting
    // Domain=myservice) makes a host-only cookie; tough-cookie would refuse it. __Host- needs no
    // Domain. Responses only: set()'s host is made up from its own domain option.
    if (fromResponse && cookie.domain === host && !cookie.key.startsWith('__Host-') && isPublicSuffix(host)) cookie.domain = null;
    const old = this.#find(cookie.domain ?? host, cookie.path, cookie.key);
    const stored = jar.setCookieSync(cookie, url, { now: new Date(now), ignoreError: fromResponse });
    if (stored === undefined) return undefined;
    if (expiry <= now) { // an expired cookie deletes the one it replaces (RFC 6265 5.3 step 11-12)
      this.#remove(stored);
      if (old !== undefined) this.version++; // (a flash=; Max-Age=0 on every response changes nothing)
      return undefined;
    }
    if (old == null || !sameContent(old, stored)) {
      this.version++;
      // Only the value or a flag no origin filters on changed: patch the cached headers, no rebuild.
      if (old != null && old.secure === stored.secure && old.hostOnly === stored.hostOnly) this.#patchOrigins(stored);
    }
    if (expiry < this.#nextExpiry) this.#nextExpiry = expiry;
    return stored;
  }

  #createJar(): CookieJar {
    this.#store = new MemoryCookieStore();
    this.#jar = new CookieJar(this.#store, JAR_OPTIONS);
    return this.#jar;
  }

  #remember(raw: string, entry: RecentSetCookie): void {
    const recent = (this.#recent ??= new Map());
    if (recent.size >= RECENT_LIMIT && !recent.has(raw)) {
      const oldest = recent.keys().next();
      if (oldest.done !== true) recent.delete(oldest.value);
    }
    recent.set(raw, entry);
  }

  #originCookies(url: URL, jar: CookieJar): OriginCookies {
    const last = this.#lastOrigin;
    let entry = last !== undefined && isOrigin(url, last.origin) ? last : this.#origins?.get(url.origin);
    if (entry === undefined || entry.version !== this.version) entry = this.#buildOrigin(url, jar);
    this.#lastOrigin = entry;
    return entry;
  }

  #buildOrigin(url: URL, jar: CookieJar): OriginCookies {
    const origins = (this.#origins ??= new Map());
    const cookies = jar.getCookiesSync(url, ORIGIN_QUERY);
    const paths = cookies.map((c) => c.path ?? '/');
    const pairs = cookies.map(pairOf);
    const entry: OriginCookies = {
      origin: url.origin, version: this.version, cookies, paths, pairs,
      joined: pairs.length === 0 ? null : pairs.join('; '), allRoot: paths.every((p) => p === '/'),
    };
    if (!origins.has(entry.origin) && origins.size >= ORIGIN_LIMIT) origins.clear();
    origins.set(entry.origin, entry);
    return entry;
  }

  /**
   * After a same-slot replacement (version already grown): swap the cookie in every current entry.
   * Found by slot, not identity: an entry may hold an older object of that slot (an identical
   * cookie set again replaces the object without a new version).
   */
  #patchOrigins(stored: Cookie): void {
    for (const entry of this.#origins?.values() ?? []) {
      if (entry.version !== this.version - 1) continue; // stale already: rebuilt when next used
      entry.version = this.version;
      const i = entry.cookies.findIndex((c) => c.key === stored.key && c.path === stored.path && c.domain === stored.domain);
      if (i < 0) continue;
      entry.cookies[i] = stored; // the same place: tough-cookie keeps the creation time of the cookie it replaces
      entry.pairs[i] = pairOf(stored);
      entry.joined = entry.pairs.join('; ');
    }
  }

  /** Removes what has expired; no Date.now() here, the caller passes its one reading. */
  #purge(now: number): void {
    let next = Infinity;
    let removed = 0;
    for (const c of this.#stored()) {
      const expiry = expiryOf(c);
      if (expiry <= now) {
        this.#remove(c);
        removed++;
      } else if (expiry < next) {
        next = expiry;
      }
    }
    this.#nextExpiry = next;
    if (removed > 0) this.version++;
  }

  /** Unexpired cookies, oldest first (tough-cookie's creation order). */
  #live(): Cookie[] {
    if (this.#store === undefined) return [];
    const now = this.#now();
    if (now >= this.#nextExpiry) this.#purge(now);
    return this.#stored();
  }

  #stored(): Cookie[] {
    let all: Cookie[] = [];
    this.#store?.getAllCookies((err, cookies) => { all = err === null ? cookies ?? [] : []; });
    return all;
  }

  /**
   * The cookie stored under (domain, path, name). Reads MemoryCookieStore's index (typed, internal)
   * because its findCookie() makes a Promise per call. null: no index to read (a tough-cookie release
   * moved it), so every store counts as a change and the fast path is never taken. Slower, still right.
   */
  #find(domain: string, path: string, key: string): Cookie | undefined | null {
    const idx = (this.#store as { idx?: MemoryCookieStore['idx'] } | undefined)?.idx;
    return idx === undefined ? null : idx[domain]?.[path]?.[key];
  }

  #holds(c: Cookie): boolean {
    return c.domain !== null && c.path !== null && this.#find(c.domain, c.path, c.key) === c;
  }

  #remove(c: Cookie): void {
    if (c.domain !== null && c.path !== null) this.#store?.removeCookie(c.domain, c.path, c.key, ignore);
  }

  #hostOfDefaultUrl(name: string): string {
    try {
      return (this.#defaultHost ??= new URL(this.#defaultUrl).hostname);
    } catch {
      throw new TypeError(`cookies.set('${name}'): the session's base URL '${this.#defaultUrl}' is not a URL; pass { domain }`);
    }
  }
}
