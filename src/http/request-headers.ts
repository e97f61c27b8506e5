/**
 * The header object of one request, from five sources, lowest first: brood's defaults
 * (User-Agent, Accept-Encoding), the body's Content-Type, the session's headers, the request's
 * headers, then Authorization from `auth` (as requests: auth beats a header) and Cookie from the
 * jar (unless a Cookie header was given, as requests). Names are matched without regard to case.
 *
 * Building a Map per request would cost every request; so requests without headers of their own
 * reuse a frozen object: a constant when nothing but the defaults applies, else the session's last
 * merged object while its inputs (header version, auth, cookie string, content type) are unchanged.
 */
import { headerObject, mergeHeaders, type SessionHeaderStore } from './header-map.js';

export const USER_AGENT = 'brood';
export const ACCEPT_ENCODING = 'gzip, deflate, br';

type Headers = Readonly<Record<string, string>>;

const PLAIN: Headers = Object.freeze({ 'user-agent': USER_AGENT, 'accept-encoding': ACCEPT_ENCODING });
const PLAIN_IDENTITY: Headers = Object.freeze({ 'user-agent': USER_AGENT });
const JSON_TYPE = 'application/json';
const JSON_HEADERS: Headers = Object.freeze({ ...PLAIN, 'content-type': JSON_TYPE });
const JSON_IDENTITY: Headers = Object.freeze({ ...PLAIN_IDENTITY, 'content-type': JSON_TYPE });

/** Each constant as undici's flat [name, value, …] list, which its Request reads without an Object.keys() array per request. */
const flat = (h: Headers): readonly string[] => Object.freeze(Object.entries(h).flat());
const PLAIN_FLAT = flat(PLAIN);
const PLAIN_IDENTITY_FLAT = flat(PLAIN_IDENTITY);
const JSON_FLAT = flat(JSON_HEADERS);
const JSON_IDENTITY_FLAT = flat(JSON_IDENTITY);

/**
 * What to hand undici for `headers`: the flat list when they are one of the constants (most
 * requests of a load test), else the object itself. Compared by identity: no lookup per request.
 */
export function dispatchHeaders(h: Headers): Headers | readonly string[] {
  return h === PLAIN ? PLAIN_FLAT : h === PLAIN_IDENTITY ? PLAIN_IDENTITY_FLAT : h === JSON_HEADERS ? JSON_FLAT : h === JSON_IDENTITY ? JSON_IDENTITY_FLAT : h;
}

interface HeaderInputs {
  contentType: string | null;
  acceptEncoding: boolean;
  session: SessionHeaderStore | null;
  /** The Authorization value from `auth`, or null. */
  authorization: string | null;
  /** The Cookie value from the jar (and per-request cookies), or null. */
  cookie: string | null;
  /** The request's own headers, or undefined. */
  request: Readonly<Record<string, unknown>> | undefined;
}

function build(i: HeaderInputs): Record<string, string> {
  const m = new Map<string, [string, string]>([['user-agent', ['user-agent', USER_AGENT]]]);
  if (i.acceptEncoding) m.set('accept-encoding', ['accept-encoding', ACCEPT_ENCODING]);
  if (i.contentType !== null) m.set('content-type', ['content-type', i.contentType]);
  if (i.session !== null) for (const [k, e] of i.session.entries) m.set(k, e);
  if (i.request !== undefined) mergeHeaders(m, i.request);
  if (i.authorization !== null) m.set('authorization', ['authorization', i.authorization]);
  if (i.cookie !== null && !m.has('cookie')) m.set('cookie', ['cookie', i.cookie]);
  return headerObject(m);
}

/**
 * The shared constant for a request that needs nothing but brood's defaults (and maybe JSON), or
 * null when it needs a merged object (RequestHeaders). Most requests of a load test end here.
 */
export function defaultHeaders(
  contentType: string | null, acceptEncoding: boolean, session: SessionHeaderStore | null,
  authorization: string | null, cookie: string | null, request: Readonly<Record<string, unknown>> | undefined,
): Headers | null {
  if (request !== undefined || (session !== null && session.entries.size > 0) || authorization !== null || cookie !== null) return null;
  if (contentType === null) return acceptEncoding ? PLAIN : PLAIN_IDENTITY;
  if (contentType === JSON_TYPE) return acceptEncoding ? JSON_HEADERS : JSON_IDENTITY;
  return null;
}

/** One session's header building, with its cache of the last merged object. */
export class RequestHeaders {
  #last: Headers | null = null;
  #lastVersion = -1;
  #lastType: string | null = null;
  #lastAuth: string | null = null;
  #lastCookie: string | null = null;
  #lastEncoding = true;

  /**
   * The headers of one request (positional, not an object: this runs per request). `authorization`
   * and `cookie` are header values or null; `request` is the request's own headers.
   */
  for(
    contentType: string | null, acceptEncoding: boolean, session: SessionHeaderStore | null,
    authorization: string | null, cookie: string | null, request: Readonly<Record<string, unknown>> | undefined,
  ): Headers {
    const shared = defaultHeaders(contentType, acceptEncoding, session, authorization, cookie, request);
    if (shared !== null) return shared;
    if (request !== undefined) return build({ contentType, acceptEncoding, session, authorization, cookie, request });
    const version = session?.version ?? 0;
    if (
      this.#last !== null && this.#lastVersion === version && this.#lastType === contentType &&
      this.#lastAuth === authorization && this.#lastCookie === cookie && this.#lastEncoding === acceptEncoding
    ) {
      return this.#last;
    }
    this.#last = Object.freeze(build({ contentType, acceptEncoding, session, authorization, cookie, request }));
    this.#lastVersion = version;
    this.#lastType = contentType;
    this.#lastAuth = authorization;
    this.#lastCookie = cookie;
    this.#lastEncoding = acceptEncoding;
    return this.#last;
  }
}
