/**
 * `environment.runner`, as a port of a Locust file reads it: quit(), custom messages, and the
 * fields Locust's runner has that brood can answer truly (user_count, state, stats, worker_index,
 * worker_count, target_user_count). Listeners and users read one object per run; its fields are
 * read from the run when asked, never copied.
 */
import { CustomMessages, messageText, type CustomMessageListener } from './custom-messages.js';
import type { RunStatsView } from './run-stats-view.js';

/** Locust's runner states (`locust.runners.STATE_*`): the words `environment.runner.state` reads. */
export const STATE_INIT = 'ready';
export const STATE_SPAWNING = 'spawning';
export const STATE_RUNNING = 'running';
/** Locust's state between a stop and the users' end; brood goes from stopping to stopped. */
export const STATE_CLEANUP = 'cleanup';
export const STATE_STOPPING = 'stopping';
export const STATE_STOPPED = 'stopped';
/** Locust's word for a worker the master lost; brood's runner never reads it (a lost worker is reported). */
export const STATE_MISSING = 'missing';

export type RunnerState = typeof STATE_INIT | typeof STATE_SPAWNING | typeof STATE_RUNNING | typeof STATE_CLEANUP | typeof STATE_STOPPING | typeof STATE_STOPPED | typeof STATE_MISSING;

/** The runner's kind, by a registry symbol: a test file that reaches brood through another module instance still agrees (as user-signals.ts). */
const KIND = Symbol.for('brood.runnerKind');

function kindOf(v: unknown): unknown {
  return typeof v === 'object' && v !== null ? (v as Record<symbol, unknown>)[KIND] : undefined;
}

/**
 * Locust's runner classes, for a port's `isinstance(environment.runner, MasterRunner)`:
 * `environment.runner instanceof MasterRunner` (the main process of a run with workers),
 * `WorkerRunner` (a --processes or --worker worker), `LocalRunner` (a run alone). Nothing
 * constructs them: the runner brood hands out answers `instanceof` by its kind.
 */
export class Runner {
  protected constructor() {
    throw new TypeError('brood makes the runner (environment.runner): a test only reads it');
  }
  static [Symbol.hasInstance](v: unknown): boolean {
    return kindOf(v) !== undefined;
  }
}
export class LocalRunner extends Runner {
  static override [Symbol.hasInstance](v: unknown): boolean {
    return kindOf(v) === 'local';
  }
}
export class MasterRunner extends Runner {
  static override [Symbol.hasInstance](v: unknown): boolean {
    return kindOf(v) === 'master';
  }
}
export class WorkerRunner extends Runner {
  static override [Symbol.hasInstance](v: unknown): boolean {
    return kindOf(v) === 'worker';
  }
}

/** Where a runner's fields come from: read at each access. */
export interface RunnerSource {
  /** Which of Locust's runners this is: a run alone, the main process of a run with workers, or a worker. */
  kind: 'local' | 'master' | 'worker';
  /** Ends the run (a graceful stop); the exit code is that of an ended run. */
  quit(reason?: string): void;
  /** Users running now where this runner runs (the whole run in the main process, its own share in a worker). */
  userCount(): number;
  state(): RunnerState;
  /**
   * Locust's worker_index: 0 for a run on its own, the worker's index in a worker, null where
   * Locust's runner has none (the main process of a run with workers, as Locust's master).
   */
  workerIndex: number | null;
  /** The stats the run's listeners read (null: this run keeps none). */
  stats: RunStatsView | null;
  /** This process's message listeners (register_message). */
  messages: CustomMessages;
  /**
   * Carries a message (`text`: its data as JSON) to `to` (a worker's index; null: every worker, or
   * the main process from a worker); on a run alone, to this process's own listener, as Locust's
   * LocalRunner does.
   */
  sendMessage(type: string, text: string, to: number | null): void;
  /** Locust's worker_count: 1 on a run alone, the workers in the main process of a run with them; null where Locust's runner has none (a worker). */
  workerCount: (() => number) | null;
  /** Locust's target_user_count: where the ramp is heading (-u, the web UI's, a shape's last tick); null where there is none (a worker, the open model). */
  targetUserCount: (() => number) | null;
}

