import type { Hooks } from '../../core/hooks.js';
import type { Rng } from '../../core/rng.js';
import type { CustomRequest, User, UserEnvironment } from '../../core/user.js';
import type { ProtocolContext } from '../../core/protocol-context.js';
import { CustomRequests } from './custom-requests.js';
import { HttpSession, type RequestRecorder } from '../../http/client.js';
import { redactCredentials, splitCredentials } from '../../http/basic-auth.js';
import type { HttpClientSettings } from '../../http/client-settings.js';
import type { BasicAuth } from '../../http/request-options.js';
import { ClientTemplate, PerUserDispatchers, SharedPools, type DispatcherOptions } from '../../http/dispatchers.js';
import { ProtocolCounts } from '../../http/protocol-counts.js';
import { DeadlineQueue } from '../../http/request-deadline.js';
import { LoopTurns } from '../../core/loop-turns.js';
import { WarmSockets, type PreconnectResult } from '../../http/warm-sockets.js';
import { missGuard, strictView } from '../../core/strict-view.js';
import { noMessages, runnerView, STATE_RUNNING, type RunnerView } from '../../core/runner-view.js';
import type { RunStatsView } from '../../core/run-stats-view.js';
import { isStatsReader, runStatsView } from './run-stats-view.js';

/** Where a run's users record: requests, custom metrics, and other protocols' messages. */
export type ProtocolStats = RequestRecorder & { recordMetric(name: string, value: number): void; recordMessage(method: string, name: string, bytes: number): void };

export interface UserFactorySettings {
  /** The run's host, without credentials (they are in `http.auth`). */
  host: string;
  /**
   * --host was given: every user targets `host`. False: a user's class host (`static host`, or an
   * instance `host` field) is its target, `host` the fallback. Absent counts as true.
   */
  hostFromCommandLine?: boolean;
  http: HttpClientSettings;
  /** The run's options as tasks see them (`this.environment.options`). */
  options: Readonly<Record<string, unknown>>;
  /** `this.environment.parsedOptions` (Locust's parsed_options). */
  parsedOptions?: Readonly<Record<string, unknown>>;
}

const DISPATCHER_OPTIONS = { keepAliveTimeoutMs: 60_000, connectTimeoutMs: 10_000 };

function dispatcherOptions(http: HttpClientSettings, insecure: boolean): DispatcherOptions {
  return {
    ...DISPATCHER_OPTIONS,
    verify: !(insecure || http.tls.insecure),
    ca: http.tls.ca,
    cert: http.tls.cert,
    key: http.tls.key,
    allowH2: http.http2,
    h2c: http.h2c,
  };
}

/** A user class that skips certificate checks for itself (`static insecure = true`, as FastHttpUser's). */
function classIsInsecure(user: User | null): boolean {
  return user !== null && (user.constructor as { insecure?: unknown }).insecure === true;
}
/**
 * How a run makes its virtual users' environments and HTTP sessions: each user its own seeded
 * stream (rootRng.fork(userId), so a user's choices do not depend on the others) and its own
 * keep-alive connection, or one shared pool per origin with --connection-pool shared.
 */
export class UserFactory {
  readonly #s: UserFactorySettings;
  readonly #rootRng: Rng;
  readonly #stats: ProtocolStats;
  readonly #hooks: Hooks;
  readonly #pools: SharedPools | null;
  readonly #clients: ClientTemplate;
  /** Class hosts (--host not given), by the URL as the class wrote it. */
  readonly #targets = new Map<string, ClassTarget>();
  /** For classes with `static insecure = true` (made on the first such user). */
  #insecureClients: ClientTemplate | null = null;
  #insecurePools: SharedPools | null = null;
  readonly #warm = new WarmSockets({ connectTimeoutMs: DISPATCHER_OPTIONS.connectTimeoutMs, maxIdleMs: DISPATCHER_OPTIONS.keepAliveTimeoutMs });
  /** Every session's --request-timeout deadlines: one queue and one timer for the run (request-deadline.ts). */
  readonly #deadlines: DeadlineQueue;
  /** Bumped by every session as responses complete; the run's user loops read it (loop-turns.ts). */
  readonly loopTurns = new LoopTurns();
  /** Connections by protocol (counted only with --http2 / --h2c, where it is news). */
  readonly protocols = new ProtocolCounts();
  /** What every user's environment shares (one object per run). */
  readonly #shared: RunShared;
  /** ProtocolContext.shared(): proto files, shared channels (one per key for the run). */
  readonly #processShared = new Map<string, unknown>();

