import type { Dispatcher } from 'undici';
import type { LoopTurns } from '../core/loop-turns.js';
import type { BroodResponse } from './response.js';

/** Marks an abort that brood made because the request's time was up (not the server's doing). */
export class RequestTimedOut extends Error {
  constructor() {
    super('request timed out');
    this.name = 'RequestTimedOut';
  }
}

/**
 * undici's dispatch handler for one request (one hop of a redirect chain), filling a BroodResponse
 * as bytes arrive. It replaces `Client.request()` + iterating the body stream: no Readable, no async
 * iterator, no header object unless a task reads `headers` (raw headers are parsed on first
 * access). Measured in bench/throughput.ts: CPU per request ~18 µs → ~12 µs for the bare cycle.
 *
 * Timeouts are brood's own (`timeOut()`, called by the request's deadline timer) rather than
 * undici's headersTimeout/bodyTimeout: those run on undici's coarse timer (about 1 s resolution),
 * so a 0.1 s timeout fired after ~1 s, and they do not cover connecting at all.
 *
 * It uses undici's callback handler (onConnect/onHeaders/onData/onComplete/onError): undici 7 marks
 * it deprecated in its types but runs it natively, while the controller API wraps every request in
 * an adapter that parses headers eagerly. test/integration/http-client.test.ts covers the behaviour.
 */
export class ResponseHandler implements Dispatcher.DispatchHandler {
  readonly #response: BroodResponse;
  readonly #turns: LoopTurns | null;
  #resolve: (() => void) | null = null;
  #abort: ((err?: Error) => void) | null = null;
  /** Resolves when the request ended, one way or another (never rejects). */
  readonly done: Promise<void>;
  /** What undici failed with (connection error, abort), or null. */
  error: Error | null = null;
  /** The deadline passed before the response was complete (it was cut, or never sent). */
  timedOut = false;

  /** `turns`: bumped when the response completes (an I/O callback: the event loop turned), or null. */
  constructor(response: BroodResponse, turns: LoopTurns | null = null) {
    this.#response = response;
    this.#turns = turns;
    this.done = new Promise((resolve) => (this.#resolve = resolve));
  }

  /** The request's time is up: end it now, whatever phase it is in (connecting, waiting, reading). */
  timeOut(): void {
    if (this.#resolve === null) return;
    this.timedOut = true;
    const abort = this.#abort;
    this.#finish(); // first: undici calls onError from inside abort(), and that error is ours, not the server's
    // Before onConnect there is nothing to abort yet: onConnect aborts it when it comes.
    abort?.(new RequestTimedOut());
  }

  onConnect(abort: (err?: Error) => void): void {
    if (this.timedOut) abort(new RequestTimedOut());
    else this.#abort = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    if (this.#resolve === null) return false;
    this.#response.status = statusCode;
    this.#response.setRawHeaders(rawHeaders);
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.#resolve === null) return false; // already over (timed out): nothing more is counted
    this.#response.keep(chunk);
    return true;
  }

  onComplete(): void {
    if (this.#turns !== null) this.#turns.count++;
    this.#finish();
  }

  onError(err: Error): void {
    if (this.#resolve === null) return;
    this.error = err;
    this.#finish();
  }

  #finish(): void {
    const resolve = this.#resolve;
    this.#resolve = null;
    resolve?.();
  }
}
