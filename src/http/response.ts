import { util } from 'undici';
import { ErrorCodes, type ResponseErrorCode } from '../core/error-codes.js';
import { DecodedBodyTooLargeError, decodeBody } from './content-decoding.js';
import { isTimeoutReason } from './failure-reason.js';
import { caseInsensitiveView } from './header-map.js';

/**
 * What a request returns to the task. The body is kept (up to a cap) so that `text()` and
 * `json()` stay synchronous as in Locust; the chunks undici already allocated are kept as they
 * are and only joined when a task actually reads them.
 */
export type ResponseHeaders = Record<string, string | string[] | undefined>;

export class BodyTooLargeError extends Error {
  readonly code = ErrorCodes.BODY_TOO_LARGE;
  constructor(size: number, cap: number, what = 'response body') {
    super(`${what} (${size} bytes so far) exceeded the ${cap} bytes kept for text()/json(); raise --max-body-size`);
    this.name = 'BodyTooLargeError';
  }
}

/** `r.raiseForStatus()` on a failed request (Python requests' HTTPError). */
export class HttpError extends Error {
  /** HTTP_STATUS (a status >= 400), REQUEST_TIMEOUT (no response in time) or NO_RESPONSE (none at all). */
  readonly code: Extract<ResponseErrorCode, 'HTTP_STATUS' | 'REQUEST_TIMEOUT' | 'NO_RESPONSE'>;
  constructor(readonly response: BroodResponse) {
    super(`${response.method} ${response.url}: ${response.status > 0 ? `HTTP ${response.status}` : (response.error ?? 'no response')}`);
    this.name = 'HttpError';
    if (response.status > 0) this.code = ErrorCodes.HTTP_STATUS;
    else this.code = response.error !== null && isTimeoutReason(response.error) ? ErrorCodes.REQUEST_TIMEOUT : ErrorCodes.NO_RESPONSE;
  }
}

/** `r.json()` on a body that is not JSON: still a SyntaxError (as JSON.parse throws), with a code. */
export class BodyNotJsonError extends SyntaxError {
  readonly code = ErrorCodes.BODY_NOT_JSON;
  constructor(message: string) {
    super(message);
    // The name stays SyntaxError: exceptions are grouped by it, and tasks may test for it.
    this.name = 'SyntaxError';
  }
}

/** One redirect followed on the way to the final response (`r.redirects`). */
export interface RedirectHop {
  readonly status: number;
  /** The absolute URL that answered with the redirect. */
  readonly url: string;
}

const NO_HOPS: readonly RedirectHop[] = Object.freeze([]);
const NO_COOKIES: Readonly<Record<string, string>> = Object.freeze({});

export class BroodResponse {
  readonly method: string;
  readonly name: string;
  /** HTTP status, or 0 when no response arrived (connection error, timeout). */
  status: number;
  /** Bytes of body received, as they crossed the wire (compressed when the server compressed). */
  size: number;
  /** Time from sending to the last body byte of the final response (redirects included), ms. */
  elapsedMs: number;
  /** The failure reason when the request failed (or was marked failed), else null. */
  error: string | null;
  /** The request body's size in bytes (the first send's; a redirect that drops the body sends none again). */
  sentBytes = 0;
  /** What was sent, kept only while a request hook has listeners (trace recording). */
  sent: { atMs: number; url: string; headers: Readonly<Record<string, string>>; body: string | Uint8Array | null } | null = null;
  /** The redirects followed before this response, first first (empty when none). */
  redirects: readonly RedirectHop[] = NO_HOPS;
  /** Cookies the responses of this request set (each redirect hop's included), name → value. */
  cookies: Readonly<Record<string, string>> = NO_COOKIES;

  /** Origin and path+query of the (final) URL: `url` joins them only when read. */
  #origin: string;
  #path: string;
  /** undici's raw header list, parsed into `headers` only when a task reads them. */
  #rawHeaders: Buffer[] | null = null;
  #headers: ResponseHeaders | null = null;
  #first: Buffer | null = null;
  #rest: Buffer[] | null = null;
  #decoded: Buffer | null = null;
  #truncatedAt = 0;
  #cap: number;
  /** A catchResponse request the session has not recorded yet (it records it when the task ends). */
  #catching: boolean;
  /** What the task decided with success()/failure(): undefined while undecided (the last call wins). */
  #decision: string | null | undefined = undefined;
  /** Undecided catchResponse outcome: the failure it would get by default (null = success). */
  defaultFailure: string | null = null;

  constructor(method: string, name: string, origin: string, path: string, cap: number, catchResponse: boolean) {
    this.method = method;
    this.name = name;
    this.#origin = origin;
    this.#path = path;
    this.status = 0;
    this.size = 0;
    this.elapsedMs = 0;
    this.error = null;
    this.#cap = cap;
    this.#catching = catchResponse;
  }

  /** The absolute URL of the final response (after redirects). */
  get url(): string {
    return this.#origin + this.#path;
  }

