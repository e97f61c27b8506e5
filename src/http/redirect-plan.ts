/**
 * Where a redirect leads and what is sent there, as browsers and Python requests do it: 301, 302
 * and 303 continue as GET without a body (HEAD stays HEAD); 307 and 308 keep the method and body.
 * Credentials are not carried to another host (requests' rule: an Authorization header set for
 * one host must not leak to the host a redirect names).
 */

export const MAX_REDIRECTS_DEFAULT = 10;

export interface NextHop {
  url: URL;
  method: string;
  /** The request body (and its Content-Type) goes on to the next hop. */
  keepBody: boolean;
  /** The next hop is on another host: Authorization is not sent there. */
  otherHost: boolean;
}

export function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/**
 * The hop after a redirect `status` with `location` from `current`, or a one-line problem when the
 * Location cannot be followed. Call only for isRedirect(status).
 */
export function nextHop(status: number, method: string, location: string | undefined, current: URL, firstHost: string): NextHop | string {
  if (location === undefined || location === '') return `HTTP ${status} redirect without a Location header`;
  let url: URL;
  try {
    url = new URL(location, current);
  } catch {
    return `HTTP ${status} redirect to an invalid Location`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `HTTP ${status} redirect to a ${url.protocol} URL, which brood cannot follow`;
  url.hash = '';
  const keep = status === 307 || status === 308;
  return { url, method: keep || method === 'HEAD' ? method : 'GET', keepBody: keep, otherHost: url.hostname !== firstHost };
}

export function tooManyRedirects(max: number): string {
  return `too many redirects (${max})`;
}
