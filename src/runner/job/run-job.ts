/**
 * runner/job/: one load test from its setup to files on disk. The Job (here) wires a run from its
 * plan (job-plan.ts), population (job-population.ts, job-workers.ts), clock (load-run.ts,
 * shape-driver.ts), files (run-outputs.ts, job-run-info.ts) and end (job-finish.ts, job-exit-code.ts); the
 * sub-systems it drives are closed/, open/, workers/ and thread/ beside it.
 */
import { performance } from 'node:perf_hooks';
import { ConfigError } from '../../core/errors.js';
import { isExitCalled } from '../thread/exit-guard.js';
import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from '../../core/clock.js';
import { events } from '../../core/events.js';
import { runHooks, type Hooks, type RunEnvironment } from '../../core/hooks.js';
import { Rng, freshSeed } from '../../core/rng.js';
import type { LoadShape } from '../../core/shape.js';
import { sessionOf } from '../../core/user.js';
import { UserFactory } from '../closed/user-factory.js';
import { allOutputFiles, type OutputPaths } from '../../report/output-paths.js';
import { RunLog } from '../../report/run-log.js';
import { StatsRegistry } from '../../stats/registry.js';
import { buildClassSpecs } from '../closed/class-specs.js';
import { LoadRun, type LoadRunResult, type Population } from './load-run.js';
import { RunOutputs } from './run-outputs.js';
import { StatsResets } from './stats-resets.js';
import { SelfMonitor } from './self-monitor.js';
import { TraceWriter } from '../../report/trace-writer.js';
import type { UserClassSpec, UserRunner } from '../closed/user-runner.js';
import type { WorkerUserHost } from '../workers/worker-user-host.js';
import type { OpenModelRun } from '../open/open-model-run.js';
import type { UserLoopDeps } from '../closed/user-loop.js';
import { WakeQueue } from '../closed/wake-queue.js';
import { LifecyclePhases } from '../closed/lifecycle-phases.js';
import { removeStaleTempFiles } from '../../report/atomic-write.js';
import { runJitWarmUp, type JitWarmUpPlan } from '../thread/jit-warm-up.js';
import { ArrivalRunner } from '../open/arrival-runner.js';
import { forwardEventsToWorkers, preallocateOpenUsers, startJobWorkers, workerSetup, type JobWorkersStart } from './job-workers.js';
import { JobRunner } from './job-runner.js';
import { jobPopulation } from './job-population.js';
import { jobWarmUpPlan, openPoolShares, preallocationPlan, usesWorkers } from './job-plan.js';
import type { RemoteRun } from '../remote/remote-run.js';
import type { JobSetup } from './job-setup.js';
import { finishJob, reportSoFar, type FinishingJob, type JobResult } from './job-finish.js';
import { consoleLiveLines, jobLiveFigures, liveView, type JobLiveView, type JobPhase } from './job-live.js';
import { TargetMonitor } from './target-monitor.js';
import { buildRunEnvironment } from '../thread/run-environment.js';
import { JobState } from './job-state.js';
import type { LiveFigures } from '../../report/live-figures.js';
import { monitorSources } from '../../monitor/monitor-sources.js';

export type { JobSetup } from './job-setup.js';
export type { JobResult } from './job-finish.js';

/**
 * One load test from configuration to files on disk. Everything the run owns hangs off this
 * object (rule 3: no module state): stats, hooks, users, timers and writers.
 */
