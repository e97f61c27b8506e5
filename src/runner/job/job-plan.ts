import { createArrivalPattern } from '../../core/arrival-pattern.js';
import { splitByClass } from '../closed/class-mix.js';
import { jitWarmUpPlan, type JitWarmUpPlan } from '../thread/jit-warm-up.js';
import type { JobSetup } from './job-setup.js';
import { poolShare } from '../workers/remote-open-pool.js';

/**
 * What a job's setup works out to before anything starts (rule 4: pure plan, thin executor): how
 * many threads, the warm-up, and each worker's part of the open model's pool. run-job.ts and
 * job-workers.ts read the same answers from here.
 */

/** --processes: how many worker threads the users run in (1 = this thread). */
export function jobProcesses(setup: Pick<JobSetup, 'processes'>): number {
  return setup.processes ?? 1;
}

/** How many workers share the run: --processes threads, or a distributed run's --expect-workers (1 = this thread). */
export function workerCount(setup: Pick<JobSetup, 'processes' | 'distributed'>): number {
  return setup.distributed ? setup.distributed.expectWorkers : jobProcesses(setup);
}

/** The users run in workers: --processes threads, or a distributed run's --worker processes. */
export function usesWorkers(setup: Pick<JobSetup, 'processes' | 'distributed'>): boolean {
  return jobProcesses(setup) > 1 || (setup.distributed !== null && setup.distributed !== undefined);
}

/** The warm-up for this run's start (per worker with --processes), or null for a gentle start. */
export function jobWarmUpPlan(setup: Pick<JobSetup, 'warmUp' | 'arrival' | 'shape' | 'users' | 'spawnRate' | 'processes' | 'distributed'>): JitWarmUpPlan | null {
  // A master sends no requests, and how many workers share the start is known only as they come.
  if (!setup.warmUp || setup.distributed) return null;
  let firstSecond = 0;
  if (setup.arrival) firstSecond = createArrivalPattern(setup.arrival.pattern).cumulative(1);
  else if (!setup.shape) firstSecond = Math.min(setup.users, setup.spawnRate);
  // A shape's stages are only known as it ticks: it is not warmed up for.
  return jitWarmUpPlan(firstSecond / jobProcesses(setup), setup.arrival !== null && setup.arrival !== undefined && !setup.arrival.replay);
}

/** --pre-allocated-users (a replay has no pool: none). */
export function preAllocatedUsers(setup: Pick<JobSetup, 'arrival'>): number {
  return setup.arrival?.replay ? 0 : (setup.arrival?.preAllocatedUsers ?? 0);
}

/** --pre-allocated-users per worker and class: the mix a ramp to that count has, each worker with its share of every class. */
export function preallocationPlan(setup: Pick<JobSetup, 'arrival' | 'processes' | 'distributed'>, classes: ReadonlyArray<{ weight: number }>): number[][] {
  // The open model picks classes by weight alone: fixedCount has no meaning there.
  return splitByClass(classes.map((c) => ({ weight: c.weight, fixedCount: 0 })), preAllocatedUsers(setup), workerCount(setup));
}

/** Each worker's share of the open model's --max-users. */
export function openPoolShares(setup: Pick<JobSetup, 'arrival' | 'processes' | 'distributed'>): number[] {
  const processes = workerCount(setup);
  return Array.from({ length: processes }, (_, w) => poolShare(setup.arrival?.maxUsers ?? 0, processes, w));
}
