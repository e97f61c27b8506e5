/**
 * What both of Vegeta's targets formats share (vegeta-targets.ts reads the http format and files,
 * vegeta-targets-json.ts the json one): the target, where problems go, and the method, URL and
 * header checks, so a file means the same in either format.
 */
import { ConfigError } from '../core/errors.js';

export type VegetaTargetsFormat = 'http' | 'json';

export interface VegetaTarget {
  /** Upper-case as written. */
  method: string;
  /** Absolute http: or https: URL as written. */
  url: string;
  /** In file order, names as written (Vegeta keeps their case too: it tests case-sensitive servers). */
  headers: Array<[string, string]>;
  /** Targets naming the same body file share one Buffer: read it, never write to it. */
  body: Buffer | null;
  /** 1-based line of the target's first line in the file (for messages). */
  line: number;
}

/** Past this many, more lines bury the first; a file this broken is more likely in the other format. */
export const MAX_PROBLEMS = 20;

/** Vegeta takes any upper-case word (its tests send SUBSCRIBE), nothing with digits, '_' or lower case. */
const METHOD = /^[A-Z]+$/;
/** RFC 9110 token. Stricter than Vegeta: Go's transport checks this only when sending, failing every request. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** No request can carry these in a header value (Go and undici refuse them per request). */
const VALUE_CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;

export interface ParseContext {
  file: string;
  baseDir: string;
  problems: ConfigError[];
  /** Each body file is read once, however many targets name it (a generated file may name one a thousand times). */
  bodies: Map<string, Buffer | string>;
}

export function report(ctx: ParseContext, line: number, message: string): void {
  if (ctx.problems.length < MAX_PROBLEMS) ctx.problems.push(new ConfigError('BAD_TARGETS_FILE', `${ctx.file}:${line}: ${message}`));
}

/** A piece of the file inside a message: quoted, clipped, and on one line whatever it holds. */
export function q(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

export function checkMethod(method: string): string | null {
  if (METHOD.test(method)) return null;
  if (/^[A-Za-z]+$/.test(method)) return `method ${q(method)} must be upper-case: write ${method.toUpperCase()} (Vegeta refuses lower-case methods)`;
  return `method ${q(method)} is not valid: a method is upper-case letters A-Z, e.g. GET, POST or PURGE`;
}

/** Stricter than Vegeta, which checks only that Go can parse the URL and fails each request later. */
export function checkUrl(url: string): string | null {
  // Go sends a '#' as part of the path (%23), a WHATWG client drops it: neither is what the line says.
  if (url.includes('#')) return `URL ${q(url)} has a #fragment, which is never sent: remove it, or write %23 for a literal #`;
  // A WHATWG URL turns '\' into '/', Go into %5C.
  if (url.includes('\\')) return `URL ${q(url)} holds a backslash: write / or %5C`;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  if (scheme === undefined) return `URL ${q(url)} is not absolute: write the whole URL, e.g. https://example.com${url.startsWith('/') ? url : `/${url}`}`;
  if (!/^https?$/i.test(scheme)) return `URL ${q(url)} has the scheme ${q(scheme)}: only http:// and https:// URLs can be targets`;
  // "http:x" and "http:///x" parse (as http://x/) in a WHATWG client; Go finds no host in them.
  if (!/^https?:\/\/[^/?]/i.test(url) || /^https?:\/\/(?:[^/?@]*@)?:/i.test(url)) {
    return `URL ${q(url)} has no host: write one, e.g. http://localhost:8080/ (Vegeta's "http://:8080/" shorthand is not a URL)`;
  }
  try {
    new URL(url);
  } catch {
    return `URL ${q(url)} is not a valid URL: expected e.g. https://example.com/path?q=1`;
  }
  return null;
}

/** The checks both formats share; a header that passes is added to the target. */
export function addHeader(name: string, value: string, n: number, target: VegetaTarget, ctx: ParseContext): void {
  if (!HEADER_NAME.test(name)) {
    report(ctx, n, `header name ${q(name)} is not valid: use letters, digits and !#$%&'*+-.^_\`|~, no spaces`);
  } else if (VALUE_CONTROL.test(value)) {
    report(ctx, n, `header ${q(name)} has a control character in its value, which no request can carry`);
  } else if (name.toLowerCase() === 'host' && target.headers.some(([k]) => k.toLowerCase() === 'host')) {
    // Stricter than Vegeta, which sets the request's Host from the first and silently drops the rest.
    report(ctx, n, 'second Host header: a request has one Host; keep one');
  } else {
    target.headers.push([name, value]);
  }
}

/** A target to fill in (or, for a line that was wrong, to check the lines under it against). */
export function standIn(line: number): VegetaTarget {
  return { method: '', url: '', headers: [], body: null, line };
}
