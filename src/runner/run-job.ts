import { availableParallelism } from 'node:os';
import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from '../core/clock.js';
import { createHooks, type Hooks } from '../core/hooks.js';
import { Rng, freshSeed } from '../core/rng.js';
import type { LoadShape, ShapeStage } from '../core/shape.js';
import { evaluateTargets } from '../core/target-check.js';
import type { Target, TargetResult } from '../core/targets.js';
import type { TagFilter } from '../core/tasks.js';
import type { User, UserEnvironment } from '../core/user.js';
import type { HttpSession } from '../http/client.js';
import type { ConnectionPoolMode } from '../http/dispatchers.js';
import { UserFactory } from './user-factory.js';
import { consoleSummary } from '../report/console-summary.js';
import { liveLine } from '../report/live-line.js';
import { allOutputFiles, type OutputPaths } from '../report/output-paths.js';
import type { RunInfo } from '../report/run-info.js';
import { RunLog, type LogLevel } from '../report/run-log.js';
import { StatsRegistry } from '../stats/registry.js';
import { buildClassSpecs } from './class-specs.js';
import { LoadRun, type LoadRunResult } from './load-run.js';
import { RunOutputs } from './run-outputs.js';
import { SelfMonitor } from './self-monitor.js';
import { TraceWriter } from '../report/trace-writer.js';
import { UserRunner, type UserClassSpec, type UserHost } from './user-runner.js';
import { WorkerUserHost } from './worker-user-host.js';
import type { Population } from './load-run.js';
import { OpenModelRun, type ArrivalSetup } from './open-model-run.js';
import type { UserLoopDeps } from './user-loop.js';
import { createArrivalPattern } from '../core/arrival-pattern.js';
import { WakeQueue } from './wake-queue.js';
import { removeStaleTempFiles } from '../report/atomic-write.js';
import { preallocatePool, type ArrivalSink, type OpenPool } from './open-pool.js';
import { poolShare, type RemoteOpenPool } from './remote-open-pool.js';
import { jitWarmUpPlan, runJitWarmUp, type JitWarmUpPlan } from './jit-warm-up.js';
import { splitByClass } from './class-mix.js';
import { ArrivalRunner } from './arrival-runner.js';

export interface JobSetup {
  version: string;
  command: string;
  host: string;
  userClasses: readonly unknown[];
  tagFilter: TagFilter;
  users: number;
  spawnRate: number;
  runTimeSec: number | null;
  shape: LoadShape | null;
  shapeName: string | null;
  targets: readonly Target[];
  scenario: string | null;
  testFile: string | null;
  seed: number | null;
  stopTimeoutSec: number;
  requestTimeoutSec: number;
  maxBodyBytes: number;
  connectionPool: ConnectionPoolMode;
  csvFullHistory: boolean;
  paths: OutputPaths;
  loglevel: LogLevel;
  onlySummary: boolean;
  /** Console output (one line per call, no trailing newline). */
  print(line: string): void;
  /** --processes: users run in this many worker threads (1 = here). `workerSource` is what they load. */
  processes?: number;
  workerSource?: unknown;
  /** --record-trace: every request as a JSON line, replayable with `run-load-tests replay`. */
  recordTrace?: string | null;
  /** Open model: arrivals on a schedule instead of a user count (users/spawnRate are then unused). */
  arrival?: ArrivalSetup | null;
  clock?: Clock;
  historyIntervalMs?: number;
  liveIntervalMs?: number;
  /** Sample brood's own CPU and event-loop delay each interval, warn and mark overloaded intervals (the CLI sets it). */
  selfMonitor?: boolean;
  /** Run the JIT warm-up (jit-warm-up.ts) before a steep start (the CLI sets it unless --no-warm-up). */
  warmUp?: boolean;
}

