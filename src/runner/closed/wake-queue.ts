import type { Clock, TimerHandle } from '../../core/clock.js';

/** Something that sleeps in a WakeQueue: the queue keeps its due time and heap slot on it. */
export interface Sleeper {
  /** Clock time (ms) at which to wake; set by the queue. */
  wakeAt: number;
  /** Slot in the queue's heap, -1 when not queued; set by the queue. */
  heapIndex: number;
  wake(): void;
}

/**
 * Node's timers can fire up to ~1 ms before a performance.now() deadline (libuv's loop time is
 * cached in whole milliseconds); a sleeper due within this margin wakes with the batch.
 */
const EARLY_MS = 1;

/**
 * All of a run's think-time sleeps in one binary min-heap with one clock timer armed for the
 * earliest, instead of a setTimeout per sleeping user. Why: each sleeping user otherwise holds a
 * Timeout, its callback closure and a handle (~0.3 KB of an idle user, bench/memory-per-user.ts),
 * all allocated again on every wait and surviving into the old generation when waits are long.
 */
export class WakeQueue {
  readonly #clock: Clock;
  readonly #heap: Sleeper[] = [];
  #timer: TimerHandle | null = null;
  #timerAt = Number.POSITIVE_INFINITY;
  readonly #fire = (): void => this.#wakeDue();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  get size(): number {
    return this.#heap.length;
  }

  /** Wakes `sleeper` after `delayMs` (re-queues it if it was already sleeping). */
  sleep(sleeper: Sleeper, delayMs: number): void {
    if (sleeper.heapIndex >= 0) this.#remove(sleeper.heapIndex);
    sleeper.wakeAt = this.#clock.now() + Math.max(0, delayMs);
    sleeper.heapIndex = this.#heap.length;
    this.#heap.push(sleeper);
    this.#up(sleeper.heapIndex);
    if (sleeper.wakeAt < this.#timerAt) this.#arm();
  }

  /** Takes `sleeper` out without waking it; no-op when it is not queued. */
  cancel(sleeper: Sleeper): void {
    if (sleeper.heapIndex < 0) return;
    this.#remove(sleeper.heapIndex);
    // An earlier-armed timer that finds nothing due just re-arms; only an empty queue must not
    // keep a timer (and with it the process) alive.
    if (this.#heap.length === 0) this.#disarm();
  }

  #wakeDue(): void {
    this.#timer = null;
    this.#timerAt = Number.POSITIVE_INFINITY;
    const horizon = this.#clock.now() + EARLY_MS;
    // Take the whole due batch out first: a woken sleeper may queue itself again at once.
    const due: Sleeper[] = [];
    while (this.#heap.length > 0 && (this.#heap[0] as Sleeper).wakeAt <= horizon) {
      const first = this.#heap[0] as Sleeper;
      this.#remove(0);
      due.push(first);
    }
    if (this.#heap.length > 0) this.#arm();
    for (const s of due) s.wake();
  }

  #arm(): void {
    const first = this.#heap[0];
    if (first === undefined) return;
    this.#disarm();
    this.#timerAt = first.wakeAt;
    this.#timer = this.#clock.setTimer(this.#fire, first.wakeAt - this.#clock.now());
  }

  #disarm(): void {
    if (this.#timer !== null) this.#clock.clearTimer(this.#timer);
    this.#timer = null;
    this.#timerAt = Number.POSITIVE_INFINITY;
  }

  #remove(index: number): void {
    const heap = this.#heap;
    const removed = heap[index] as Sleeper;
    removed.heapIndex = -1;
    const last = heap.pop() as Sleeper;
    if (index === heap.length) return;
    heap[index] = last;
    last.heapIndex = index;
    this.#up(index);
    this.#down(last.heapIndex);
  }

  #up(index: number): void {
    const heap = this.#heap;
    const item = heap[index] as Sleeper;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex] as Sleeper;
      if (parent.wakeAt <= item.wakeAt) break;
      heap[index] = parent;
      parent.heapIndex = index;
      index = parentIndex;
    }
    heap[index] = item;
    item.heapIndex = index;
  }

  #down(index: number): void {
    const heap = this.#heap;
    const n = heap.length;
    const item = heap[index] as Sleeper;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && (heap[right] as Sleeper).wakeAt < (heap[left] as Sleeper).wakeAt) child = right;
      const c = heap[child] as Sleeper;
      if (c.wakeAt >= item.wakeAt) break;
      heap[index] = c;
      c.heapIndex = index;
      index = child;
    }
    heap[index] = item;
    item.heapIndex = index;
  }
}