  constructor(
    settings: UserFactorySettings,
    deps: {
      rootRng: Rng;
      stats: ProtocolStats;
      hooks: Hooks;
      signal: AbortSignal;
      /** The run's runner (the listeners' environment.runner); absent: one whose quit() does nothing (the JIT warm-up). */
      runner?: RunnerView;
    },
  ) {
    this.#s = settings;
    this.#rootRng = deps.rootRng;
    this.#stats = deps.stats;
    this.#hooks = deps.hooks;
    this.#deadlines = new DeadlineQueue(Math.round(settings.http.requestTimeoutSec * 1000));
    const dispatch = dispatcherOptions(settings.http, false);
    const counts = this.#counts();
    this.#pools = settings.http.connectionPool === 'shared' ? new SharedPools(dispatch, this.#warm, counts) : null;
    this.#clients = new ClientTemplate(dispatch, this.#warm, counts);
    const stats = this.#stats;
    const statsView = isStatsReader(stats) ? runStatsView(stats) : null;
    const runner = deps.runner ?? runnerView({ quit: () => undefined, userCount: () => 0, state: () => STATE_RUNNING, workerIndex: 0, stats: statsView, ...noMessages('this run') });
    this.#shared = Object.freeze({
      host: settings.host,
      signal: deps.signal,
      events: deps.hooks,
      // A Locust runner field brood has not got (runner.greenlet…) read as undefined would skip a branch unseen: it throws.
      runner: strictView(runner, 'this.environment.runner'),
      // One closure for the whole run, not one per user.
      recordMetric: (name: string, value: number) => stats.recordMetric(name, value),
      custom: new CustomRequests(stats, deps.hooks),
      options: settings.options,
      parsedOptions: settings.parsedOptions ?? {},
      stats: statsView,
      hostFromCommandLine: settings.hostFromCommandLine !== false,
      sessionFor: (userId: number, user: User | null) => this.sessionFor(userId, classIsInsecure(user), user === null ? null : this.#targetOf(user)),
      protocolContext: (user: User) => this.#protocolContext(user),
    });
  }

  environmentFor(userId: number): UserEnvironment {
    return new RunUserEnvironment(this.#shared, userId, this.#rootRng.fork(userId));
  }

  /**
   * `insecure`: the user's class skips certificate checks (`static insecure = true`). `target`: its
   * class host with the credentials written in it (#targetOf), null for the run's host.
   */
  sessionFor(userId: number, insecure = false, target: ClassTarget | null = null): HttpSession {
    const http = this.#s.http;
    return new HttpSession({
      baseUrl: target?.baseUrl ?? this.#s.host,
      requestTimeoutMs: this.#deadlines.ms,
      deadlines: this.#deadlines,
      loopTurns: this.loopTurns,
      maxBodyBytes: http.maxBodyBytes,
      maxRedirects: http.maxRedirects,
      acceptEncoding: http.acceptEncoding,
      auth: target === null ? http.auth : (target.auth ?? http.auth),
      recorder: this.#stats,
      hooks: this.#hooks,
      userId,
      dispatchers: this.#dispatchersFor(insecure),
    });
  }

  /**
   * A user's own target when --host was not given: an instance `host` field, else its class's
   * `static host` (both read through `user.host`), parsed once per distinct URL. Null: the run's host.
   */
  #targetOf(user: User): ClassTarget | null {
    if (this.#s.hostFromCommandLine !== false) return null;
    const host = user.host;
    if (host === this.#s.host) return null;
    let target = this.#targets.get(host);
    if (target === undefined) {
      if (typeof host !== 'string' || !/^https?:\/\//i.test(host) || !URL.canParse(host)) {
        throw new TypeError(`${user.constructor.name}.host "${redactCredentials(String(host))}" is not an http:// or https:// URL`);
      }
      const { url, auth } = splitCredentials(host);
      target = { baseUrl: url.replace(/\/+$/, ''), auth };
      this.#targets.set(host, target);
    }
    return target;
  }

  /**
   * A WebSocketUser's or GrpcUser's context: its target as written (-H, else its class's host,
   * whatever its scheme: the protocol's client checks it), the run's limits and TLS, its recorders.
   */
  #protocolContext(user: User): ProtocolContext {
    const http = this.#s.http;
    const own = this.#s.hostFromCommandLine === false && typeof user.host === 'string' && user.host !== '' ? user.host : null;
    const custom = this.#shared.custom;
    return {
      baseUrl: own ?? this.#s.host,
      basicAuth: own === null ? http.auth : null,
      timeoutMs: Math.round(http.requestTimeoutSec * 1000),
      maxMessageBytes: http.maxBodyBytes,
      tls: { ...http.tls, insecure: http.tls.insecure || classIsInsecure(user) },
      sharedConnections: http.connectionPool === 'shared',
      recordRequest: (r) => custom.record(r, user.environment.userId),
      recordMessage: (type, name, bytes) => custom.message(type, name, bytes, user.environment.userId),
      signal: this.#shared.signal,
      shared: <T>(key: string, make: () => T): T => {
        if (!this.#processShared.has(key)) this.#processShared.set(key, make());
        return this.#processShared.get(key) as T;
      },
    };
  }

  #dispatchersFor(insecure: boolean): PerUserDispatchers | ReturnType<SharedPools['source']> {
    if (!insecure || this.#s.http.tls.insecure) return this.#pools ? this.#pools.source() : new PerUserDispatchers(this.#clients);
    const options = dispatcherOptions(this.#s.http, true);
    if (this.#pools) return (this.#insecurePools ??= new SharedPools(options, null, this.#counts())).source();
    return new PerUserDispatchers((this.#insecureClients ??= new ClientTemplate(options, null, this.#counts())));
  }

  #counts(): ProtocolCounts | null {
    return this.#s.http.http2 || this.#s.http.h2c ? this.protocols : null;
  }

  /**
   * Opens `count` keep-alive connections to the run's host before the run starts; the users'
   * clients take them on their first request instead of connecting (--pre-allocated-users).
   */
  preconnect(count: number): Promise<PreconnectResult> {
    return this.#warm.open(new URL(this.#s.host).origin, count, this.#clients.tls);
  }

  /** Closes the shared pools and warm connections nobody took (per-user connections close with their users). */
  async close(): Promise<void> {
    this.#warm.closeAll();
    await Promise.all([this.#pools?.close(true), this.#insecurePools?.close(true)]);
  }
}

/** A class's own target: its base URL without credentials, and those credentials as basic auth. */
interface ClassTarget {
  baseUrl: string;
  auth: BasicAuth | null;
}

const USER_EXIT_CODE = "this.environment.process_exit_code: set the exit code in a listener, events.quitting.on(({ environment }) => { environment.process_exit_code = 1; }), where the run's merged stats are (README: Events)";

/** The run-wide part of every user's environment. */
interface RunShared {
  readonly host: string;
  readonly hostFromCommandLine: boolean;
  readonly signal: AbortSignal;
  readonly events: Hooks;
  readonly runner: RunnerView;
  readonly recordMetric: (name: string, value: number) => void;
  readonly custom: CustomRequests;
  readonly options: Readonly<Record<string, unknown>>;
  readonly parsedOptions: Readonly<Record<string, unknown>>;
  /** Locust's `environment.stats`, one view for the run's users (as the listeners'); null where nothing keeps stats (the JIT warm-up). */
  readonly stats: RunStatsView | null;
  readonly sessionFor: (userId: number, user: User | null) => HttpSession;
  readonly protocolContext: (user: User) => ProtocolContext;
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
  get hostFromCommandLine(): boolean {
    return this.#run.hostFromCommandLine;
  }
  get signal(): AbortSignal {
    return this.#run.signal;
  }
  get events(): Hooks {
    return this.#run.events;
  }
  get runner(): RunnerView {
    return this.#run.runner;
  }
  get recordMetric(): (name: string, value: number) => void {
    return this.#run.recordMetric;
  }

  recordRequest(request: CustomRequest): void {
    this.#run.custom.record(request, this.userId);
  }

  measure<T>(type: string, name: string, fn: () => T | Promise<T>): Promise<T> {
    return this.#run.custom.measure(type, name, fn, this.userId);
  }
  get options(): Readonly<Record<string, unknown>> {
    return this.#run.options;
  }
  get parsedOptions(): Readonly<Record<string, unknown>> {
    return this.#run.parsedOptions;
  }
  /** Locust's name of parsedOptions (`self.environment.parsed_options.my_argument` ported as written reads the camelCase names). */
  get parsed_options(): Readonly<Record<string, unknown>> {
    return this.#run.parsedOptions;
  }
  /** The run's statistics so far (Locust's `self.environment.stats`; in a --processes worker, that worker's share). */
  get stats(): RunStatsView {
    if (this.#run.stats === null) throw new TypeError('this.environment.stats: this run keeps no statistics');
    return this.#run.stats;
  }
  /** Locust lets a user set it; here the exit code is a listener's to set (events.quitting), where the whole run's stats are. */
  get process_exit_code(): never {
    throw new TypeError(USER_EXIT_CODE);
  }
  set process_exit_code(_code: unknown) {
    throw new TypeError(USER_EXIT_CODE);
  }

  createHttpSession(user: User): HttpSession {
    return this.#run.sessionFor(this.userId, user);
  }

  protocolContext(user: User): ProtocolContext {
    return this.#run.protocolContext(user);
  }
}

// A field a port reads by Locust's name that brood has not got (`self.environment.web_ui`) throws
// instead of reading undefined; the guard is the class's last prototype, so only a miss reaches it.
Object.setPrototypeOf(
  RunUserEnvironment.prototype,
  missGuard('this.environment', ['host', 'userId', 'rng', 'signal', 'events', 'runner', 'options', 'parsedOptions', 'parsed_options', 'stats', 'recordMetric', 'recordRequest', 'measure']),
);
