/**
 * Request timeouts that fire when asked, for connect, headers, body and every redirect hop.
 *
 * Every request of a run with the run's --request-timeout has the same timeout, so the requests in
 * flight, in the order they started, are also in the order their deadlines come: a FIFO. A run
 * keeps one such queue per timeout length with one timer, armed for the oldest request; starting a
 * request appends the session's node and ending it unlinks it, with no allocation and no timer of
 * its own (a setTimeout/clearTimeout pair per request costs ~0.5 µs, and a Timeout kept per user
 * costs memory while the user thinks). A request with its own `timeout` gets a timer of its own.
 */
import { performance } from 'node:perf_hooks';

/**
 * Timers are armed early by this share of their delay, and re-armed for what is left when they
 * fire before the deadline. Some hosts' timers run slow in proportion to the delay (a VM here:
 * setTimeout(5000) fired 11.6 ms late, setTimeout(1000) 4.3 ms), and a deadline must fire within
 * 20 ms of its time whatever it is; what is left late is then a short last timer's error.
 */
const EARLY_SHARE = 0.01;

/** The delay to arm a timer with for a deadline `leftMs` away (≥ 1 ms, as Node's timers). */
export function earlyDelayMs(leftMs: number): number {
  return Math.max(1, Math.ceil(leftMs - leftMs * EARLY_SHARE));
}

/** A deadline on a timer of its own fires, or, woken early, waits for the rest. */
function ownTimerFired(d: Deadline): void {
  const left = d.at - performance.now();
  // Never early by more than half a millisecond (a timer's rounding), as the queue's.
  if (left > 0.5) {
    d.own = setTimeout(ownTimerFired, earlyDelayMs(left), d);
    d.own.unref();
    return;
  }
  d.own = null;
  d.fire();
}

/** What a deadline cuts when it passes: the current hop's handler. */
export interface TimesOut {
  timeOut(): void;
}

/** One request's deadline: a node of its queue (or the owner of a private timer). */
export class Deadline {
  /** The hop in flight; replaced at each redirect. */
  target: TimesOut | null = null;
  expired = false;
  /** performance.now() at which it expires. */
  at = 0;
  prev: Deadline | null = null;
  next: Deadline | null = null;
  /** The queue it is linked into, or null (ended, or on a private timer). */
  queue: DeadlineQueue | null = null;
  own: NodeJS.Timeout | null = null;
  /** Between start and end(): a session reuses its node only when no request holds it. */
  busy = false;

  fire(): void {
    this.expired = true;
    const target = this.target;
    this.target = null;
    target?.timeOut();
  }

  /** The request is over: its deadline must not fire for it any more. */
  end(): void {
    this.busy = false;
    this.target = null;
    if (this.own !== null) {
      clearTimeout(this.own);
      this.own = null;
    }
    this.queue?.remove(this);
  }
}

/** The requests in flight with one timeout length, oldest first, and one timer for the oldest. */
export class DeadlineQueue {
  readonly ms: number;
  #head: Deadline | null = null;
  #tail: Deadline | null = null;
  #timer: NodeJS.Timeout | null = null;
  /** When the timer fires (performance.now()), Infinity when not armed. */
  #armedAt = Infinity;
  readonly #fire = (): void => this.#expire();

  constructor(ms: number) {
    this.ms = ms;
  }

  /** Links `d` at the tail (its deadline is the latest): O(1), no allocation. */
  add(d: Deadline, now: number): void {
    d.at = now + this.ms;
    d.expired = false;
    d.queue = this;
    d.prev = this.#tail;
    d.next = null;
    if (this.#tail !== null) this.#tail.next = d;
    else this.#head = d;
    this.#tail = d;
    // Only an empty queue needs arming: otherwise the timer is set for an older deadline.
    if (this.#armedAt === Infinity) this.#arm(d.at, now);
  }

  remove(d: Deadline): void {
    if (d.queue !== this) return;
    if (d.prev !== null) d.prev.next = d.next;
    else this.#head = d.next;
    if (d.next !== null) d.next.prev = d.prev;
    else this.#tail = d.prev;
    d.prev = d.next = d.queue = null;
    // The timer stays as it is: when it fires early (its request ended), it re-arms for the new oldest.
  }

  #arm(at: number, now: number): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#armedAt = at;
    this.#timer = setTimeout(this.#fire, earlyDelayMs(at - now));
    this.#timer.unref(); // in-flight sockets keep the process alive, not the timer
  }

  #expire(): void {
    this.#timer = null;
    this.#armedAt = Infinity;
    const now = performance.now();
    // Timers fire whole milliseconds late or on time, never early by more than the rounding.
    while (this.#head !== null && this.#head.at <= now + 0.5) {
      const d = this.#head;
      this.remove(d);
      d.fire();
    }
    if (this.#head !== null) this.#arm(this.#head.at, now);
  }

  /** Nothing in flight any more may fire (a hard stop of the run). */
  clear(): void {
    while (this.#head !== null) this.remove(this.#head);
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#armedAt = Infinity;
  }
}

/** A run's queues, one per timeout length (the run's --request-timeout is almost always the only one). */
export class RunDeadlines {
  readonly #queues = new Map<number, DeadlineQueue>();

  queue(ms: number): DeadlineQueue {
    let q = this.#queues.get(ms);
    if (q === undefined) {
      q = new DeadlineQueue(ms);
      this.#queues.set(ms, q);
    }
    return q;
  }
}

/** One session's deadlines: its node reused request after request, a fresh one for a second request at once. */
export class SessionDeadlines {
  readonly #queue: DeadlineQueue;
  #node: Deadline | null = null;

  constructor(queue: DeadlineQueue) {
    this.#queue = queue;
  }

  /** Starts counting `ms` from `now` (performance.now(), which the caller has just read to time the request). */
  start(ms: number, now = performance.now()): Deadline {
    if (ms !== this.#queue.ms) {
      // A request's own `timeout`: a timer of its own (rare; allocation is fine here).
      const d = new Deadline();
      d.busy = true;
      d.at = now + ms;
      d.own = setTimeout(ownTimerFired, earlyDelayMs(ms), d);
      d.own.unref();
      return d;
    }
    const d = this.#node !== null && !this.#node.busy ? this.#node : new Deadline();
    this.#node ??= d;
    d.busy = true;
    this.#queue.add(d, now);
    return d;
  }
}
