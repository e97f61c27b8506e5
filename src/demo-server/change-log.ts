/**
 * Ring buffer of concept changes for federation sync. Sequence numbers are contiguous, so the
 * slot of a cursor is computed, never searched; a bounded ring keeps a long run's memory flat.
 */
export type ChangeOp = 'upsert' | 'delete';

export interface Change {
  seq: number;
  op: ChangeOp;
  id: string;
  name: string;
  version: number;
  hash: string;
}

export interface ChangesSince {
  changes: Change[];
  /** Last sequence number returned (or the caller's cursor when nothing is new). */
  cursor: number;
  hasMore: boolean;
  /** The cursor was older than the ring (or from before a restart): changes were skipped. */
  truncated: boolean;
}

export class ChangeLog {
  readonly #ring: Array<Change | undefined>;
  #nextSeq = 1;

  constructor(capacity: number) {
    this.#ring = new Array<Change | undefined>(capacity);
  }

  get headSeq(): number {
    return this.#nextSeq - 1;
  }

  append(change: Omit<Change, 'seq'>): number {
    const seq = this.#nextSeq++;
    this.#ring[(seq - 1) % this.#ring.length] = { seq, ...change };
    return seq;
  }

  since(cursor: number, limit: number): ChangesSince {
    const oldest = Math.max(1, this.#nextSeq - this.#ring.length);
    // A cursor beyond the head comes from an earlier server run: resend what we have.
    const stale = cursor > this.headSeq;
    let start = stale ? oldest : cursor + 1;
    const truncated = stale || start < oldest;
    if (start < oldest) start = oldest;
    const end = Math.min(this.headSeq, start + limit - 1);
    const changes: Change[] = [];
    for (let seq = start; seq <= end; seq++) {
      const change = this.#ring[(seq - 1) % this.#ring.length];
      if (change !== undefined) changes.push(change);
    }
    return { changes, cursor: end >= start ? end : Math.min(cursor, this.headSeq), hasMore: end < this.headSeq, truncated };
  }
}
