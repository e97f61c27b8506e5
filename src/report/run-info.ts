import type { ResourcesReport } from './resources-report.js';
import type { ShapeStage } from '../core/shape.js';
import type { EntrySummary, ExceptionSnapshot, FailureRow, HistoryPoint, MetricSummary } from '../stats/types.js';
import type { TargetResult } from '../core/targets.js';
/** What the reports say about the run itself (not its stats): how it was started and how it ended. */
export interface RunInfo {
  broodVersion: string;
  /** The exact command line, for reproducing the run. */
  command: string;
  scenario: string | null;
  testFile: string | null;
  host: string;
  users: number | null;
  spawnRate: number | null;
  shape: string | null;
  seed: number | null;
  userClasses: string[];
  startWallMs: number;
  /** Null while the run is still going (reports written every interval). */
  endWallMs: number | null;
  durationSecs: number;
  /** "time limit reached", "SIGINT", "shape finished"…; null while running. */
  stopReason: string | null;
  /** Where the system broke, when a load shape ended the run for that reason (LoadShape.breakingPoint); else null. */
  breakingPoint: string | null;
  /**
   * --reset-stats: when the totals started again (the first history interval after the ramp), so
   * the summary, tables and targets cover the run from then on; null (or absent) when they never did.
   */
  statsResetWallMs?: number | null;
  /**
   * The timestamp of the last stats_history row before the reset (with --reset-stats, written at
   * the reset: its totals are everything before it). Rows' timestamps are whole seconds that never
   * repeat, so after a late history timer this can be the second after `statsResetWallMs`'s.
   */
  statsResetHistoryTimestamp?: number | null;
  /** The --time limit in seconds, null when the run has none (a shape or Ctrl-C ends it). */
  runTimeLimitSecs: number | null;
  /** process.version of the generating process. */
  nodeVersion: string;
  /** A distributed run (--master): each worker that took part (absent otherwise). */
  workers?: readonly RunWorkerInfo[];
  /** A distributed run: workers lost while it ran. */
  workersLost?: number;
}

/** One worker of a distributed run (JSON run.workers). */
export interface RunWorkerInfo {
  id: string;
  host: string;
  pid: number;
  /** The most users it ran at once. */
  users: number;
  requests: number;
  cpu_percent: number;
  lost: boolean;
}

/** What the totals' rates are counted from: the run's start, or the --reset-stats moment. */
export function statsStartWallMs(run: RunInfo): number {
  return run.statsResetWallMs ?? run.startWallMs;
}

/** How long the totals cover: the run's duration, less what came before a --reset-stats. */
export function statsDurationSecs(run: RunInfo): number {
  return secondsAfterReset(run.durationSecs, run.startWallMs, run.statsResetWallMs);
}

/** `durationSecs` of a run started at `startWallMs`, less what came before `resetWallMs` (none: all of it). */
export function secondsAfterReset(durationSecs: number, startWallMs: number, resetWallMs: number | null | undefined): number {
  if (resetWallMs === null || resetWallMs === undefined) return durationSecs;
  return Math.max(0, durationSecs - (resetWallMs - startWallMs) / 1000);
}

/** Everything a finished (or in-progress) run reports: what the JSON and HTML writers both read. */
export interface RunReportData {
  run: RunInfo;
  entries: readonly EntrySummary[];
  aggregated: EntrySummary;
  failures: readonly FailureRow[];
  exceptions: readonly ExceptionSnapshot[];
  metrics: readonly MetricSummary[];
  targets: readonly TargetResult[];
  /** The run's Aggregated timeline, one point per history interval. */
  history: readonly HistoryPoint[];
  /** Per-endpoint timelines keyed by "METHOD name" (compact points, bounded in length). */
  endpointHistory?: Readonly<Record<string, readonly EndpointPoint[]>>;
  /** Per custom metric, its values per history interval (bounded in length); absent in older inputs. */
  metricHistory?: Readonly<Record<string, readonly MetricPoint[]>>;
  /** Stage markers of the run's load shape (step/spike), for the charts. */
  stages?: readonly ShapeStage[];
  /** Open-model runs: per operation, latency from the scheduled start beside service time. */
  operations?: OperationsReport | null;
  /** The watched system under test (--monitor-*, the demo server): its summary and readings (issue 23). */
  resources?: ResourcesReport | null;
}

export interface OperationsReport {
  latency: { entries: readonly EntrySummary[]; aggregated: EntrySummary };
  service: { entries: readonly EntrySummary[]; aggregated: EntrySummary };
  dispatched: number;
  dropped: number;
  durationSecs: number;
}

/**
 * One custom metric's values within one history interval: what its over-time chart draws. An
 * interval in which the metric was not recorded has count 0 and nulls (a gap in the chart).
 */
export interface MetricPoint {
  /** Integer Unix seconds. */
  timestamp: number;
  count: number;
  mean: number | null;
  p50: number | null;
  p95: number | null;
  max: number | null;
}

/** One endpoint's figures for one history interval: what the per-endpoint charts draw. */
export interface EndpointPoint {
  /** Integer Unix seconds. */
  timestamp: number;
  rps: number;
  failPerSec: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}
