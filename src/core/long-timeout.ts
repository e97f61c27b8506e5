/**
 * Node's timers take a signed 32-bit delay in milliseconds (about 24.8 days): a longer one
 * prints a TimeoutOverflowWarning and fires after 1 ms. A run of `-t 597h`, a long
 * --stop-timeout or a `waitTime` of 1e10 s would then end (or spin) at once.
 */
import { performance } from 'node:perf_hooks';

export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/**
 * A timer of any length: it waits in chunks of at most `chunkMs`, each re-armed from the target
 * time on the monotonic clock (so chunk lateness does not add up). `id` is always the chunk in
 * flight, so `clearTimeout(timer.id)` cancels it like a plain Timeout: a Clock's clearTimer needs no
 * second path. An infinite delay never fires; NaN is treated as 0 (as a plain 0 ms timer would be).
 */
export class LongTimeout {
  id: NodeJS.Timeout;
  readonly #at: number;
  readonly #callback: () => void;
  readonly #chunkMs: number;
  readonly #now: () => number;
  readonly #next = (): void => {
    this.id = this.#arm();
  };

  /** `chunkMs` and `now` are for tests (a small chunk shows the re-arming in milliseconds). */
  constructor(callback: () => void, delayMs: number, chunkMs = MAX_TIMER_DELAY_MS, now: () => number = () => performance.now()) {
    this.#callback = callback;
    this.#chunkMs = Math.min(Math.max(1, chunkMs), MAX_TIMER_DELAY_MS);
    this.#now = now;
    this.#at = now() + (Number.isNaN(delayMs) ? 0 : Math.max(0, delayMs));
    this.id = this.#arm();
  }

  #arm(): NodeJS.Timeout {
    const remaining = this.#at - this.#now();
    if (remaining > this.#chunkMs) return setTimeout(this.#next, this.#chunkMs);
    // The last leg calls back whatever the clock says: a timer ~1 ms early must not re-arm forever.
    // Rounded up: libuv counts whole milliseconds, so a fractional remainder would be cut short.
    return setTimeout(this.#callback, Math.max(0, Math.ceil(remaining)));
  }
}

/** setTimeout for any delay: plain below the limit (the cheap path), chunked above it. */
export function setLongTimeout(callback: () => void, delayMs: number): { id: NodeJS.Timeout } {
  return delayMs <= MAX_TIMER_DELAY_MS ? { id: setTimeout(callback, delayMs) } : new LongTimeout(callback, delayMs);
}

/** Cancels a timer from setLongTimeout (either kind). */
export function clearLongTimeout(timer: { id: NodeJS.Timeout }): void {
  clearTimeout(timer.id);
}
