/**
 * Undirected weighted concept graph. Bounded twice: a total cap and a per-concept degree cap,
 * so a popular word ("data") cannot grow one adjacency map without limit.
 */
export type LinkOutcome = 'created' | 'strengthened' | 'dropped';

export const MAX_DEGREE = 128;

export class RelationshipGraph {
  readonly #adjacency = new Map<number, Map<number, number>>();
  readonly #maxRelationships: number;
  #count = 0;

  constructor(maxRelationships: number) {
    this.#maxRelationships = maxRelationships;
  }

  get count(): number {
    return this.#count;
  }

  link(a: number, b: number): LinkOutcome {
    if (a === b) return 'dropped';
    const fromA = this.#adjacency.get(a);
    const weight = fromA?.get(b);
    if (fromA !== undefined && weight !== undefined) {
      fromA.set(b, weight + 1);
      this.#adjacency.get(b)?.set(a, weight + 1);
      return 'strengthened';
    }
    if (this.#count >= this.#maxRelationships || this.degree(a) >= MAX_DEGREE || this.degree(b) >= MAX_DEGREE) {
      return 'dropped';
    }
    this.#neighbours(a).set(b, 1);
    this.#neighbours(b).set(a, 1);
    this.#count++;
    return 'created';
  }

  degree(id: number): number {
    return this.#adjacency.get(id)?.size ?? 0;
  }

  has(a: number, b: number): boolean {
    return this.#adjacency.get(a)?.has(b) ?? false;
  }

  /** Up to `limit` neighbours with their weights, in link order. */
  neighbours(id: number, limit: number): Array<readonly [number, number]> {
    const out: Array<readonly [number, number]> = [];
    const map = this.#adjacency.get(id);
    if (map === undefined) return out;
    for (const entry of map) {
      if (out.length >= limit) break;
      out.push(entry);
    }
    return out;
  }

  remove(id: number): void {
    const map = this.#adjacency.get(id);
    if (map === undefined) return;
    for (const other of map.keys()) this.#adjacency.get(other)?.delete(id);
    this.#count -= map.size;
    this.#adjacency.delete(id);
  }

  #neighbours(id: number): Map<number, number> {
    let map = this.#adjacency.get(id);
    if (map === undefined) {
      map = new Map();
      this.#adjacency.set(id, map);
    }
    return map;
  }
}
