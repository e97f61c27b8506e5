/**
 * What a task may pass to `this.client.get(path, options)`, and the check that nothing it passes
 * is silently dropped: an option brood does not know (a typo, or Python requests' spelling) fails
 * the request with a reason that names it and the brood spelling.
 */
import type { FileFields, FormFields } from './request-body.js';

/** [user, password] for HTTP basic auth. */
export type BasicAuth = readonly [string, string];

export interface RequestOptions {
  /** Stats grouping name (default: the path as given; for an absolute URL its path and query). */
  name?: string;
  /** Sent with this request only; names are case-insensitive and replace the session's and brood's. */
  headers?: Readonly<Record<string, string | number | boolean | null | undefined>>;
  /** Sent as JSON with content-type application/json. */
  json?: unknown;
  /** Sent as is: a string, bytes, URLSearchParams (form-encoded) or FormData (multipart). */
  body?: string | Uint8Array | URLSearchParams | FormData;
  /** Fields sent application/x-www-form-urlencoded (UTF-8); with `files`, the multipart body's fields. */
  form?: FormFields;
  /** Files sent multipart/form-data: `{ field: { filename, content, contentType } }`. */
  files?: FileFields;
  /** Locust/requests' name: an object means `form`, a string or bytes means `body`. */
  data?: FormFields | URLSearchParams | string | Uint8Array;
  /** Appended as a query string. */
  query?: Readonly<Record<string, string | number | boolean | ReadonlyArray<string | number | boolean>>>;
  /** Locust/requests' name for `query`. */
  params?: Readonly<Record<string, string | number | boolean | ReadonlyArray<string | number | boolean>>>;
  /** Seconds (as in Locust/requests), for the whole request: connect, headers, body and redirects. Default --request-timeout. */
  timeout?: number;
  /** Let the task decide success or failure with `r.success()` / `r.failure(reason)`. */
  catchResponse?: boolean;
  /** Follow redirects (default true, up to --max-redirects). */
  allowRedirects?: boolean;
  /** HTTP basic auth for this request, `[user, password]`; beats the session's `auth`. */
  auth?: BasicAuth | null;
  /** Cookies for this request only (`{ name: value }`), over the session's jar; not stored. */
  cookies?: Readonly<Record<string, string>>;
  /** Send `Accept-Encoding: gzip, deflate, br` (default true unless --no-accept-encoding). */
  acceptEncoding?: boolean;
}

const KNOWN = new Set<string>([
  'name', 'headers', 'json', 'body', 'form', 'files', 'data', 'query', 'params', 'timeout',
  'catchResponse', 'allowRedirects', 'auth', 'cookies', 'acceptEncoding',
]);

/** Python requests / Locust spellings, and what to write instead. */
const PYTHON_SPELLINGS: Readonly<Record<string, string>> = {
  catch_response: "use 'catchResponse'",
  allow_redirects: "use 'allowRedirects'",
  verify: 'certificate checks are set for the run: --insecure, --ca FILE, or static insecure = true on the class',
  cert: 'client certificates are set for the run: --cert FILE --key FILE',
  proxies: 'brood does not send through proxies',
  stream: 'bodies are always read, and kept up to --max-body-size',
  hooks: "use this.environment.events.request.on(fn)",
  context: 'brood has no request context: put what you need in the task',
};

/** Levenshtein distance, small strings only (option names). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] as number;
      row[j] = Math.min(cur + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length] as number;
}

function unknownOption(key: string): string {
  const python = PYTHON_SPELLINGS[key];
  if (python !== undefined) return `request option '${key}' is Python's spelling: ${python}`;
  let best = '';
  let bestDistance = Infinity;
  for (const k of KNOWN) {
    const d = distance(key.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  const hint = bestDistance <= 2 ? `did you mean '${best}'?` : `known options: ${[...KNOWN].join(', ')}`;
  return `unknown request option '${key}': ${hint}`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/** Largest timeout a Node timer can hold (2^31 - 1 ms); more would fire at once. */
export const MAX_TIMEOUT_SEC = 2_147_483;

/** What is wrong with the value of option `key`, or null (only keys that are present are checked). */
function valueProblem(key: string, v: unknown): string | null {
  switch (key) {
    case 'name':
      return typeof v === 'string' ? null : 'request option name must be a string';
    case 'timeout':
      return typeof v === 'number' && v > 0 && v <= MAX_TIMEOUT_SEC ? null : `request option timeout must be a number of seconds > 0 and ≤ ${MAX_TIMEOUT_SEC} (got ${String(v)})`;
    case 'headers':
      return isPlainObject(v) ? null : `request option ${key} must be an object of names and values`;
    case 'cookies':
      return isPlainObject(v) ? cookiesProblem(v) : `request option ${key} must be an object of names and values`;
    case 'query':
    case 'params':
      return isPlainObject(v) ? queryProblem(key, v) : `request option ${key} must be an object of names and values`;
    case 'catchResponse':
    case 'allowRedirects':
    case 'acceptEncoding':
      return typeof v === 'boolean' ? null : `request option ${key} must be true or false`;
    case 'auth':
      return v === null || isBasicAuth(v) ? null : 'request option auth must be [user, password] (HTTP basic auth)';
    default:
      return null; // bodies: checked where they are encoded (request-body.ts)
  }
}

/** A query value is written as text: an object would go out as "[object Object]". */
function queryProblem(key: string, query: Record<string, unknown>): string | null {
  for (const name of Object.keys(query)) {
    const v = query[name];
    const values: readonly unknown[] = Array.isArray(v) ? v : [v];
    for (const item of values) {
      if (typeof item === 'object' && item !== null) {
        return `request option ${key}: the value of "${name}" is ${Array.isArray(item) ? 'an array inside an array' : 'an object'}; give a string, a number or an array of them`;
      }
    }
  }
  return null;
}

/**
 * Cookies given per request go into the Cookie header as `name=value; …`: a `;` in either, an `=`
 * or white space in a name, or a control character would split or end that header, sending cookies
 * the task never named.
 */
function cookiesProblem(cookies: Record<string, unknown>): string | null {
  for (const name of Object.keys(cookies)) {
    if (/[;=\s\x00-\x1f\x7f,]/.test(name)) return `request option cookies: the name ${JSON.stringify(name)} cannot be sent in a Cookie header (no ; = , white space or control characters)`;
    const given = cookies[name];
    if (typeof given === 'object' && given !== null) return `request option cookies: the value of "${name}" is an object; give text`;
    const value = String(given);
    if (/[;\x00-\x1f\x7f]/.test(value)) return `request option cookies: the value of "${name}" cannot be sent in a Cookie header (no ; or control characters)`;
  }
  return null;
}

/**
 * The first problem with `options`, as the request's failure reason, or null when they are all
 * usable. One pass over the keys given (this runs on every request that passes options).
 */
export function optionsProblem(options: RequestOptions): string | null {
  const o = options as Record<string, unknown>;
  for (const key in o) {
    if (!KNOWN.has(key)) return unknownOption(key);
    const v = o[key];
    if (v === undefined) continue;
    const problem = valueProblem(key, v);
    if (problem !== null) return problem;
  }
  if (o.query !== undefined && o.params !== undefined) return 'request options query and params are both given: pick one (params is Locust\'s name for query)';
  return null;
}

export function isBasicAuth(v: unknown): v is BasicAuth {
  return Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string';
}
