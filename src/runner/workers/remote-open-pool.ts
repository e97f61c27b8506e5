import { performance } from 'node:perf_hooks';
import { DROPPED, NOTHING, type ArrivalSink, type OpenPool } from '../open/open-pool.js';
import type { MainToWorker, OpenRun, OpenRunOutcome } from './worker-protocol.js';

/** Worker w's share of a pool bound of maxUsers over n workers (shares add up to maxUsers exactly). */
export function poolShare(maxUsers: number, workers: number, w: number): number {
  return Math.floor(maxUsers / workers) + (w < maxUsers % workers ? 1 : 0);
}

/**
 * `--processes N` for the open model. The main thread's ArrivalRunner keeps the seeded schedule,
 * the class choice, the counts and the windows; arrival i goes to worker i mod N (skipping workers
 * that are gone or have no share of the pool), and each worker keeps a pool of its own (a
 * LocalOpenPool bounded by its share of --max-users, user ids w, w + N, …). When that worker has
 * as many arrivals unanswered as its share (its pool is probably full: it would drop the arrival)
 * the arrival goes to the worker with the most room instead, so that, as in one process, an
 * arrival is dropped only when the whole pool is busy, not when one worker's part is.
 *
 * Why the pool is in the workers: a pooled user is idle again only once its operation's outcome
 * is known. Kept in the main thread, that takes a message round trip, and at a high rate each
 * arrival that finds no idle user makes a new one, whose connection costs the worker more CPU,
 * which delays the outcomes further: a spiral (10 000 arrivals/s on one shared core grew the pool
 * to its 10 000 bound and dropped 11 000 arrivals in the first second). In its worker a user is
 * idle again on the same event loop that dispatches the next arrivals, as in one thread.
 *
 * Arrivals dispatched in one tick go out as one message per worker; outcomes come back batched
 * (one message per worker event-loop turn) with times on the high-resolution epoch clock every
 * thread shares (performance.timeOrigin + performance.now()).
 */
export class RemoteOpenPool implements OpenPool {
  readonly #send: (worker: number, m: MainToWorker) => boolean;
  readonly #sink: ArrivalSink;
  /** Workers that may take arrivals: alive, with a share of the pool. */
  readonly #eligible: boolean[];
  readonly #shares: readonly number[];
  readonly #outbox: OpenRun[][];
  /** Arrivals sent to each worker and not answered yet (settled as NOTHING if it dies). */
  readonly #inFlight: number[];
  /** Each worker's pool per class index, as it last reported (a structured clone: ours to keep). */
  readonly #poolCounts: Array<readonly number[]>;
  readonly #classCount: number;
  #next = 0;
  #flushQueued = false;
  readonly #finishWaits = new Map<number, () => void>();

  /** `initialCounts`: each worker's pool before the run (pre-allocated users), null for empty. `send` returns false when that worker is gone. */
  constructor(
    shares: readonly number[],
    classCount: number,
    sink: ArrivalSink,
    initialCounts: ReadonlyArray<readonly number[] | null>,
    send: (worker: number, m: MainToWorker) => boolean,
  ) {
    this.#send = send;
    this.#sink = sink;
    this.#classCount = classCount;
    this.#eligible = shares.map((s) => s > 0);
    this.#shares = shares;
    this.#outbox = shares.map(() => []);
    this.#inFlight = shares.map(() => 0);
    this.#poolCounts = shares.map((_, w) => initialCounts[w] ?? new Array<number>(classCount).fill(0));
  }

