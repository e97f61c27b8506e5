/**
 * A user-hosting worker thread (`--processes N`). It loads the same test as the main thread,
 * builds the same class table, and runs the users the main thread tells it to, each with the
 * same global user id, hence the same seeded stream, as in a single-process run. Every
 * `statsIntervalMs` it sends a stats snapshot and resets, so the main thread's merge is exact.
 */
import { ConfigError } from '../core/errors.js';
import { guardProcessExit, isExitCalled } from './exit-guard.js';
import { parentPort, workerData } from 'node:worker_threads';
import { systemClock } from '../core/clock.js';
import { isConfigError } from '../core/errors.js';
import { WorkerEvents } from './worker-events.js';
import { traceLine } from '../report/trace-writer.js';
import { Rng } from '../core/rng.js';
import { sessionOf } from '../core/user.js';
import type { RunConfig } from '../cli/run-config.js';
import { StatsRegistry } from '../stats/registry.js';
import { buildClassSpecs } from './class-specs.js';
import { UserFactory } from './user-factory.js';
import type { UserLoopDeps } from './user-loop.js';
import { WakeQueue } from './wake-queue.js';
import { LifecyclePhases } from './lifecycle-phases.js';
import { localUserHost, type UserClassSpec, type UserHandle } from './user-runner.js';
import type { MainToWorker, OpenRun, OpenRunOutcome, WorkerSetup, WorkerToMain } from './worker-protocol.js';
import { localOpenUserHost, type OpenUserHost } from './open-user-host.js';
import { LocalOpenPool, preallocatePool, type ArrivalSink } from './open-pool.js';
import type { RunningUser } from './user-loop.js';

if (!parentPort) throw new Error('worker-entry.js runs only as a worker thread');
const port = parentPort;
const setup = workerData as WorkerSetup;
const post = (m: WorkerToMain): void => port.postMessage(m);
const node = `worker-${setup.index}`;

