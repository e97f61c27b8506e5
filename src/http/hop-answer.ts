import type { SessionCookies } from './cookie-jar.js';
import { statusFailureReason } from './failure-reason.js';
import { hasSetCookie, rawHeaderValue, rawHeaderValues } from './raw-headers.js';
import { isRedirect, nextHop, tooManyRedirects, type NextHop } from './redirect-plan.js';
import type { RequestExchange } from './request-exchange.js';
import type { BroodResponse } from './response.js';

/**
 * What a hop's answer means for the request: its Set-Cookie headers stored (each hop's, as a
 * browser does), then the request's end — null for success, or the failure reason — or the
 * redirect to follow next. `session.cookies` (the user's jar, made on first use) is read only when a
 * response sets a cookie.
 */
export function afterAnswer(x: RequestExchange, session: { readonly cookies: SessionCookies }, maxRedirects: number): NextHop | string | null {
  const response = x.response;
  const raw = response.rawHeaders;
  if (raw !== null && hasSetCookie(raw)) storeCookies(session.cookies, response, x.origin, x.path, raw, x.hops);
  if (x.options.allowRedirects === false || !isRedirect(response.status)) return response.status >= 400 ? statusFailureReason(response.status) : null;
  if (x.hops >= maxRedirects) return tooManyRedirects(maxRedirects);
  return nextHop(response.status, x.method, rawHeaderValue(raw, 'location'), new URL(x.path, x.origin), firstHost(response, x.hops));
}

/** `r.cookies` is what the whole chain set: the first hop's, then each later hop's on top. */
function storeCookies(jar: SessionCookies, response: BroodResponse, origin: string, path: string, raw: readonly Buffer[], hops: number): void {
  const set = jar.storeFromResponseAt(origin, path, rawHeaderValues(raw, 'set-cookie'));
  response.cookies = hops === 0 ? set : { ...response.cookies, ...set };
}

/** The host the request was first sent to (Authorization is not carried past it). */
function firstHost(response: BroodResponse, hops: number): string {
  const first = hops === 0 ? response.origin : (response.redirects[0]?.url ?? response.url);
  return new URL(first).hostname;
}
