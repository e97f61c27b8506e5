import { util } from 'undici';

/**
 * What a request returns to the task. The body is kept (up to a cap) so that `text()` and
 * `json()` stay synchronous as in Locust; the chunks undici already allocated are kept as they
 * are and only joined when a task actually reads them.
 */
export type ResponseHeaders = Record<string, string | string[] | undefined>;

export class BodyTooLargeError extends Error {
  constructor(size: number, cap: number) {
    super(`response body (${size} bytes so far) exceeded the ${cap} bytes kept for text()/json(); raise --max-body-size`);
    this.name = 'BodyTooLargeError';
  }
}

/** Decides a catchResponse request's outcome and records it (implemented by the session). */
export interface OutcomeSink {
  settle(response: BroodResponse, failure: string | null): void;
}

export class BroodResponse {
  readonly method: string;
  readonly name: string;
  readonly url: string;
  /** HTTP status, or 0 when no response arrived (connection error, timeout). */
  status: number;
  /** Bytes of body received. */
  size: number;
  /** Time from sending to the last body byte, ms. */
  elapsedMs: number;
  /** The failure reason when the request failed (or was marked failed), else null. */
  error: string | null;
  /** What was sent, kept only while a request hook has listeners (trace recording). */
  sent: { atMs: number; headers: Readonly<Record<string, string>>; body: string | Uint8Array | null } | null = null;

  /** undici's raw header list, parsed into `headers` only when a task reads them. */
  #rawHeaders: Buffer[] | null = null;
  #headers: ResponseHeaders | null = null;
  #first: Buffer | null = null;
  #rest: Buffer[] | null = null;
  #truncatedAt = 0;
  #cap: number;
  #sink: OutcomeSink | null;
  /** Undecided catchResponse outcome: the failure it would get by default (null = success). */
  defaultFailure: string | null = null;

  constructor(method: string, name: string, url: string, cap: number, sink: OutcomeSink | null) {
    this.method = method;
    this.name = name;
    this.url = url;
    this.status = 0;
    this.size = 0;
    this.elapsedMs = 0;
    this.error = null;
    this.#cap = cap;
    this.#sink = sink;
  }

  /** Response headers, names lower-case; a repeated header is an array. */
  get headers(): ResponseHeaders {
    if (this.#headers === null) this.#headers = this.#rawHeaders === null ? {} : (util.parseHeaders(this.#rawHeaders) as ResponseHeaders);
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

  get ok(): boolean {
    return this.error === null && this.status > 0 && this.status < 400;
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

  /** The raw body bytes. */
  body(): Buffer {
    if (this.#truncatedAt > 0) throw new BodyTooLargeError(this.#truncatedAt, this.#cap);
    if (this.#first === null) return Buffer.alloc(0);
    if (this.#rest === null) return this.#first;
    return Buffer.concat([this.#first, ...this.#rest]);
  }

  text(): string {
    return this.body().toString('utf8');
  }

  /** Parses the body as JSON; throws a SyntaxError naming the request when it is not JSON. */
  json<T = unknown>(): T {
    const text = this.text();
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new SyntaxError(`${this.method} ${this.name}: response body is not JSON (status ${this.status}, ${this.size} bytes)`);
    }
  }

  /** catchResponse: record this request as a success whatever its status. */
  success(): void {
    if (!this.#sink) return;
    const sink = this.#sink;
    this.#sink = null;
    this.error = null;
    sink.settle(this, null);
  }

  /** catchResponse: record this request as a failure with this reason. */
  failure(reason: string | Error): void {
    if (!this.#sink) return;
    const sink = this.#sink;
    this.#sink = null;
    this.error = typeof reason === 'string' ? reason : reason.message;
    sink.settle(this, this.error);
  }

  /** True while a catchResponse outcome is still undecided. */
  get pending(): boolean {
    return this.#sink !== null;
  }
}

