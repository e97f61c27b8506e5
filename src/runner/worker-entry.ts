/**
 * A user-hosting worker thread (`--processes N`). It loads the same test as the main thread,
 * builds the same class table, and runs the users the main thread tells it to, each with the
 * same global user id, hence the same seeded stream, as in a single-process run. Every
 * `statsIntervalMs` it sends a stats snapshot and resets, so the main thread's merge is exact.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { systemClock } from '../core/clock.js';
import { createHooks } from '../core/hooks.js';
import { traceLine } from '../report/trace-writer.js';
import { Rng } from '../core/rng.js';
import type { User } from '../core/user.js';
import type { HttpSession } from '../http/client.js';
import type { RunConfig } from '../cli/run-config.js';
import { StatsRegistry } from '../stats/registry.js';
import { buildClassSpecs } from './class-specs.js';
import { UserFactory } from './user-factory.js';
import type { UserLoopDeps } from './user-loop.js';
import { WakeQueue } from './wake-queue.js';
import { localUserHost, type UserClassSpec, type UserHandle } from './user-runner.js';
import type { MainToWorker, OpenRun, OpenRunOutcome, WorkerSetup, WorkerToMain } from './worker-protocol.js';
import { localOpenUserHost, type OpenUserHost } from './open-user-host.js';
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
  const hooks = createHooks();
  let traceLines: string[] = [];
  if (setup.traceStartEpochMs !== null) {
    // The run's start on this thread's performance.now() clock, through the shared epoch clock.
    const startMs = setup.traceStartEpochMs - performance.timeOrigin;
    hooks.request.on((e) => traceLines.push(traceLine(e, startMs)));
  }
  const factory = new UserFactory(
    { host: setup.host, requestTimeoutSec: setup.requestTimeoutSec, maxBodyBytes: setup.maxBodyBytes, connectionPool: setup.connectionPool, options: setup.options },
    { rootRng: new Rng(setup.seed), stats, hooks, signal: abort.signal },
  );
  const loop: UserLoopDeps = {
    clock: systemClock,
    recordException: (e) => stats.recordException(e, node),
    afterTask: (user) => (user as User & { client?: HttpSession }).client?.flushPending(),
    pickers: new WeakMap(),
    wakeQueue: new WakeQueue(systemClock),
  };
  if (setup.warmUp) {
    const { runJitWarmUp } = await import('./jit-warm-up.js');
    await runJitWarmUp(setup.warmUp, setup, systemClock);
  }
  const host = localUserHost({ loop, environmentFor: (userId) => factory.environmentFor(userId) });
  const users = new Map<number, UserHandle>();
  const open = openModelUsers(specs, localOpenUserHost({ clock: systemClock, loop, environmentFor: (userId) => factory.environmentFor(userId) }));
  const sendStats = (final: boolean): void => {
    // Trace lines first: the main thread closes the trace once the final stats arrived.
    if (traceLines.length > 0) {
      post({ type: 'trace', lines: traceLines });
      traceLines = [];
    }
    post({ type: 'stats', snapshot: stats.snapshot(), final });
    stats.reset();
  };
  process.on('unhandledRejection', (e) => stats.recordException(e, node));
  process.on('uncaughtException', (e) => stats.recordException(e, node));
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
        open.hardStop(m.userId);
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
      case 'exit':
        clearInterval(timer);
        abort.abort();
        void factory.close().then(() => port.close());
        return;
    }
  });
  post({ type: 'ready', classNames: specs.map((s) => s.name) });
}

/**
 * The open model's pooled users hosted here (the main thread's ArrivalRunner decides which user
 * runs when). Outcomes go back in one message per event-loop turn, with times on the epoch clock
 * that every thread shares (performance.timeOrigin + performance.now()).
 */
interface WorkerOpenUsers {
  run(runs: readonly OpenRun[]): void;
  hardStop(userId: number): void;
  finish(): Promise<void>;
}

function openModelUsers(specs: readonly UserClassSpec[], host: OpenUserHost<RunningUser>): WorkerOpenUsers {
  const pooled = new Map<number, RunningUser>();
  let outbox: OpenRunOutcome[] = [];
  const flush = (): void => {
    const outcomes = outbox;
    outbox = [];
    post({ type: 'open-done', outcomes });
  };
  const report = (o: OpenRunOutcome): void => {
    if (outbox.length === 0) setImmediate(flush);
    outbox.push(o);
  };
  const runOne = async (r: OpenRun): Promise<void> => {
    let user = pooled.get(r.userId);
    const spec = specs[r.classIndex];
    if (!user && spec) {
      user = host.create(spec, r.classIndex, r.userId) ?? undefined;
      if (user) pooled.set(r.userId, user);
    }
    if (!user) {
      report({ userId: r.userId, name: null, failed: false, startedAt: 0, endedAt: 0 });
      return;
    }
    const o = await host.runOne(user);
    const origin = performance.timeOrigin;
    report({ userId: r.userId, name: o.name, failed: o.failed, startedAt: origin + o.startedMs, endedAt: origin + o.endedMs });
  };
  return {
    run(runs: readonly OpenRun[]): void {
      for (const r of runs) void runOne(r);
    },
    hardStop(userId: number): void {
      pooled.get(userId)?.hardStop();
    },
    finish: (): Promise<void> => host.finishAll([...pooled.values()]),
  };
}

main().catch((e: unknown) => post({ type: 'failed', message: e instanceof Error ? e.message : String(e) }));
