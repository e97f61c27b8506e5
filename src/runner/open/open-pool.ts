import type { OpenUserHandle, OpenUserHost, OperationOutcome } from './open-user-host.js';
import type { UserClassSpec } from '../closed/user-runner.js';
import type { PreconnectResult } from '../../http/warm-sockets.js';
import type { Clock } from '../../core/clock.js';

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
 * The open model's pool of users: runs each arrival on an idle user of its class, on a new one
 * while the pool is under its bound, or drops it. Here (LocalOpenPool) or spread over the
 * --processes workers, each with a pool of its own (remote-open-pool.ts).
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
  /** Cuts every operation in flight; their outcomes become NOTHING. */
  hardStopAll(): void;
  /** The run is over: every user that started runs onStop, then its connections close. */
  finishAll(): Promise<void>;
}

export interface LocalOpenPoolOptions {
  maxUsers: number;
  /** User ids are firstUserId, firstUserId + idStride, …: worker w of N uses w and N, so ids stay unique across workers. */
  firstUserId?: number;
  idStride?: number;
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

  constructor(classes: readonly UserClassSpec[], host: OpenUserHost<H>, sink: ArrivalSink, options: LocalOpenPoolOptions) {
    this.#classes = classes;
    this.#host = host;
    this.#sink = sink;
    this.#maxUsers = options.maxUsers;
    this.#nextUserId = options.firstUserId ?? 0;
    this.#idStride = options.idStride ?? 1;
    this.#idle = classes.map(() => []);
    this.#counts = classes.map(() => 0);
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
    let user = this.#idle[classIndex]?.pop();
    if (!user) {
      if (this.#all.length >= this.#maxUsers) {
        this.#sink.arrivalDone(classIndex, scheduledMs, DROPPED);
        return;
      }
      const id = this.#nextUserId;
      this.#nextUserId += this.#idStride;
      const created = this.#host.create(this.#classes[classIndex] as UserClassSpec, classIndex, id);
      if (!created) {
        this.#sink.arrivalDone(classIndex, scheduledMs, NOTHING);
        return;
      }
      user = created;
      this.#all.push(user);
      this.#counts[classIndex] = (this.#counts[classIndex] ?? 0) + 1;
    }
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
    this.#idle[classIndex]?.push(user);
    this.#sink.arrivalDone(classIndex, scheduledMs, user.hardStopped ? NOTHING : o);
  }

  hardStopAll(): void {
    for (const user of this.#all) user.hardStop();
  }

  finishAll(): Promise<void> {
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
