import type { Clock } from '../../core/clock.js';
import type { Rng } from '../../core/rng.js';
import type { UserEnvironment } from '../../core/user.js';
import type { HttpSession } from '../../http/client.js';
import type { UserFactory } from '../closed/user-factory.js';
import type { UserLoopDeps } from '../closed/user-loop.js';
import { UserRunner, type UserClassSpec, type UserHost } from '../closed/user-runner.js';
import { OpenModelRun, type ArrivalSetup } from '../open/open-model-run.js';
import type { ArrivalSink } from '../open/open-pool.js';
import type { WorkerUserHost } from '../workers/worker-user-host.js';
import type { Population } from './load-run.js';
import { openPoolShares, usesWorkers } from './job-plan.js';
import type { JobSetup } from './job-setup.js';
import { remoteOpenPool, withWorkerFlush } from './job-workers.js';

/** What a job's population is built with: its parts (run-job.ts owns them) and what it reports back. */
export interface JobPopulationDeps {
  clock: Clock;
  seed: number;
  rootRng: Rng;
  specs: readonly UserClassSpec[];
  factory: UserFactory;
  /** How this thread's users run their tasks. */
  loop: UserLoopDeps;
  /** The --processes worker threads once they started (null until then, and without --processes). */
  workers(): WorkerUserHost | null;
  /** Ends the run gracefully, saying why (a replay done, --iterations reached). */
  stop(reason: string): void;
  /** The ramp reached its target (Locust's "All users spawned"). */
  onRampComplete(counts: Record<string, number>, total: number): void;
}

/** The job's load: the open model's arrivals, or users ramped to a count; one of the two is null. */
export interface JobPopulation {
  open: OpenModelRun | null;
  users: UserRunner | null;
  /** What the load run moves and stops. */
  population: Population;
}

/**
 * Who a job's load is: the open model's arrivals (OpenModelRun) or users ramped at the spawn rate
 * (UserRunner), their users in this thread or, with --processes, in the worker threads.
 */
export function jobPopulation(setup: JobSetup, deps: JobPopulationDeps): JobPopulation {
  if (setup.arrival) {
    const open = openModelRun(setup, setup.arrival, deps);
    return { open, users: null, population: withWorkers(setup, deps, open.runner) };
  }
  const users = userRunner(setup, deps);
  return { open: null, users, population: withWorkers(setup, deps, users) };
}

/** Users in workers are stopped: collect what they recorded before the final roll. */
function withWorkers(setup: JobSetup, deps: JobPopulationDeps, inThread: Population): Population {
  return usesWorkers(setup) ? withWorkerFlush(inThread, () => deps.workers()?.flush() ?? Promise.resolve()) : inThread;
}

/** The open model: arrivals on a schedule (or a trace replayed), each run by a user of the pool. */
function openModelRun(setup: JobSetup, arrival: ArrivalSetup, deps: JobPopulationDeps): OpenModelRun {
  const { factory, specs } = deps;
  return new OpenModelRun(arrival, specs, {
    clock: deps.clock, rng: deps.rootRng, seed: deps.seed, stopTimeoutMs: setup.stopTimeoutSec * 1000, loop: deps.loop,
    environmentFor: (userId): UserEnvironment => factory.environmentFor(userId),
    sessionFor: (userId): HttpSession => factory.sessionFor(userId),
    onDone: () => deps.stop('trace replayed'),
    // The pool is spread over the workers (--processes threads, --master's workers), which start only when the run does.
    ...(usesWorkers(setup) ? { pool: (sink: ArrivalSink) => remoteOpenPool(() => deps.workers(), openPoolShares(setup), specs.length, sink) } : {}),
    iterations: setup.iterations ? { arrivals: setup.iterations, onLimit: () => deps.stop(`${setup.iterations} arrivals (--iterations) done`) } : null,
    runTimeSec: setup.runTimeSec,
  });
}

/** The closed model: users ramped at the spawn rate, here or (--processes) in the worker threads. */
function userRunner(setup: JobSetup, deps: JobPopulationDeps): UserRunner {
  const { factory } = deps;
  return new UserRunner(deps.specs, {
    clock: deps.clock,
    stopTimeoutMs: setup.stopTimeoutSec * 1000,
    loop: deps.loop,
    environmentFor: (userId): UserEnvironment => factory.environmentFor(userId),
    ...(usesWorkers(setup) ? { host: { spawn: (spec, ci, id) => deps.workers()?.spawn(spec, ci, id) ?? null } satisfies UserHost } : {}),
    ...(setup.iterations ? { onAllEnded: () => deps.stop(`every user ran its ${setup.iterations} iterations (--iterations)`) } : {}),
    onRampComplete: (counts, total) => deps.onRampComplete(counts, total),
  });
}
