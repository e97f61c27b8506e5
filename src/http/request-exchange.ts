import type { Dispatcher } from 'undici';
import type { LoopTurns } from '../core/loop-turns.js';
import type { Deadline } from './request-deadline.js';
import type { RequestOptions } from './request-options.js';
import type { BroodResponse } from './response.js';

/** Marks an abort that brood made because the request's time was up (not the server's doing). */
export class RequestTimedOut extends Error {
  constructor() {
    super('request timed out');
    this.name = 'RequestTimedOut';
  }
}

/** The method a session runs when a hop of one of its exchanges ended (a symbol: not part of `this.client`'s API). */
export const HOP_ENDED: unique symbol = Symbol('hopEnded');

/** What drives an exchange from hop to hop: the user's HttpSession. */
export interface ExchangeOwner {
  /** A hop ended (answered, failed or timed out): follow the redirect, or record and settle(). */
  [HOP_ENDED](exchange: RequestExchange): void;
}

/**
 * One request from its first send to its final answer: undici's dispatch handler for each hop of
 * its redirect chain (filling the BroodResponse as bytes arrive), the state that carries from hop to
 * hop, and the promise the task awaits.
 *
 * It is driven by callbacks, not by an async function awaiting each hop: when a response completes,
 * the owner records it and resolves the task's promise from inside undici's onComplete. An async
 * `#send` awaiting a per-hop promise cost an async frame, a second promise and one more microtask
 * hop per request (bench/RESULTS.md, issue 15). A failed or timed-out hop is handed over in a
 * microtask instead: undici may call onError from inside dispatch() or abort(), and a timeout fires
 * from the deadline queue's own walk, neither a place to run the rest of a request from.
 *
 * It uses undici's callback handler (onConnect/onHeaders/onData/onComplete/onError): undici 7 marks
 * it deprecated in its types but runs it natively, while the controller API wraps every request in
 * an adapter that parses headers eagerly; no Readable, no async iterator, no header object unless a
 * task reads `headers`. Timeouts are brood's own (`timeOut()`, called by the request's Deadline)
 * rather than undici's headersTimeout/bodyTimeout, which run on undici's coarse timer (a 0.1 s
 * timeout fired after ~1 s) and do not cover connecting.
 */
export class RequestExchange implements Dispatcher.DispatchHandler {
  readonly response: BroodResponse;
  readonly options: RequestOptions;
  readonly #owner: ExchangeOwner;
  readonly #turns: LoopTurns | null;
  /** The promise the task awaits: the response once recorded (rejects only when brood itself threw). */
  readonly promise: Promise<BroodResponse>;
  #resolve!: (r: BroodResponse) => void;
  #reject!: (e: unknown) => void;
  /** A hop is in flight: undici's callbacks for it count (false once it ended, or was cut). */
  #inFlight = false;
  #abort: ((err?: Error) => void) | null = null;

  // The request as the current hop sends it (a redirect changes them).
  origin: string;
  path: string;
  method: string;
  body: string | Uint8Array | null;
  contentType: string | null;
  authorization: string | null;
  requestHeaders: Readonly<Record<string, unknown>> | undefined;
  /** Redirects followed so far. */
  hops = 0;
  /** performance.now() when the first hop was handed to undici. */
  readonly start: number;
  readonly deadline: Deadline;
  readonly timeoutMs: number;

  // How the current hop ended.
  /** What undici failed with (connection error, abort), or null. */
  error: Error | null = null;
  /** The deadline passed before the response was complete (it was cut, or never sent). */
  timedOut = false;

  constructor(
    owner: ExchangeOwner,
    response: BroodResponse,
    options: RequestOptions,
    body: string | Uint8Array | null,
    contentType: string | null,
    authorization: string | null,
    timeoutMs: number,
    start: number,
    deadline: Deadline,
    turns: LoopTurns | null,
  ) {
    this.#owner = owner;
    this.response = response;
    this.options = options;
    this.origin = response.origin;
    this.path = response.path;
    this.method = response.method;
    this.body = body;
    this.contentType = contentType;
    this.authorization = authorization;
    this.requestHeaders = options.headers;
    this.timeoutMs = timeoutMs;
    this.start = start;
    this.deadline = deadline;
    this.#turns = turns;
    this.promise = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  /** The next hop is about to be dispatched: its callbacks count from now. */
  beginHop(): void {
    this.#inFlight = true;
    this.#abort = null;
    this.error = null;
  }

  /** The request is over: the task's await returns `response`. */
  settle(response: BroodResponse): void {
    this.#resolve(response);
  }

  /** The request's time is up: end it now, whatever phase it is in (connecting, waiting, reading). */
  timeOut(): void {
    if (!this.#inFlight) return;
    this.timedOut = true;
    const abort = this.#abort;
    this.#endHopSoon(); // first: undici calls onError from inside abort(), and that error is ours, not the server's
    // Before onConnect there is nothing to abort yet: onConnect aborts it when it comes.
    abort?.(new RequestTimedOut());
  }

  onConnect(abort: (err?: Error) => void): void {
    if (this.timedOut) abort(new RequestTimedOut());
    else this.#abort = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    if (!this.#inFlight) return false;
    this.response.status = statusCode;
    this.response.setRawHeaders(rawHeaders);
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (!this.#inFlight) return false; // already over (timed out): nothing more is counted
    this.response.keep(chunk);
    return true;
  }

  onComplete(): void {
    if (!this.#inFlight) return;
    if (this.#turns !== null) this.#turns.count++;
    this.#inFlight = false;
    this.#hopEnded();
  }

  onError(err: Error): void {
    if (!this.#inFlight) return;
    this.error = err;
    this.#endHopSoon();
  }

  #endHopSoon(): void {
    this.#inFlight = false;
    queueMicrotask(() => this.#hopEnded());
  }

  /** Never throws into undici or a timer: what brood's own code throws reaches the task's await instead. */
  #hopEnded(): void {
    try {
      this.#owner[HOP_ENDED](this);
    } catch (e) {
      this.deadline.end();
      this.#reject(e);
    }
  }
}
