/**
 * The concept ids one virtual user has seen (from /learn, /recall, /entities, federation), so
 * that PUT, GET and DELETE /concepts/:id address concepts that exist. Bounded: a long run keeps
 * the most recent ids only. Ids are shared by all users of a memory space (the server dedupes
 * concepts by name), so an id may vanish under us when another user deletes it or the server
 * evicts it; callers treat that 404 as the expected race it is (see memory-requests.ts).
 */
import type { Rng } from '../../src/index.js';

/** Id used when the pool is empty: never a real concept, so the request 404s and is counted as "concept_gone". */
export const NO_CONCEPT_ID = 'c0';

export class ConceptIdPool {
  readonly #ids: string[] = [];
  readonly #capacity: number;

  constructor(capacity = 64) {
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#ids.length;
  }

  add(ids: readonly unknown[]): void {
    for (const id of ids) {
      if (typeof id !== 'string' || id === '') continue;
      const at = this.#ids.indexOf(id);
      if (at >= 0) this.#ids.splice(at, 1);
      this.#ids.push(id);
      if (this.#ids.length > this.#capacity) this.#ids.shift();
    }
  }

  /** A random known id (NO_CONCEPT_ID when none is known), left in the pool. */
  pick(rng: Rng): string {
    return this.#ids.length === 0 ? NO_CONCEPT_ID : rng.pick(this.#ids);
  }

  /** A random known id, removed from the pool (for DELETE). */
  take(rng: Rng): string {
    if (this.#ids.length === 0) return NO_CONCEPT_ID;
    const i = Math.floor(rng.next() * this.#ids.length);
    return this.#ids.splice(i, 1)[0] ?? NO_CONCEPT_ID;
  }

  forget(id: string): void {
    const at = this.#ids.indexOf(id);
    if (at >= 0) this.#ids.splice(at, 1);
  }
}
