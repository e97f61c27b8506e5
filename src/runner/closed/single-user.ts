/**
 * `runSingleUser(UserClass, { host })`: one user in this process, for debugging a test file with
 * a breakpoint or console.log (Locust's `run_single_user`). No files, no ramp, no workers: the
 * user's onStart, tasks (with its think time) and onStop, each request printed as it completes.
 * Ends after `iterations` tasks, after `timeSec`, or when the user stops itself.
 */
import { systemClock } from '../../core/clock.js';
import { createHooks } from '../../core/hooks.js';
import { NO_TAG_FILTER } from '../../core/tasks.js';
import { Rng } from '../../core/rng.js';
import { noMessages, runnerView, STATE_INIT, STATE_RUNNING, STATE_STOPPED, STATE_STOPPING } from '../../core/runner-view.js';
import { sessionOf } from '../../core/user.js';
import { httpClientSettings } from '../../http/client-settings.js';
import { StatsRegistry } from '../../stats/registry.js';
import { buildClassSpecs } from './class-specs.js';
import { UserFactory } from './user-factory.js';
import { RunningUser, type UserLoopDeps } from './user-loop.js';
import { runStatsView } from './run-stats-view.js';

export interface SingleUserOptions {
  /** The target (default: the class's `static host`). */
  host?: string;
  /** Stop after this many tasks. */
  iterations?: number;
  /** Stop after this many seconds (default: when the user stops itself, or `iterations` ends it). */
  timeSec?: number;
  /** Seed for the user's random stream (task choice, think times). */
  seed?: number;
  /** Where each request's line goes (default: the console). */
  print?: (line: string) => void;
}

export interface SingleUserResult {
  requests: number;
  failures: number;
  exceptions: number;
}

export async function runSingleUser(userClass: unknown, options: SingleUserOptions = {}): Promise<SingleUserResult> {
  const [spec] = buildClassSpecs([userClass], NO_TAG_FILTER);
  if (spec === undefined) throw new TypeError('runSingleUser(UserClass): the class has no tasks');
  const host = options.host ?? (userClass as { host?: unknown }).host;
  if (typeof host !== 'string' || host === '') throw new TypeError('runSingleUser(UserClass, { host }): give a host (or a static host on the class)');
  const { timeSec } = options;
  if (timeSec !== undefined && (typeof timeSec !== 'number' || !(timeSec > 0))) {
    throw new TypeError(`runSingleUser(UserClass, { timeSec }): give seconds > 0, got ${String(timeSec)}`);
  }
  const print = options.print ?? ((line: string) => console.log(line));
  const stats = new StatsRegistry(() => Date.now());
  const hooks = createHooks();
  hooks.request.on((e) => print(`${e.method} ${e.name} ${e.error === null ? e.status : `failed: ${e.error}`} ${e.responseTimeMs.toFixed(1)} ms`));
  const abort = new AbortController();
  let running: RunningUser | null = null;
  let ended = false;
  const factory = new UserFactory(
    { host, http: httpClientSettings(), options: {} },
    { rootRng: new Rng(options.seed ?? 1), stats, hooks, signal: abort.signal, runner: runnerView({
      quit: () => running?.requestStop(),
      userCount: () => (running === null || ended ? 0 : 1),
      state: () => (running === null ? STATE_INIT : ended ? STATE_STOPPED : running.stopping ? STATE_STOPPING : STATE_RUNNING),
      workerIndex: 0,
      stats: runStatsView(stats),
      ...noMessages('runSingleUser()'),
    }) },
  );
  const loop: UserLoopDeps = {
    clock: systemClock,
    recordException: (e) => {
      stats.recordException(e);
      print(`exception: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    },
    afterTask: (user, taskError) => sessionOf(user)?.flushPending(taskError),
    iterations: options.iterations ?? null,
    loopTurns: factory.loopTurns,
  };
  const user = spec.create(factory.environmentFor(0));
  running = new RunningUser(user, 0, spec.table, loop, (r) => sessionOf(r.user)?.close(true), (r) => sessionOf(r.user)?.close(false));
  running.start();
  // systemClock's timer: a timeSec past Node's 24.8-day timer limit waits (chunked) instead of firing at once.
  const timer = timeSec === undefined ? null : systemClock.setTimer(() => running?.requestStop(), timeSec * 1000);
  await running.done;
  ended = true;
  if (timer !== null) systemClock.clearTimer(timer);
  await factory.close();
  const { aggregated } = stats.summaries(Date.now());
  return { requests: aggregated.numRequests, failures: aggregated.numFailures, exceptions: stats.exceptions().length };
}
