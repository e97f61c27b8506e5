/**
 * Bare undici request loops, one per connection (brood's Client options and request headers, no
 * user model, no stats), in three ways of handing over the next request; used by
 * bench/undici-loop.ts (the throughput floor) and bench/undici-handoff.ts (what each way costs).
 *   inside     the next request is dispatched from inside onComplete (what autocannon-like loops do)
 *   microtask  … from a microtask after onComplete returned (when any caller that awaits can send)
 *   awaited    a promise per request, awaited by an async request function, an async task and an
 *              async loop (the shape of `await this.client.get()` in a task), with nothing else
 */
import { Client, type Dispatcher } from 'undici';
import { ACCEPT_ENCODING, USER_AGENT } from '../src/http/request-headers.js';

export type Mode = 'inside' | 'microtask' | 'awaited';
export const MODES: readonly Mode[] = ['inside', 'microtask', 'awaited'];

const HEADERS = Object.freeze({ 'user-agent': USER_AGENT, 'accept-encoding': ACCEPT_ENCODING });
const OPTIONS = { path: '/', method: 'GET', headers: HEADERS, headersTimeout: 0, bodyTimeout: 0, blocking: false } as const;

/** brood's per-user Client options, with undici's own timers off (brood times requests itself). */
export function loopClient(url: string): Client {
  return new Client(url, { pipelining: 1, headersTimeout: 0, bodyTimeout: 0, keepAliveTimeout: 60_000 });
}

/** One connection's loop: sends GET / until the deadline (performance.now() ms), in `mode`. */
export class Loop implements Dispatcher.DispatchHandler {
  requests = 0;
  failures = 0;
  readonly #client: Client;
  readonly #mode: Mode;
  readonly #deadline: number;
  /** `#next` bound once: queued as a microtask after each response, without a closure per request. */
  readonly #nextSoon = (): void => this.#next();
  #resolve: (() => void) | null = null;
  #ended: () => void = () => undefined;

  constructor(client: Client, mode: Mode, deadline: number) {
    this.#client = client;
    this.#mode = mode;
    this.#deadline = deadline;
  }

  /** Resolves at the deadline. */
  run(): Promise<void> {
    if (this.#mode === 'awaited') return this.#loop();
    return new Promise((resolve) => {
      this.#ended = resolve;
      this.#next();
    });
  }

  #next(): void {
    if (performance.now() >= this.#deadline) this.#ended();
    else this.#client.dispatch(OPTIONS, this);
  }

  async #loop(): Promise<void> {
    while (performance.now() < this.#deadline) await this.#task();
  }

  async #task(): Promise<void> {
    await this.#get();
  }

  async #get(): Promise<void> {
    const done = new Promise<void>((resolve) => (this.#resolve = resolve));
    this.#client.dispatch(OPTIONS, this);
    await done;
  }

  onConnect(): void {}
  onHeaders(): boolean {
    return true;
  }
  onData(): boolean {
    return true;
  }
  onComplete(): void {
    this.requests++;
    this.#handOver();
  }
  onError(): void {
    this.failures++;
    this.#handOver();
  }

  #handOver(): void {
    if (this.#mode === 'inside') this.#next();
    else if (this.#mode === 'microtask') queueMicrotask(this.#nextSoon);
    else this.#resolve?.();
  }
}
