import type { Dispatcher } from 'undici';
import type { Hooks } from '../core/hooks.js';
import { ConnectionBackoff } from './connection-backoff.js';
import type { DispatcherSource } from './dispatchers.js';
import { errorFailureReason, statusFailureReason, timeoutFailureReason } from './failure-reason.js';
import { BroodResponse, type OutcomeSink } from './response.js';
import { ResponseHandler } from './response-handler.js';

/** Where requests are recorded; the stats registry implements it. */
export interface RequestRecorder {
  recordSuccess(method: string, name: string, responseTimeMs: number, contentLength: number): void;
  recordFailure(method: string, name: string, responseTimeMs: number, contentLength: number, error: string): void;
}

export interface RequestOptions {
  /** Stats grouping name (default: the path as given). Use it for URLs with ids: `/item?id=[id]`. */
  name?: string;
  headers?: Record<string, string>;
  /** Sent as JSON with content-type application/json. */
  json?: unknown;
  body?: string | Uint8Array;
  /** Appended as a query string. */
  query?: Record<string, string | number | boolean>;
  /** Seconds (as in Locust/requests); default --request-timeout. */
  timeout?: number;
  /** Let the task decide success or failure with `r.success()` / `r.failure(reason)`. */
  catchResponse?: boolean;
}

export interface SessionSettings {
  /** Base URL, e.g. http://127.0.0.1:8000 or http://host/api (a path prefix is kept). */
  baseUrl: string;
  requestTimeoutMs: number;
  /** Body bytes kept for text()/json(). */
  maxBodyBytes: number;
  recorder: RequestRecorder;
  hooks: Hooks;
  userId: number;
  dispatchers: DispatcherSource;
}

const DEFAULT_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'user-agent': 'brood' });
/** The default when a task passes no options: one object for every such request. */
const NO_OPTIONS: RequestOptions = Object.freeze({});
const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'user-agent': 'brood', 'content-type': 'application/json' });

/**
 * `this.client` of an HttpUser. Every request is timed from just before it is handed to undici
 * to the last body byte (two performance.now() readings) and recorded under (method, name).
 * Failures (status >= 400, timeouts, connection errors) are recorded, never thrown, so a task
 * goes on as it would with Locust.
 */
export class HttpSession implements OutcomeSink {
  readonly #s: SessionSettings;
  readonly #origin: string;
  readonly #pathPrefix: string;
  #pending: BroodResponse[] | null = null;
  #closed = false;
  /** Created on the first connection-level failure (see connection-backoff.ts). */
  #backoff: ConnectionBackoff | null = null;
  /** Failed requests recorded by this session (the open model judges an operation by it). */
  failureCount = 0;

  constructor(settings: SessionSettings) {
    this.#s = settings;
    const url = new URL(settings.baseUrl);
    // Share the run's host string when it is the origin (the usual case): one string per user less.
    this.#origin = url.origin === settings.baseUrl ? settings.baseUrl : url.origin;
    this.#pathPrefix = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
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

  async request(method: string, path: string, options: RequestOptions = NO_OPTIONS): Promise<BroodResponse> {
    const s = this.#s;
    const name = options.name ?? path;
    let origin = this.#origin;
    let requestPath: string;
    if (path.startsWith('http://') || path.startsWith('https://')) {
      const u = new URL(path);
      origin = u.origin;
      requestPath = u.pathname + u.search;
    } else {
      requestPath = this.#pathPrefix + (path.charCodeAt(0) === 47 /* / */ ? path : `/${path}`);
    }
    if (options.query) {
      requestPath += (requestPath.includes('?') ? '&' : '?') + queryString(options.query);
    }
    let body: string | Uint8Array | undefined = options.body;
    let headers = DEFAULT_HEADERS;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers = JSON_HEADERS;
    }
    if (options.headers) headers = { ...headers, ...options.headers };
    const timeoutMs = options.timeout !== undefined ? Math.round(options.timeout * 1000) : s.requestTimeoutMs;
    const response = new BroodResponse(method, name, requestPath, s.maxBodyBytes, options.catchResponse ? this : null);
    if (this.#closed) {
      response.error = 'user stopped';
      return response;
    }

    if (this.#backoff !== null) {
      const waitMs = this.#backoff.remainingMs(origin, performance.now());
      if (waitMs > 0) await this.#backoff.sleep(waitMs);
      if (this.#closed) {
        response.error = 'user stopped';
        return response;
      }
    }
    const dispatcher = s.dispatchers.get(origin);
    const start = performance.now();
    if (s.hooks.request.hasListeners) {
      // Only observers (trace recording, user hooks) pay for keeping what was sent.
      response.sent = { atMs: start, headers, body: body ?? null };
    }
    const handler = new ResponseHandler(response, start, timeoutMs);
    dispatcher.dispatch(
      {
        origin,
        path: requestPath,
        method: method as Dispatcher.HttpMethod,
        headers,
        body: body ?? null,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      },
      handler,
    );
    await handler.done;
    let failure: string | null = null;
    if (handler.error === null || handler.timedOut) {
      if (handler.timedOut) failure = timeoutFailureReason(timeoutMs);
      else if (response.status >= 400) failure = statusFailureReason(response.status);
      if (this.#backoff !== null) this.#backoff.update(origin, null, 0); // the server answered
    } else {
      if (this.#closed) {
        // The user was hard-stopped mid-request: the tool cut it, not the server; not recorded.
        response.error = 'user stopped';
        return response;
      }
      failure = errorFailureReason(handler.error, timeoutMs);
    }
    const end = performance.now();
    response.elapsedMs = end - start;
    if (failure !== null && handler.error !== null && !handler.timedOut) {
      (this.#backoff ??= new ConnectionBackoff()).update(origin, failure, end);
    }

    if (options.catchResponse) {
      response.defaultFailure = failure;
      response.error = failure;
      (this.#pending ??= []).push(response);
    } else {
      response.error = failure;
      this.#record(response, failure);
    }
    return response;
  }

  /** OutcomeSink: a catchResponse request was decided by the task. */
  settle(response: BroodResponse, failure: string | null): void {
    if (this.#pending) {
      const i = this.#pending.indexOf(response);
      if (i >= 0) this.#pending.splice(i, 1);
    }
    this.#record(response, failure);
  }

  /** Records catchResponse requests the task left undecided, by their status (called after each task). */
  flushPending(): void {
    const pending = this.#pending;
    if (!pending || pending.length === 0) return;
    this.#pending = null;
    for (const r of pending) {
      if (r.pending) r.defaultFailure === null ? r.success() : r.failure(r.defaultFailure);
    }
  }

  /** The user stopped: release its connections (destroying in-flight requests on a hard stop). */
  close(hard: boolean): void {
    if (hard) {
      this.#closed = true;
      this.#backoff?.cancel();
    }
    this.#s.dispatchers.release(hard);
  }

  #record(response: BroodResponse, failure: string | null): void {
    const s = this.#s;
    if (failure === null) s.recorder.recordSuccess(response.method, response.name, response.elapsedMs, response.size);
    else {
      this.failureCount++;
      s.recorder.recordFailure(response.method, response.name, response.elapsedMs, response.size, failure);
    }
    if (s.hooks.request.hasListeners) {
      s.hooks.request.emit({
        method: response.method,
        name: response.name,
        url: response.url,
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

function queryString(query: Record<string, string | number | boolean>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) params.append(k, String(v));
  return params.toString();
}
