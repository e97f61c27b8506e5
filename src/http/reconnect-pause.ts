/**
 * One connection's pause after attempts that found no connection (a GrpcUser's UNAVAILABLE with
 * the channel not ready, a WebSocketUser's refused or broken connection): a refused connect fails
 * in microseconds, and a user with no think time would spin a core recording millions of them. As
 * brood's HTTP client (connection-backoff.ts, per origin): the next attempt first
 * waits 50 ms, doubling with each such failure in a row up to 1 s, before it is timed; any answer
 * from the server (whatever its status) ends the pause. The failures are all still recorded.
 */
import { performance } from 'node:perf_hooks';
import { backoffDelayMs } from './connection-backoff.js';

export class ReconnectPause {
  #failures = 0;
  /** performance.now() before which no call starts. */
  #notBeforeMs = 0;
  #sleeping: Promise<void> | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #wake: (() => void) | null = null;

  /** A call found no connection. */
  failed(nowMs: number): void {
    this.#failures++;
    this.#notBeforeMs = nowMs + backoffDelayMs(this.#failures);
  }

  /** The server answered. */
  answered(): void {
    this.#failures = 0;
    this.#notBeforeMs = 0;
  }

  /**
   * Resolves when the next call may start: at once (null, the usual case: no promise made, and no
   * clock read beside the call's own two) or after the pause.
   */
  wait(): Promise<void> | null {
    if (this.#failures === 0) return null;
    const nowMs = performance.now();
    if (nowMs >= this.#notBeforeMs) return null;
    // Calls a task starts together wait for the same pause.
    this.#sleeping ??= new Promise<void>((resolve) => {
      this.#wake = resolve;
      this.#timer = setTimeout(() => this.cancel(), this.#notBeforeMs - nowMs);
    });
    return this.#sleeping;
  }

  /** Ends a pause now (it elapsed, or the user was hard-stopped). */
  cancel(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    const wake = this.#wake;
    this.#timer = null;
    this.#wake = null;
    this.#sleeping = null;
    wake?.();
  }
}
