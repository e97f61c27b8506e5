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

/** A clock that only moves when told to: for planning and runner tests. */
export class FakeClock implements Clock {
  #now = 0;
  #wallStart: number;
  #timers = new Map<number, { at: number; callback: () => void }>();
  #nextId = 1;

  constructor(wallStartMs = 1_700_000_000_000) {
    this.#wallStart = wallStartMs;
  }

  now(): number {
    return this.#now;
  }

  wallNow(): number {
    return this.#wallStart + this.#now;
  }

  setTimer(callback: () => void, delayMs: number): TimerHandle {
    const id = this.#nextId++;
    this.#timers.set(id, { at: this.#now + Math.max(0, delayMs), callback });
    return { id };
  }

  clearTimer(handle: TimerHandle): void {
    this.#timers.delete(handle.id as number);
  }

  /** Moves time forward, firing due timers in time order (timers set by callbacks included). */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      let dueId = -1;
      let dueAt = Infinity;
      for (const [id, t] of this.#timers) {
        if (t.at <= end && t.at < dueAt) {
          dueAt = t.at;
          dueId = id;
        }
      }
      if (dueId < 0) break;
      const timer = this.#timers.get(dueId);
      this.#timers.delete(dueId);
      this.#now = dueAt;
      timer?.callback();
    }
    this.#now = end;
  }

  pendingTimers(): number {
    return this.#timers.size;
  }
}