  /** `url`'s origin (scheme://host:port). */
  get origin(): string {
    return this.#origin;
  }

  /** `url`'s path and query. */
  get path(): string {
    return this.#path;
  }

  /** Response headers; names read case-insensitively (`headers['Content-Type']`); a repeated header is an array. */
  get headers(): ResponseHeaders {
    if (this.#headers === null) {
      const parsed = this.#rawHeaders === null ? {} : (util.parseHeaders(this.#rawHeaders) as ResponseHeaders);
      this.#headers = caseInsensitiveView(parsed);
    }
    return this.#headers;
  }

  set headers(headers: ResponseHeaders) {
    this.#headers = headers;
  }

  /** Called by the session with undici's raw headers ([name, value, name, value, …]). */
  setRawHeaders(raw: Buffer[]): void {
    this.#rawHeaders = raw;
    this.#headers = null;
  }

  /** undici's raw header list of the response (for the session: Location, Set-Cookie). */
  get rawHeaders(): readonly Buffer[] | null {
    return this.#rawHeaders;
  }

  /**
   * A redirect was followed: this object now stands for the next hop's response. The hop is kept
   * in `redirects`, its body dropped (only the final response's body is kept, as requests does).
   */
  followRedirect(toOrigin: string, toPath: string): void {
    const hops = this.redirects === NO_HOPS ? [] : (this.redirects as RedirectHop[]);
    hops.push({ status: this.status, url: this.url });
    this.redirects = hops;
    this.#origin = toOrigin;
    this.#path = toPath;
    this.status = 0;
    this.size = 0;
    this.#rawHeaders = null;
    this.#headers = null;
    this.#first = null;
    this.#rest = null;
    this.#decoded = null;
    this.#truncatedAt = 0;
  }

  get ok(): boolean {
    return this.error === null && this.status > 0 && this.status < 400;
  }

  /** Throws HttpError when the request failed: HTTP status >= 400, or no response at all. */
  raiseForStatus(): void {
    if (this.status >= 400 || this.status === 0) throw new HttpError(this);
  }

  /** Called by the session for each body chunk. */
  keep(chunk: Buffer): void {
    this.size += chunk.length;
    if (this.#truncatedAt > 0) return;
    if (this.size > this.#cap) {
      this.#truncatedAt = this.size;
      this.#first = null;
      this.#rest = null;
      return;
    }
    if (this.#first === null) this.#first = chunk;
    else (this.#rest ??= []).push(chunk);
  }

  /** The body bytes as received (still compressed when the server compressed them). */
  rawBody(): Buffer {
    if (this.#truncatedAt > 0) throw new BodyTooLargeError(this.#truncatedAt, this.#cap);
    if (this.#first === null) return Buffer.alloc(0);
    if (this.#rest === null) return this.#first;
    return Buffer.concat([this.#first, ...this.#rest]);
  }

  /** The body, decoded when the server compressed it (Content-Encoding gzip, deflate or br). */
  body(): Buffer {
    if (this.#decoded !== null) return this.#decoded;
    const raw = this.rawBody();
    const encoding = this.#rawHeaders === null ? undefined : this.headers['content-encoding'];
    if (encoding === undefined || raw.length === 0) return raw;
    try {
      this.#decoded = decodeBody(Array.isArray(encoding) ? encoding.join(', ') : encoding, raw, this.#cap);
    } catch (err: unknown) {
      if (err instanceof DecodedBodyTooLargeError) throw new BodyTooLargeError(this.#cap + 1, this.#cap, 'decoded response body');
      throw err;
    }
    return this.#decoded;
  }

  text(): string {
    return this.body().toString('utf8');
  }

  /** Parses the body as JSON; throws a SyntaxError (BodyNotJsonError) naming the request when it is not JSON. */
  json<T = unknown>(): T {
    const text = this.text();
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new BodyNotJsonError(`${this.method} ${this.name}: response body is not JSON (status ${this.status}, ${this.size} bytes)`);
    }
  }

  /**
   * catchResponse: this request is a success whatever its status. Recorded when the task ends, so
   * the last of success()/failure() wins, as in Locust's `with … catch_response=True` block.
   */
  success(): void {
    if (!this.#catching) return;
    this.#decision = null;
    this.error = null;
  }

  /** catchResponse: this request is a failure with this reason (recorded when the task ends; the last call wins). */
  failure(reason: string | Error): void {
    if (!this.#catching) return;
    this.#decision = typeof reason === 'string' ? reason : reason.message;
    this.error = this.#decision;
  }

  /** Internal (the session, when the task ended): what the task decided, undefined if nothing; later calls do nothing. */
  settle(): string | null | undefined {
    this.#catching = false;
    return this.#decision;
  }

  /** Internal: the session recorded this response already (a refused request); success()/failure() do nothing. */
  detach(): void {
    this.#catching = false;
  }

  /** True while a catchResponse outcome is still undecided. */
  get pending(): boolean {
    return this.#catching && this.#decision === undefined;
  }
}

