import type { OpenUserHandle, OpenUserHost, OperationOutcome } from './open-user-host.js';
import type { UserClassSpec } from '../closed/user-runner.js';
import type { PreconnectResult } from '../../http/warm-sockets.js';
import { systemClock, type Clock, type TimerHandle } from '../../core/clock.js';

/** Every user busy and the pool at its bound: counted as dropped, never delayed. */
export const DROPPED = 'dropped';
/** Nothing to record: no user could be made (its constructor threw), or the run was cut short. */
export const NOTHING = 'nothing';

/** What became of one arrival: the task as it ran (a non-null name; times on the run's clock), or DROPPED / NOTHING. */
export type ArrivalOutcome = OperationOutcome | typeof DROPPED | typeof NOTHING;

/** Receives every dispatched arrival's outcome exactly once (one shared sink: no closure per arrival). */
export interface ArrivalSink {
  arrivalDone(classIndex: number, scheduledMs: number, outcome: ArrivalOutcome): void;
}

/**
 * How long an arrival that finds every user of its class busy waits for one of them to finish
 * before a new user is made for it. Why: a new user is the generator's dearest step (a GrpcUser's
 * channel and connection cost ~2 ms of CPU), and making one for every arrival that met a busy pool
 * fed on itself. In the grpc scenario (520 calls/s, calls of ~1 ms) a 90 ms stall of the machine
 * left more arrivals due than idle users; each new user's ~2 ms let more than one arrival come due,
 * which found no idle user either: the pool went from 68 to 354 users in one second, brood's own
 * event loop stalled 100+ ms and the kernel's P99 read 330-700 ms, the generator's cost, not the
 * server's. Users that finish a call in a millisecond take the waiting arrivals instead; a pool that
 * is truly short (a slow server) grows after this wait, which the arrival's latency (taken from its
 * scheduled time) shows.
 */
export const GROW_AFTER_MS = 5;

/**
 * The open model's pool of users: runs each arrival on an idle user of its class; when all of the
 * class's users are busy, on the first of them to finish within GROW_AFTER_MS, else on a new user
 * while the pool is under its bound; at the bound the arrival is dropped. Here (LocalOpenPool) or
 * spread over the --processes workers, each with a pool of its own (remote-open-pool.ts).
 */
export interface OpenPool {
  dispatch(classIndex: number, scheduledMs: number): void;
  /** Users created so far, busy or idle. */
  userCount(): number;
  /** Users per class index. */
  countsByClass(): readonly number[];
  /** Users made before the run (--pre-allocated-users), `perClass[i]` of class i; returns how many. Absent where the pool is made elsewhere (the workers' pools make theirs as they start). */
  preallocate?(perClass: readonly number[]): number;
  /** Opens the connections of the users preallocate() made (see LocalOpenPool.connectPreallocated). */
  connectPreallocated?(openHttp: (count: number) => Promise<OpenedConnections>): Promise<OpenedConnections>;
  /** Cuts every operation in flight; their outcomes, and those of arrivals waiting for a user, become NOTHING. */
  hardStopAll(): void;
  /** The run is over: every user that started runs onStop, then its connections close. */
  finishAll(): Promise<void>;
}

export interface LocalOpenPoolOptions {
  maxUsers: number;
  /** User ids are firstUserId, firstUserId + idStride, …: worker w of N uses w and N, so ids stay unique across workers. */
  firstUserId?: number;
  idStride?: number;
  /** Times the waits for a busy user (default: the system clock). */
  clock?: Clock;
}

/** Arrivals of one class waiting for a user: scheduled times and when each began to wait, oldest first (no object per arrival). */
class WaitingArrivals {
  #scheduled: number[] = [];
  #since: number[] = [];
  #head = 0;

  get length(): number {
    return this.#scheduled.length - this.#head;
  }

  push(scheduledMs: number, sinceMs: number): void {
    this.#scheduled.push(scheduledMs);
    this.#since.push(sinceMs);
  }

