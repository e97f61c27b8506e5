import type { Hooks } from '../core/hooks.js';
import type { Rng } from '../core/rng.js';
import type { UserEnvironment } from '../core/user.js';
import { HttpSession, type RequestRecorder } from '../http/client.js';
import { ClientTemplate, PerUserDispatchers, SharedPools, type ConnectionPoolMode } from '../http/dispatchers.js';
import { WarmSockets, type PreconnectResult } from '../http/warm-sockets.js';

export interface UserFactorySettings {
  host: string;
  requestTimeoutSec: number;
  maxBodyBytes: number;
  connectionPool: ConnectionPoolMode;
  /** The run's options as tasks see them (`this.environment.options`). */
  options: Readonly<Record<string, unknown>>;
}

const DISPATCHER_OPTIONS = { keepAliveTimeoutMs: 60_000, connectTimeoutMs: 10_000 };

/**
 * How a run makes its virtual users' environments and HTTP sessions: each user its own seeded
 * stream (rootRng.fork(userId), so a user's choices do not depend on the others) and its own
 * keep-alive connection, or one shared pool per origin with --connection-pool shared.
 */
export class UserFactory {
  readonly #s: UserFactorySettings;
  readonly #rootRng: Rng;
  readonly #stats: RequestRecorder & { recordMetric(name: string, value: number): void };
  readonly #hooks: Hooks;
  readonly #pools: SharedPools | null;
  readonly #clients: ClientTemplate;
  readonly #warm = new WarmSockets({ connectTimeoutMs: DISPATCHER_OPTIONS.connectTimeoutMs, maxIdleMs: DISPATCHER_OPTIONS.keepAliveTimeoutMs });
  /** What every user's environment shares (one object per run). */
  readonly #shared: RunShared;

  constructor(
    settings: UserFactorySettings,
    deps: { rootRng: Rng; stats: RequestRecorder & { recordMetric(name: string, value: number): void }; hooks: Hooks; signal: AbortSignal },
  ) {
    this.#s = settings;
    this.#rootRng = deps.rootRng;
    this.#stats = deps.stats;
    this.#hooks = deps.hooks;
    this.#pools = settings.connectionPool === 'shared' ? new SharedPools(DISPATCHER_OPTIONS, this.#warm) : null;
    this.#clients = new ClientTemplate(DISPATCHER_OPTIONS, this.#warm);
    const stats = this.#stats;
    this.#shared = Object.freeze({
      host: settings.host,
      signal: deps.signal,
      events: deps.hooks,
      // One closure for the whole run, not one per user.
      recordMetric: (name: string, value: number) => stats.recordMetric(name, value),
      options: settings.options,
      sessionFor: (userId: number) => this.sessionFor(userId),
    });
  }

  environmentFor(userId: number): UserEnvironment {
    return new RunUserEnvironment(this.#shared, userId, this.#rootRng.fork(userId));
  }

  sessionFor(userId: number): HttpSession {
    return new HttpSession({
      baseUrl: this.#s.host,
      requestTimeoutMs: Math.round(this.#s.requestTimeoutSec * 1000),
      maxBodyBytes: this.#s.maxBodyBytes,
      recorder: this.#stats,
      hooks: this.#hooks,
      userId,
      dispatchers: this.#pools ? this.#pools.source() : new PerUserDispatchers(this.#clients),
    });
  }

  /**
   * Opens `count` keep-alive connections to the run's host before the run starts; the users'
   * clients take them on their first request instead of connecting (--pre-allocated-users).
   */
  preconnect(count: number): Promise<PreconnectResult> {
    return this.#warm.open(new URL(this.#s.host).origin, count);
  }

  /** Closes the shared pools and warm connections nobody took (per-user connections close with their users). */
  async close(): Promise<void> {
    this.#warm.closeAll();
    await this.#pools?.close(true);
  }
}

/** The run-wide part of every user's environment. */
interface RunShared {
  readonly host: string;
  readonly signal: AbortSignal;
  readonly events: Hooks;
  readonly recordMetric: (name: string, value: number) => void;
  readonly options: Readonly<Record<string, unknown>>;
  readonly sessionFor: (userId: number) => HttpSession;
}

/**
 * A user's environment: its id and random stream, the rest read from the run's shared part. A
 * class rather than an object literal so that `createHttpSession` is one method on the prototype,
 * not a closure (and its context) per user; the run-wide fields are getters for the same reason.
 */
class RunUserEnvironment implements UserEnvironment {
  readonly userId: number;
  readonly rng: Rng;
  readonly #run: RunShared;

  constructor(run: RunShared, userId: number, rng: Rng) {
    this.#run = run;
    this.userId = userId;
    this.rng = rng;
  }

  get host(): string {
    return this.#run.host;
  }
  get signal(): AbortSignal {
    return this.#run.signal;
  }
  get events(): Hooks {
    return this.#run.events;
  }
  get recordMetric(): (name: string, value: number) => void {
    return this.#run.recordMetric;
  }
  get options(): Readonly<Record<string, unknown>> {
    return this.#run.options;
  }

  createHttpSession(): HttpSession {
    return this.#run.sessionFor(this.userId);
  }
}
