import { startDemoServerProcess } from '../demo-server/process-host.js';
import type { RunningDemoServer } from '../demo-server/server.js';
import type { OutputPaths } from '../report/output-paths.js';
import { redactCredentials } from '../http/basic-auth.js';
import { stripControl } from '../report/console-text.js';
import { Job, type JobSetup } from '../runner/job/run-job.js';
import type { JobDistributed } from '../runner/job/job-setup.js';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { BrokerUrl } from '../broker/broker-url.js';
import { runKeys, testFileHash } from '../runner/remote/remote-protocol.js';
import { buildClassSpecs } from '../runner/closed/class-specs.js';
import { probeHost } from '../http/probe.js';
import { guardProcessExit, isExitCalled } from '../runner/thread/exit-guard.js';
import { ConfigError } from '../core/errors.js';
import { shapeSpellingProblem } from '../core/locust-spellings.js';
import { isResourceMetric } from '../core/target-check.js';
import type { Target } from '../core/targets.js';
import type { MonitorSetup } from '../monitor/monitor-setup.js';
import { SOAK_TARGETS } from '../../scenarios/scenario-targets.js';
import { RunExporters } from './run-exporters.js';
import { checkHostSchemes, describeClassHosts, runTarget, type ClassHost, type RunTarget } from './class-hosts.js';
import type { RunConfig } from './run-config.js';
import type { ResolvedTest } from '../loading/resolve-test.js';
import { createArrivalPattern, scalePattern, type ArrivalPatternSpec } from '../core/arrival-pattern.js';
import type { ArrivalSetup } from '../runner/open/open-model-run.js';
import type { OpenPoolLimits } from '../core/open-pool-limits.js';
import type { LoadShape } from '../core/shape.js';
import type { TagFilter } from '../core/tasks.js';
import { firstShapeDecision, type ShapeDecision } from '../runner/job/shape-driver.js';
import { createRunDirectories } from './writable-output-paths.js';
import { maskWebAuthArgs } from './web-config.js';

/**
 * The open-model setup: --target-rate alone gives constant (or poisson) arrivals; a TOML scenario
 * brings its own pattern, which --target-rate rescales to that mean; flags beat the file's [validation].
 */
export function arrivalSetup(config: RunConfig, test: ResolvedTest): ArrivalSetup | null {
  const flags = config.arrival;
  const file = test.arrival;
  const rate = flags?.rate ?? null;
  if (!file && rate === null) {
    if (flags) throw new ConfigError('BAD_ARGUMENT', 'open-model flags (--max-users, --pre-allocated-users, --target-p99, --max-error-rate, --window, --arrival) need --target-rate, a TOML --scenario or a test file exporting `arrival`');
    return null;
  }
  let pattern: ArrivalPatternSpec;
  if (file) pattern = rate !== null ? scalePattern(file.pattern, rate) : file.pattern;
  else pattern = flags?.pattern === 'poisson' ? { pattern: 'poisson', mean_rate: rate ?? 0 } : { pattern: 'constant', rate: rate ?? 0 };
  return {
    pattern,
    ...(file?.replay ? { replay: file.replay } : {}),
    ...poolBounds(flags, file?.pool ?? null, test.testFile),
    windowSec: flags?.windowSec ?? 60,
    criteria: {
      minThroughputRatio: 0.95,
      p99Ms: flags?.targetP99Ms ?? file?.p99Ms ?? null,
      maxErrorRate: flags?.maxErrorRate ?? file?.maxErrorRate ?? null,
      // A file's expected throughput no longer applies once --target-rate sets another rate.
      expectedThroughput: rate === null ? (file?.expectedThroughput ?? null) : null,
    },
  };
}

/** The pool's bounds: flags beat the file's [arrival] keys, which beat the defaults (10 000, none). */
function poolBounds(flags: RunConfig['arrival'], file: OpenPoolLimits | null, fileName: string | null): { maxUsers: number; preAllocatedUsers: number } {
  const inFile = (key: string): string => `${key} in ${fileName ?? 'the test file'}`;
  const max = flags?.maxUsers != null ? { n: flags.maxUsers, from: '--max-users' } : file?.maxUsers != null ? { n: file.maxUsers, from: inFile('max_users') } : { n: 10_000, from: 'the default --max-users' };
  const pre = flags?.preAllocatedUsers != null ? { n: flags.preAllocatedUsers, from: '--pre-allocated-users' } : { n: file?.preAllocatedUsers ?? 0, from: inFile('pre_allocated_users') };
  if (pre.n > max.n) throw new ConfigError('BAD_ARGUMENT', `${pre.from} ${pre.n} is more than the pool may hold (${max.from} ${max.n})`);
  return { maxUsers: max.n, preAllocatedUsers: pre.n };
}

