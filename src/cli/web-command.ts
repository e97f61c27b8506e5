/**
 * `run-load-tests --web-ui`: the live web UI instead of a headless run. Each run the page (or
 * --autostart) starts is built as a headless run is (prepareRun: the same checks, files and Job),
 * from the command line with the form's values on top; the process stays until Ctrl-C, or exits
 * --autoquit seconds after a run ends, with that run's exit code.
 */
import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { systemClock } from '../core/clock.js';
import { startDemoServerProcess } from '../demo-server/process-host.js';
import type { RunningDemoServer } from '../demo-server/server.js';
import { resolveTest, type ResolvedTest } from '../loading/resolve-test.js';
import type { OutputPaths } from '../report/output-paths.js';
import { guardProcessExit, isExitCalled } from '../runner/thread/exit-guard.js';
import type { Job } from '../runner/job/run-job.js';
import { RunController, type SwarmRequest, type WebRun } from '../web/run-controller.js';
import type { UiConfig } from '../web/ui-payload.js';
import { WebServer } from '../web/web-server.js';
import { runTarget } from './class-hosts.js';
import { refuseOptionConflicts, type GivenOptions } from './option-conflicts.js';
import { onStopSignals, prepareRun, reportEarlyStop } from './run-command.js';
import { parseHost, type RunConfig } from './run-config.js';
import type { WebConfig } from './web-config.js';
import { runPrefixFlag, writableOutputPaths } from './writable-output-paths.js';

const print = (line: string): void => void process.stdout.write(`${line}\n`);

/** What every run of this UI shares: the command line, its test, the demo server. */
interface WebSession {
  config: RunConfig;
  given: GivenOptions;
  version: string;
  argv: readonly string[];
  demoUrl: string | undefined;
  /** The Job running now, for the process-wide handlers (stray errors, process.exit()). */
  job: Job | null;
}

export async function webMain(config: RunConfig, test: ResolvedTest, given: GivenOptions, version: string, argv: readonly string[]): Promise<number> {
  const web = config.web as WebConfig;
  for (const line of config.settingsFrom) print(line);
  const uiConfig = await formConfig(config, test, version);
  // No host anywhere: the demo server runs for the UI's lifetime, one target for all its runs.
  const demo: RunningDemoServer | null = runTarget(config.host, test.userClasses).kind === 'demo' ? await startDemoServerProcess({ port: 0, seed: config.seed ?? undefined }) : null;
  if (demo) print(`No --host given: started the built-in demo server at ${demo.url}`);
  const session: WebSession = { config, given, version, argv, demoUrl: demo?.url, job: null };
  const quit = quitSignal();
  const controller = new RunController((request, n, onLogLine) => startRun(session, request, n, onLogLine), (code) => quit.runEnded(code, web.autoquitSec));
  const server = new WebServer({ host: web.host, port: web.port, auth: web.auth, basePath: web.basePath }, controller, uiConfig, systemClock);
  const releaseProcessHooks = forwardProcessHooks(session);
  try {
    const url = await server.listen().catch((e: unknown) => {
      throw new ConfigError('BAD_ARGUMENT', `the web UI cannot listen on ${web.host}:${web.port} (${e instanceof Error ? e.message : String(e)}): pick another --web-port (0: any free port)`);
    });
    print(`Web UI: ${url}`);
    quit.onRunEnded = () => server.notify();
    const signals = quit.onSignals(controller, config.stopTimeoutSec);
    if (web.autostart) await autostart(controller);
    await quit.done;
    signals.release();
    await controller.settled();
    return controller.lastExitCode ?? 0;
  } finally {
    releaseProcessHooks();
    await server.close();
    await demo?.close();
  }
}

/** --autostart: the command line's run starts at once; if it cannot, that is bad input (exit 2). */
async function autostart(controller: RunController): Promise<void> {
  const answer = await controller.swarm(new URLSearchParams());
  if (!answer.success) throw new ConfigError('BAD_ARGUMENT', `--autostart: ${answer.message}`);
}

/** Builds and starts run `n`: the command line with the form's fields on top, checked as a headless run is. */
async function startRun(session: WebSession, request: SwarmRequest, n: number, onLogLine: (line: string) => void): Promise<WebRun> {
  const config = runConfigFor(session.config, request);
  const test = await resolveTest(config);
  if (request.shape === 'none') Object.assign(test, { shape: null, shapeName: null });
  if (request.users !== null) test.users = request.users;
  if (request.spawnRate !== null) test.spawnRate = request.spawnRate;
  if (request.runTimeSec !== null) test.runTimeSec = request.runTimeSec;
  refuseOptionConflicts(session.given, config, test);
  const paths = runPaths(config, n);
  const { job, host, files } = await prepareRun(config, test, paths, { version: session.version, argv: session.argv, print, ...(session.demoUrl !== undefined ? { demoUrl: session.demoUrl } : {}), onLogLine });
  session.job = job;
  const done = job.run().then((result) => {
    reportEarlyStop(job);
    print(`Results: ${files.join(', ')}`);
    return result.exitCode;
  });
  return { job, paths, host, done };
}

