/**
 * Backoff after connection-level failures, per user session and origin. A target that refuses
 * connections answers in microseconds: a user with no think time would otherwise retry in a tight
 * loop, burn a core and record millions of identical ECONNREFUSED. After such a failure the
 * session's next request to that origin first waits 50 ms, doubling with each consecutive
 * connection failure up to 1 s; any response (whatever its status) resets it. The wait happens
 * before the request is timed, so response times stay honest; the failures are still counted by
 * reason, one per attempt. HTTP errors and timeouts never back off: the server answered (or is
 * slow), and a load test must keep measuring that.
 */

import { CERTIFICATE_REASON_PREFIX, CONNECTION_CODES, CONNECT_TIMEOUT_REASON, SOCKET_CLOSED_REASON } from './failure-reason.js';

export const BACKOFF_FIRST_MS = 50;
export const BACKOFF_MAX_MS = 1000;

/** Failure reasons (from errorFailureReason) that mean "no connection", not "a bad answer". */
const CONNECTION_REASONS: ReadonlySet<string> = new Set([...CONNECTION_CODES, CONNECT_TIMEOUT_REASON, SOCKET_CLOSED_REASON]);

export function isConnectionFailure(reason: string): boolean {
  // A refused certificate fails every connect the same way: retrying at once only burns CPU.
  return CONNECTION_REASONS.has(reason) || reason.startsWith(CERTIFICATE_REASON_PREFIX);
}

/** The delay after `consecutive` connection failures in a row (1 → 50 ms, 2 → 100 ms … ≤ 1 s). */
export function backoffDelayMs(consecutive: number): number {
  if (consecutive <= 0) return 0;
  return Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** Math.min(consecutive - 1, 16));
}

interface OriginState {
  consecutive: number;
  /** performance.now() before which the next request must not start. */
  notBeforeMs: number;
}

export class ConnectionBackoff {
  readonly #origins = new Map<string, OriginState>();
  #wake: (() => void) | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;

  /** Called after each request with its failure reason (null = a response arrived). */
  update(origin: string, failure: string | null, nowMs: number): void {
    if (failure === null || !isConnectionFailure(failure)) {
      this.#origins.delete(origin);
      return;
    }
    let state = this.#origins.get(origin);
    if (state === undefined) {
      state = { consecutive: 0, notBeforeMs: 0 };
      this.#origins.set(origin, state);
    }
    state.consecutive++;
    state.notBeforeMs = nowMs + backoffDelayMs(state.consecutive);
  }

  /** Milliseconds to wait before the next request to `origin` (0 = go). */
  remainingMs(origin: string, nowMs: number): number {
    const state = this.#origins.get(origin);
    return state === undefined ? 0 : Math.max(0, state.notBeforeMs - nowMs);
  }

  /** Sleeps `ms`; cancel() (the user was hard-stopped) ends the sleep at once. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
      this.#timer = setTimeout(() => {
        this.#timer = null;
        this.#wake = null;
        resolve();
      }, ms);
    });
  }

  cancel(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }
}