async function main(): Promise<void> {
  const { resolveTest } = await import('../cli/resolve-test.js');
  const test = await resolveTest(setup.source as RunConfig);
  const specs = buildClassSpecs(test.userClasses, {
    include: setup.tags ? new Set(setup.tags) : null,
    exclude: setup.excludeTags ? new Set(setup.excludeTags) : null,
  });
  const stats = new StatsRegistry(() => Date.now());
  const abort = new AbortController();
  const events = new WorkerEvents(setup, (e) => isExitCalled(e) || stats.recordException(e, node), post);
  const hooks = events.hooks;
  let traceLines: string[] = [];
  /** The run's start on this thread's performance.now() clock ('trace-start', through the shared epoch clock). */
  let traceStartMs = 0;
  const hostOrigin = new URL(setup.host).origin;
  if (setup.recordTrace) hooks.request.on((e) => traceLines.push(traceLine(e, traceStartMs, hostOrigin)));
  const factory = new UserFactory(
    { host: setup.host, hostFromCommandLine: setup.hostFromCommandLine, http: setup.http, options: setup.options, parsedOptions: setup.parsedOptions },
    { rootRng: new Rng(setup.seed), stats, hooks, signal: abort.signal, quit: (reason) => events.environment.runner.quit(reason) },
  );
  const phases = new LifecyclePhases();
  const loop: UserLoopDeps = {
    clock: systemClock,
    recordException: (e, user) => {
      // The main thread stops the run on it (run-job.ts), as for its own users.
      if (e instanceof ConfigError) post({ type: 'usage-error', message: e.message });
      stats.recordException(e, node);
      if (user !== undefined && hooks.userError.hasListeners) hooks.userError.emit({ user, error: e });
    },
    afterTask: (user, taskError) => sessionOf(user)?.flushPending(taskError),
    pickers: new WeakMap(),
    wakeQueue: new WakeQueue(systemClock),
    phases,
    iterations: setup.iterations,
  };
  if (setup.warmUp) {
    const { runJitWarmUp } = await import('./jit-warm-up.js');
    await runJitWarmUp(setup.warmUp, setup.http, systemClock);
  }
  const host = localUserHost({ loop, environmentFor: (userId) => factory.environmentFor(userId) });
  const users = new Map<number, UserHandle>();
  const open = openModelPool(specs, localOpenUserHost({ clock: systemClock, loop, environmentFor: (userId) => factory.environmentFor(userId) }), setup.openPool);
  const sendStats = (final: boolean): void => {
    // Trace lines first: the main thread closes the trace once the final stats arrived.
    if (traceLines.length > 0) {
      post({ type: 'trace', lines: traceLines });
      traceLines = [];
    }
    // The final stats (the run has stopped its users) say who is still stuck in onStart/onStop.
    post({ type: 'stats', snapshot: stats.snapshot(), final, protocols: factory.protocols.take(), ...(final ? { lifecycle: phases.snapshot() } : {}) });
    stats.reset();
  };
  // The thread's own process.exit() would end only this worker, its users lost: it ends the run instead.
  guardProcessExit((exitCode, reason) => post({ type: 'quit', reason: `${reason}, in worker ${setup.index}`, exitCode }));
  const onStray = (e: unknown): void => {
    if (!isExitCalled(e)) stats.recordException(e, node);
  };
  process.on('unhandledRejection', onStray);
  process.on('uncaughtException', onStray);
  const timer = setInterval(() => sendStats(false), setup.statsIntervalMs);
  port.on('message', (m: MainToWorker) => {
    switch (m.type) {
      case 'spawn': {
        const spec = specs[m.classIndex];
        const handle = spec ? host.spawn(spec, m.classIndex, m.userId) : null;
        if (!handle) {
          post({ type: 'user-failed', userId: m.userId });
          return;
        }
        users.set(m.userId, handle);
        const done = (): void => {
          users.delete(m.userId);
          post({ type: 'user-done', userId: m.userId });
        };
        handle.done.then(done, done);
        return;
      }
      case 'stop':
        users.get(m.userId)?.requestStop();
        return;
      case 'hard-stop':
        users.get(m.userId)?.hardStop();
        return;
      case 'open-hard-stop':
        open.hardStopAll();
        return;
      case 'open-run':
        open.run(m.runs);
        return;
      case 'open-finish':
        void open.finish().then(() => post({ type: 'open-finished' }));
        return;
      case 'flush':
        sendStats(true);
        return;
      case 'trace-start':
        traceStartMs = m.epochMs - performance.timeOrigin;
        return;
      case 'event':
        events.fire(m.event);
        return;
      case 'exit':
        events.quitting();
        clearInterval(timer);
        abort.abort();
        void factory.close().then(() => port.close());
        return;
    }
  });
  const preAllocate = setup.openPool?.preAllocate ?? [];
  const preallocated = preAllocate.some((n) => n > 0) ? await preallocatePool(open, factory, preAllocate, systemClock) : null;
  events.init();
  post({ type: 'ready', classNames: specs.map((s) => s.name), preallocated });
}

/**
 * This worker's part of the open model's pool (see remote-open-pool.ts): a LocalOpenPool bounded by
 * its share of --max-users, whose users are idle again on this event loop before the next arrivals
 * are dispatched. Outcomes go back in one message per event-loop turn, with times on the epoch
 * clock every thread shares (performance.timeOrigin + performance.now()).
 */
interface WorkerOpenPool {
  preallocate(perClass: readonly number[]): number;
  countsByClass(): readonly number[];
  run(runs: readonly OpenRun[]): void;
  hardStopAll(): void;
  finish(): Promise<void>;
}

/** Outcomes wait at most this long, or until this many are queued, before going to the main thread. */
const OUTCOME_BATCH_MS = 5;
const OUTCOME_BATCH_MAX = 1000;

function openModelPool(specs: readonly UserClassSpec[], host: OpenUserHost<RunningUser>, share: WorkerSetup['openPool']): WorkerOpenPool {
  let outbox: OpenRunOutcome[] = [];
  let flushTimer: NodeJS.Timeout | null = null;
  const origin = performance.timeOrigin;
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
  const pool = new LocalOpenPool(specs, host, sink, { maxUsers: share?.maxUsers ?? 0, firstUserId: setup.index, idStride: share?.workers ?? 1 });
  return {
    preallocate: (perClass) => pool.preallocate(perClass),
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

main().catch((e: unknown) => post({ type: 'failed', message: e instanceof Error ? e.message : String(e), usage: isConfigError(e) }));
