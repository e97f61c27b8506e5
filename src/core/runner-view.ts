/**
 * `environment.runner`, as a port of a Locust file reads it: quit(), and the fields Locust's
 * runner has that brood can answer truly (user_count, state, stats, worker_index). Listeners and
 * users read one object per run; its fields are read from the run when asked, never copied.
 */
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

/** Where a runner's fields come from: read at each access. */
export interface RunnerSource {
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
}

/**
 * The runner object for one run (wrap it in strictView where a port reads it, so a Locust field
 * brood has not got throws instead of reading undefined). Frozen: a test cannot add a field that
 * brood would never read.
 */
export function runnerView(source: RunnerSource): RunnerView {
  const view: Record<string, unknown> = {};
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
  return Object.freeze(view) as unknown as RunnerView;
}

/** brood's run phase as Locust's runner state ('starting' is Locust's ready: nothing spawned yet). */
export function locustState(phase: 'starting' | 'spawning' | 'running' | 'stopping' | 'stopped'): RunnerState {
  return phase === 'starting' ? STATE_INIT : phase;
}
