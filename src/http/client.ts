import { performance } from 'node:perf_hooks';
import type { Hooks } from '../core/hooks.js';
import type { LoopTurns } from '../core/loop-turns.js';
import { basicAuthHeader } from './basic-auth.js';
import { ConnectionBackoff } from './connection-backoff.js';
import { SessionCookies } from './cookie-jar.js';
import type { DispatcherSource } from './dispatchers.js';
import { errorFailureReason, timeoutFailureReason } from './failure-reason.js';
import { SessionHeaderStore } from './header-map.js';
import { afterAnswer } from './hop-answer.js';
import { authHeaderFor, urlProblem } from './request-url.js';
import { encodeBody, encodeBodyAsync, needsAsyncEncoding, type EncodedBody } from './request-body.js';
import { DeadlineQueue, SessionDeadlines } from './request-deadline.js';
import { HOP_ENDED, RequestExchange, type ExchangeOwner } from './request-exchange.js';
import { defaultHeaders, dispatchHeaders, RequestHeaders } from './request-headers.js';
import { isBasicAuth, optionsProblem, type BasicAuth, type RequestOptions } from './request-options.js';
import type { BroodResponse } from './response.js';
import { responseFor } from './response-for.js';

export type { RequestOptions } from './request-options.js';

/** Where requests are recorded; the stats registry implements it. */
export interface RequestRecorder {
  /** `status`: the HTTP status (0: no response), counted per code in the row. */
  /** `endMs`: the performance.now() reading that ended the request's time, which also dates it (absent: the recorder reads its clock). */
  recordSuccess(method: string, name: string, responseTimeMs: number, contentLength: number, status?: number, requestBytes?: number, endMs?: number): void;
  recordFailure(method: string, name: string, responseTimeMs: number, contentLength: number, error: string, status?: number, requestBytes?: number, endMs?: number): void;
}

export interface SessionSettings {
  /** Base URL without credentials, e.g. http://127.0.0.1:8000 or http://host/api (a path prefix is kept). */
  baseUrl: string;
  requestTimeoutMs: number;
  /** Body bytes kept for text()/json(). */
  maxBodyBytes: number;
  /** Redirects followed before the request fails (--max-redirects). */
  maxRedirects: number;
  /** Send Accept-Encoding: gzip, deflate, br unless a request says otherwise (--no-accept-encoding: false). */
  acceptEncoding: boolean;
  /** Basic auth for every request (credentials of -H http://user:pass@host), or null. */
  auth: BasicAuth | null;
  recorder: RequestRecorder;
  hooks: Hooks;
  userId: number;
  dispatchers: DispatcherSource;
  /** The run's deadline queue for requestTimeoutMs (request-deadline.ts); one of the session's own when absent. */
  deadlines?: DeadlineQueue;
  /** The run's event-loop turn count (loop-turns.ts), bumped as responses complete; absent: not counted. */
  loopTurns?: LoopTurns;
}

/** The method rest() records its response through when its block is over (a symbol: not part of `this.client`'s API). */
export const RECORD_NOW: unique symbol = Symbol('recordNow');

/** The default when a task passes no options: one object for every such request. */
const NO_OPTIONS: RequestOptions = Object.freeze({});
const NO_BODY: EncodedBody = Object.freeze({ body: null, contentType: null });

/**
 * `this.client` of an HttpUser: one user's HTTP session, as Python requests' Session is for
 * Locust — its own keep-alive connection, cookie jar, headers and auth; redirects followed. Every
 * request is timed from just before it is handed to undici to the last body byte of the final
 * response (two performance.now() readings) and recorded once under (method, name). Failures
 * (status >= 400, timeouts, connection errors, too many redirects, unusable options) are
 * recorded, never thrown, so a task goes on as it would with Locust.
 */
export class HttpSession implements ExchangeOwner {
  readonly #s: SessionSettings;
  readonly #origin: string;
  readonly #pathPrefix: string;
  readonly #deadlines: SessionDeadlines;
  /** The last merged header object, made when a user first needs more than brood's defaults. */
  #headerCache: RequestHeaders | null = null;
  #headers: SessionHeaderStore | null = null;
  #cookies: SessionCookies | null = null;
  #auth: BasicAuth | null;
  #authHeader: string | null;
  #pending: BroodResponse[] | null = null;
  #closed = false;
  /** Created on the first connection-level failure (see connection-backoff.ts). */
  #backoff: ConnectionBackoff | null = null;
  /** Failed requests recorded by this session (the open model judges an operation by it). */
  failureCount = 0;
  /** The name renameRequest() gives the requests made inside it, or null. */
  #renamed: string | null = null;