  /** When the oldest began to wait (Infinity when none does). */
  oldestSince(): number {
    return this.length > 0 ? (this.#since[this.#head] as number) : Infinity;
  }

  /** The oldest's scheduled time, taken off the queue (call only when length > 0). */
  shift(): number {
    const scheduled = this.#scheduled[this.#head++] as number;
    if (this.#head === this.#scheduled.length) {
      this.#scheduled.length = 0;
      this.#since.length = 0;
      this.#head = 0;
    } else if (this.#head >= 1024) {
      this.#scheduled.splice(0, this.#head);
      this.#since.splice(0, this.#head);
      this.#head = 0;
    }
    return scheduled;
  }
}

/** Users in this thread. Completions are handled on this event loop, so a user is idle again before the next arrivals are dispatched. */
export class LocalOpenPool<H extends OpenUserHandle> implements OpenPool {
  readonly #classes: readonly UserClassSpec[];
  readonly #host: OpenUserHost<H>;
  readonly #sink: ArrivalSink;
  readonly #maxUsers: number;
  readonly #idStride: number;
  readonly #idle: H[][];
  readonly #all: H[] = [];
  readonly #counts: number[];
  /** The next user id (a user whose constructor threw used one up and is not in the pool). */
  #nextUserId: number;
  readonly #clock: Clock;
  /** Per class: arrivals waiting for one of its busy users (see GROW_AFTER_MS). */
  readonly #waiting: WaitingArrivals[];
  #growTimer: TimerHandle | null = null;
  /** Stopped (hard stop or finish): waiting arrivals are let go and no user is made any more. */
  #closed = false;

  constructor(classes: readonly UserClassSpec[], host: OpenUserHost<H>, sink: ArrivalSink, options: LocalOpenPoolOptions) {
    this.#classes = classes;
    this.#host = host;
    this.#sink = sink;
    this.#maxUsers = options.maxUsers;
    this.#nextUserId = options.firstUserId ?? 0;
    this.#idStride = options.idStride ?? 1;
    this.#idle = classes.map(() => []);
    this.#counts = classes.map(() => 0);
    this.#clock = options.clock ?? systemClock;
    this.#waiting = classes.map(() => new WaitingArrivals());
  }

  userCount(): number {
    return this.#all.length;
  }

  countsByClass(): readonly number[] {
    return this.#counts;
  }

  /**
   * Creates users before the run starts (--pre-allocated-users), `perClass[i]` of class i, all
   * idle: early arrivals find a user instead of making one. Returns how many were made (a
   * constructor that throws is recorded as an exception and its user left out).
   */
  preallocate(perClass: readonly number[]): number {
    let made = 0;
    perClass.forEach((count, classIndex) => {
      const spec = this.#classes[classIndex];
      for (let k = 0; k < count && spec && this.#all.length < this.#maxUsers; k++) {
        const id = this.#nextUserId;
        this.#nextUserId += this.#idStride;
        const user = this.#host.create(spec, classIndex, id);
        if (!user) continue;
        this.#all.push(user);
        this.#idle[classIndex]?.push(user);
        this.#counts[classIndex] = (this.#counts[classIndex] ?? 0) + 1;
        made++;
      }
    });
    return made;
  }

  /**
   * Opens the pre-allocated users' connections, all at once: `openHttp(n)` opens the run's warm HTTP
   * connections for the n users that take those; users that bring their own (a GrpcUser's channel)
   * open theirs; users with nothing to open ahead count for neither.
   */
  async connectPreallocated(openHttp: (count: number) => Promise<OpenedConnections>): Promise<OpenedConnections> {
    let httpUsers = 0;
    const own: Array<Promise<string | null>> = [];
    for (const user of this.#all) {
      const plan = this.#host.preconnect(user);
      if (plan === 'http') httpUsers++;
      else if (plan !== 'none') own.push(plan);
    }
    const [http, errors] = await Promise.all([httpUsers > 0 ? openHttp(httpUsers) : null, Promise.all(own)]);
    const result: OpenedConnections = { opened: http?.opened ?? 0, failed: http?.failed ?? 0, firstError: http?.firstError ?? null };
    for (const error of errors) {
      if (error === null) result.opened++;
      else {
        result.failed++;
        result.firstError ??= error;
      }
    }
    return result;
  }

