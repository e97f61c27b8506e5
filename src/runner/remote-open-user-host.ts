import type { OpenUserHandle, OpenUserHost, OperationOutcome } from './open-user-host.js';
import type { UserClassSpec } from './user-runner.js';
import type { MainToWorker, OpenRun, OpenRunOutcome } from './worker-protocol.js';

/** A pooled open-model user that lives in worker thread `userId mod N`. */
export class RemoteOpenUser implements OpenUserHandle {
  readonly classIndex: number;
  readonly userId: number;
  readonly worker: number;
  hardStopped = false;
  /** Resolves the arrival in flight on this user, if any. */
  pending: ((outcome: OperationOutcome) => void) | null = null;
  readonly #send: (m: MainToWorker) => void;

  constructor(classIndex: number, userId: number, worker: number, send: (m: MainToWorker) => void) {
    this.classIndex = classIndex;
    this.userId = userId;
    this.worker = worker;
    this.#send = send;
  }

  hardStop(): void {
    if (this.hardStopped) return;
    this.hardStopped = true;
    this.#send({ type: 'hard-stop', userId: this.userId });
  }
}

const NOTHING_RAN: OperationOutcome = Object.freeze({ name: null, failed: false, startedMs: 0, endedMs: 0 });

/**
 * `--processes N` for the open model. The main thread's ArrivalRunner keeps the schedule, the
 * class choice and the pool; this host runs each arrival's task on user k in worker k mod N.
 * Arrivals dispatched in one tick go out as one message per worker; workers answer in batches
 * (one per event-loop turn) with start and end times on the shared high-resolution epoch clock,
 * so latency from the scheduled start and service time are the worker's own measurements.
 */
export class RemoteOpenUserHost implements OpenUserHost<RemoteOpenUser> {
  readonly #send: (worker: number, m: MainToWorker) => boolean;
  readonly #workers: number;
  readonly #users = new Map<number, RemoteOpenUser>();
  readonly #outbox: OpenRun[][];
  #flushQueued = false;
  readonly #finishWaits = new Map<number, () => void>();

  /** `send` returns false when that worker is gone. */
  constructor(workers: number, send: (worker: number, m: MainToWorker) => boolean) {
    this.#workers = workers;
    this.#send = send;
    this.#outbox = Array.from({ length: workers }, () => []);
  }

  create(_spec: UserClassSpec, classIndex: number, userId: number): RemoteOpenUser {
    const worker = userId % this.#workers;
    const user = new RemoteOpenUser(classIndex, userId, worker, (m) => void this.#send(worker, m));
    this.#users.set(userId, user);
    return user;
  }

  runOne(user: RemoteOpenUser): Promise<OperationOutcome> {
    return new Promise((resolve) => {
      user.pending = resolve;
      this.#outbox[user.worker]?.push({ userId: user.userId, classIndex: user.classIndex });
      if (!this.#flushQueued) {
        this.#flushQueued = true;
        queueMicrotask(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#flushQueued = false;
    this.#outbox.forEach((runs, worker) => {
      if (runs.length === 0) return;
      this.#outbox[worker] = [];
      if (!this.#send(worker, { type: 'open-run', runs })) for (const r of runs) this.#settle(r.userId, NOTHING_RAN);
    });
  }

  /** A batch of 'open-done' from a worker. */
  completed(outcomes: readonly OpenRunOutcome[]): void {
    const origin = performance.timeOrigin;
    for (const o of outcomes) {
      this.#settle(o.userId, o.name === null ? NOTHING_RAN : { name: o.name, failed: o.failed, startedMs: o.startedAt - origin, endedMs: o.endedAt - origin });
      if (o.name === null) this.#users.delete(o.userId);
    }
  }

  #settle(userId: number, outcome: OperationOutcome): void {
    const user = this.#users.get(userId);
    const resolve = user?.pending;
    if (!user || !resolve) return;
    user.pending = null;
    resolve(outcome);
  }

  /** A worker died: its users' arrivals in flight end with nothing recorded, and it is not waited for. */
  lost(worker: number): void {
    for (const user of this.#users.values()) if (user.worker === worker) this.#settle(user.userId, NOTHING_RAN);
    this.#finishWaits.get(worker)?.();
  }

  /** 'open-finished' from a worker. */
  finished(worker: number): void {
    this.#finishWaits.get(worker)?.();
  }

  async finishAll(): Promise<void> {
    await Promise.all(
      Array.from({ length: this.#workers }, (_, worker) =>
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
