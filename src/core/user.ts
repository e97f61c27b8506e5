import type { RunnerView } from './runner-view.js';
import type { RunStatsView } from './run-stats-view.js';
import { BROOD_KIND } from './brand.js';
import { InterruptTaskSet, StopUser } from './user-signals.js';
import type { Hooks } from './hooks.js';
import type { Rng } from './rng.js';
import { constant, type WaitTimeFn, type WaitTimeSubject } from './wait-time.js';
import type { HttpSession } from '../http/client.js';
import type { ProtocolContext } from './protocol-context.js';

/** What the runner hands each virtual user when it is created. */
export interface UserEnvironment {
  /** Base URL of the run: --host, or the built-in demo server, or (with class hosts) the first class's. */
  host: string;
  /**
   * True when --host was given: it is every user's target, as in Locust. False: a class's own
   * `static host` (or an instance `host` field) is its target, `host` above the fallback.
   * Absent counts as true.
   */
  hostFromCommandLine?: boolean;
  /** 0-based index of this user in spawn order; stable for a given seed. */
  userId: number;
  /** This user's own random stream (seeded with --seed). */
  rng: Rng;
  /** Aborted when the user must stop at once (after --stop-timeout, or a second Ctrl-C). */
  signal: AbortSignal;
  events: Hooks;
  /** Locust's runner: `quit()` ends the run (the exit code of an ended run); `user_count`, `state`, `stats`, `worker_index`. */
  runner: RunnerView;
  recordMetric(name: string, value: number): void;
  /** A request of another protocol, timed by the caller, into the run's stats and request event (Locust's events.request.fire). */
  recordRequest(request: CustomRequest): void;
  /** Times `fn` as one request of `type`/`name`; a throw is its failure (and is thrown on). */
  measure<T>(type: string, name: string, fn: () => T | Promise<T>): Promise<T>;
  createHttpSession(user: User): HttpSession;
  /** What a WebSocketUser's or GrpcUser's client is built from (its target, limits, recorders). */
  protocolContext(user: User): ProtocolContext;
  /** The run's options (users, spawnRate, seed, …) for tasks that want them. */
  options: Readonly<Record<string, unknown>>;
  /**
   * Locust's `environment.parsed_options`: host, users, spawnRate, runTime and the test file's own
   * options (`export const options`) by camelCase name, e.g. `parsedOptions.myArgument`.
   */
  parsedOptions?: Readonly<Record<string, unknown>>;
  /** The run's statistics so far (Locust's `environment.stats`; in a --processes worker, that worker's share). */
  stats?: RunStatsView;
}

/** One request of a protocol brood has no client for (a database, MQTT, a socket protocol…). */
export interface CustomRequest {
  /** The stats row's Type column (Locust's request_type), e.g. 'DB', 'mqtt', 'xmlrpc'. */
  type: string;
  name: string;
  responseTimeMs: number;
  responseLength?: number;
  /** null/undefined: a success; else what failed (an Error, or its reason). */
  error?: unknown;
}

/** What the runner needs of a user's session (its HTTP client, or a custom protocol's). */
export interface UserSession {
  /**
   * Records the task's catchResponse requests once it ended (`taskError`: what it threw, if it did).
   * Returns a user signal a request listener threw meanwhile (the runner acts on it), else undefined.
   */
  flushPending(taskError?: unknown): unknown;
  /** The user is gone: close its connections (hard: cut what is in flight). */
  close(hard: boolean): void;
  /** Failed requests so far (the open model judges an operation by it). */
  readonly failureCount: number;
}

/** The method the runner reads a user's session through (a symbol: no clash with a user's own method names). */
export const USER_SESSION: unique symbol = Symbol.for('brood.userSession');

/** The user's session if it has opened one, else null (the runner never makes one). */
export function sessionOf(user: User): UserSession | null {
  return user[USER_SESSION]();
}