  constructor(settings: SessionSettings) {
    this.#s = settings;
    const url = new URL(settings.baseUrl);
    // Share the run's host string when it is the origin (the usual case): one string per user less.
    this.#origin = url.origin === settings.baseUrl ? settings.baseUrl : url.origin;
    this.#pathPrefix = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
    this.#deadlines = new SessionDeadlines(settings.deadlines ?? new DeadlineQueue(settings.requestTimeoutMs));
    this.#auth = settings.auth;
    this.#authHeader = settings.auth === null ? null : basicAuthHeader(settings.auth);
  }

  /** Headers sent with every request of this user (case-insensitive), e.g. a bearer token after login. */
  get headers(): Record<string, string> {
    this.#headers ??= new SessionHeaderStore();
    return this.#headers.view;
  }

  set headers(headers: Readonly<Record<string, unknown>>) {
    (this.#headers ??= new SessionHeaderStore()).replace(headers);
  }

  /** This user's cookie jar: every Set-Cookie is stored and sent back, as a browser does. */
  get cookies(): SessionCookies {
    this.#cookies ??= new SessionCookies(this.#s.baseUrl);
    return this.#cookies;
  }

  /** Basic auth sent with every request, `[user, password]`, or null. */
  get auth(): BasicAuth | null {
    return this.#auth;
  }

  set auth(auth: BasicAuth | null) {
    if (auth !== null && !isBasicAuth(auth)) throw new TypeError('client.auth must be [user, password] or null');
    this.#auth = auth;
    this.#authHeader = auth === null ? null : basicAuthHeader(auth);
  }

  /**
   * Locust's `rename_request`: every request `fn` makes is recorded under `name` (one that passes
   * its own `name` keeps it), e.g. `await this.client.renameRequest('/blog/[id]', () => …)`. The
   * name applies to requests this user starts while `fn` runs.
   */
  async renameRequest<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
    const before = this.#renamed;
    this.#renamed = name;
    try {
      return await fn();
    } finally {
      this.#renamed = before;
    }
  }

  get(path: string, options?: RequestOptions): Promise<BroodResponse> {
    return this.request('GET', path, options);
  }
  post(path: string, options?: RequestOptions): Promise<BroodResponse> {
    return this.request('POST', path, options);
  }
  put(path: string, options?: RequestOptions): Promise<BroodResponse> {
    return this.request('PUT', path, options);
  }
  patch(path: string, options?: RequestOptions): Promise<BroodResponse> {
    return this.request('PATCH', path, options);
  }
  delete(path: string, options?: RequestOptions): Promise<BroodResponse> {
    return this.request('DELETE', path, options);
  }
  head(path: string, options?: RequestOptions): Promise<BroodResponse> {
    return this.request('HEAD', path, options);
  }
  options(path: string, options?: RequestOptions): Promise<BroodResponse> {
    return this.request('OPTIONS', path, options);
  }

