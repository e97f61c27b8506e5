/**
 * A time series that never grows past a bound: when full, every other point is dropped and only
 * every second new point is kept from then on (resolution halves, memory stays flat). A day-long
 * run at one point per second keeps a few thousand points, not 86 400.
 */
export class BoundedTimeline<T> {
  readonly points: T[] = [];
  readonly #max: number;
  readonly #merge: ((a: T, b: T) => T) | null;
  #stride = 1;
  /** Index of the next pushed point; a point is kept when its index is a multiple of the stride. */
  #index = 0;
  #pending: T | null = null;

  /** With `merge`, halving combines neighbours (e.g. the max of two latencies) instead of dropping one. */
  constructor(maxPoints: number, merge?: (a: T, b: T) => T) {
    this.#max = Math.max(2, maxPoints);
    this.#merge = merge ?? null;
  }

  push(point: T): void {
    const index = this.#index++;
    if (this.#merge) {
      // Every point counts: those between kept slots are merged into the slot's point.
      this.#pending = this.#pending === null ? point : this.#merge(this.#pending, point);
      if ((index + 1) % this.#stride !== 0) return;
      point = this.#pending;
      this.#pending = null;
    } else if (index % this.#stride !== 0) {
      return;
    }
    this.points.push(point);
    if (this.points.length >= this.#max) {
      // Kept points sit at multiples of the stride; dropping every other one leaves multiples of twice it.
      for (let i = 0; i < this.points.length / 2; i++) {
        const a = this.points[i * 2] as T;
        const b = this.points[i * 2 + 1];
        this.points[i] = this.#merge && b !== undefined ? this.#merge(a, b) : a;
      }
      this.points.length = Math.floor(this.points.length / 2);
      this.#stride *= 2;
    }
  }

  last(): T | undefined {
    return this.points[this.points.length - 1];
  }
}
