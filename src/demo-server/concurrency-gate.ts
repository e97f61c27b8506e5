/**
 * At most `max` requests in processing; the next `queueLimit` wait in FIFO order; beyond that the
 * caller is refused (503). This gives the demo server a real saturation point (≈ max / latency
 * requests per second) that a step-load shape can find.
 */
interface Waiter {
  grant: (granted: boolean) => void;
  cancelled: boolean;
}

/** true = slot taken now, false = overloaded, a promise = queued (resolves false if cancelled). */
export type Admission = boolean | Promise<boolean>;

export class ConcurrencyGate {
  readonly #max: number;
  readonly #queueLimit: number;
  // Array plus head index: O(1) dequeue without shifting a long array on every release.
  #queue: Waiter[] = [];
  #head = 0;
  #active = 0;
  #queued = 0;

  constructor(max: number, queueLimit: number) {
    this.#max = max;
    this.#queueLimit = queueLimit;
  }

  get active(): number {
    return this.#active;
  }

  get queued(): number {
    return this.#queued;
  }

  /** `onAbort` registers a callback for a client that goes away while waiting. */
  acquire(onAbort: (cancel: () => void) => void): Admission {
    if (this.#active < this.#max) {
      this.#active++;
      return true;
    }
    if (this.#queued >= this.#queueLimit) return false;
    this.#queued++;
    return new Promise<boolean>((resolve) => {
      const waiter: Waiter = { grant: resolve, cancelled: false };
      this.#queue.push(waiter);
      onAbort(() => {
        if (waiter.cancelled) return;
        waiter.cancelled = true;
        this.#queued--;
        resolve(false);
      });
    });
  }

  release(): void {
    this.#active--;
    while (this.#head < this.#queue.length) {
      const waiter = this.#queue[this.#head++] as Waiter;
      if (waiter.cancelled) continue;
      waiter.cancelled = true; // a granted waiter can no longer be cancelled
      this.#queued--;
      this.#active++;
      waiter.grant(true);
      break;
    }
    this.#compact();
  }

  #compact(): void {
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
  }
}
