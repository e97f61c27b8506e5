import { performance } from 'node:perf_hooks';
import { setLongTimeout } from './long-timeout.js';

/**
 * Time is injected (rule 5): core and runner code never call Date.now() or setTimeout directly,
 * so tests can drive a run with a fake clock and no sleeps.
 */
export interface TimerHandle {
  readonly id: unknown;
}

export interface Clock {
  /** Monotonic milliseconds (performance.now() on the system clock). */
  now(): number;
  /** Epoch milliseconds, for timestamps written to files. */
  wallNow(): number;
  setTimer(callback: () => void, delayMs: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  // Delays past Node's 32-bit limit (a long -t, a huge waitTime) are chunked instead of firing
  // after 1 ms; the usual short delay stays one plain setTimeout (think times are the hot path).
  setTimer: setLongTimeout,
  clearTimer(handle) {
    clearTimeout(handle.id as NodeJS.Timeout);
  },
};
