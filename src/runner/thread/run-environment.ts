/**
 * The `environment` test-level listeners get (Locust's Environment): the run's host, options,
 * hooks, stats, runner and the exit code a listener may set. One builder for the main process
 * (job/run-job.ts) and each --processes worker (workers/worker-events.ts), so both read alike.
 */
import type { Hooks, RunEnvironment } from '../../core/hooks.js';
import { runnerView, type RunnerSource, type RunnerView } from '../../core/runner-view.js';
import type { StatsRegistry } from '../../stats/registry.js';
import { runStatsView } from '../closed/run-stats-view.js';
import { strictView } from '../../core/strict-view.js';
import { shownValue } from '../../core/shown-value.js';

export interface RunEnvironmentParts {
  host: string;
  options: Readonly<Record<string, unknown>>;
  parsedOptions: Readonly<Record<string, unknown>>;
  /** null in the main process, the worker's index in a --processes worker. */
  worker: number | null;
  events: Hooks;
  stats: StatsRegistry;
  /** The runner's own fields (its stats are `stats`). */
  runner: Omit<RunnerSource, 'stats'>;
}

/** The environment, and the exit code its listeners set (null: none did). */
export interface BuiltEnvironment {
  environment: RunEnvironment;
  /** The runner object (unguarded): the users' `this.environment.runner` is the same one (user-factory.ts). */
  runner: RunnerView;
  exitCodeSet: () => number | null;
}

export function buildRunEnvironment(p: RunEnvironmentParts): BuiltEnvironment {
  let exitCode: number | null = null;
  const exitCodeAccess = {
    enumerable: true,
    get: (): number | null => exitCode,
    set: (code: unknown): void => {
      exitCode = checkedExitCode(code);
    },
  };
  const stats = runStatsView(p.stats);
  const runner = runnerView({ ...p.runner, stats });
  const environment = {
    host: p.host,
    options: p.options,
    parsedOptions: p.parsedOptions,
    parsed_options: p.parsedOptions,
    worker: p.worker,
    events: p.events,
    runner: strictView(runner, 'environment.runner'),
    stats,
  };
  Object.defineProperty(environment, 'process_exit_code', exitCodeAccess);
  Object.defineProperty(environment, 'processExitCode', exitCodeAccess);
  // Frozen: a listener cannot add a setting brood would not read (a misspelt `process_exitcode`
  // throws instead of being ignored); the exit code's setter still works through its accessor.
  // Guarded: a Locust field brood has not got (`environment.web_ui`, `environment.runner.greenlet`)
  // throws naming those there are, instead of reading undefined and skipping a branch unseen.
  const guarded = strictView(Object.freeze(environment), 'environment') as unknown as RunEnvironment;
  return { environment: guarded, runner, exitCodeSet: () => exitCode };
}

function checkedExitCode(code: unknown): number | null {
  if (code === null || code === undefined) return null;
  if (typeof code !== 'number' || !Number.isInteger(code) || code < 0 || code > 255) {
    throw new TypeError(`environment.process_exit_code must be a whole number from 0 to 255, or null (got ${shownValue(code)})`);
  }
  return code;
}
