/**
 * What the analyzer knows about one finished run, whichever files it came from (brood's JSON,
 * brood's CSVs or Locust's CSVs). Everything is optional that some producer does not write:
 * Locust has no run duration, no scenario, and 2.12 has no failure timestamps.
 */
import { secondsAfterReset, type EndpointPoint, type MetricPoint } from '../src/report/run-info.js';
import type { ResourcesReport } from '../src/report/resources-report.js';
import type { ShapeStage } from '../src/core/shape.js';
import type { Target } from '../src/core/targets.js';
import type { EntrySummary, ExceptionSnapshot, HistoryPoint, MetricSummary } from '../src/stats/types.js';

/** One stats row with the rates its file states (Locust's Requests/s; brood's JSON computes the same). */
export interface EndpointStats {
  summary: EntrySummary;
  /** Requests/s over the whole run, as the stats file states it. */
  rps: number;
  failPerSec: number;
}

export interface FailureRow {
  method: string;
  name: string;
  error: string;
  occurrences: number;
  /** Null in Locust ≤ 2.43 files, which have no First Seen/Last Seen columns. */
  firstSeenWallMs: number | null;
  lastSeenWallMs: number | null;
}

export interface RunMeta {
  scenario: string | null;
  testFile: string | null;
  host: string | null;
  command: string | null;
  users: number | null;
  spawnRate: number | null;
  shape: string | null;
  seed: number | null;
  userClasses: string[];
  startWallMs: number | null;
  endWallMs: number | null;
  /** Seconds; from the JSON, else requests ÷ Requests/s of the Aggregated row. */
  durationSecs: number | null;
  stopReason: string | null;
  breakingPoint: string | null;
  /** --reset-stats: when the totals started again (JSON `stats_reset_at`); null when they did not or it is unknown. */
  statsResetWallMs: number | null;
  runTimeLimitSecs: number | null;
  broodVersion: string | null;
  nodeVersion: string | null;
}

export interface LoadedRun {
  /** How the user named the run (prefix), for headings and error messages. */
  label: string;
  /** Which producer wrote it: brood's JSON snapshot (exact percentiles), CSV files (brood's or Locust's), or Vegeta's results (every request). */
  source: 'brood-json' | 'csv' | 'vegeta';
  files: string[];
  meta: RunMeta;
  entries: EndpointStats[];
  aggregated: EndpointStats;
  /** Aggregated timeline, one point per interval (empty without a history file). */
  history: HistoryPoint[];
  /** Per-endpoint timelines keyed by "METHOD name": brood's JSON, or CSVs written with --csv-full-history. */
  endpointHistory: Record<string, EndpointPoint[]>;
  /** Per custom metric, its values per interval (brood JSON only; {} otherwise). */
  metricHistory: Record<string, MetricPoint[]>;
  failures: FailureRow[];
  exceptions: ExceptionSnapshot[];
  metrics: MetricSummary[];
  stages: ShapeStage[];
  /** The targets the run itself declared and checked (brood's JSON `validation`). */
  declaredTargets: Target[];
  /**
   * The Aggregated row's HDR histogram (response times in integer µs, compressed base64, as the
   * snapshot carries it): brood's JSON only, for the latency-distribution reports (hdrplot, --hist).
   */
  aggregatedHistogram?: string;
  /** The watched system under test (--monitor-pid, --monitor-url); absent or null when nothing was watched. */
  resources?: LoadedResources | null;
}

/**
 * A run's server resources: the summary from the JSON's `resources` block, else recomputed from
 * PREFIX_resources.csv; the readings (`samples`) come from that CSV only ([] without it).
 */
export interface LoadedResources extends ResourcesReport {
  /** The file the summary was read from (the run's JSON, or the resources CSV). */
  origin: string;
  /** True when the summary was recomputed from the CSV (with the default warm-up: the CSV does not record --monitor-warm-up). */
  recomputed: boolean;
}

/**
 * Seconds the totals cover, for their rates and rate targets: the run's duration, less what came
 * before a --reset-stats. (A CSV-only run's duration is already that span: requests ÷ Requests/s.)
 */
export function statsSpanSecs(meta: RunMeta): number | null {
  if (meta.durationSecs === null) return null;
  return meta.startWallMs === null ? meta.durationSecs : secondsAfterReset(meta.durationSecs, meta.startWallMs, meta.statsResetWallMs);
}
