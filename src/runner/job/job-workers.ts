import { availableParallelism } from 'node:os';
import type { RunLog } from '../../report/run-log.js';
import type { StatsRegistry } from '../../stats/registry.js';
import type { JitWarmUpPlan } from '../thread/jit-warm-up.js';
import type { Population } from './load-run.js';
import type { ArrivalSink, OpenPool } from '../open/open-pool.js';
import type { RemoteOpenPool } from '../workers/remote-open-pool.js';
import { jobProcesses, preAllocatedUsers, preallocationPlan, workerCount } from './job-plan.js';
import type { Clock } from '../../core/clock.js';
import type { Hooks } from '../../core/hooks.js';
import type { OpenModelRun } from '../open/open-model-run.js';
import type { UserFactory } from '../closed/user-factory.js';
import type { UserClassSpec } from '../closed/user-runner.js';
import { ArrivalRunner } from '../open/arrival-runner.js';
import { preallocatePool } from '../open/open-pool.js';
import { preallocationReport } from '../open/preallocation-report.js';
import type { JobSetup } from './job-setup.js';
import type { WorkerSetup } from '../workers/worker-protocol.js';
import { WorkerUserHost, type WorkerCallbacks } from '../workers/worker-user-host.js';

/** What a job's --processes workers are started with (the job's own setup, and what it derived from it). */
export interface JobWorkersStart {
  /** Its --processes (> 1) is how many worker threads. */
  setup: JobSetup;
  seed: number;
  /** Each worker's warm-up (already split per worker), or null. */
  warmUp: JitWarmUpPlan | null;
  classNames: readonly string[];
  /** Each worker's share of the open model's --max-users (job-plan.ts). */
  openPoolShares: readonly number[];
  /** --pre-allocated-users per worker and class (job-plan.ts). */
  preallocation: readonly number[][];
  stats: StatsRegistry;
  log: RunLog;
  /** The workers' --record-trace lines (the trace writer exists only once the run starts), and their quit(). */
  callbacks: WorkerCallbacks;
}

/** Worker `index`'s setup: the run's configuration, and its part of the open model's pool. */
export function workerSetup(start: JobWorkersStart, index: number): WorkerSetup {
  const s = start.setup;
  if (s.workerSource === undefined) throw new Error('internal: --processes needs JobSetup.workerSource (what the workers load)');
  return {
    index,
    source: s.workerSource,
    seed: start.seed,
    host: s.host,
    hostFromCommandLine: s.hostFromCommandLine !== false,
    http: s.http,
    tags: s.tagFilter.include ? [...s.tagFilter.include] : null,
    excludeTags: s.tagFilter.exclude ? [...s.tagFilter.exclude] : null,
    statsIntervalMs: 500,
    iterations: s.arrival ? null : (s.iterations ?? null),
    options: { users: s.users, spawnRate: s.spawnRate, seed: start.seed, host: s.host },
    parsedOptions: { ...(s.parsedOptions ?? {}) },
    warmUp: start.warmUp,
    openPool: s.arrival && !s.arrival.replay
      ? { maxUsers: start.openPoolShares[index] ?? 0, workers: workerCount(s), preAllocate: start.preallocation[index] ?? [] }
      : null,
    recordTrace: s.recordTrace !== null && s.recordTrace !== undefined,
  };
}

/** The line that says --processes asks for more threads than this process has cores; null when it does not. */
export function oversubscriptionWarning(processes: number, cores: number): string | null {
  if (processes <= cores) return null;
  return `warning: --processes ${processes} but this process may use ${cores} CPU core${cores === 1 ? '' : 's'}: the workers share ${cores === 1 ? 'it' : 'them'} and lose a few % of throughput (auto picks ${cores})`;
}

/** Starts the job's worker threads and says so (with a warning when they outnumber the cores). */
export async function startJobWorkers(start: JobWorkersStart): Promise<WorkerUserHost> {
  const processes = jobProcesses(start.setup);
  const workers = await WorkerUserHost.start(processes, (index) => workerSetup(start, index), start.classNames, start.stats, start.callbacks);
  start.log.info(`Users run in ${processes} worker threads`);
  // Worker threads on a shared core only add switching and a second heap: say so.
  const warning = oversubscriptionWarning(processes, availableParallelism());
  if (warning !== null) {
    start.setup.print(warning);
    start.log.warning(warning);
  }
  return workers;
}

/**
 * The open model's pool with --processes: one per worker thread (remote-open-pool.ts). The
 * ArrivalRunner is built before the workers start (`workers()` is null until then); no arrival
 * comes before they are ready.
 */
export function remoteOpenPool(workers: () => WorkerUserHost | null, shares: readonly number[], classCount: number, sink: ArrivalSink): OpenPool {
  const pool = (): RemoteOpenPool => {
    const host = workers();
    if (!host) throw new Error('internal: open-model arrival before the worker threads started');
    return host.openPool(shares, classCount, sink);
  };
  return {
    dispatch: (classIndex, scheduledMs) => pool().dispatch(classIndex, scheduledMs),
    userCount: () => (workers() ? pool().userCount() : 0),
    countsByClass: () => (workers() ? pool().countsByClass() : []),
    hardStopAll: () => {
      if (workers()) pool().hardStopAll();
    },
    finishAll: () => (workers() ? pool().finishAll() : Promise.resolve()),
  };
}

/** A population whose users run in workers: after stopping them, wait for their last stats. */
export function withWorkerFlush(inner: Population, flush: () => Promise<void>): Population {
  return {
    userCount: () => inner.userCount(),
    setTarget: (u, r, c) => inner.setTarget(u, r, c),
    hardStopAll: () => inner.hardStopAll(),
    stopAll: async (hard) => {
      await inner.stopAll(hard);
      await flush();
    },
  };
}

/** What pre-allocating the open model's users reads of the Job. */
export interface PreallocationParts {
  setup: JobSetup;
  open: OpenModelRun | null;
  workers: WorkerUserHost | null;
  factory: UserFactory;
  specs: readonly UserClassSpec[];
  clock: Clock;
  log: RunLog;
}

/**
 * --pre-allocated-users: the open model's first users exist, idle and connected, before the
 * clock starts (here, or already done by each worker as it started). Said in one line, with
 * what failed: a user whose connection could not be opened connects on its first arrival.
 */
export async function preallocateOpenUsers(job: PreallocationParts): Promise<void> {
  const runner = job.open?.runner;
  if (preAllocatedUsers(job.setup) <= 0 || !(runner instanceof ArrivalRunner)) return;
  // Each worker made its part as it started; without workers, this thread makes them all now.
  const parts = job.workers ? job.workers.preallocations() : [await preallocatePool(runner, job.factory, preallocationPlan(job.setup, job.specs)[0] ?? [], job.clock)];
  const { done, warning } = preallocationReport(parts, runner.countsByName());
  if (!job.setup.onlySummary) job.setup.print(done);
  job.log.info(done);
  if (warning !== null) {
    job.setup.print(warning);
    job.log.warning(warning);
  }
}

/** Test-level events fire in each --processes worker too, for the listeners its copy of the file registered. */
export function forwardEventsToWorkers(hooks: Hooks, workers: () => WorkerUserHost | null): void {
  hooks.testStart.on(() => workers()?.event({ name: 'testStart' }));
  hooks.spawningComplete.on(({ userCount }) => workers()?.event({ name: 'spawningComplete', userCount }));
  hooks.testStopping.on(({ reason }) => workers()?.event({ name: 'testStopping', reason }));
  hooks.testStop.on(({ reason }) => workers()?.event({ name: 'testStop', reason }));
}
