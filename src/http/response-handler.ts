import { timeoutFailureReason } from './failure-reason.js';
import type { Dispatcher } from 'undici';
import type { BroodResponse } from './response.js';

/**
 * undici's dispatch handler for one request, filling a BroodResponse as bytes arrive. It replaces
 * `Client.request()` + iterating the body stream: no Readable, no async iterator, no header object
 * unless a task reads `headers` (raw headers are parsed on first access). Measured in
 * bench/throughput.ts: CPU per request ~18 µs → ~12 µs for the bare request/response cycle.
 *
 * It uses undici's callback handler (onConnect/onHeaders/onData/onComplete/onError): undici 7 marks
 * it deprecated in its types but runs it natively, while the controller API wraps every request in
 * an adapter that parses headers eagerly. test/integration/http-client.test.ts covers the behaviour.
 */
export class ResponseHandler implements Dispatcher.DispatchHandler {
  readonly #response: BroodResponse;
  readonly #start: number;
  readonly #timeoutMs: number;
  #resolve: (() => void) | null = null;
  #abort: ((err?: Error) => void) | null = null;
  #chunks = 0;
  /** Resolves when the request ended, one way or another (never rejects). */
  readonly done: Promise<void>;
  /** What undici failed with (connection error, timeout, abort), or null. */
  error: Error | null = null;
  /** The whole request outlived the timeout while its body was still arriving (it was cut). */
  timedOut = false;

  constructor(response: BroodResponse, start: number, timeoutMs: number) {
    this.#response = response;
    this.#start = start;
    this.#timeoutMs = timeoutMs;
    this.done = new Promise((resolve) => (this.#resolve = resolve));
  }

  onConnect(abort: (err?: Error) => void): void {
    this.#abort = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    this.#response.status = statusCode;
    this.#response.setRawHeaders(rawHeaders);
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.#response.keep(chunk);
    // --request-timeout bounds the whole request: an endless body is cut (and its bytes counted).
    // Checked from the second chunk on, so a one-chunk response costs no extra clock reading.
    if (++this.#chunks > 1 && performance.now() - this.#start > this.#timeoutMs && !this.timedOut) {
      this.timedOut = true;
      this.#abort?.(new Error(timeoutFailureReason(this.#timeoutMs)));
      return false;
    }
    return true;
  }

  onComplete(): void {
    this.#finish();
  }

  onError(err: Error): void {
    this.error = err;
    this.#finish();
  }

  #finish(): void {
    const resolve = this.#resolve;
    this.#resolve = null;
    resolve?.();
  }
}
