/**
 * Building a Cookie header from a jar's cached cookies for one origin (cookie-jar.ts): path
 * matching over precomputed `name=value` pairs, so the common request costs no new string.
 */
import { pathMatch, type Cookie } from 'tough-cookie';

/** The jar's cookies for one origin, sorted longer path first, then older first (RFC 6265 5.4). */
export interface OriginCookies {
  origin: string;
  version: number;
  cookies: Cookie[];
  paths: string[];
  /** `name=value` of each cookie (`value` alone for a nameless one). */
  pairs: string[];
  /** All of them joined; what a request gets when every cookie path-matches it. */
  joined: string | null;
  allRoot: boolean;
}

export function pairOf(c: Cookie): string {
  return c.key === '' ? c.value : `${c.key}=${c.value}`;
}

export function pathMatching(origin: OriginCookies, path: string): string | null {
  const { paths, pairs } = origin;
  let out = '';
  let n = 0;
  for (let i = 0; i < paths.length; i++) {
    if (!pathMatch(path, paths[i]!)) continue;
    out = n === 0 ? pairs[i]! : `${out}; ${pairs[i]!}`;
    n++;
  }
  if (n === paths.length) return origin.joined; // all of them: no new string
  return n === 0 ? null : out;
}

export function withExtraCookies(origin: OriginCookies, path: string, extra: Readonly<Record<string, string>>): string {
  let out = '';
  for (let i = 0; i < origin.paths.length; i++) {
    if (Object.hasOwn(extra, origin.cookies[i]!.key) || !pathMatch(path, origin.paths[i]!)) continue;
    out = out === '' ? origin.pairs[i]! : `${out}; ${origin.pairs[i]!}`;
  }
  return appendExtra(out, extra);
}

export function appendExtra(header: string, extra: Readonly<Record<string, string>>): string {
  let out = header;
  for (const name of Object.keys(extra)) {
    const pair = name === '' ? extra[name]! : `${name}=${extra[name]!}`;
    out = out === '' ? pair : `${out}; ${pair}`;
  }
  return out;
}

export function hasOwnKeys(o: Readonly<Record<string, string>>): boolean {
  for (const k in o) if (Object.hasOwn(o, k)) return true;
  return false;
}

/** `out[name] = value`, also for a cookie named __proto__ (a plain assignment would drop it). */
export function putName(out: Record<string, string>, name: string, value: string): void {
  if (name === '__proto__') Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  else out[name] = value;
}
