/**
 * The end of a run, after its clock stopped (run-job.ts): targets judged, every file written a
 * last time, the console's closing lines, the workers and sessions closed, the exit code. Kept
 * apart from the Job so the Job reads as the run's wiring and this as its report.
 */
import { releaseRunHooks, type Hooks, type RunEnvironment } from '../../core/hooks.js';
import { evaluateTargets } from '../../core/target-check.js';
import type { TargetResult } from '../../core/targets.js';
import { ProtocolCounts, protocolLine, type ProtocolTally } from '../../http/protocol-counts.js';
import { consoleSummary } from '../../report/console-summary.js';
import { rateTargetSecs } from '../../report/entry-metrics.js';
import { statsDurationSecs, statsStartWallMs, type RunInfo } from '../../report/run-info.js';
import type { EntrySummary } from '../../stats/types.js';
import type { RunLog } from '../../report/run-log.js';
import type { StatsRegistry } from '../../stats/registry.js';
import { LifecyclePhases, stuckInLifecycleLine } from '../closed/lifecycle-phases.js';
import type { UserFactory } from '../closed/user-factory.js';
import type { OpenModelRun } from '../open/open-model-run.js';
import type { WorkerUserHost } from '../workers/worker-user-host.js';
import { QUITTING_WAIT_MS } from '../workers/worker-protocol.js';
import type { RemoteRun } from '../remote/remote-run.js';
import { jobExitCode } from './job-exit-code.js';
import { finishedRunInfo, stagesOf } from './job-run-info.js';
import type { JobSetup } from './job-setup.js';
import type { LoadRunResult } from './load-run.js';
import type { RunOutputs } from './run-outputs.js';
import type { ResourcesReport } from '../../report/resources-report.js';
import type { TargetMonitor } from './target-monitor.js';
import { resourcesLines } from '../../report/resources-lines.js';


/** What a finished run reports to its caller (the CLI takes the exit code from it). */
export interface JobResult {
  exitCode: number;
  reason: string;
  interrupted: boolean;
  targets: TargetResult[];
  totalRequests: number;
  totalFailures: number;
  seed: number;
}

/** The parts of a Job its end reads (the Job's own state at the moment its clock stopped). */
export interface FinishingJob {
  setup: JobSetup;
  seed: number;
  classNames: readonly string[];
  stats: StatsRegistry;
  hooks: Hooks;
  /** What the listeners get (quitting's too). */
  environment: RunEnvironment;
  log: RunLog;
  outputs: RunOutputs;
  open: OpenModelRun | null;
  factory: UserFactory;
  workers: WorkerUserHost | null;
  /** --master: the distributed run's workers (their host is `workers`) and broker. */
  remote: RemoteRun | null;
  /** This thread's users inside onStart/onStop. */
  phases: LifecyclePhases;
  startWallMs: number;
  /** When --reset-stats reset the statistics (wall ms), or null. */
  statsResetWallMs: number | null;
  /** The stats_history row written at (or last before) that reset, or null. */
  statsResetHistoryTimestamp: number | null;
  /** The shape threw, or the file's users threw brood's ConfigError: the run ends with code 2. */
  brokenTest: boolean;
  /** The code the test's own process.exit() asked for, or null. */
  exitRequested: number | null;
  /** The exit code a listener set (environment.process_exit_code), or null. */
  exitCodeSet(): number | null;
  /** The system under test's resources (stopped before the end is written), or null when nothing was watched. */
  monitor: TargetMonitor | null;
  closeTrace(): void;
}