/**
 * How a pre-allocated user (--pre-allocated-users) gets its connection before the run's clock:
 * 'http' from the run's warm HTTP connections (HttpUser), 'none' when it has nothing to open ahead
 * (a plain User, a WebSocketUser, which connects in its own onStart), or a promise of opening its
 * own (a GrpcUser's channel), which resolves to null once open or to why it could not be.
 */
export type PreconnectPlan = 'http' | 'none' | Promise<string | null>;

/** The method the open model's pool asks a pre-allocated user for its PreconnectPlan (a symbol, as USER_SESSION). */
export const USER_PRECONNECT: unique symbol = Symbol.for('brood.userPreconnect');

/** The method a TaskSet reads its user's client through (a symbol, as USER_SESSION). */
export const USER_CLIENT: unique symbol = Symbol.for('brood.userClient');

/** The user's client for its tasks, made on first use (HttpUser's session), or null when it has none. */
export function clientOf(user: User): HttpSession | null {
  return user[USER_CLIENT]();
}

/**
 * A virtual user: a class whose tasks (methods marked with `@task`, or `static tasks`) run one
 * after another with `waitTime` seconds of think time in between, until the run stops it.
 * `User` has no HTTP client (for custom protocols); most tests extend `HttpUser`.
 */
export class User implements WaitTimeSubject {
  static readonly [BROOD_KIND] = 'user';
  /** Base classes set this so the loader does not spawn them. */
  static abstract = true;
  /** Relative share of spawned users. */
  static weight = 1;
  /** When > 0, exactly this many users of the class run, spawned before the weighted ones. */
  static fixedCount = 0;
  /** Tasks for plain JS: `{ methodName: weight }`, `[fn | TaskSet | [item, weight]]` or a Map. */
  static tasks?: unknown;
  /** Per-class host override (like Locust's `host` attribute). */
  static host?: string;

  /**
   * Think time after each task, as a field (`waitTime = between(1, 5)`) or a method. Declared, not
   * initialised: the default (Locust's: no wait at all) lives on the prototype, so a subclass's
   * `waitTime()` method is not shadowed by a field of the base.
   */
  declare waitTime: WaitTimeFn;

  readonly environment: UserEnvironment;
  /** Seconds the last task took; constantPacing uses it. Maintained by the runner. */
  lastTaskDurationSec = 0;
  /** Set when the run asked this user to stop; long tasks may check it. */
  stopRequested = false;

  constructor(environment: UserEnvironment) {
    this.environment = environment;
  }

  get userId(): number {
    return this.environment.userId;
  }

  get rng(): Rng {
    return this.environment.rng;
  }

  /**
   * The user's target, as Locust's `self.host`: --host when given; else the class's own
   * `static host`; else the run's (the built-in demo server). A class may also set an instance
   * field `host = '…'`, which shadows this getter (it counts too, see UserFactory).
   */
  get host(): string {
    const env = this.environment;
    if (env.hostFromCommandLine === false) {
      const own = (this.constructor as { host?: unknown }).host;
      if (typeof own === 'string' && own !== '') return own;
    }
    return env.host;
  }

  /** The session the runner settles and closes; none for a plain User (HttpUser has its client). */
  [USER_SESSION](): UserSession | null {
    return null;
  }

  /**
   * What a TaskSet's `this.client` is (HttpUser: its session). A plain User has none unless it set
   * a `client` field itself, as Locust's custom-client users do: TaskSets reach that one as
   * Locust's do (`self.user.client`), whatever it is.
   */
  [USER_CLIENT](): HttpSession | null {
    const own: unknown = (this as { client?: unknown }).client;
    return own ? (own as HttpSession) : null;
  }

  /** See PreconnectPlan: a plain User opens nothing ahead of its first task. */
  [USER_PRECONNECT](): PreconnectPlan {
    return 'none';
  }

  /** Hard-stop signal: pass it to anything long-running you await outside this.client. */
  get signal(): AbortSignal {
    return this.environment.signal;
  }

