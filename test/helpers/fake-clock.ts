/**
 * A clock that only moves when told to, for planning and runner tests (rule 5: time is injected).
 * It lives with the test helpers: production code runs on systemClock alone.
 */
import type { Clock, TimerHandle } from '../../src/core/clock.js';

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