/** Judges, writes and says how the run went; resolves once every file is written and everything closed. */
export async function finishJob(job: FinishingJob, result: LoadRunResult, nowWallMs: number): Promise<JobResult> {
  const s = job.setup;
  const durationSecs = (result.endedAtMs - result.startedAtMs) / 1000;
  const { entries, aggregated } = job.stats.summaries(nowWallMs);
  const run = runInfo(job, result, nowWallMs, durationSecs);
  const resources = resourcesReport(job.monitor);
  // Throughput targets divide the totals by the Requests/s column's window (from the stats' start, after a --reset-stats).
  const targets = [...evaluateTargets(s.targets, entries, aggregated, rateTargetSecsOf(run, aggregated), resources?.summary.worst ?? null), ...(job.open?.finish(durationSecs) ?? [])];
  job.closeTrace();
  const protocols = protocolsOf(job);
  writeFinalFiles(job, run, targets, nowWallMs, durationSecs, protocols, resources);
  await job.outputs.settled(); // an interval's rewrite still in flight drops its temporary file
  if (protocols !== null) s.print(protocolLine(protocols));
  if (resources !== null) for (const line of resourcesLines(resources.summary)) s.print(line);
  if (job.open) for (const line of job.open.summaryLines(durationSecs)) s.print(line);
  await job.factory.close();
  if (job.remote) await job.remote.close();
  else await job.workers?.close();
  const failures = job.stats.failures();
  const exceptions = job.stats.exceptions();
  reportStuckUsers(job);
  if (job.remote) s.print(workersLine(job.remote));
  s.print(`Run ended after ${durationSecs.toFixed(1)} s: ${result.reason}`);
  s.print(consoleSummary({ entries, aggregated, failures, exceptions, targets, startWallMs: job.stats.startWallMs }));
  const verdict = exitCodeOf(job, result, targets, aggregated.numFailures, exceptions.length);
  job.log.info(`Run ended (${result.reason}); exit code ${verdict}`);
  const exitCode = await quit(job, verdict);
  job.log.close();
  return {
    exitCode,
    reason: result.reason,
    interrupted: result.interrupted,
    targets,
    totalRequests: aggregated.numRequests,
    totalFailures: aggregated.numFailures,
    seed: job.seed,
  };
}

/**
 * The JSON and HTML reports of a run still going (the web UI's downloads): what the final files
 * would say if it ended now; targets judged on the totals so far.
 */
export function reportSoFar(job: FinishingJob, clock: { startedAtMs: number; nowMs: number }, nowWallMs: number): { json: string; html: string | null } {
  const durationSecs = Math.max(0, (clock.nowMs - clock.startedAtMs) / 1000);
  const result: LoadRunResult = { reason: 'still running (the report of the run so far)', interrupted: false, startedAtMs: clock.startedAtMs, endedAtMs: clock.nowMs };
  const run = runInfo(job, result, nowWallMs, durationSecs);
  const { entries, aggregated } = job.stats.summaries(nowWallMs);
  const resources = resourcesReport(job.monitor);
  const targets = evaluateTargets(job.setup.targets, entries, aggregated, rateTargetSecsOf(run, aggregated), resources?.summary.worst ?? null);
  return job.outputs.reports(run, targets, nowWallMs, { stages: stagesOf(job.setup.shape), resources });
}

function rateTargetSecsOf(run: RunInfo, aggregated: EntrySummary): number {
  return rateTargetSecs(aggregated, statsStartWallMs(run), statsDurationSecs(run));
}

/** The closing line of a distributed run: how many workers, how many lost, and what that means for the verdict. */
function workersLine(remote: RemoteRun): string {
  const workers = remote.workers();
  const lost = remote.lost;
  const verdict = lost === 0 ? '' : remote.failed ? ': the load was not what was asked, the run fails (--allow-worker-loss lets it pass)' : ' (--allow-worker-loss)';
  return `Workers: ${workers.length}${lost > 0 ? `, ${lost} lost${verdict}` : ''}${remote.brokerLost !== null ? `; ${remote.brokerLost}` : ''}`;
}

/** What the reports say about the run itself. */
function runInfo(job: FinishingJob, result: LoadRunResult, endWallMs: number, durationSecs: number): RunInfo {
  const info = finishedRunInfo(job.setup, {
    seed: job.seed,
    userClasses: [...job.classNames],
    startWallMs: job.startWallMs,
    endWallMs,
    durationSecs,
    stopReason: result.reason,
    statsResetWallMs: job.statsResetWallMs,
    statsResetHistoryTimestamp: job.statsResetHistoryTimestamp,
  });
  return job.remote ? { ...info, workers: job.remote.workers(), workersLost: job.remote.lost } : info;
}