  /** Records a custom metric (e.g. concepts_found) reported beside the request stats. */
  metric(name: string, value: number): void {
    this.environment.recordMetric(name, value);
  }

  /**
   * Times a call of another protocol as one request (`await this.measure('DB', 'find user',
   * () => db.query(…))`): recorded like an HTTP request under Type `type`; a throw is recorded as
   * its failure and thrown on.
   */
  measure<T>(type: string, name: string, fn: () => T | Promise<T>): Promise<T> {
    return this.environment.measure(type, name, fn);
  }

  /**
   * Stops this user for good, from one of its own tasks (or onStart): the task ends here, onStop
   * runs, and the user is not replaced (Locust's `self.stop()` / `raise StopUser()`).
   */
  stop(): never {
    throw new StopUser();
  }

  /** Runs once when the user starts, before its first task. */
  async onStart(): Promise<void> {}

  /** Runs once when the user stops. */
  async onStop(): Promise<void> {}
}

(User.prototype as { waitTime: WaitTimeFn }).waitTime = constant(0);

/** Anything a TaskSet can be nested in. */
export type TaskSetParent = User | TaskSet;

/**
 * A group of tasks a user enters and stays in until a task calls `interrupt()`.
 * Tasks are picked by weight; `SequentialTaskSet` runs them in declaration order instead.
 */
export class TaskSet<U extends User = User> implements WaitTimeSubject {
  static readonly [BROOD_KIND] = 'taskset';
  static abstract = true;
  static tasks?: unknown;
  /** Tags for --tags / --exclude-tags on the whole set. */
  static tags?: string[];
  static sequential = false;

  /** Think time inside this set (a field or a method); falls back to the user's when unset. */
  declare waitTime?: WaitTimeFn;
  readonly user: U;
  readonly parent: TaskSetParent;
  /** Set by interrupt(); the runner leaves the set after the current task. */
  interrupted: { reschedule: boolean } | null = null;

  constructor(parent: TaskSetParent) {
    this.parent = parent;
    this.user = (parent instanceof TaskSet ? parent.user : parent) as U;
  }

  /** The user's HTTP client (HttpUser only). */
  get client(): HttpSession {
    const client = clientOf(this.user);
    if (!client) throw new TypeError(`${this.constructor.name}.client: the user is not an HttpUser`);
    return client;
  }

  get rng(): Rng {
    return this.user.rng;
  }

  get lastTaskDurationSec(): number {
    return this.user.lastTaskDurationSec;
  }

  metric(name: string, value: number): void {
    this.user.metric(name, value);
  }

  /**
   * Leaves this TaskSet at once: the task ends here (Locust's interrupt() raises) and the parent
   * goes on. With `reschedule` (the default) the parent picks its next task at once; otherwise it
   * waits its think time first.
   */
  interrupt(reschedule = true): never {
    this.interrupted = { reschedule };
    throw new InterruptTaskSet(reschedule);
  }

  async onStart(): Promise<void> {}

  async onStop(): Promise<void> {}
}

/** A TaskSet whose tasks run in declaration order, each `weight` times, round and round. */
export class SequentialTaskSet<U extends User = User> extends TaskSet<U> {
  static override abstract = true;
  static override sequential = true;
}

/**
 * A TaskSet walked as a Markov chain (Locust 2.x): it starts at its first task and after each one
 * goes to a next task drawn by the weights of its transitions: `@transition('browse', 3)`,
 * `@transitions({ index: 2, checkout: 1 })`, or `static transitions = { index: { browse: 1 } }`.
 * Leave it with `this.interrupt()` as any TaskSet.
 */
export class MarkovTaskSet<U extends User = User> extends TaskSet<U> {
  static override abstract = true;
  static markov = true;
  /** Plain JS: `{ task: { nextTask: weight } }` (methods with @transition need none). */
  static transitions?: Readonly<Record<string, Readonly<Record<string, number>>>>;
}
