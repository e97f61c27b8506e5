import type { Hooks } from '../core/hooks.js';
import type { Rng } from '../core/rng.js';
import type { UserEnvironment } from '../core/user.js';
import { HttpSession, type RequestRecorder } from '../http/client.js';
import { ClientTemplate, PerUserDispatchers, SharedPools, type ConnectionPoolMode } from '../http/dispatchers.js';

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
  readonly #signal: AbortSignal;
  readonly #pools: SharedPools | null;
  readonly #clients: ClientTemplate;
  readonly #recordMetric: (name: string, value: number) => void;

  constructor(
    settings: UserFactorySettings,
    deps: { rootRng: Rng; stats: RequestRecorder & { recordMetric(name: string, value: number): void }; hooks: Hooks; signal: AbortSignal },
  ) {
    this.#s = settings;
    this.#rootRng = deps.rootRng;
    this.#stats = deps.stats;
    this.#hooks = deps.hooks;
    this.#signal = deps.signal;
    this.#pools = settings.connectionPool === 'shared' ? new SharedPools(DISPATCHER_OPTIONS) : null;
    this.#clients = new ClientTemplate(DISPATCHER_OPTIONS);
    const stats = this.#stats;
    // One closure for the whole run, not one per user.
    this.#recordMetric = (name, value) => stats.recordMetric(name, value);
  }

  environmentFor(userId: number): UserEnvironment {
    return new RunUserEnvironment(this, userId, this.#rootRng.fork(userId));
  }

  /** Shared by every environment of the run (see RunUserEnvironment). */
  get host(): string {
    return this.#s.host;
  }
  get signal(): AbortSignal {
    return this.#signal;
  }
  get hooks(): Hooks {
    return this.#hooks;
  }
  get recordMetric(): (name: string, value: number) => void {
    return this.#recordMetric;
  }
  get options(): Readonly<Record<string, unknown>> {
    return this.#s.options;
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

  /** Closes the shared pools (per-user connections close with their users). */
  async close(): Promise<void> {
    await this.#pools?.close(true);
  }
}

/**
 * A user's environment: its id and random stream, the rest read from the run's factory. A class
 * rather than an object literal so that `createHttpSession` is one method on the prototype, not a
 * closure (and its context) per user; the run-wide fields are getters for the same reason.
 */
class RunUserEnvironment implements UserEnvironment {
  readonly userId: number;
  readonly rng: Rng;
  readonly #factory: UserFactory;

  constructor(factory: UserFactory, userId: number, rng: Rng) {
    this.#factory = factory;
    this.userId = userId;
    this.rng = rng;
  }

  get host(): string {
    return this.#factory.host;
  }
  get signal(): AbortSignal {
    return this.#factory.signal;
  }
  get events(): Hooks {
    return this.#factory.hooks;
  }
  get recordMetric(): (name: string, value: number) => void {
    return this.#factory.recordMetric;
  }
  get options(): Readonly<Record<string, unknown>> {
    return this.#factory.options;
  }

  createHttpSession(): HttpSession {
    return this.#factory.sessionFor(this.userId);
  }
}