/** Every file once more, final: CSVs, JSON and HTML (a failed HTML report is said, not fatal), the open model's CSV. */
function writeFinalFiles(job: FinishingJob, run: RunInfo, targets: readonly TargetResult[], now: number, durationSecs: number, protocols: ProtocolTally | null, resources: ResourcesReport | null): void {
  const s = job.setup;
  job.outputs.finish(run, targets, now, {
    stages: stagesOf(s.shape),
    resources,
    jsonExtras: { ...(job.open?.jsonExtras(durationSecs) ?? {}), ...(protocols === null ? {} : { connections: { 'http/1.1': protocols.http1, h2: protocols.http2 } }) },
    operations: job.open?.report(durationSecs) ?? null,
  });
  if (job.outputs.htmlError !== null) {
    s.print(`warning: the HTML report could not be written (${job.outputs.htmlError}); every other file was`);
    job.log.error(`HTML report failed: ${job.outputs.htmlError}`);
  }
  job.open?.writeCsv(s.paths.operations, durationSecs);
}

/** What the JSON and HTML reports show of the watched system: the summary, and every reading for the charts. */
function resourcesReport(monitor: TargetMonitor | null): ResourcesReport | null {
  if (monitor === null) return null;
  return { summary: monitor.summary(), samples: monitor.samples, sources: monitor.sourceNames, metricNames: monitor.metricNames };
}

/** The run's own verdict; a run that passes takes the code the test's process.exit() asked for, if it did. */
function exitCodeOf(job: FinishingJob, result: LoadRunResult, targets: readonly TargetResult[], failures: number, exceptions: number): number {
  const runExitCode = jobExitCode({
    targets,
    failures,
    exceptions,
    interrupted: result.interrupted,
    shapeFailed: job.brokenTest,
    failureExitCode: job.setup.exitCodeOnError ?? 1,
    targetsJudgeFailures: job.setup.targets.length > 0 || job.setup.arrival == null || job.setup.arrival.criteria.maxErrorRate !== null,
  });
  // A distributed run that lost a worker (or its broker) did not run the load it was asked for.
  if (runExitCode === 0 && job.remote?.failed === true) return 1;
  return runExitCode === 0 ? (job.exitRequested ?? 0) : runExitCode;
}

/**
 * Fires quitting and returns the process's exit code. As in Locust: a listener's
 * `environment.process_exit_code` is the exit code (a broken test stays 2), else a listener that
 * threw makes it 2 (the files are written by now: its error would be lost in the exceptions table,
 * and the check it was making, a closing verdict, would pass unseen); each such error is a line.
 * Async listeners are waited for (up to QUITTING_WAIT_MS): the process exits right after.
 */
async function quit(job: FinishingJob, verdict: number): Promise<number> {
  const errors: unknown[] = [];
  const late = await job.hooks.quitting.emitAndWait({ exitCode: verdict, environment: job.environment }, QUITTING_WAIT_MS, (e) => errors.push(e));
  releaseRunHooks(job.hooks);
  if (late > 0) {
    const line = `warning: ${late} async quitting listener${late === 1 ? ' is' : 's are'} still running after ${QUITTING_WAIT_MS / 1000} s: exiting without ${late === 1 ? 'it' : 'them'}`;
    job.setup.print(line);
    job.log.warning(line);
  }
  for (const e of errors) {
    const line = `error: a quitting listener threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
    job.setup.print(line);
    job.log.error(line);
  }
  const set = job.exitCodeSet();
  const code = verdict === 2 && job.brokenTest ? 2 : (set ?? (errors.length > 0 ? 2 : verdict));
  if (code !== verdict) {
    const line = `Exit code ${code}: ${set !== null ? 'set by the test (environment.process_exit_code)' : 'a quitting listener threw'}, where the run's verdict was ${verdict}`;
    job.setup.print(line);
    job.log.info(line);
  }
  return code;
}

/** Users the stop could not get out of onStart/onStop (here and in the workers): one line, console and log. */
function reportStuckUsers(job: FinishingJob): void {
  const all = new LifecyclePhases();
  all.add(job.phases.snapshot());
  for (const counts of job.workers?.lifecycleCounts() ?? []) all.add(counts);
  const line = stuckInLifecycleLine(all.snapshot(), job.classNames);
  if (line === null) return;
  job.setup.print(`warning: ${line}`);
  job.log.warning(line);
}

/** --http2 / --h2c: the connections the run opened, by the protocol the server agreed to (else null). */
function protocolsOf(job: FinishingJob): ProtocolTally | null {
  if (!job.setup.http.http2 && !job.setup.http.h2c) return null;
  const total = new ProtocolCounts();
  total.add(job.factory.protocols);
  if (job.workers) total.add(job.workers.protocols);
  return total;
}