  request(method: string, path: string, options: RequestOptions = NO_OPTIONS): Promise<BroodResponse> {
    // Not async itself, nor is #send: a request is driven by undici's callbacks (request-exchange.ts).
    if (typeof path !== 'string') throw new TypeError(`client.request(${method}, path): path must be a string such as '/items' or 'http://host/items' (got ${path === null ? 'null' : typeof path})`);
    const response = responseFor(this.#origin, this.#pathPrefix, this.#renamed, this.#s.maxBodyBytes, method, path, options);
    const problem = (options === NO_OPTIONS ? null : optionsProblem(options)) ?? urlProblem(path);
    if (problem !== null) return Promise.resolve(this.#refuse(response, problem));
    if (options === NO_OPTIONS || !hasBody(options)) return this.#send(response, path, options, NO_BODY);
    if (needsAsyncEncoding(options)) {
      return encodeBodyAsync(options).then((e) => (typeof e === 'string' ? this.#refuse(response, e) : this.#send(response, path, options, e)));
    }
    const e = encodeBody(options);
    return typeof e === 'string' ? Promise.resolve(this.#refuse(response, e)) : this.#send(response, path, options, e);
  }

  /** Sends the request (after the connection back-off, if one holds), follows its redirects, and records it once. */
  #send(response: BroodResponse, givenPath: string, options: RequestOptions, encoded: EncodedBody): Promise<BroodResponse> {
    if (this.#closed) return Promise.resolve(stopped(response));
    const backoff = this.#backoff;
    if (backoff !== null) {
      const waitMs = backoff.remainingMs(response.origin, performance.now());
      if (waitMs > 0) {
        return backoff.sleep(waitMs).then(() => (this.#closed ? stopped(response) : this.#begin(response, givenPath, options, encoded)));
      }
    }
    return this.#begin(response, givenPath, options, encoded);
  }

  /** Starts the clock and the deadline and dispatches the first hop; the exchange's promise is the task's. */
  #begin(response: BroodResponse, givenPath: string, options: RequestOptions, encoded: EncodedBody): Promise<BroodResponse> {
    const s = this.#s;
    const timeoutMs = options.timeout !== undefined ? Math.max(1, Math.round(options.timeout * 1000)) : s.requestTimeoutMs;
    const body = encoded.body;
    response.sentBytes = body === null ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
    const authorization = authHeaderFor(options, givenPath, this.#authHeader);
    const start = performance.now();
    const deadline = this.#deadlines.start(timeoutMs, start);
    const exchange = new RequestExchange(this, response, options, body, encoded.contentType, authorization, timeoutMs, start, deadline, s.loopTurns ?? null);
    this.#dispatchHop(exchange);
    return exchange.promise;
  }

  #dispatchHop(x: RequestExchange): void {
    const s = this.#s;
    const options = x.options;
    const origin = x.origin;
    const path = x.path;
    const cookie = this.#cookies === null && options.cookies === undefined ? null : this.cookies.headerForPath(origin, path, options.cookies ?? null);
    const acceptEncoding = options.acceptEncoding ?? s.acceptEncoding;
    const headers = defaultHeaders(x.contentType, acceptEncoding, this.#headers, x.authorization, cookie, x.requestHeaders) ??
      (this.#headerCache ??= new RequestHeaders()).for(x.contentType, acceptEncoding, this.#headers, x.authorization, cookie, x.requestHeaders);
    // Only observers (trace recording, user hooks) pay for keeping what was sent.
    if (x.hops === 0 && s.hooks.request.hasListeners) x.response.sent = { atMs: x.start, url: origin + path, headers, body: x.body };
    x.deadline.target = x;
    x.beginHop();
    // undici reads a flat list (the constants have one) without an Object.keys() array; its types want it mutable, it only reads it.
    const sent = dispatchHeaders(headers) as Record<string, string> | string[];
    // blocking: false — with pipelining 1 (dispatchers.ts) nothing is ever queued behind this request
    // on its connection anyway; undici's default (true) only adds a resume() call when its headers arrive.
    s.dispatchers.get(origin).dispatch({ origin, path, method: x.method, headers: sent, body: x.body, headersTimeout: 0, bodyTimeout: 0, blocking: false }, x);
  }

  /** A hop of `x` ended (request-exchange.ts): the redirect to follow, or the request's end. */
  [HOP_ENDED](x: RequestExchange): void {
    const response = x.response;
    if (x.timedOut || x.error !== null) {
      if (!x.timedOut && this.#closed) return this.#stop(x); // hard-stopped mid-request: the tool cut it, not the server; not recorded
      return this.#end(x, this.#transportFailure(x));
    }
    this.#backoff?.update(x.origin, null, 0); // the server answered
    const next = afterAnswer(x, this, this.#s.maxRedirects);
    if (next === null || typeof next === 'string') return this.#end(x, next);
    x.origin = next.url.origin;
    x.path = next.url.pathname + next.url.search;
    x.method = next.method;
    if (!next.keepBody) [x.body, x.contentType] = [null, null];
    // A credential meant for one host is not sent to the host a redirect names (as requests: from auth or a header).
    if (next.otherHost) [x.authorization, x.requestHeaders] = [null, { ...x.requestHeaders, authorization: null }];
    response.followRedirect(x.origin, x.path);
    if (this.#closed) return this.#stop(x);
    x.hops++;
    this.#dispatchHop(x);
  }

  /** The request ended (`failure`: null for success, else the reason): timed, recorded (or deferred), handed to the task. */
  #end(x: RequestExchange, failure: string | null): void {
    x.deadline.end();
    const response = x.response;
    const end = performance.now();
    response.elapsedMs = end - x.start;
    this.#settleOrDefer(response, failure, x.options.catchResponse === true, end);
    x.settle(response);
  }

  /** The user was hard-stopped mid-request: handed back unrecorded. */
  #stop(x: RequestExchange): void {
    x.deadline.end();
    x.settle(stopped(x.response));
  }

  /** A hop that got no answer (its time ran out, or the connection failed): the failure's reason; a connection error also backs this origin off. */
  #transportFailure(x: RequestExchange): string {
    if (x.timedOut || x.error === null) return timeoutFailureReason(x.timeoutMs);
    const failure = errorFailureReason(x.error);
    (this.#backoff ??= new ConnectionBackoff()).update(x.origin, failure, performance.now());
    return failure;
  }

  /** Options that cannot mean what the task wrote: the request fails with the reason, nothing is sent. */
  #refuse(response: BroodResponse, problem: string): BroodResponse {
    response.detach(); // recorded here, once, whatever a catchResponse task then decides
    response.error = problem;
    this.#record(response, problem);
    return response;
  }

  /** `endMs`: the clock reading that ended the request (dates it in the stats); a deferred one is dated when the task ends. */
  #settleOrDefer(response: BroodResponse, failure: string | null, catchResponse: boolean, endMs: number): void {
    response.error = failure;
    if (catchResponse) {
      response.defaultFailure = failure;
      (this.#pending ??= []).push(response);
    } else {
      this.#record(response, failure, endMs);
    }
  }

  /**
   * Records the task's catchResponse requests once it ended (called after each task): as the task
   * decided (the last success()/failure() call), else — when the task threw — failed with the
   * exception's message (Locust's catch_response block does), else by their status. Returns the
   * first user signal a request listener threw meanwhile (RescheduleTask, StopUser…: the runner
   * acts on it as if the task had thrown it), else undefined; every request is recorded anyway.
   */
  flushPending(taskError?: unknown): unknown {
    const pending = this.#pending;
    if (!pending || pending.length === 0) return undefined;
    this.#pending = null;
    let signal: unknown = undefined;
    for (const r of pending) {
      const decided = r.settle();
      const failure = decided !== undefined ? decided : taskError !== undefined ? thrownReason(taskError) : r.defaultFailure;
      r.error = failure;
      try {
        this.#record(r, failure);
      } catch (e) {
        signal ??= e; // only user signals come out of #record (Hook.emitInTask)
      }
    }
    return signal;
  }

  /**
   * A catchResponse request whose checking is over before its task ends (rest()'s block): recorded
   * now, as Locust's `with` block records at its exit, so a request listener's RescheduleTask ends
   * the task there. Does nothing for a response that is not waiting to be recorded.
   */
  [RECORD_NOW](response: BroodResponse): void {
    const pending = this.#pending;
    const i = pending === null ? -1 : pending.indexOf(response);
    if (pending === null || i < 0) return;
    pending.splice(i, 1);
    const decided = response.settle();
    const failure = decided !== undefined ? decided : response.defaultFailure;
    response.error = failure;
    this.#record(response, failure);
  }

  /** The user stopped: release its connections (destroying in-flight requests on a hard stop). */
  close(hard: boolean): void {
    if (hard) {
      this.#closed = true;
      this.#backoff?.cancel();
    }
    this.#s.dispatchers.release(hard);
  }

  #record(response: BroodResponse, failure: string | null, endMs = Number.NaN): void {
    const s = this.#s;
    if (failure === null) s.recorder.recordSuccess(response.method, response.name, response.elapsedMs, response.size, response.status, response.sentBytes, endMs);
    else {
      this.failureCount++;
      s.recorder.recordFailure(response.method, response.name, response.elapsedMs, response.size, failure, response.status, response.sentBytes, endMs);
    }
    if (s.hooks.request.hasListeners) {
      // Fired inside the task (its await gets the signal): a listener's RescheduleTask ends the task, as in Locust.
      s.hooks.request.emitInTask({
        method: response.method,
        name: response.name,
        url: response.sent?.url ?? response.url,
        responseTimeMs: response.elapsedMs,
        contentLength: response.size,
        status: response.status,
        error: failure,
        userId: s.userId,
        sentAtMs: response.sent?.atMs ?? null,
        requestHeaders: response.sent?.headers ?? null,
        requestBody: response.sent?.body ?? null,
      });
    }
  }
}

function stopped(response: BroodResponse): BroodResponse {
  response.error = 'user stopped';
  return response;
}

function thrownReason(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

function hasBody(o: RequestOptions): boolean {
  return o.json !== undefined || o.body !== undefined || o.form !== undefined || o.files !== undefined || o.data !== undefined;
}
