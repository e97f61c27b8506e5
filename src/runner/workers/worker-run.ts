/**
 * One worker's part of a run, whatever carries its messages: a `--processes` worker thread
 * (worker-entry.ts, over its MessagePort) or a `--worker` process of a distributed run
 * (runner/remote/, over the broker). It loads the same test as the main side, builds the same
 * class table, and runs the users it is told to, each with the same global user id, hence the
 * same seeded stream, as in a single-process run. Every `statsIntervalMs` it sends a stats
 * snapshot and resets, so the main side's merge is exact.
 */
import { performance } from 'node:perf_hooks';
import { ConfigError } from '../../core/errors.js';
import { guardProcessExit, isExitCalled } from '../thread/exit-guard.js';
import { systemClock } from '../../core/clock.js';
import { isConfigError } from '../../core/errors.js';
import type { Hooks } from '../../core/hooks.js';
import { WorkerEvents } from './worker-events.js';
import { traceLine } from '../../report/trace-writer.js';
import { Rng } from '../../core/rng.js';
import { sessionOf } from '../../core/user.js';
import { StatsRegistry } from '../../stats/registry.js';
import { buildClassSpecs } from '../closed/class-specs.js';
import { UserFactory } from '../closed/user-factory.js';
import type { UserLoopDeps } from '../closed/user-loop.js';
import { WakeQueue } from '../closed/wake-queue.js';
import { LifecyclePhases } from '../closed/lifecycle-phases.js';
import { localUserHost, type UserClassSpec, type UserHandle, type UserHost } from '../closed/user-runner.js';
import type { MainToWorker, WorkerSetup, WorkerToMain } from './worker-protocol.js';
import { localOpenUserHost } from '../open/open-user-host.js';
import { preallocatePool, type Preallocation } from '../open/open-pool.js';
import { workerOpenPool, type WorkerOpenPool } from './worker-open-pool.js';

/** What carries a worker's messages: a thread's MessagePort, or the broker (runner/remote/). */
export interface WorkerPort {
  post(m: WorkerToMain): void;
  onMessage(handler: (m: MainToWorker) => void): void;
  /** The worker is done (after 'exit'): nothing more is sent. */
  close(): void;
}

/**
 * Runs a worker until the main side says 'exit'. Resolves once it is ready (or has sent 'failed').
 * `wallOffsetMs` (remote workers) moves this machine's wall clock onto the master's, so the
 * per-second counts and first/last request times of every worker line up when merged.
 */
export async function runWorker(setup: WorkerSetup, port: WorkerPort): Promise<void> {
  try {
    await startWorker(setup, port);
  } catch (e: unknown) {
    port.post({ type: 'failed', message: e instanceof Error ? e.message : String(e), usage: isConfigError(e) });
  }
}

async function startWorker(setup: WorkerSetup, port: WorkerPort): Promise<void> {
  const post = (m: WorkerToMain): void => port.post(m);
  const node = `worker-${setup.index}`;
  const offset = setup.wallOffsetMs ?? 0;
  const specs = await loadClassSpecs(setup);
  const stats = new StatsRegistry(offset === 0 ? () => Date.now() : () => Date.now() + offset);
  const abort = new AbortController();
  let run: WorkerRun | null = null;
  const events = new WorkerEvents(setup, stats, (e) => isExitCalled(e) || stats.recordException(e, node), post, () => run?.userCount() ?? 0);
  const trace = setup.recordTrace ? new TraceLines(events.hooks, new URL(setup.host).origin, offset) : null;
  const factory = new UserFactory(
    { host: setup.host, hostFromCommandLine: setup.hostFromCommandLine, http: setup.http, options: setup.options, parsedOptions: setup.parsedOptions },
    { rootRng: new Rng(setup.seed), stats, hooks: events.hooks, signal: abort.signal, runner: events.runner },
  );
  const phases = new LifecyclePhases();
  const loop = { ...userLoopDeps(setup, stats, events.hooks, phases, post), loopTurns: factory.loopTurns };
  if (setup.warmUp) {
    const { runJitWarmUp } = await import('../thread/jit-warm-up.js');
    await runJitWarmUp(setup.warmUp, setup.http, systemClock);
  }
  run = new WorkerRun({ setup, port, specs, stats, abort, events, trace, factory, phases, loop, unguard: guardThread(setup, stats, post) });
  run.listen();
  const preAllocate = setup.openPool?.preAllocate ?? [];
  const preallocated = preAllocate.some((n) => n > 0) ? await run.preallocate(preAllocate) : null;
  events.init();
  post({ type: 'ready', classNames: specs.map((s) => s.name), preallocated });
}