export class Job {
  /** The run's hooks: the test file's import-time listeners (`events`) and those added through environment.events. */
  readonly hooks: Hooks;
  /** What test-level listeners see (Locust's environment): host, options, events, runner.quit(). */
  readonly environment: RunEnvironment;
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
  /** A ConfigError thrown from the file's users (wait-time helpers, spellings) and when it stopped the run. */
  #usageError: { error: ConfigError; atSec: number } | null = null;
  /** Seconds into the run when the shape failed (said in the error line). */
  #shapeErrorAtSec = 0;
  #trace: TraceWriter | null = null;
  #workers: WorkerUserHost | null = null;
  /** --master: the distributed run's workers and broker (its host is #workers). */
  #remote: RemoteRun | null = null;
  #self: SelfMonitor | null = null;
  /** --monitor-* (or the demo server): the system under test's resources, read every interval. */
  #monitor: TargetMonitor | null = null;
  /** --reset-stats and the web UI's reset: when the totals started again. */
  readonly #resets: StatsResets;
  /** The code of the test's own process.exit(), if it called it. */
  #exitRequested: number | null = null;
  /** The exit code a listener set (environment.process_exit_code), if one did. */
  readonly #exitCodeSet: () => number | null;
  /** Users inside onStart/onStop (this thread's): those still there at the end are reported. */
  readonly #phases = new LifecyclePhases();
  /** Where the run is and where its ramp is heading, for the web UI (Locust's states, and brood's before and while it stops). */
  readonly #state: JobState;
  readonly #runner: JobRunner;

