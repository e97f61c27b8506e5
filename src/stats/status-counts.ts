/**
 * Responses per HTTP status code of one stats entry (Vegeta's `status_codes`; the JSON and HTML
 * reports show them per row). 0 is a request that got no response at all (refused, reset, timed
 * out), as Vegeta counts it. Only entries that record a status have one of these (HTTP rows):
 * WebSocket, gRPC and custom rows never make it.
 */
export class StatusCounts {
  // A Map of small integer keys: an update of a code already seen allocates nothing.
  readonly #counts = new Map<number, number>();
  /**
   * The hot path: the code of the last response and how many came in a row, not yet in the Map.
   * A run's responses are mostly one code (200), and a counter bump is cheaper than a Map get+set
   * per request (two per request: the row's and the Aggregated row's).
   */
  #run = -1;
  #runCount = 0;

  record(status: number): void {
    if (status === this.#run) {
      this.#runCount++;
      return;
    }
    this.#flush();
    this.#run = status;
    this.#runCount = 1;
  }

  /** Moves the current run of one code into the Map. */
  #flush(): void {
    if (this.#runCount === 0) return;
    this.#counts.set(this.#run, (this.#counts.get(this.#run) ?? 0) + this.#runCount);
    this.#runCount = 0;
  }

  /** Adds counts as a snapshot or report carries them (code strings to counts); bad keys or values are skipped. */
  add(counts: Readonly<Record<string, number>>): void {
    for (const [code, n] of Object.entries(counts)) {
      const status = Number(code);
      if (!Number.isInteger(status) || status < 0 || !(n > 0)) continue;
      this.#counts.set(status, (this.#counts.get(status) ?? 0) + n);
    }
  }

  /** Code strings to counts, in code order (as Vegeta's report lists them); null when nothing was counted. */
  toRecord(): Record<string, number> | null {
    this.#flush();
    if (this.#counts.size === 0) return null;
    const out: Record<string, number> = {};
    for (const code of [...this.#counts.keys()].sort((a, b) => a - b)) out[String(code)] = this.#counts.get(code) ?? 0;
    return out;
  }

  reset(): void {
    this.#runCount = 0;
    this.#run = -1;
    this.#counts.clear();
  }
}
