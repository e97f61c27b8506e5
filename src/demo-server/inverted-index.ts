/**
 * token → concept ids. Recall touches only the postings of the query's tokens, so its cost
 * grows with the query, not with the number of stored concepts.
 */
export class InvertedIndex {
  readonly #postings = new Map<string, Set<number>>();

  add(id: number, tokens: readonly string[]): void {
    for (const token of tokens) {
      let posting = this.#postings.get(token);
      if (posting === undefined) {
        posting = new Set();
        this.#postings.set(token, posting);
      }
      posting.add(id);
    }
  }

  remove(id: number, tokens: readonly string[]): void {
    for (const token of tokens) {
      const posting = this.#postings.get(token);
      if (posting === undefined) continue;
      posting.delete(id);
      // Empty postings are dropped so evicted vocabulary does not leak memory over a long run.
      if (posting.size === 0) this.#postings.delete(token);
    }
  }

  lookup(token: string): ReadonlySet<number> | undefined {
    return this.#postings.get(token);
  }

  get tokenCount(): number {
    return this.#postings.size;
  }
}
