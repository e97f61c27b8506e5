import { performance } from 'node:perf_hooks';
import { systemClock } from '../../core/clock.js';
import type { RunningUser } from '../closed/user-loop.js';
import type { UserClassSpec } from '../closed/user-runner.js';
import { LocalOpenPool, type ArrivalSink, type OpenedConnections } from '../open/open-pool.js';
import type { OpenUserHost } from '../open/open-user-host.js';
import type { OpenRun, OpenRunOutcome, WorkerSetup, WorkerToMain } from './worker-protocol.js';

/**
 * This worker's part of the open model's pool (see remote-open-pool.ts): a LocalOpenPool bounded by
 * its share of --max-users, whose users are idle again on this event loop before the next arrivals
 * are dispatched. Outcomes go back in one message per event-loop turn, with times on the epoch
 * clock every thread shares (performance.timeOrigin + performance.now()).
 */
export interface WorkerOpenPool {
  preallocate(perClass: readonly number[]): number;
  connectPreallocated(openHttp: (count: number) => Promise<OpenedConnections>): Promise<OpenedConnections>;
  countsByClass(): readonly number[];
  run(runs: readonly OpenRun[]): void;
  hardStopAll(): void;
  finish(): Promise<void>;
}

/** Outcomes wait at most this long, or until this many are queued, before going to the main thread. */
const OUTCOME_BATCH_MS = 5;
const OUTCOME_BATCH_MAX = 1000;

/** `setup`: this worker's index (its first user id) and share of the pool; `post` sends to the main thread. */
export function workerOpenPool(
  specs: readonly UserClassSpec[],
  host: OpenUserHost<RunningUser>,
  setup: Pick<WorkerSetup, 'index' | 'openPool' | 'wallOffsetMs'>,
  post: (m: WorkerToMain) => void,
): WorkerOpenPool {
  const share = setup.openPool;
  let outbox: OpenRunOutcome[] = [];
  let flushTimer: NodeJS.Timeout | null = null;
  // Epoch times to and from the main side are on its clock: a remote worker's differs by wallOffsetMs.
  const origin = performance.timeOrigin + (setup.wallOffsetMs ?? 0);
  const flush = (): void => {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    if (outbox.length === 0) return;
    const outcomes = outbox;
    outbox = [];
    post({ type: 'open-done', outcomes, poolCounts: pool.countsByClass() });
  };
  const sink: ArrivalSink = {
    arrivalDone(classIndex, scheduledMs, o) {
      // Outcomes only feed counts and stats now (the pool is here), so they can wait a few ms:
      // one message per OUTCOME_BATCH_MS instead of one per event-loop turn costs the main thread
      // far less per arrival (bench/processes.ts --model open).
      const scheduledAt = origin + scheduledMs;
      if (typeof o === 'string') outbox.push({ classIndex, scheduledAt, result: o, name: '', failed: false, startedAt: 0, endedAt: 0 });
      else outbox.push({ classIndex, scheduledAt, result: 'ran', name: o.name ?? '', failed: o.failed, startedAt: origin + o.startedMs, endedAt: origin + o.endedMs });
      if (outbox.length >= OUTCOME_BATCH_MAX) flush();
      else flushTimer ??= setTimeout(flush, OUTCOME_BATCH_MS);
    },
  };
  const pool = new LocalOpenPool(specs, host, sink, { maxUsers: share?.maxUsers ?? 0, firstUserId: setup.index, idStride: share?.workers ?? 1, clock: systemClock });
  return {
    preallocate: (perClass) => pool.preallocate(perClass),
    connectPreallocated: (openHttp) => pool.connectPreallocated(openHttp),
    countsByClass: () => pool.countsByClass(),
    run(runs: readonly OpenRun[]): void {
      for (const r of runs) pool.dispatch(r.classIndex, r.scheduledAt - origin);
    },
    hardStopAll: () => pool.hardStopAll(),
    finish: async () => {
      await pool.finishAll();
      flush();
    },
  };
}