  dispatch(classIndex: number, scheduledMs: number): void {
    const worker = this.#pickWorker();
    if (worker < 0) {
      this.#sink.arrivalDone(classIndex, scheduledMs, NOTHING);
      return;
    }
    this.#inFlight[worker] = (this.#inFlight[worker] ?? 0) + 1;
    this.#outbox[worker]?.push({ classIndex, scheduledAt: performance.timeOrigin + scheduledMs });
    if (!this.#flushQueued) {
      this.#flushQueued = true;
      queueMicrotask(() => this.#flush());
    }
  }

  /**
   * Round robin over the eligible workers, unless that one has as many arrivals unanswered as its
   * share of the pool: then the one with the most room, if any has room. -1 when none is left.
   * (Unanswered arrivals lag the worker's real state by up to one outcome batch, so the room is
   * underestimated, never over.)
   */
  #pickWorker(): number {
    const n = this.#eligible.length;
    let pick = -1;
    for (let k = 0; k < n && pick < 0; k++) {
      const w = this.#next;
      this.#next = (this.#next + 1) % n;
      if (this.#eligible[w]) pick = w;
    }
    if (pick < 0 || this.#room(pick) > 0) return pick;
    let most = 0;
    for (let w = 0; w < n; w++) {
      if (this.#eligible[w] && this.#room(w) > most) {
        most = this.#room(w);
        pick = w;
      }
    }
    return pick;
  }

  #room(worker: number): number {
    return (this.#shares[worker] ?? 0) - (this.#inFlight[worker] ?? 0);
  }

  #flush(): void {
    this.#flushQueued = false;
    this.#outbox.forEach((runs, worker) => {
      if (runs.length === 0) return;
      this.#outbox[worker] = [];
      if (!this.#send(worker, { type: 'open-run', runs })) this.lost(worker);
    });
  }

  /** A batch of 'open-done' from a worker. */
  completed(worker: number, outcomes: readonly OpenRunOutcome[], poolCounts: readonly number[]): void {
    this.#poolCounts[worker] = poolCounts;
    const origin = performance.timeOrigin;
    this.#inFlight[worker] = (this.#inFlight[worker] ?? 0) - outcomes.length;
    for (const o of outcomes) {
      const scheduledMs = o.scheduledAt - origin;
      if (o.result === 'ran') {
        this.#sink.arrivalDone(o.classIndex, scheduledMs, { name: o.name, failed: o.failed, startedMs: o.startedAt - origin, endedMs: o.endedAt - origin });
      } else this.#sink.arrivalDone(o.classIndex, scheduledMs, o.result === 'dropped' ? DROPPED : NOTHING);
    }
  }

  /** A worker died: no more arrivals for it; those in flight there end with nothing recorded. */
  lost(worker: number): void {
    this.#eligible[worker] = false;
    const pending = (this.#inFlight[worker] ?? 0) + (this.#outbox[worker]?.length ?? 0);
    this.#inFlight[worker] = 0;
    this.#outbox[worker] = [];
    for (let i = 0; i < pending; i++) this.#sink.arrivalDone(0, 0, NOTHING);
    this.#finishWaits.get(worker)?.();
  }

  userCount(): number {
    let n = 0;
    for (const counts of this.#poolCounts) for (const c of counts) n += c;
    return n;
  }

  countsByClass(): readonly number[] {
    const out = new Array<number>(this.#classCount).fill(0);
    for (const counts of this.#poolCounts) counts.forEach((c, i) => (out[i] = (out[i] ?? 0) + c));
    return out;
  }

  hardStopAll(): void {
    this.#eligible.forEach((_, worker) => void this.#send(worker, { type: 'open-hard-stop' }));
  }

  /** 'open-finished' from a worker. */
  finished(worker: number): void {
    this.#finishWaits.get(worker)?.();
  }

  async finishAll(): Promise<void> {
    await Promise.all(
      this.#eligible.map(
        (_, worker) =>
          new Promise<void>((resolve) => {
            const t = setTimeout(done, 10_000);
            const finishWaits = this.#finishWaits;
            function done(): void {
              clearTimeout(t);
              finishWaits.delete(worker);
              resolve();
            }
            finishWaits.set(worker, done);
            if (!this.#send(worker, { type: 'open-finish' })) done();
          }),
      ),
    );
  }
}