/** The same test as the main thread's, resolved from the same configuration, and its class table. */
async function loadClassSpecs(setup: WorkerSetup): Promise<UserClassSpec[]> {
  const { resolveTest } = await import('../../loading/resolve-test.js');
  const test = await resolveTest(setup.source);
  return buildClassSpecs(test.userClasses, {
    include: setup.tags ? new Set(setup.tags) : null,
    exclude: setup.excludeTags ? new Set(setup.excludeTags) : null,
  });
}

/** How this worker's users run: what a task throws is counted here, a ConfigError also stops the run. */
function userLoopDeps(setup: WorkerSetup, stats: StatsRegistry, hooks: Hooks, phases: LifecyclePhases, post: (m: WorkerToMain) => void): UserLoopDeps {
  const node = `worker-${setup.index}`;
  return {
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
}

/** The test's own process.exit() and stray errors must not end only this worker, its users lost. */
/**
 * Until the worker exits (the returned function lifts it): in a remote --worker process, its own
 * exit comes after, and must be the real one.
 */
function guardThread(setup: WorkerSetup, stats: StatsRegistry, post: (m: WorkerToMain) => void): () => void {
  const node = `worker-${setup.index}`;
  // The thread's own process.exit() would end only this worker: it ends the run instead.
  const guard = guardProcessExit((exitCode, reason) => post({ type: 'quit', reason: `${reason}, in worker ${setup.index}`, exitCode }));
  const onStray = (e: unknown): void => {
    if (!isExitCalled(e)) stats.recordException(e, node);
  };
  process.on('unhandledRejection', onStray);
  process.on('uncaughtException', onStray);
  return () => {
    guard.release();
    process.off('unhandledRejection', onStray);
    process.off('uncaughtException', onStray);
  };
}

/** --record-trace: this worker's requests as trace lines, sent with its stats. */
class TraceLines {
  #lines: string[] = [];
  /** The run's start on this thread's performance.now() clock ('trace-start', through the shared epoch clock). */
  #startMs = 0;

  /** This machine's wall clock minus the master's (remote workers; 0 in a thread). */
  readonly #offsetMs: number;

  constructor(hooks: Hooks, hostOrigin: string, offsetMs: number) {
    this.#offsetMs = offsetMs;
    hooks.request.on((e) => this.#lines.push(traceLine(e, this.#startMs, hostOrigin)));
  }

  /** `epochMs` is on the master's clock: this machine's run start is that much earlier or later. */
  start(epochMs: number): void {
    this.#startMs = epochMs - this.#offsetMs - performance.timeOrigin;
  }

  /** The lines since the last take (empty when none). */
  take(): string[] {
    const lines = this.#lines;
    if (lines.length > 0) this.#lines = [];
    return lines;
  }
}

/** This worker's part of the run: its users (by global id), its share of the open model's pool, its stats. */
class WorkerRun {
  readonly #parts: WorkerRunParts;
  readonly #host: UserHost;
  readonly #users = new Map<number, UserHandle>();
  readonly #open: WorkerOpenPool;
  #timer: NodeJS.Timeout | undefined;

  constructor(parts: WorkerRunParts) {
    this.#parts = parts;
    const { loop, factory } = parts;
    this.#host = localUserHost({ loop, environmentFor: (userId) => factory.environmentFor(userId) });
    this.#open = workerOpenPool(parts.specs, localOpenUserHost({ clock: systemClock, loop, environmentFor: (userId) => factory.environmentFor(userId) }), parts.setup, (m) => parts.port.post(m));
  }

  /** Stats every statsIntervalMs, and the main thread's messages from now on. */
  listen(): void {
    this.#timer = setInterval(() => this.#sendStats(false), this.#parts.setup.statsIntervalMs);
    this.#parts.port.onMessage((m) => this.#handle(m));
  }

  /** This worker's users running now: its closed-model users and its share of the open model's pool. */
  userCount(): number {
    let n = this.#users.size;
    for (const c of this.#open.countsByClass()) n += c;
    return n;
  }

  preallocate(perClass: readonly number[]): Promise<Preallocation> {
    return preallocatePool(this.#open, this.#parts.factory, perClass, systemClock);
  }

  #handle(m: MainToWorker): void {
    switch (m.type) {
      case 'spawn':
        return this.#spawn(m.classIndex, m.userId);
      case 'stop':
        this.#users.get(m.userId)?.requestStop();
        return;
      case 'hard-stop':
        this.#users.get(m.userId)?.hardStop();
        return;
      case 'open-hard-stop':
        this.#open.hardStopAll();
        return;
      case 'open-run':
        this.#open.run(m.runs);
        return;
      case 'open-finish':
        void this.#open.finish().then(() => this.#parts.port.post({ type: 'open-finished' }));
        return;
      case 'flush':
        this.#sendStats(true);
        return;
      case 'trace-start':
        this.#parts.trace?.start(m.epochMs);
        return;
      case 'event':
        this.#parts.events.fire(m.event);
        return;
      case 'message':
        this.#parts.events.message(m.msgType, m.data);
        return;
      case 'exit':
        void this.#exit();
        return;
    }
  }

  #spawn(classIndex: number, userId: number): void {
    const spec = this.#parts.specs[classIndex];
    const handle = spec ? this.#host.spawn(spec, classIndex, userId) : null;
    const post = (m: WorkerToMain): void => this.#parts.port.post(m);
    if (!handle) {
      post({ type: 'user-failed', userId });
      return;
    }
    this.#users.set(userId, handle);
    const done = (): void => {
      this.#users.delete(userId);
      post({ type: 'user-done', userId });
    };
    handle.done.then(done, done);
  }

  #sendStats(final: boolean): void {
    const { stats, factory, phases, port } = this.#parts;
    const post = (m: WorkerToMain): void => port.post(m);
    // Trace lines first: the main thread closes the trace once the final stats arrived.
    const lines = this.#parts.trace?.take() ?? [];
    if (lines.length > 0) post({ type: 'trace', lines });
    // The final stats (the run has stopped its users) say who is still stuck in onStart/onStop.
    post({ type: 'stats', snapshot: stats.snapshot(), final, protocols: factory.protocols.take(), ...(final ? { lifecycle: phases.snapshot() } : {}) });
    stats.reset();
  }

  /** Quitting listeners first (an async one is waited for), then the users' connections, then the port. */
  async #exit(): Promise<void> {
    clearInterval(this.#timer);
    await this.#parts.events.quitting();
    this.#parts.abort.abort();
    await this.#parts.factory.close();
    this.#parts.unguard();
    this.#parts.port.close();
  }
}

/** What a WorkerRun is made of (built in main(), in the order the worker starts). */
interface WorkerRunParts {
  setup: WorkerSetup;
  /** Lifts the process.exit guard and the stray-error handlers (when the worker exits). */
  unguard: () => void;
  port: WorkerPort;
  specs: readonly UserClassSpec[];
  stats: StatsRegistry;
  abort: AbortController;
  events: WorkerEvents;
  trace: TraceLines | null;
  factory: UserFactory;
  phases: LifecyclePhases;
  loop: UserLoopDeps;
}
