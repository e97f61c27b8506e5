/**
 * A time series that never grows past a bound: when full, every other point is dropped and only
 * every second new point is kept from then on (resolution halves, memory stays flat). A day-long
 * run at one point per second keeps a few thousand points, not 86 400.
 */
export class BoundedTimeline<T> {
  readonly points: T[] = [];
  readonly #max: number;
  #stride = 1;
  /** Index of the next pushed point; a point is kept when its index is a multiple of the stride. */
  #index = 0;

  constructor(maxPoints: number) {
    this.#max = Math.max(2, maxPoints);
  }

  push(point: T): void {
    const index = this.#index++;
    if (index % this.#stride !== 0) return;
    this.points.push(point);
    if (this.points.length >= this.#max) {
      // Kept points sit at multiples of the stride; dropping every other one leaves multiples of twice it.
      for (let i = 0; i < this.points.length / 2; i++) this.points[i] = this.points[i * 2] as T;
      this.points.length = Math.floor(this.points.length / 2);
      this.#stride *= 2;
    }
  }

  last(): T | undefined {
    return this.points[this.points.length - 1];
  }
}