  constructor(setup: JobSetup) {
    this.#setup = setup;
    const clock = (this.#clock = setup.clock ?? systemClock);
    this.seed = setup.seed ?? freshSeed((n) => randomBytes(n));
    const rootRng = new Rng(this.seed);
    // A replay sends what the trace says: it has no user classes.
    this.#specs = setup.arrival?.replay ? [] : buildClassSpecs(setup.userClasses, setup.tagFilter);
    this.stats = new StatsRegistry(() => clock.wallNow());
    // A listener's guarded process.exit() already ended the run: not an exception.
    this.hooks = runHooks(setup.events ?? events, (e) => isExitCalled(e) || this.stats.recordException(e));
    this.#log = new RunLog(setup.paths.log, { level: setup.loglevel, now: () => clock.wallNow(), ...(setup.onLogLine ? { onLine: setup.onLogLine } : {}) });
    this.#outputs = new RunOutputs(setup.paths, this.stats, setup.csvFullHistory, (line) => {
      setup.print(line);
      this.#log.error(line);
    });
    this.#resets = new StatsResets({ stats: this.stats, outputs: this.#outputs, log: this.#log, print: (line) => setup.print(line), startWallMs: () => this.#startWallMs });
    const options = Object.freeze({ users: setup.users, spawnRate: setup.spawnRate, seed: this.seed, host: setup.host });
    const parsedOptions = Object.freeze({ ...(setup.parsedOptions ?? {}) });
    this.#runner = new JobRunner({
      stop: (reason) => this.stop(reason), userCount: () => this.userCount(), state: () => this.#state, usesWorkers: usesWorkers(setup), open: setup.arrival !== undefined && setup.arrival !== null,
      workers: () => this.#workers, environment: () => this.environment, recordException: (e) => this.stats.recordException(e), warn: (line) => this.#warn(line),
    });
    const built = buildRunEnvironment({
      host: setup.host, options, parsedOptions, worker: null, events: this.hooks, stats: this.stats,
      runner: this.#runner.source,
    });
    this.environment = built.environment;
    this.#exitCodeSet = built.exitCodeSet;
    forwardEventsToWorkers(this.hooks, () => this.#workers);
    this.#factory = new UserFactory(
      { host: setup.host, hostFromCommandLine: setup.hostFromCommandLine !== false, http: setup.http, options, parsedOptions },
      { rootRng, stats: this.stats, hooks: this.hooks, signal: this.#abort.signal, runner: built.runner },
    );
    const { open, users, population } = jobPopulation(setup, {
      clock,
      seed: this.seed,
      rootRng,
      specs: this.#specs,
      factory: this.#factory,
      loop: this.#userLoopDeps(),
      workers: () => this.#workers,
      stop: (reason) => this.stop(reason),
      onRampComplete: (counts, total) => this.#rampComplete(counts, total),
    });
    this.#open = open;
    this.#state = new JobState(open !== null, setup.shape || setup.arrival ? null : { users: setup.users, spawnRate: setup.spawnRate });
    this.#users = users;
    this.#run = this.#loadRun(population);
    if (setup.shape) this.#showRunTo(setup.shape, population);
  }

  /** How this thread's users run: what a task throws is counted and logged, sessions settled after each task. */
  #userLoopDeps(): UserLoopDeps {
    const setup = this.#setup;
    return {
      clock: this.#clock,
      recordException: (e, user) => {
        // brood's own API refusing its arguments (between(5, 1), both wait_time and waitTime on a
        // user): the file cannot mean anything the run could do, so the run stops as for a bad shape.
        if (e instanceof ConfigError) this.#stopOnUsageError(e);
        this.stats.recordException(e);
        this.#log.error(`task error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        if (user !== undefined && this.hooks.userError.hasListeners) this.hooks.userError.emit({ user, error: e });
      },
      afterTask: (user, taskError) => sessionOf(user)?.flushPending(taskError),
      pickers: new WeakMap(),
      wakeQueue: new WakeQueue(this.#clock),
      phases: this.#phases,
      loopTurns: this.#factory.loopTurns,
      // -i N: per user in the closed model; the open model counts the run's arrivals instead.
      iterations: setup.arrival ? null : (setup.iterations ?? null),
    };
  }

  /** The ramp reached its target (Locust's "All users spawned"). */
  #rampComplete(counts: Record<string, number>, total: number): void {
    this.#log.info(`All users spawned: ${JSON.stringify(counts)} (${total} total users)`);
    // Once only: with a shape, its first target (Locust resets at every ramp's end).
    this.#resets.rampEnded(this.#setup.resetStats === true);
    this.#monitor?.rampEnded(this.#run.elapsedSec());
    this.#state.rampComplete();
    this.hooks.spawningComplete.emit({ userCount: total });
  }

  /** The run's clock: shape ticks, history intervals (files, --reset-stats, trace, windows), live lines, the end. */
  #loadRun(population: Population): LoadRun {
    const setup = this.#setup;
    const clock = this.#clock;
    return new LoadRun({
      clock,
      hooks: this.hooks,
      environment: this.environment,
      users: population,
      host: setup.host,
      runTimeSec: setup.runTimeSec,
      initialTarget: setup.shape || setup.arrival ? null : { users: setup.users, spawnRate: setup.spawnRate },
      shape: setup.shape,
      firstShapeDecision: setup.firstShapeDecision ?? null,
      historyIntervalMs: setup.historyIntervalMs ?? 1000,
      liveIntervalMs: setup.liveIntervalMs ?? 5000,
      onInterval: (ts, userCount) => {
        const wallMs = clock.wallNow();
        this.#outputs.interval(ts, userCount, wallMs, this.#self?.sample());
        this.#monitor?.interval(ts, this.#run.elapsedSec(), userCount);
        // At the very moment of the row just written: nothing is recorded between the two (one thread).
        this.#resets.afterInterval(userCount, ts, wallMs);
        this.#trace?.flush();
        this.#open?.interval(this.#run.elapsedSec());
        this.#warnHotWorkers();
      },
      onLive: (elapsed) => this.#live(elapsed),
      log: (level, message) => this.#log.log(level, message),
      onShapeError: (e) => {
        this.#shapeError = e;
        this.#shapeErrorAtSec = this.#run.elapsedSec();
      },
      onShapeRamp: (users) => this.#state.ramping(null, users),
      onStopping: () => this.#state.stopping(),
      onStopped: () => this.#state.usersEnded(),
    });
  }

  /** --master: a worker above 90 % CPU, in one line (console and log). */
  #warnHotWorkers(): void {
    const line = this.#remote?.cpuWarning(this.#clock.now()) ?? null;
    if (line !== null) this.#warn(line);
  }

  /** What the shape sees of the run as it ticks (its ShapeRunView). */
  #showRunTo(shape: LoadShape, population: Population): void {
    shape.run = {
      userCount: () => population.userCount(),
      elapsedSec: () => this.#run.elapsedSec(),
      totals: () => this.stats.summaries(this.#clock.wallNow()).aggregated,
      lastInterval: () => this.#outputs.timeline.at(-1) ?? null,
    };
  }

  /** The classes this run spawns (after the tag filter), with their weights and tasks. */
  get classSpecs(): readonly UserClassSpec[] {
    return this.#specs;
  }

  get paths(): OutputPaths {
    return this.#outputs.paths;
  }

  userCount(): number {
    return this.#open ? this.#open.runner.userCount() : (this.#users?.userCount() ?? 0);
  }

  /** Starts the run and resolves when every file is written. */
  async run(): Promise<JobResult> {
    this.hooks.init.emit({ environment: this.environment });
    const warmUp = jobWarmUpPlan(this.#setup);
    // With --processes the workers send the requests, so each warms itself up (worker-entry.ts).
    if (warmUp && !usesWorkers(this.#setup)) await this.#warmUp(warmUp);
    this.#logStart();
    this.#outputs.writeCsvs(this.#clock.wallNow()); // empty files at once; the run's start comes below
    if (this.#setup.selfMonitor) this.#startSelfMonitor();
    if (usesWorkers(this.#setup)) this.#workers = await this.#startWorkers(warmUp);
    await preallocateOpenUsers({ setup: this.#setup, open: this.#open, workers: this.#workers, factory: this.#factory, specs: this.#specs, clock: this.#clock, log: this.#log });
    if (this.#setup.recordTrace) this.#startTrace(this.#setup.recordTrace);
    if (this.#setup.monitor) await this.#startMonitor();
    // The run starts here, after the workers and pre-allocated users are ready: the wall-clock start
    // (JSON start_time, rates, --reset-stats offsets) and the run clock (duration) agree on it.
    this.#startWallMs = this.#clock.wallNow();
    this.stats.startAt(this.#startWallMs);
    this.#state.started();
    this.#run.start();
    this.#open?.runner.start();
    const result = await this.#run.done;
    this.#self?.stop();
    await this.#monitor?.stop();
    try {
      return await this.#finish(result);
    } finally {
      this.#state.stopped();
    }
  }

  async #warmUp(plan: JitWarmUpPlan): Promise<void> {
    const r = await runJitWarmUp(plan, this.#setup.http, this.#clock);
    this.#log.info(`JIT warm-up before a steep start: ${r.requests} requests by ${r.users} users against an in-process responder in ${Math.round(r.elapsedMs)} ms (--no-warm-up skips it)`);
  }

  /** The run log's first lines, and the temp files a killed run left beside the outputs (removed). */
  #logStart(): void {
    this.#log.info(`Starting brood ${this.#setup.version} against ${this.#setup.host} (seed ${this.seed})`);
    for (const note of this.#setup.startNotes ?? []) this.#log.info(note);
    for (const stale of removeStaleTempFiles(allOutputFiles(this.#outputs.paths))) {
      this.#log.info(`Removed ${stale}, left by a run that was killed while writing`);
    }
  }

  /** A warning line, on the console and in the log. */
  #warn(line: string): void {
    this.#setup.print(line);
    this.#log.warning(line);
  }

  #startSelfMonitor(): void {
    this.#self = new SelfMonitor({
      now: () => this.#clock.now(),
      warn: (line) => this.#warn(line),
    });
    this.#self.start();
  }

  /** The system under test's first reading, just before the clock starts: the first interval's CPU % counts from it. */
  async #startMonitor(): Promise<void> {
    const setup = this.#setup.monitor;
    if (!setup) return;
    const sources = monitorSources(setup);
    this.#monitor = new TargetMonitor(sources, setup.metrics.map((m) => m.text), setup.warmUpSec, this.#outputs.paths.resources, {
      now: () => this.#clock.now(),
      say: (line) => this.#warn(line),
    });
    await this.#monitor.baseline();
    this.#log.info(`Watching the system under test: ${this.#monitor.sourceNames.join(', ')} (resources every history interval, ${this.#outputs.paths.resources})`);
  }

  /** --processes: the worker threads (--master: the remote workers), each with its part of the run; what they report comes back here. */
  async #startWorkers(warmUp: JitWarmUpPlan | null): Promise<WorkerUserHost> {
    const start = this.#workersStart(warmUp);
    const distributed = this.#setup.distributed;
    if (!distributed) return startJobWorkers(start);
    const { RemoteRun } = await import('../remote/remote-run.js'); // only here: its broker client (ioredis) is ~40 ms of start-up
    this.#remote = await RemoteRun.start({ ...start, setupFor: (index) => workerSetup(start, index) }, distributed, (reason) => this.stop(reason), (line, level) => {
      this.#setup.print(line);
      if (level === 'warning') this.#log.warning(line);
      else this.#log.info(line);
    });
    return this.#remote.host;
  }

  #workersStart(warmUp: JitWarmUpPlan | null): JobWorkersStart {
    return {
      setup: this.#setup,
      seed: this.seed,
      warmUp,
      classNames: this.#specs.map((c) => c.name),
      openPoolShares: openPoolShares(this.#setup),
      preallocation: preallocationPlan(this.#setup, this.#specs),
      stats: this.stats,
      log: this.#log,
      callbacks: {
        onTraceLines: (lines) => this.#trace?.appendLines(lines),
        onQuit: (reason, exitCode) => (exitCode === undefined ? this.stop(reason) : this.exitCalled(exitCode, reason)),
        onUsageError: (message) => this.#stopOnUsageError(new ConfigError('BAD_USER_CLASS', message)),
        onMessage: (worker, type, data) => this.#runner.received(worker, type, data),
      },
    };
  }

  /** --record-trace: t = 0 is the run's start, after the --processes workers are up (their start is not traffic). */
  #startTrace(path: string): void {
    const trace = new TraceWriter(path, this.#setup.host, this.#clock.now(), this.#clock.wallNow());
    this.#trace = trace;
    this.hooks.request.on((e) => trace.record(e));
    this.#workers?.traceStarts(performance.timeOrigin + trace.startMs);
  }

  /**
   * The test called process.exit(code) (exit-guard.ts): the run ends as with runner.quit(), and a
   * non-zero code it asked for is the exit code unless the run fails by itself.
   */
  exitCalled(code: number, reason: string): void {
    if (this.#exitRequested === null || (this.#exitRequested === 0 && code !== 0)) this.#exitRequested = code;
    this.stop(reason);
  }

  stop(reason: string, options: { hard?: boolean; interrupted?: boolean } = {}): void {
    this.#state.stopping();
    if (options.hard) this.#abort.abort();
    void this.#run.stop(reason, options);
  }

  #live(elapsedSec: number): void {
    if (this.#setup.onlySummary) return;
    const lines = consoleLiveLines({ remote: this.#remote, open: this.#open, stats: this.stats, runTimeSec: this.#setup.runTimeSec, userCount: this.userCount() }, elapsedSec, this.#clock.wallNow());
    for (const line of lines) this.#setup.print(line);
  }

  #finish(result: LoadRunResult): Promise<JobResult> {
    return finishJob(this.#finishing(), result, this.#clock.wallNow());
  }

  /** What the end of the run (and a report of it so far) reads of the Job. */
  #finishing(): FinishingJob {
    return {
      setup: this.#setup,
      seed: this.seed,
      classNames: this.#specs.map((c) => c.name),
      stats: this.stats,
      hooks: this.hooks,
      environment: this.environment,
      log: this.#log,
      outputs: this.#outputs,
      open: this.#open,
      factory: this.#factory,
      workers: this.#workers,
      remote: this.#remote,
      phases: this.#phases,
      startWallMs: this.#startWallMs,
      statsResetWallMs: this.#resets.atWallMs,
      statsResetHistoryTimestamp: this.#resets.historyRow,
      brokenTest: this.#shapeError !== null || this.#usageError !== null,
      exitRequested: this.#exitRequested,
      exitCodeSet: this.#exitCodeSet,
      monitor: this.#monitor,
      closeTrace: () => this.#trace?.close(),
    };
  }

  /**
   * The web UI's edit of a running test: the ramp moves to `users` at `spawnRate` from where it is.
   * Returns why it cannot (a shape or the open model steers the load; the run is stopping), or null.
   */
  setTarget(users: number, spawnRate: number): string | null {
    if (this.#state.stoppingOrStopped) return 'the run is stopping: start a new one instead';
    if (this.#setup.shape) return `the load shape${this.#setup.shapeName === null ? '' : ` ${this.#setup.shapeName}`} sets the user count of this run`;
    if (this.#open) return 'an open-model run has no user count to change: its load is the arrival rate';
    this.#state.ramping({ users, spawnRate });
    this.#run.retarget(users, spawnRate);
    return null;
  }

  /**
   * Locust's "reset stats" (the web UI's button): the totals start again now, as --reset-stats does
   * after the ramp; the history keeps everything before.
   */
  resetStatsNow(): void {
    this.#resets.now(this.#clock.wallNow());
  }

  /** Where the run is (the web UI's state word). */
  phase(): JobPhase {
    return this.#state.phase;
  }

  /** The run as the web UI shows it now. */
  liveView(): JobLiveView {
    const now = this.#clock.wallNow();
    const resetAt = this.#resets.atWallMs ?? this.#startWallMs;
    const started = this.#state.phase !== 'starting';
    return liveView({
      phase: this.#state.phase,
      elapsedSec: started ? this.#run.elapsedSec() : 0,
      runTimeSec: this.#setup.runTimeSec,
      userCount: this.userCount(),
      target: this.#state.target,
      classCounts: this.#classCounts(),
      stats: this.stats,
      outputs: this.#outputs,
      targets: this.#setup.targets,
      statsDurationSec: started ? Math.max(0, (now - resetAt) / 1000) : 0, statsStartWallMs: resetAt,
      resources: this.#monitor?.summary().worst ?? null,
      workers: this.#remote?.liveWorkers(performance.now()) ?? null,
    }, now);
  }

  /** What brood's own exporters read (--metrics-port, the web UI's /metrics, --otlp-endpoint), when they ask. */
  liveFigures(): LiveFigures {
    return jobLiveFigures(this.stats, this.#outputs, () => this.userCount(), () => this.#classCounts());
  }

  #classCounts(): Record<string, number> {
    if (this.#users) return this.#users.countsByName();
    const runner = this.#open?.runner;
    return runner instanceof ArrivalRunner ? runner.countsByName() : {};
  }

  /** The JSON and HTML reports of the run so far (the web UI's downloads while it runs). */
  reportSoFar(): { json: string; html: string | null } {
    const report = reportSoFar(this.#finishing(), { startedAtMs: this.#run.startedAtMs, nowMs: this.#clock.now() }, this.#clock.wallNow());
    return { json: report.json, html: report.html };
  }

  /** The first ConfigError the file's users threw during the run (it stopped the run), or null. */
  get usageError(): { error: ConfigError; atSec: number } | null {
    return this.#usageError;
  }

  #stopOnUsageError(error: ConfigError): void {
    if (this.#usageError !== null) return;
    this.#usageError = { error, atSec: this.#run.elapsedSec() };
    this.stop(`the test file's users cannot run: ${error.message}`);
  }

  get shapeError(): unknown {
    return this.#shapeError;
  }

  get shapeErrorAtSec(): number {
    return this.#shapeErrorAtSec;
  }
}
