/**
 * Responses per HTTP status code of one stats entry (Vegeta's `status_codes`; the JSON and HTML
 * reports show them per row). 0 is a request that got no response at all (refused, reset, timed
 * out), as Vegeta counts it. Only entries that record a status have one of these (HTTP rows):
 * WebSocket, gRPC and custom rows never make it.
 */
export class StatusCounts {
  // A Map of small integer keys: an update of a code already seen allocates nothing (hot path).
  readonly #counts = new Map<number, number>();

  record(status: number): void {
    this.#counts.set(status, (this.#counts.get(status) ?? 0) + 1);
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
    if (this.#counts.size === 0) return null;
    const out: Record<string, number> = {};
    for (const code of [...this.#counts.keys()].sort((a, b) => a - b)) out[String(code)] = this.#counts.get(code) ?? 0;
    return out;
  }

  reset(): void {
    this.#counts.clear();
  }
}
