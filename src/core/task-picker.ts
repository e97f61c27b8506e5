import type { Rng } from './rng.js';

/**
 * Weighted choice by one random draw and a binary search over cumulative weights (rule 6) —
 * not Locust's array with one copy of a task per unit of weight.
 */
export class WeightedPicker<T> {
  readonly items: readonly T[];
  readonly #cumulative: Float64Array;
  readonly #total: number;

  constructor(items: readonly T[], weights: readonly number[]) {
    const live: T[] = [];
    const cumulative: number[] = [];
    let total = 0;
    items.forEach((item, i) => {
      const w = weights[i] ?? 0;
      if (w > 0) {
        total += w;
        live.push(item);
        cumulative.push(total);
      }
    });
    if (live.length === 0) throw new RangeError('WeightedPicker needs at least one item with weight > 0');
    this.items = live;
    this.#cumulative = Float64Array.from(cumulative);
    this.#total = total;
  }

  pick(rng: Rng): T {
    return this.pickAt(rng.next());
  }

  /** The item for a uniform draw u in [0, 1). */
  pickAt(u: number): T {
    const x = u * this.#total;
    const c = this.#cumulative;
    let lo = 0;
    let hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((c[mid] as number) > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo] as T;
  }
}

/**
 * A MarkovTaskSet's walk: the first task, then after each one a next task drawn by the weights of
 * its transitions (one random draw, as WeightedPicker). One per running set: it holds the state.
 */
export class MarkovPicker<T> {
  readonly #items: readonly T[];
  readonly #next: ReadonlyArray<WeightedPicker<number>>;
  #current = 0;

  constructor(items: readonly T[], chain: { next: ReadonlyArray<readonly number[]>; weights: ReadonlyArray<readonly number[]> }) {
    this.#items = items;
    this.#next = chain.next.map((to, i) => new WeightedPicker(to, chain.weights[i] ?? []));
  }

  pick(rng: Rng): T {
    const item = this.#items[this.#current] as T;
    this.#current = (this.#next[this.#current] as WeightedPicker<number>).pick(rng);
    return item;
  }
}

/** Tasks of a SequentialTaskSet in declaration order, each repeated `weight` times (Locust's semantics). */
export class SequencePicker<T> {
  readonly #sequence: T[];
  #next = 0;

  constructor(items: readonly T[], weights: readonly number[]) {
    this.#sequence = [];
    items.forEach((item, i) => {
      const times = Math.round(weights[i] ?? 0);
      for (let k = 0; k < times; k++) this.#sequence.push(item);
    });
    if (this.#sequence.length === 0) throw new RangeError('SequencePicker needs at least one task with weight > 0');
  }

  pick(): T {
    const item = this.#sequence[this.#next] as T;
    this.#next = (this.#next + 1) % this.#sequence.length;
    return item;
  }
}