export interface RunnerView {
  /** Ends the run (graceful stop), as Locust's `environment.runner.quit()`; the exit code is that of an ended run. */
  quit(reason?: string): void;
  /** Users running now (Locust's `runner.user_count`): the whole run's in the main process, the worker's own in a worker. */
  readonly user_count: number;
  readonly userCount: number;
  /** Locust's state word: 'ready', 'spawning', 'running', 'stopping' or 'stopped' (see STATE_*). */
  readonly state: RunnerState;
  /** The same view as `environment.stats`. */
  readonly stats: RunStatsView;
  /** Locust's `runner.worker_index` (absent in the main process of a run with workers, as on Locust's master). */
  readonly worker_index?: number;
  readonly workerIndex?: number;
  /** Locust's `runner.worker_count`: 1 on a run alone, the number of workers in the main process of a run with them. */
  readonly worker_count?: number;
  readonly workerCount?: number;
  /** Locust's `runner.target_user_count`: where the ramp is heading (-u, the web UI's edit, a shape's last tick). */
  readonly target_user_count?: number;
  readonly targetUserCount?: number;
  /**
   * Locust's `runner.send_message(type, data, client_id)`: `data` (JSON) to the listener registered
   * for `type` in the main process (from a worker), in every worker or worker `toWorker` (from the
   * main process), or in this process (a run alone).
   */
  send_message(type: string, data?: unknown, toWorker?: number | null): void;
  sendMessage(type: string, data?: unknown, toWorker?: number | null): void;
  /** Locust's `runner.register_message(type, listener)`: `listener({ environment, msg })` runs for each message of `type` here. */
  register_message(type: string, listener: CustomMessageListener, concurrent?: boolean): void;
  registerMessage(type: string, listener: CustomMessageListener, concurrent?: boolean): void;
}

/**
 * The runner object for one run (wrap it in strictView where a port reads it, so a Locust field
 * brood has not got throws instead of reading undefined). Frozen: a test cannot add a field that
 * brood would never read.
 */
export function runnerView(source: RunnerSource): RunnerView {
  const kind = source.kind === 'master' ? MasterRunner : source.kind === 'worker' ? WorkerRunner : LocalRunner;
  const view = Object.create(kind.prototype) as Record<string | symbol, unknown>;
  Object.defineProperty(view, KIND, { value: source.kind });
  const field = (name: string, get: () => unknown): void => {
    Object.defineProperty(view, name, { enumerable: true, get });
  };
  Object.defineProperty(view, 'quit', { enumerable: true, value: (reason?: string): void => source.quit(reason) });
  field('user_count', () => source.userCount());
  field('userCount', () => source.userCount());
  field('state', () => source.state());
  const stats = source.stats;
  field('stats', () => {
    if (stats === null) throw new TypeError('environment.runner.stats: this run keeps no statistics');
    return stats;
  });
  const index = source.workerIndex;
  if (index !== null) {
    field('worker_index', () => index);
    field('workerIndex', () => index);
  }
  const workers = source.workerCount;
  if (workers !== null) {
    field('worker_count', workers);
    field('workerCount', workers);
  }
  const target = source.targetUserCount;
  if (target !== null) {
    field('target_user_count', target);
    field('targetUserCount', target);
  }
  const send = (type: string, data?: unknown, toWorker?: number | null): void => {
    const text = messageText(type, data);
    if (toWorker !== undefined && toWorker !== null && !(Number.isInteger(toWorker) && toWorker >= 0)) {
      throw new TypeError(`runner.send_message('${type}', data, toWorker): toWorker is a worker's index (0, 1, …; runner.worker_count of them) or null for all (got ${typeof toWorker === 'string' ? JSON.stringify(toWorker) : String(toWorker)})`);
    }
    source.sendMessage(type, text, toWorker ?? null);
  };
  const register = (type: string, listener: CustomMessageListener): void => source.messages.register(type, listener);
  for (const [name, value] of [['send_message', send], ['sendMessage', send], ['register_message', register], ['registerMessage', register]] as const) {
    Object.defineProperty(view, name, { enumerable: true, value });
  }
  return Object.freeze(view) as unknown as RunnerView;
}

/** brood's run phase as Locust's runner state ('starting' is Locust's ready: nothing spawned yet). */
export function locustState(phase: 'starting' | 'spawning' | 'running' | 'stopping' | 'stopped'): RunnerState {
  return phase === 'starting' ? STATE_INIT : phase;
}

/** A runner outside a run (runSingleUser, the JIT warm-up): listeners register, but a message has nowhere to go and says so. */
export function noMessages(where: string): Pick<RunnerSource, 'kind' | 'messages' | 'sendMessage' | 'workerCount' | 'targetUserCount'> {
  return {
    kind: 'local',
    messages: new CustomMessages(() => undefined, () => undefined),
    sendMessage: (type) => {
      throw new TypeError(`runner.send_message('${type}', …): ${where} has no workers and no listeners to send to (custom messages go between the processes of a run-load-tests run)`);
    },
    workerCount: () => 1,
    targetUserCount: null,
  };
}