/** A population whose users run in workers: after stopping them, wait for their last stats. */
function withWorkerFlush(inner: Population, flush: () => Promise<void>): Population {
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

export interface JobResult {
  exitCode: 0 | 1 | 2;
  reason: string;
  interrupted: boolean;
  targets: TargetResult[];
  totalRequests: number;
  totalFailures: number;
  seed: number;
}

/**
 * One load test from configuration to files on disk. Everything the run owns hangs off this
 * object (rule 3: no module state): stats, hooks, users, timers and writers.
 */
export class Job {
  readonly hooks: Hooks = createHooks();
  readonly stats: StatsRegistry;
  readonly seed: number;
  readonly #setup: JobSetup;
  readonly #clock: Clock;
  readonly #log: RunLog;
  readonly #outputs: RunOutputs;
  readonly #users: UserRunner | null;
  readonly #open: OpenModelRun | null;
  readonly #specs: readonly UserClassSpec[];
  readonly #run: LoadRun;
  readonly #abort = new AbortController();
  readonly #factory: UserFactory;
  #startWallMs = 0;
  #shapeError: unknown = null;
  #trace: TraceWriter | null = null;
  #workers: WorkerUserHost | null = null;
  #self: SelfMonitor | null = null;

  constructor(setup: JobSetup) {
    this.#setup = setup;
    const clock = (this.#clock = setup.clock ?? systemClock);
    this.seed = setup.seed ?? freshSeed((n) => randomBytes(n));
    const rootRng = new Rng(this.seed);
    // A replay sends what the trace says: it has no user classes.
    const specs = setup.arrival?.replay ? [] : buildClassSpecs(setup.userClasses, setup.tagFilter);
    this.stats = new StatsRegistry(() => clock.wallNow());
    this.#log = new RunLog(setup.paths.log, { level: setup.loglevel, now: () => clock.wallNow() });
    this.#outputs = new RunOutputs(setup.paths, this.stats, setup.csvFullHistory);
    const stats = this.stats;
    const options = Object.freeze({ users: setup.users, spawnRate: setup.spawnRate, seed: this.seed, host: setup.host });
    this.#factory = new UserFactory(
      { host: setup.host, requestTimeoutSec: setup.requestTimeoutSec, maxBodyBytes: setup.maxBodyBytes, connectionPool: setup.connectionPool, options },
      { rootRng, stats, hooks: this.hooks, signal: this.#abort.signal },
    );
    const factory = this.#factory;
    const loop: UserLoopDeps = {
      clock,
      recordException: (e) => {
        stats.recordException(e);
        this.#log.error(`task error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      },
      afterTask: (user) => (user as User & { client?: HttpSession }).client?.flushPending(),
      pickers: new WeakMap(),
      wakeQueue: new WakeQueue(clock),
    };
    const environmentFor = (userId: number): UserEnvironment => factory.environmentFor(userId);
    const sessionFor = (userId: number): HttpSession => factory.sessionFor(userId);
    this.#specs = specs;
    this.#open = setup.arrival
      ? new OpenModelRun(setup.arrival, specs, {
          clock, rng: rootRng, seed: this.seed, stopTimeoutMs: setup.stopTimeoutSec * 1000, loop, environmentFor, sessionFor,
          onDone: () => this.stop('trace replayed'),
          ...(this.#processes() > 1 ? { pool: (sink: ArrivalSink) => this.#remoteOpenPool(sink) } : {}),
        })
      : null;
    this.#users = this.#open
      ? null
      : new UserRunner(specs, {
          clock,
          stopTimeoutMs: setup.stopTimeoutSec * 1000,
          loop,
          environmentFor,
          ...(this.#processes() > 1 ? { host: { spawn: (spec, ci, id) => this.#workers?.spawn(spec, ci, id) ?? null } satisfies UserHost } : {}),
          onRampComplete: (counts, total) => {
            this.#log.info(`All users spawned: ${JSON.stringify(counts)} (${total} total users)`);
            this.hooks.spawningComplete.emit({ userCount: total });
          },
        });
    const inThread: Population = this.#open ? this.#open.runner : (this.#users as UserRunner);
    // Users in workers are stopped: collect what they recorded before the final roll.
    const population: Population = this.#processes() > 1 ? withWorkerFlush(inThread, () => this.#workers?.flush() ?? Promise.resolve()) : inThread;
    this.#run = new LoadRun({
      clock,
      hooks: this.hooks,
      users: population,
      host: setup.host,
      runTimeSec: setup.runTimeSec,
      initialTarget: setup.shape || setup.arrival ? null : { users: setup.users, spawnRate: setup.spawnRate },
      shape: setup.shape,
      historyIntervalMs: setup.historyIntervalMs ?? 1000,
      liveIntervalMs: setup.liveIntervalMs ?? 5000,
      onInterval: (ts, userCount) => {
        this.#outputs.interval(ts, userCount, clock.wallNow(), this.#self?.sample());
        this.#trace?.flush();
        this.#open?.interval(this.#run.elapsedSec());
      },
      onLive: (elapsed) => this.#live(elapsed),
      log: (level, message) => this.#log.log(level, message),
      onShapeError: (e) => (this.#shapeError = e),
    });
    if (setup.shape) {
      setup.shape.run = {
        userCount: () => population.userCount(),
        totals: () => this.stats.summaries(clock.wallNow()).aggregated,
        lastInterval: () => this.#outputs.timeline.at(-1) ?? null,
      };
    }
  }

  get paths(): OutputPaths {
    return this.#outputs.paths;
  }

  userCount(): number {
    return this.#open ? this.#open.runner.userCount() : (this.#users?.userCount() ?? 0);
  }

  /** Starts the run and resolves when every file is written. */
  async run(): Promise<JobResult> {
    const warmUp = this.#warmUpPlan();
    // With --processes the workers send the requests, so each warms itself up (worker-entry.ts).
    if (warmUp && this.#processes() <= 1) {
      const r = await runJitWarmUp(warmUp, this.#setup, this.#clock);
      this.#log.info(`JIT warm-up before a steep start: ${r.requests} requests by ${r.users} users against an in-process responder in ${Math.round(r.elapsedMs)} ms (--no-warm-up skips it)`);
    }
    this.#startWallMs = this.#clock.wallNow();
    this.#log.info(`Starting brood ${this.#setup.version} against ${this.#setup.host} (seed ${this.seed})`);
    for (const stale of removeStaleTempFiles(allOutputFiles(this.#outputs.paths))) {
      this.#log.info(`Removed ${stale}, left by a run that was killed while writing`);
    }
    this.#outputs.writeCsvs(this.#startWallMs);
    if (this.#setup.selfMonitor) {
      this.#self = new SelfMonitor({
        now: () => this.#clock.now(),
        warn: (line) => {
          this.#setup.print(line);
          this.#log.warning(line);
        },
      });
      this.#self.start();
    }
    if (this.#processes() > 1) {
      const s = this.#setup;
      const preallocation = this.#preallocationPlan();
      this.#workers = await WorkerUserHost.start(
        this.#processes(),
        (index) => ({
          index,
          source: s.workerSource,
          seed: this.seed,
          host: s.host,
          requestTimeoutSec: s.requestTimeoutSec,
          maxBodyBytes: s.maxBodyBytes,
          connectionPool: s.connectionPool,
          tags: s.tagFilter.include ? [...s.tagFilter.include] : null,
          excludeTags: s.tagFilter.exclude ? [...s.tagFilter.exclude] : null,
          statsIntervalMs: 500,
          options: { users: s.users, spawnRate: s.spawnRate, seed: this.seed, host: s.host },
          warmUp,
          openPool: s.arrival && !s.arrival.replay
            ? { maxUsers: this.#openPoolShares()[index] ?? 0, workers: this.#processes(), preAllocate: preallocation[index] ?? [] }
            : null,
          recordTrace: s.recordTrace !== null && s.recordTrace !== undefined,
        }),
        this.#specs.map((c) => c.name),
        this.stats,
        (lines) => this.#trace?.appendLines(lines),
      );
      this.#log.info(`Users run in ${this.#processes()} worker threads`);
      const cores = availableParallelism();
      if (this.#processes() > cores) {
        // Worker threads on a shared core only add switching and a second heap: say so.
        const line = `warning: --processes ${this.#processes()} but this process may use ${cores} CPU core${cores === 1 ? '' : 's'}: the workers share ${cores === 1 ? 'it' : 'them'} and lose a few % of throughput (auto picks ${cores})`;
        s.print(line);
        this.#log.warning(line);
      }
    }
    await this.#preallocate();
    if (this.#setup.recordTrace) {
      // t = 0 is the run's start, after the --processes workers are up (their start is not traffic).
      const trace = new TraceWriter(this.#setup.recordTrace, this.#setup.host, this.#clock.now(), this.#clock.wallNow());
      this.#trace = trace;
      this.hooks.request.on((e) => trace.record(e));
      this.#workers?.traceStarts(performance.timeOrigin + trace.startMs);
    }
    this.#run.start();
    this.#open?.runner.start();
    const result = await this.#run.done;
    this.#self?.stop();
    return this.#finish(result);
  }

  /** The warm-up for this run's start (per worker with --processes), or null for a gentle start. */
  #warmUpPlan(): JitWarmUpPlan | null {
    const s = this.#setup;
    if (!s.warmUp) return null;
    let firstSecond = 0;
    if (s.arrival) firstSecond = createArrivalPattern(s.arrival.pattern).cumulative(1);
    else if (!s.shape) firstSecond = Math.min(s.users, s.spawnRate);
    // A shape's stages are only known as it ticks: it is not warmed up for.
    return jitWarmUpPlan(firstSecond / this.#processes(), s.arrival !== null && s.arrival !== undefined && !s.arrival.replay);
  }

  stop(reason: string, options: { hard?: boolean; interrupted?: boolean } = {}): void {
    if (options.hard) this.#abort.abort();
    void this.#run.stop(reason, options);
  }

  #live(elapsedSec: number): void {
    if (this.#setup.onlySummary) return;
    if (this.#open) {
      for (const line of this.#open.liveLines(elapsedSec, this.#setup.runTimeSec)) this.#setup.print(line);
      return;
    }
    const { aggregated } = this.stats.summaries(this.#clock.wallNow());
    const p = aggregated.percentilesMs;
    this.#setup.print(
      liveLine({
        elapsedSecs: elapsedSec,
        runTimeLimitSecs: this.#setup.runTimeSec,
        users: this.userCount(),
        rps: aggregated.currentRps,
        failRatio: aggregated.numRequests === 0 ? 0 : aggregated.numFailures / aggregated.numRequests,
        p50Ms: p[0] ?? null,
        p95Ms: p[5] ?? null,
        p99Ms: p[7] ?? null,
      }),
    );
  }

  async #finish(result: LoadRunResult): Promise<JobResult> {
    const s = this.#setup;
    const now = this.#clock.wallNow();
    const durationSecs = (result.endedAtMs - result.startedAtMs) / 1000;
    const { entries, aggregated } = this.stats.summaries(now);
    const targets = [...evaluateTargets(s.targets, entries, aggregated, durationSecs), ...(this.#open?.finish(durationSecs) ?? [])];
    const run: RunInfo = {
      broodVersion: s.version,
      command: s.command,
      scenario: s.scenario,
      testFile: s.testFile,
      host: s.host,
      users: s.users,
      spawnRate: s.spawnRate,
      shape: s.shapeName,
      seed: this.seed,
      userClasses: this.#specs.map((c) => c.name),
      startWallMs: this.#startWallMs,
      endWallMs: now,
      durationSecs,
      stopReason: result.reason,
      runTimeLimitSecs: s.runTimeSec,
      nodeVersion: process.version,
    };
    this.#trace?.close();
    this.#outputs.finish(run, targets, now, {
      stages: stagesOf(s.shape),
      jsonExtras: this.#open?.jsonExtras(durationSecs) ?? {},
      operations: this.#open?.report(durationSecs) ?? null,
    });
    if (this.#outputs.htmlError !== null) {
      s.print(`warning: the HTML report could not be written (${this.#outputs.htmlError}); every other file was`);
      this.#log.error(`HTML report failed: ${this.#outputs.htmlError}`);
    }
    this.#open?.writeCsv(s.paths.operations, durationSecs);
    if (this.#open) for (const line of this.#open.summaryLines(durationSecs)) s.print(line);
    await this.#factory.close();
    await this.#workers?.close();
    const failures = this.stats.failures();
    const exceptions = this.stats.exceptions();
    s.print(`Run ended after ${durationSecs.toFixed(1)} s: ${result.reason}`);
    s.print(consoleSummary({ entries, aggregated, failures, exceptions, targets, startWallMs: this.stats.startWallMs }));
    const anyTrouble = aggregated.numFailures > 0 || exceptions.length > 0;
    let exitCode: 0 | 1 | 2 = targets.length > 0 ? (targets.every((t) => t.met) ? 0 : 1) : anyTrouble || result.interrupted ? 1 : 0;
    if (this.#shapeError !== null) exitCode = 2;
    this.#log.info(`Run ended (${result.reason}); exit code ${exitCode}`);
    this.#log.close();
    return {
      exitCode,
      reason: result.reason,
      interrupted: result.interrupted,
      targets,
      totalRequests: aggregated.numRequests,
      totalFailures: aggregated.numFailures,
      seed: this.seed,
    };
  }

  #processes(): number {
    return this.#setup.processes ?? 1;
  }

  /**
   * The open model's pool with --processes: one per worker thread (remote-open-pool.ts). The
   * ArrivalRunner is built before the workers start; no arrival comes before they are ready.
   */
  #remoteOpenPool(sink: ArrivalSink): OpenPool {
    const shares = this.#openPoolShares();
    const pool = (): RemoteOpenPool => {
      if (!this.#workers) throw new Error('internal: open-model arrival before the worker threads started');
      return this.#workers.openPool(shares, this.#specs.length, sink);
    };
    return {
      dispatch: (classIndex, scheduledMs) => pool().dispatch(classIndex, scheduledMs),
      userCount: () => (this.#workers ? pool().userCount() : 0),
      countsByClass: () => (this.#workers ? pool().countsByClass() : []),
      hardStopAll: () => this.#workers && pool().hardStopAll(),
      finishAll: () => (this.#workers ? pool().finishAll() : Promise.resolve()),
    };
  }

  /** --pre-allocated-users per worker and class: the mix a ramp to that count has, each worker with its share of every class. */
  #preallocationPlan(): number[][] {
    // The open model picks classes by weight alone: fixedCount has no meaning there.
    return splitByClass(this.#specs.map((c) => ({ weight: c.weight, fixedCount: 0 })), this.#preAllocatedUsers(), this.#processes());
  }

  /** --pre-allocated-users (a replay has no pool: none). */
  #preAllocatedUsers(): number {
    return this.#setup.arrival?.replay ? 0 : (this.#setup.arrival?.preAllocatedUsers ?? 0);
  }

  /**
   * --pre-allocated-users: the open model's first users exist, idle and connected, before the
   * clock starts (here, or already done by each worker as it started). Said in one line, with
   * what failed: a user whose connection could not be opened connects on its first arrival.
   */
  async #preallocate(): Promise<void> {
    const runner = this.#open?.runner;
    if (this.#preAllocatedUsers() <= 0 || !(runner instanceof ArrivalRunner)) return;
    // Each worker made its part as it started; without workers, this thread makes them all now.
    const parts = this.#workers ? this.#workers.preallocations() : [await preallocatePool(runner, this.#factory, this.#preallocationPlan()[0] ?? [], this.#clock)];
    let users = 0;
    let opened = 0;
    let failed = 0;
    let firstError: string | null = null;
    let elapsedMs = 0;
    for (const p of parts) {
      if (!p) continue;
      users += p.users;
      opened += p.opened;
      failed += p.failed;
      firstError ??= p.firstError;
      // Workers make theirs side by side: the slowest one is how long it took.
      elapsedMs = Math.max(elapsedMs, p.elapsedMs);
    }
    const mix = Object.entries(runner.countsByName()).map(([name, n]) => `${name}: ${n}`).join(', ');
    const done = `Pre-allocated ${users} users (${mix}) with ${opened} connections open in ${Math.round(elapsedMs)} ms`;
    if (!this.#setup.onlySummary) this.#setup.print(done);
    this.#log.info(done);
    if (failed > 0) {
      const line = `warning: ${failed} of ${users} pre-allocated connections could not be opened (${firstError ?? 'unknown error'}); those users connect on their first arrival`;
      this.#setup.print(line);
      this.#log.warning(line);
    }
  }

  /** Each worker's share of the open model's --max-users. */
  #openPoolShares(): number[] {
    return Array.from({ length: this.#processes() }, (_, w) => poolShare(this.#setup.arrival?.maxUsers ?? 0, this.#processes(), w));
  }

  get shapeError(): unknown {
    return this.#shapeError;
  }
}

/** A shape's stage markers for the charts; a shape whose stages() throws just has none. */
function stagesOf(shape: LoadShape | null): ShapeStage[] {
  if (!shape) return [];
  try {
    const stages = shape.stages();
    return Array.isArray(stages) ? stages : [];
  } catch {
    return [];
  }
}
