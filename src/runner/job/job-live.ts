/**
 * A run as the live web UI sees it while it goes: its phase, load, statistics, history and
 * targets at this moment. Built only when asked (once a second while a page is open), never on
 * the request path.
 */
import { evaluateTargets } from '../../core/target-check.js';
import { rateTargetSecs } from '../../report/entry-metrics.js';
import { liveLine } from '../../report/live-line.js';
import type { OpenModelRun } from '../open/open-model-run.js';
import type { RemoteRun } from '../remote/remote-run.js';
import type { ResourceFigures, TargetResult } from '../../core/targets.js';
import type { LiveFigures } from '../../report/live-figures.js';
import type { EndpointPoint } from '../../report/run-info.js';
import type { StatsRegistry, StatsSummaries } from '../../stats/registry.js';
import type { LiveWorker } from '../remote/remote-run.js';
import type { ExceptionSnapshot, FailureSnapshot, HistoryPoint, MetricSummary } from '../../stats/types.js';

export type { LiveWorker } from '../remote/remote-run.js';

/** Locust's states (ready/spawning/running/stopped) and brood's own before and while it stops. */
export type JobPhase = 'starting' | 'spawning' | 'running' | 'stopping' | 'stopped';

export interface JobLiveView {
  phase: JobPhase;
  elapsedSec: number;
  runTimeSec: number | null;
  userCount: number;
  /** Where the ramp is heading, when the command line or the UI set it (null: a shape or the open model decides). */
  target: { users: number; spawnRate: number } | null;
  /** Users per class name right now. */
  classCounts: Record<string, number>;
  summaries: StatsSummaries;
  failures: FailureSnapshot[];
  exceptions: ExceptionSnapshot[];
  metrics: MetricSummary[];
  /** The Aggregated history from the run's start (thinned past 7 200 points, as the reports are). */
  timeline: readonly HistoryPoint[];
  /** Per endpoint ("GET /x"), thinned past 600 points. */
  endpointHistory: Record<string, EndpointPoint[]>;
  /** Null unless the run is distributed. */
  workers: LiveWorker[] | null;
  /** The run's targets judged on the totals so far. */
  targets: TargetResult[];
}

/** What a live view is read from (the Job's parts). */
export interface LiveSources extends Pick<JobLiveView, 'phase' | 'elapsedSec' | 'runTimeSec' | 'userCount' | 'target' | 'classCounts' | 'workers'> {
  stats: {
    summaries(nowWallMs: number): StatsSummaries;
    failures(): FailureSnapshot[];
    exceptions(): ExceptionSnapshot[];
    metricSummaries(): MetricSummary[];
  };
  outputs: { timeline: readonly HistoryPoint[]; endpointHistory(): Record<string, EndpointPoint[]> };
  targets: Parameters<typeof evaluateTargets>[0];
  /** Seconds the totals cover (less what came before a stats reset). */
  statsDurationSec: number;
  /** When they start (the run's start or the last stats reset), epoch ms. */
  statsStartWallMs: number;
  /** The system under test's resources so far (--monitor-*), which resource targets judge; null when nothing is watched. */
  resources: ResourceFigures | null;
}

export function liveView(src: LiveSources, nowWallMs: number): JobLiveView {
  const summaries = src.stats.summaries(nowWallMs);
  return {
    phase: src.phase,
    elapsedSec: src.elapsedSec,
    runTimeSec: src.runTimeSec,
    userCount: src.userCount,
    target: src.target,
    classCounts: src.classCounts,
    summaries,
    failures: src.stats.failures(),
    exceptions: src.stats.exceptions(),
    metrics: src.stats.metricSummaries(),
    timeline: src.outputs.timeline,
    endpointHistory: src.outputs.endpointHistory(),
    workers: src.workers,
    // Rate targets divide by the Requests/s column's window, as the final verdict does (job-finish.ts):
    // by the time since the start, a run whose users had stopped sending read ever lower, and failed live what then passed.
    targets: evaluateTargets(src.targets, summaries.entries, summaries.aggregated, rateTargetSecs(summaries.aggregated, src.statsStartWallMs, src.statsDurationSec), src.resources),
  };
}

/** What the console's live lines are read from. */
export interface ConsoleLiveSources {
  remote: RemoteRun | null;
  open: OpenModelRun | null;
  stats: StatsRegistry;
  runTimeSec: number | null;
  userCount: number;
}

/** The console's live lines every few seconds: the workers (distributed), then the open model's or the users' line. */
export function consoleLiveLines(src: ConsoleLiveSources, elapsedSec: number, nowWallMs: number): string[] {
  const lines = src.remote ? [src.remote.liveLine()] : [];
  if (src.open) return [...lines, ...src.open.liveLines(elapsedSec, src.runTimeSec)];
  const { aggregated } = src.stats.summaries(nowWallMs);
  const p = aggregated.percentilesMs;
  lines.push(
    liveLine({
      elapsedSecs: elapsedSec,
      runTimeLimitSecs: src.runTimeSec,
      users: src.userCount,
      rps: aggregated.currentRps,
      failRatio: aggregated.numRequests === 0 ? 0 : aggregated.numFailures / aggregated.numRequests,
      p50Ms: p[0] ?? null,
      p95Ms: p[5] ?? null,
      p99Ms: p[7] ?? null,
    }),
  );
  return lines;
}

/** What brood's own exporters read of a run (report/live-figures.ts), when they ask. */
export function jobLiveFigures(stats: StatsRegistry, outputs: { readonly timeline: readonly HistoryPoint[] }, userCount: () => number, classCounts: () => Record<string, number>): LiveFigures {
  return {
    responseTimes: (limitsUs) => stats.responseTimes(limitsUs),
    failures: () => stats.failures(),
    metrics: () => stats.metricSummaries(),
    userCount,
    classCounts,
    generatorCpuPercent: () => {
      const cpu = outputs.timeline.at(-1)?.generatorCpu;
      return cpu === undefined || cpu === null ? null : Math.round(cpu * 1000) / 10;
    },
  };
}