function describeArrival(a: ArrivalSetup | null): string {
  if (!a) return '';
  return `${a.pattern.pattern} arrivals, mean ${createArrivalPattern(a.pattern).meanRate().toFixed(0)} ops/s, up to ${a.maxUsers} users${(a.preAllocatedUsers ?? 0) > 0 ? ` (${a.preAllocatedUsers} pre-allocated)` : ''}`;
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** What a run is checked into before anything starts: every part of it that can be refused as bad input. */
interface CheckedRun {
  arrival: ArrivalSetup | null;
  tagFilter: TagFilter;
  target: RunTarget;
  firstTick: ShapeDecision | null;
}

/**
 * Runs a validated, resolved test: starts the demo server when no --host was given, wires
 * signals (first Ctrl-C/SIGTERM: graceful stop; second: immediate stop; files are written
 * either way) and returns the exit code.
 */
export async function runJob(
  config: RunConfig,
  test: ResolvedTest,
  paths: OutputPaths,
  version: string,
  argv: readonly string[],
  options: { print?: (line: string) => void; demoUrl?: string } = {},
): Promise<number> {
  const print = options.print ?? ((line: string): void => void process.stdout.write(`${line}\n`));
  for (const line of config.settingsFrom) print(line);
  // `demoUrl`: a demo server that outlives this run (a suite's, one for all its runs), used where no host is given.
  const shared = options.demoUrl !== undefined ? { demoUrl: options.demoUrl } : {};
  const exporters = await RunExporters.open(config.exporters, print);
  let prepared: PreparedRun;
  try {
    prepared = await prepareRun(config, test, paths, { version, argv, print, ...shared });
  } catch (e) {
    await exporters.close();
    throw e;
  }
  const { job, demo, files } = prepared;
  await exporters.attach(job.liveFigures(), basename(paths.runPrefix));
  const signals = stopOnSignals(job, config.stopTimeoutSec);
  countStrayErrors(job);
  const exitGuard = guardProcessExit((code, reason) => job.exitCalled(code, reason));
  try {
    const result = await job.run();
    reportEarlyStop(job);
    print(`Results: ${files.join(', ')}`);
    return result.exitCode;
  } finally {
    exitGuard.release();
    signals.release();
    await exporters.close();
    await demo?.close();
  }
}

/** A run checked, its target probed, its directories made and its Job built, ready to run. */
export interface PreparedRun {
  job: Job;
  host: string;
  /** The demo server this run started (null: it has a host, or was given the web UI's). */
  demo: RunningDemoServer | null;
  /** Every file the run writes: _custom_metrics.csv always, _operations.csv for the open model. */
  files: string[];
}

/**
 * Everything before a run starts: its checks (bad input is exit 2 before anything is written), its
 * target probed, its directories, the demo server when it has no host (or `demoUrl`, the web UI's
 * one for all its runs), the Job, and the run's one-line header.
 */
export async function prepareRun(
  config: RunConfig,
  test: ResolvedTest,
  paths: OutputPaths,
  run: { version: string; argv: readonly string[]; print: (line: string) => void; demoUrl?: string; onLogLine?: (line: string) => void },
): Promise<PreparedRun> {
  const { print } = run;
  const checked = checkRun(config, test);
  let host = await probeTarget(checked.target, config.continueOnUnreachable, print);
  // --master: an unreachable broker or a wrong password is bad input too, said before anything is written.
  if (config.distributed?.role === 'master') await checkBroker(config.distributed.broker, config.distributed.runId);
  // Every check passed: only now does anything appear on disk (a refused run leaves no directory behind).
  createRunDirectories(paths, config);
  let demo: RunningDemoServer | null = null;
  if (checked.target.kind === 'demo' && run.demoUrl !== undefined) host = run.demoUrl;
  else if (checked.target.kind === 'demo') {
    demo = await startDemoServerProcess({ port: 0, seed: config.seed ?? undefined });
    host = demo.url;
    print(`No --host given: started the built-in demo server at ${host}`);
  }
  const monitor = watchedServer(config.monitor, demo === null && run.demoUrl === undefined ? null : host);
  const setup = { ...jobSetup(config, test, checked, { paths, version: run.version, argv: run.argv, host, print }), monitor };
  const job = new Job(run.onLogLine ? { ...setup, onLogLine: run.onLogLine } : setup);
  print(startLine(run.version, test, checked, host, job.seed));
  if (monitor !== null) print(`Watching the system under test: ${describeWatched(monitor)}`);
  const files = [paths.stats, paths.statsHistory, paths.failures, paths.exceptions, paths.customMetrics, ...(checked.arrival ? [paths.operations] : []), ...(monitor ? [paths.resources] : []), paths.json, paths.html, paths.log];
  return { job, host, demo, files };
}

/**
 * What the run watches: the command line's --monitor-* sources, and the built-in demo server's own
 * /metrics whenever the run targets it (`demoHost`), so the quick start has resource charts.
 */
function watchedServer(given: MonitorSetup | null, demoHost: string | null): MonitorSetup | null {
  if (demoHost === null) return given !== null && (given.pids.length > 0 || given.urls.length > 0) ? given : null;
  const base: MonitorSetup = given ?? { pids: [], children: false, urls: [], metrics: [], warmUpSec: null };
  return { ...base, urls: [{ url: `${demoHost}/metrics`, name: 'demo server' }, ...base.urls] };
}

function describeWatched(m: MonitorSetup): string {
  const names = [...m.pids.map((p) => `pid ${p}${m.children ? ' + children' : ''}`), ...m.urls.map((u) => u.name ?? redactCredentials(u.url))];
  return `${names.join(', ')} (RSS, CPU${m.pids.length > 0 ? ', threads, open files' : ''} every second)`;
}

/** Seed 004's soak limits for the memory and TOML scenarios, when the command line names a server to watch. */
function soakTargets(config: RunConfig, test: ResolvedTest): readonly Target[] {
  const watched = config.monitor !== null && (config.monitor.pids.length > 0 || config.monitor.urls.length > 0);
  const soakScenario = test.scenario === 'memory' || test.testFile?.endsWith('.toml') === true;
  return watched && soakScenario ? SOAK_TARGETS.map((t) => ({ ...t })) : [];
}

/** Bad open-model flags, a tag filter that leaves no task, a shape that cannot begin: said before anything is started or probed. */
function checkRun(config: RunConfig, test: ResolvedTest): CheckedRun {
  const arrival = arrivalSetup(config, test);
  if (arrival && config.resetStats) {
    throw new ConfigError('BAD_ARGUMENT', '--reset-stats applies to runs with a user count: an open-model run has no ramp to leave out (its --window judges each window on its own)');
  }
  const tagFilter = {
    include: config.tags ? new Set(config.tags) : null,
    exclude: config.excludeTags ? new Set(config.excludeTags) : null,
  };
  // A tag filter that leaves no task is bad input too: said before the demo server starts.
  const running = arrival?.replay ? [] : buildClassSpecs(test.userClasses, tagFilter).map((s) => s.name);
  const runningClasses = test.userClasses.filter((c) => running.includes((c as { name: string }).name));
  const target = runTarget(config.host, runningClasses);
  checkHostSchemes(target, runningClasses);
  checkResourceTargets(config, test, target);
  // A shape that cannot even begin is bad input too: its first answer is asked now, and the run starts from it.
  const firstTick = test.shape ? askFirstTick(test.shape) : null;
  if (target.kind === 'demo' && config.distributed?.role === 'master') {
    throw new ConfigError('BAD_ARGUMENT', '--master needs -H/--host (the system under test, as the workers reach it) or user classes with their own host: the built-in demo server runs only for runs on one machine');
  }
  return { arrival, tagFilter, target, firstTick };
}

/** A target on the server's memory or CPU needs something watching the server (or the demo server, watched by default). */
function checkResourceTargets(config: RunConfig, test: ResolvedTest, target: RunTarget): void {
  const watched = config.monitor !== null && (config.monitor.pids.length > 0 || config.monitor.urls.length > 0);
  const resource = test.targets.find((t) => isResourceMetric(t.metric));
  if (resource === undefined || watched || target.kind === 'demo') return;
  throw new ConfigError('BAD_TARGET', `the target on ${resource.metric} needs a server to watch: add --monitor-pid PID (a process on this machine) or --monitor-url http://HOST:PORT/metrics`);
}

/**
 * The run's host, its target(s) probed first: --host, or each class's own host (the first one
 * names the run). Empty for the demo server, whose URL is known once it runs, after every check.
 */
async function probeTarget(target: RunTarget, continueOnUnreachable: boolean, print: (line: string) => void): Promise<string> {
  if (target.kind === 'classes') {
    print(`No --host given: each user class targets its own host: ${describeClassHosts(target.hosts)}`);
    for (const shown of new Set(target.hosts.map((h) => h.shown))) await probeOrWarn(shown, continueOnUnreachable, print);
    return (target.hosts[0] as ClassHost).shown;
  }
  if (target.kind === 'command-line') {
    if (target.overridden.length > 0) print(`--host ${target.host} is every class's target (it beats the static host of ${target.overridden.map((h) => h.className).join(', ')})`);
    await probeOrWarn(target.host, continueOnUnreachable, print);
    return target.host;
  }
  return '';
}

/** The Job's setup: the configuration and resolved test as checked, on `host`. */
function jobSetup(
  config: RunConfig,
  test: ResolvedTest,
  checked: CheckedRun,
  run: { paths: OutputPaths; version: string; argv: readonly string[]; host: string; print: (line: string) => void },
): JobSetup {
  const { host } = run;
  return {
    version: run.version,
    // The typed command, with any password in a URL masked (-H http://user:***@host).
    command: ['run-load-tests', ...maskWebAuthArgs(run.argv)].map((a) => shellQuote(redactCredentials(a))).join(' '),
    host,
    hostFromCommandLine: checked.target.kind === 'command-line',
    userClasses: test.userClasses,
    tagFilter: checked.tagFilter,
    users: test.users,
    spawnRate: test.spawnRate,
    runTimeSec: test.runTimeSec,
    shape: test.shape,
    shapeName: test.shapeName,
    firstShapeDecision: checked.firstTick,
    targets: [...test.targets, ...soakTargets(config, test)],
    scenario: test.scenario,
    testFile: test.testFile,
    seed: config.seed,
    stopTimeoutSec: config.stopTimeoutSec,
    http: config.http,
    csvFullHistory: config.csvFullHistory,
    paths: run.paths,
    loglevel: config.loglevel,
    onlySummary: config.onlySummary,
    exitCodeOnError: config.exitCodeOnError,
    resetStats: config.resetStats,
    startNotes: config.settingsFrom,
    print: run.print,
    liveIntervalMs: process.stdout.isTTY ? 2000 : 5000,
    selfMonitor: true,
    warmUp: config.warmUp,
    arrival: checked.arrival,
    recordTrace: config.recordTrace,
    processes: config.processes,
    iterations: config.iterations,
    parsedOptions: { host, users: test.users, spawnRate: test.spawnRate, runTime: test.runTimeSec, iterations: config.iterations, ...config.customOptions },
    workerSource: config,
    distributed: masterSetup(config, test),
  };
}

/**
 * Connects to the broker once and leaves: one line (exit 2) when it cannot be reached, refuses the
 * password, or already has a live master for this run id (RemoteMaster claims the run for good).
 */
async function checkBroker(broker: BrokerUrl, runId: string): Promise<void> {
  // Imported here: ioredis costs ~40 ms of start-up that a run without a broker never needs.
  const [{ BrokerConnection }, { anotherMaster }] = await Promise.all([import('../broker/broker-connection.js'), import('../runner/remote/remote-master.js')]);
  const conn = await BrokerConnection.connect(broker, 'brood-master-check');
  try {
    if ((await conn.redis.get(runKeys(runId).current)) !== null) throw anotherMaster(runId, conn.shown);
  } finally {
    conn.close();
  }
}

/** --master: the broker and the workers to wait for; the -f file goes to workers that have none. */
function masterSetup(config: RunConfig, test: ResolvedTest): JobDistributed | null {
  const d = config.distributed;
  if (d?.role !== 'master') return null;
  const content = test.testFile === null || config.file === null ? null : readFileSync(config.file, 'utf8');
  return {
    broker: d.broker,
    runId: d.runId,
    expectWorkers: d.expectWorkers,
    expectWorkersMaxWaitMs: d.expectWorkersMaxWaitSec * 1000,
    allowWorkerLoss: d.allowWorkerLoss,
    brokerTimeoutMs: d.brokerTimeoutSec * 1000,
    file: content === null || config.file === null ? null : { name: basename(config.file), content },
    fileHash: content === null ? null : testFileHash(content),
    // A scenario file of the user's (built-in names are on every install).
    scenarioFile: config.scenario?.endsWith('.toml') === true ? { name: basename(config.scenario), content: readFileSync(config.scenario, 'utf8') } : null,
  };
}

/** First Ctrl-C/SIGTERM: graceful stop; a second: immediate stop. `release()` takes the handlers off again. */
function stopOnSignals(job: Job, stopTimeoutSec: number): { release(): void } {
  return onStopSignals((signal, count) => {
    const hard = count > 1;
    process.stderr.write(`${signal} received: ${hard ? 'stopping now' : `stopping users (up to ${stopTimeoutSec}s; again to stop now)`}\n`);
    job.stop(`interrupted by ${signal}`, { hard, interrupted: true });
  });
}

/** Ctrl-C and SIGTERM, counted (the second one means "now"); `release()` takes the handlers off again. */
export function onStopSignals(handle: (signal: NodeJS.Signals, count: number) => void): { release(): void } {
  let count = 0;
  const onSignal = (signal: NodeJS.Signals): void => handle(signal, ++count);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    release() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/**
 * User code must never end the run: stray rejections and throws are counted as exceptions
 * (not the throw that ends code after a guarded process.exit(): that call already ended the run).
 */
export function countStrayErrors(job: Job): void {
  const onStray = (e: unknown): void => {
    if (!isExitCalled(e)) job.stats.recordException(e);
  };
  process.on('unhandledRejection', onStray);
  process.on('uncaughtException', onStray);
}

/** The run's one-line header: what runs, against what, how much load, for how long, with which seed. */
function startLine(version: string, test: ResolvedTest, checked: CheckedRun, host: string, seed: number): string {
  const { arrival, target } = checked;
  const against = target.kind === 'classes' ? describeClassHosts(target.hosts) : host;
  return `brood ${version}: ${test.scenario ? `scenario ${test.scenario}` : test.testFile} against ${against}, ` +
    `${arrival ? `open model: ${describeArrival(arrival)}` : test.shape ? `shape ${test.shapeName}` : `${test.users} users at ${test.spawnRate}/s`}` +
    `${test.runTimeSec ? ` for ${test.runTimeSec}s` : ''} (seed ${seed})`;
}

/** A run its shape or its users' bad input stopped early: one line on stderr (the results up to then are written). */
export function reportEarlyStop(job: Job): void {
  if (job.shapeError !== null) {
    process.stderr.write(`error: run stopped at ${job.shapeErrorAtSec.toFixed(1)} s by its load shape: ${oneLine(job.shapeError)} (the results up to then are written)\n`);
  }
  const usage = job.usageError;
  if (usage !== null && job.shapeError === null) {
    process.stderr.write(`error: run stopped at ${usage.atSec.toFixed(1)} s: ${oneLine(usage.error)} (the results up to then are written)\n`);
  }
}

/** One line whatever a shape threw: line breaks become spaces before control characters go. */
function oneLine(e: unknown): string {
  return stripControl((e instanceof Error ? e.message : String(e)).replace(/\s*[\r\n]+\s*/g, ' '));
}

/** The shape's first tick, asked before the run; an error there is refused like bad input (exit 2, nothing started). */
function askFirstTick(shape: LoadShape): ShapeDecision {
  const spelling = shapeSpellingProblem(shape);
  if (spelling !== null) throw new ConfigError('BAD_SHAPE', spelling);
  const decision = firstShapeDecision(shape);
  if (decision.kind === 'error') throw new ConfigError('BAD_SHAPE', `${oneLine(decision.error)} (its first tick: the run was not started)`);
  return decision;
}

/** One connect to the target before any user starts: an unreachable one is exit 2 (or a warning with --continue-on-unreachable). */
async function probeOrWarn(host: string, continueOnUnreachable: boolean, print: (line: string) => void): Promise<void> {
  const unreachable = await probeHost(host);
  if (unreachable !== null && !continueOnUnreachable) {
    throw new ConfigError('BAD_HOST', `cannot reach ${host} (${unreachable}): is the server running? (--continue-on-unreachable runs anyway and counts the failures)`);
  }
  if (unreachable !== null) print(`warning: cannot reach ${host} (${unreachable}); running anyway (--continue-on-unreachable)`);
}