  dispatch(classIndex: number, scheduledMs: number): void {
    const user = this.#idle[classIndex]?.pop();
    if (user) return void this.#run(user, classIndex, scheduledMs);
    if (this.#all.length >= this.#maxUsers) return this.#sink.arrivalDone(classIndex, scheduledMs, DROPPED);
    const waiting = this.#waiting[classIndex];
    // A class with no user yet has nobody to wait for.
    if (waiting && (this.#counts[classIndex] ?? 0) > 0 && !this.#closed) {
      waiting.push(scheduledMs, this.#clock.now());
      this.#armGrow();
      return;
    }
    this.#runOnNewUser(classIndex, scheduledMs);
  }

  #runOnNewUser(classIndex: number, scheduledMs: number): void {
    const id = this.#nextUserId;
    this.#nextUserId += this.#idStride;
    const user = this.#host.create(this.#classes[classIndex] as UserClassSpec, classIndex, id);
    if (!user) return this.#sink.arrivalDone(classIndex, scheduledMs, NOTHING);
    this.#all.push(user);
    this.#counts[classIndex] = (this.#counts[classIndex] ?? 0) + 1;
    void this.#run(user, classIndex, scheduledMs);
  }

  async #run(user: H, classIndex: number, scheduledMs: number): Promise<void> {
    const o = await this.#host.runOne(user);
    if (o.name === null) {
      // Its constructor threw where it runs (a worker): it leaves the pool; nothing ran.
      const at = this.#all.indexOf(user);
      if (at >= 0) this.#all.splice(at, 1);
      this.#counts[classIndex] = (this.#counts[classIndex] ?? 1) - 1;
      this.#sink.arrivalDone(classIndex, scheduledMs, NOTHING);
      return;
    }
    this.#sink.arrivalDone(classIndex, scheduledMs, user.hardStopped ? NOTHING : o);
    const waiting = this.#waiting[classIndex];
    if (waiting && waiting.length > 0 && !user.hardStopped && !this.#closed) void this.#run(user, classIndex, waiting.shift());
    else this.#idle[classIndex]?.push(user);
  }

  /** Wakes up when the oldest waiting arrival has waited GROW_AFTER_MS. */
  #armGrow(): void {
    if (this.#growTimer !== null) return;
    let oldest = Infinity;
    for (const w of this.#waiting) oldest = Math.min(oldest, w.oldestSince());
    if (oldest === Infinity) return;
    this.#growTimer = this.#clock.setTimer(() => {
      this.#growTimer = null;
      // After this turn's I/O: users whose calls completed while the timer was due (a stalled
      // event loop runs its timers before its I/O) take waiting arrivals first.
      setImmediate(this.#growDue);
    }, Math.max(0, oldest + GROW_AFTER_MS - this.#clock.now()));
  }

  /** Arrivals that waited GROW_AFTER_MS get a new user, or are dropped at the bound. */
  readonly #growDue = (): void => {
    if (this.#closed) return;
    const now = this.#clock.now();
    this.#waiting.forEach((waiting, classIndex) => {
      while (waiting.length > 0 && now - waiting.oldestSince() >= GROW_AFTER_MS) {
        const scheduledMs = waiting.shift();
        if (this.#all.length >= this.#maxUsers) this.#sink.arrivalDone(classIndex, scheduledMs, DROPPED);
        else this.#runOnNewUser(classIndex, scheduledMs);
      }
    });
    this.#armGrow();
  };

  /** The run is stopping: arrivals still waiting never ran. */
  #close(): void {
    this.#closed = true;
    if (this.#growTimer !== null) this.#clock.clearTimer(this.#growTimer);
    this.#growTimer = null;
    this.#waiting.forEach((waiting, classIndex) => {
      while (waiting.length > 0) this.#sink.arrivalDone(classIndex, waiting.shift(), NOTHING);
    });
  }

  hardStopAll(): void {
    this.#close();
    for (const user of this.#all) user.hardStop();
  }

  finishAll(): Promise<void> {
    this.#close();
    return this.#host.finishAll(this.#all);
  }
}

/** Connections opened before the run: how many, how many not, the first reason. */
export type OpenedConnections = Pick<PreconnectResult, 'opened' | 'failed' | 'firstError'>;

/** Users made and connections opened before the run's clock starts (--pre-allocated-users). */
export interface Preallocation {
  users: number;
  /** The pool per class index after it. */
  poolCounts: number[];
  opened: number;
  failed: number;
  firstError: string | null;
  elapsedMs: number;
}

/**
 * --pre-allocated-users in one thread (the run's, or each worker's): `perClass[i]` users of class i
 * made idle in `pool`, then a connection opened for each: warm HTTP connections to the run's host
 * for HTTP users, their own for users that bring one (a gRPC channel), none for users that connect
 * in their own code (a WebSocketUser's onStart). What it came to, as workers report it.
 */
export async function preallocatePool(
  pool: { preallocate(perClass: readonly number[]): number; countsByClass(): readonly number[]; connectPreallocated(openHttp: (count: number) => Promise<OpenedConnections>): Promise<OpenedConnections> },
  connections: { preconnect(count: number): Promise<PreconnectResult> },
  perClass: readonly number[],
  clock: Clock,
): Promise<Preallocation> {
  const started = clock.now();
  const users = pool.preallocate(perClass);
  const { opened, failed, firstError } = await pool.connectPreallocated((count) => connections.preconnect(count));
  return { users, poolCounts: [...pool.countsByClass()], opened, failed, firstError, elapsedMs: clock.now() - started };
}
