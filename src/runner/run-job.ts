import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from '../core/clock.js';
import { createHooks, type Hooks } from '../core/hooks.js';
import { Rng, freshSeed } from '../core/rng.js';
import type { LoadShape, ShapeStage } from '../core/shape.js';
import { evaluateTargets } from '../core/target-check.js';
import type { Target, TargetResult } from '../core/targets.js';
import type { TagFilter } from '../core/tasks.js';
import type { User } from '../core/user.js';
import { HttpSession } from '../http/client.js';
import { PerUserDispatchers, SharedPools, type ConnectionPoolMode } from '../http/dispatchers.js';
import { consoleSummary } from '../report/console-summary.js';
import { liveLine } from '../report/live-line.js';
import type { OutputPaths } from '../report/output-paths.js';
import type { RunInfo } from '../report/run-info.js';
import { RunLog, type LogLevel } from '../report/run-log.js';
import { StatsRegistry } from '../stats/registry.js';
import { buildClassSpecs } from './class-specs.js';
import { LoadRun, type LoadRunResult } from './load-run.js';
import { RunOutputs } from './run-outputs.js';
import { UserRunner } from './user-runner.js';

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
  clock?: Clock;
  historyIntervalMs?: number;
  liveIntervalMs?: number;
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
  readonly #users: UserRunner;
  readonly #run: LoadRun;
  readonly #abort = new AbortController();
  readonly #pools: SharedPools | null;
  #startWallMs = 0;
  #shapeError: unknown = null;

  constructor(setup: JobSetup) {
    this.#setup = setup;
    const clock = (this.#clock = setup.clock ?? systemClock);
    this.seed = setup.seed ?? freshSeed((n) => randomBytes(n));
    const rootRng = new Rng(this.seed);
    const specs = buildClassSpecs(setup.userClasses, setup.tagFilter);
    this.stats = new StatsRegistry(() => clock.wallNow());
    this.#log = new RunLog(setup.paths.log, { level: setup.loglevel, now: () => clock.wallNow() });
    this.#outputs = new RunOutputs(setup.paths, this.stats, setup.csvFullHistory);
    const dispatcherOptions = { keepAliveTimeoutMs: 60_000, connectTimeoutMs: 10_000 };
    this.#pools = setup.connectionPool === 'shared' ? new SharedPools(dispatcherOptions) : null;
    const stats = this.stats;
    const recordMetric = (name: string, value: number): void => stats.recordMetric(name, value);
    const options = Object.freeze({ users: setup.users, spawnRate: setup.spawnRate, seed: this.seed, host: setup.host });
    this.#users = new UserRunner(specs, {
      clock,
      stopTimeoutMs: setup.stopTimeoutSec * 1000,
      loop: {
        clock,
        recordException: (e) => {
          stats.recordException(e);
          this.#log.error(`task error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        },
        afterTask: (user) => (user as User & { client?: HttpSession }).client?.flushPending(),
      },
      environmentFor: (userId) => ({
        host: setup.host,
        userId,
        rng: rootRng.fork(userId),
        signal: this.#abort.signal,
        events: this.hooks,
        recordMetric,
        options,
        createHttpSession: () =>
          new HttpSession({
            baseUrl: setup.host,
            requestTimeoutMs: Math.round(setup.requestTimeoutSec * 1000),
            maxBodyBytes: setup.maxBodyBytes,
            recorder: stats,
            hooks: this.hooks,
            userId,
            dispatchers: this.#pools ? this.#pools.source() : new PerUserDispatchers(dispatcherOptions),
          }),
      }),
      onRampComplete: (counts, total) => {
        this.#log.info(`All users spawned: ${JSON.stringify(counts)} (${total} total users)`);
        this.hooks.spawningComplete.emit({ userCount: total });
      },
    });
    this.#run = new LoadRun({
      clock,
      hooks: this.hooks,
      users: this.#users,
      host: setup.host,
      runTimeSec: setup.runTimeSec,
      initialTarget: setup.shape ? null : { users: setup.users, spawnRate: setup.spawnRate },
      shape: setup.shape,
      historyIntervalMs: setup.historyIntervalMs ?? 1000,
      liveIntervalMs: setup.liveIntervalMs ?? 5000,
      onInterval: (ts, userCount) => this.#outputs.interval(ts, userCount, clock.wallNow()),
      onLive: (elapsed) => this.#live(elapsed),
      log: (level, message) => this.#log.log(level, message),
      onShapeError: (e) => (this.#shapeError = e),
    });
    if (setup.shape) {
      setup.shape.run = {
        userCount: () => this.#users.userCount(),
        totals: () => this.stats.summaries(clock.wallNow()).aggregated,
        lastInterval: () => this.#outputs.timeline.at(-1) ?? null,
      };
    }
  }

  get paths(): OutputPaths {
    return this.#outputs.paths;
  }

  userCount(): number {
    return this.#users.userCount();
  }

  /** Starts the run and resolves when every file is written. */
  async run(): Promise<JobResult> {
    this.#startWallMs = this.#clock.wallNow();
    this.#log.info(`Starting brood ${this.#setup.version} against ${this.#setup.host} (seed ${this.seed})`);
    this.#outputs.writeCsvs(this.#startWallMs);
    this.#run.start();
    const result = await this.#run.done;
    return this.#finish(result);
  }

  stop(reason: string, options: { hard?: boolean; interrupted?: boolean } = {}): void {
    if (options.hard) this.#abort.abort();
    void this.#run.stop(reason, options);
  }

  #live(elapsedSec: number): void {
    if (this.#setup.onlySummary) return;
    const { aggregated } = this.stats.summaries(this.#clock.wallNow());
    const p = aggregated.percentilesMs;
    this.#setup.print(
      liveLine({
        elapsedSecs: elapsedSec,
        runTimeLimitSecs: this.#setup.runTimeSec,
        users: this.#users.userCount(),
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
    const targets = evaluateTargets(s.targets, entries, aggregated, durationSecs);
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
      userClasses: this.#users.classes.map((c) => c.name),
      startWallMs: this.#startWallMs,
      endWallMs: now,
      durationSecs,
      stopReason: result.reason,
      runTimeLimitSecs: s.runTimeSec,
      nodeVersion: process.version,
    };
    this.#outputs.finish(run, targets, now, stagesOf(s.shape));
    await this.#pools?.close(true);
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
