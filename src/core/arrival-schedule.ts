import { timeOfCount, type ArrivalPattern } from './arrival-pattern.js';
import type { Rng } from './rng.js';

/**
 * Turns a pattern into arrival times (seconds from the start). Random patterns use time
 * rescaling: exponential gaps in expected-count space give a (non-homogeneous) Poisson process
 * with exactly the pattern's rate; the others space arrivals one expected arrival apart.
 */
export class ArrivalSchedule {
  readonly #pattern: ArrivalPattern;
  readonly #rng: Rng;
  #next: number;
  /** Position of the next arrival in expected-count space; tracking it (not times) avoids drift. */
  #count = 0;

  constructor(pattern: ArrivalPattern, rng: Rng) {
    this.#pattern = pattern;
    this.#rng = rng;
    this.#next = this.#advance(0);
  }

  /** Time of the next arrival (seconds since start); Infinity when none is coming. */
  peek(): number {
    return this.#next;
  }

  /** Consumes the next arrival and returns its time. */
  take(): number {
    const t = this.#next;
    this.#next = this.#advance(t);
    return t;
  }

  #advance(from: number): number {
    this.#count += this.#pattern.random ? -Math.log(1 - this.#rng.next()) : 1;
    return timeOfCount(this.#pattern, this.#count, from);
  }
}
