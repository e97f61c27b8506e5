/**
 * Where a request goes and what it carries in its URL: a full URL or a path under the base URL,
 * credentials written in it (basic auth, never sent or shown as such), and the query string.
 */
import { basicAuthHeader, redactCredentials, urlCredentials } from './basic-auth.js';
import type { RequestOptions } from './request-options.js';

/** `http://…` or `https://…` (any case): a full URL, not a path under the base URL. */
export function isAbsolute(path: string): boolean {
  const c = path.charCodeAt(0);
  return (c === 104 || c === 72) /* h */ && /^https?:\/\//i.test(path);
}

/** Authorization for a request: its own `auth`, else credentials written in its URL, else the session's. */
export function authHeaderFor(options: RequestOptions, path: string, sessionHeader: string | null): string | null {
  if (options.auth !== undefined) return options.auth === null ? null : basicAuthHeader(options.auth);
  if (isAbsolute(path) && path.includes('@')) {
    const urlAuth = URL.canParse(path) ? urlCredentials(new URL(path)) : null;
    if (urlAuth !== null) return basicAuthHeader(urlAuth);
  }
  return sessionHeader;
}

/** A full URL that cannot be parsed fails the request (it would otherwise be sent as a path). */
export function urlProblem(path: string): string | null {
  return isAbsolute(path) && !URL.canParse(path) ? `invalid URL: ${redactCredentials(path).slice(0, 200)}` : null;
}

/** `{ q: 'a b', tag: ['x', 'y'] }` → `q=a+b&tag=x&tag=y`; null/undefined values are left out (requests drops None). */
export function queryString(query: Readonly<Record<string, unknown>>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null) continue; // requests drops None values
    if (Array.isArray(v)) for (const item of v) params.append(k, String(item));
    // Any value as Python's str() would write it, as requests and Locust do for headers and params.
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    else params.append(k, String(v));
  }
  return params.toString();
}