/** The command line's configuration with the form's host, classes and shape on top. */
function runConfigFor(base: RunConfig, r: SwarmRequest): RunConfig {
  const config: RunConfig = { ...base };
  if (r.users !== null) config.users = r.users;
  if (r.spawnRate !== null) config.spawnRate = r.spawnRate;
  if (r.runTimeSec !== null) config.runTimeSec = r.runTimeSec;
  if (r.classNames !== null) config.userClassNames = r.classNames;
  if (r.shape !== null) config.shape = r.shape === 'none' ? null : r.shape;
  if (r.host !== null) {
    const { host, auth } = parseHost(r.host);
    config.host = host;
    if (auth !== null) config.http = { ...base.http, auth };
  }
  return config;
}

/**
 * Run 1 writes where the command line says; later runs must not overwrite it: a default name gets
 * its own timestamp, a name the user gave gets `_run2`, `_run3`, … before its extension.
 */
function runPaths(config: RunConfig, n: number): OutputPaths {
  if (n === 1) return writableOutputPaths(config);
  const suffix = (path: string | null): string | null => (path === null ? null : `${path.slice(0, path.length - extname(path).length)}_run${n}${extname(path)}`);
  const named = { ...config, csvPrefix: config.csvPrefix === null ? null : `${config.csvPrefix}_run${n}`, html: suffix(config.html), json: suffix(config.json), logfile: suffix(config.logfile) };
  const paths = writableOutputPaths(named);
  // Two runs within one second would share the default timestamped name.
  return existsSync(paths.stats) ? writableOutputPaths({ ...named, csvPrefix: `${paths.runPrefix}_run${n}`, resultsDir: named.resultsDir ?? 'results', prefixFlag: runPrefixFlag(config) }) : paths;
}

/** The start form's choices: every class of the test (the command line's picked), its shapes, its values. */
async function formConfig(config: RunConfig, test: ResolvedTest, version: string): Promise<UiConfig> {
  const all = config.userClassNames === null ? test : await resolveTest({ ...config, userClassNames: null });
  const picked = config.userClassNames === null ? null : new Set(config.userClassNames);
  const own = config.shape ?? (test.shapeName !== null && test.testFile !== null ? test.shape?.constructor.name ?? null : null);
  return {
    version,
    title: test.scenario !== null ? `scenario ${test.scenario}` : (test.testFile ?? ''),
    host: config.host ?? '',
    users: test.users,
    spawnRate: test.spawnRate,
    runTime: test.runTimeSec === null ? '' : `${test.runTimeSec}s`,
    classes: all.userClasses.map((c) => {
      const cls = c as { name: string; weight?: unknown };
      return { name: cls.name, weight: typeof cls.weight === 'number' ? cls.weight : 1, selected: picked === null || picked.has(cls.name) };
    }),
    shapes: [...new Set(['none', ...(own !== null ? [own] : []), 'step', 'spike'])],
    shape: own ?? 'none',
    openModel: test.arrival !== null || config.arrival !== null,
    distributed: config.distributed?.role === 'master',
  };
}

/** Stray errors and process.exit() of the test file go to the run going now (one handler for all runs). */
function forwardProcessHooks(session: WebSession): () => void {
  const onStray = (e: unknown): void => {
    if (!isExitCalled(e)) session.job?.stats.recordException(e);
  };
  process.on('unhandledRejection', onStray);
  process.on('uncaughtException', onStray);
  const guard = guardProcessExit((code, reason) => session.job?.exitCalled(code, reason));
  return () => {
    guard.release();
    process.off('unhandledRejection', onStray);
    process.off('uncaughtException', onStray);
  };
}

/** When the UI process ends: Ctrl-C/SIGTERM (twice: users stopped at once), or --autoquit after a run. */
function quitSignal(): {
  done: Promise<void>;
  onRunEnded: () => void;
  runEnded(code: number, autoquitSec: number | null): void;
  onSignals(controller: RunController, stopTimeoutSec: number): { release(): void };
} {
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  let timer: NodeJS.Timeout | undefined;
  let quitting = false;
  const q = {
    done,
    onRunEnded: (): void => undefined,
    runEnded(_code: number, autoquitSec: number | null): void {
      q.onRunEnded();
      if (quitting) return resolve();
      if (autoquitSec === null) return;
      clearTimeout(timer);
      print(`Quitting in ${autoquitSec} s (--autoquit)`);
      timer = setTimeout(resolve, autoquitSec * 1000);
    },
    onSignals(controller: RunController, stopTimeoutSec: number): { release(): void } {
      return onStopSignals((signal, count) => {
        quitting = true;
        clearTimeout(timer);
        if (!controller.busy) return resolve();
        const hard = count > 1;
        process.stderr.write(`${signal} received: ${hard ? 'stopping now' : `stopping users (up to ${stopTimeoutSec}s; again to stop now)`}, then quitting\n`);
        if (hard) controller.stopHard(`interrupted by ${signal}`);
        else controller.stop(`interrupted by ${signal}`, true);
      });
    },
  };
  return q;
}
