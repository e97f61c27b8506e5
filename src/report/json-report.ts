/**
 * The run's JSON file. `summary`, `latency` and `validation` follow the seed's shape and are the
 * contract other tools read; the other keys carry everything else a report or analyzer may need,
 * including the raw StatsSnapshot from which every number can be recomputed.
 */
import type { TargetResult } from '../core/targets.js';
import {
  AGGREGATED_NAME,
  PERCENTILE_LABELS,
  type EntrySummary,
  type HistoryPoint,
  type StatsSnapshot,
} from '../stats/types.js';
import {
  avgContentSize,
  avgResponseTimeMs,
  entryLabel,
  failRatio,
  percentileMs,
  rateWindowSecs,
  sortEntries,
  totalFailPerSec,
  totalRps,
} from './entry-metrics.js';
import { sortExceptions } from './exceptions-csv.js';
import { sortFailures } from './failures-csv.js';
import { sortMetrics } from './metrics-csv.js';
import { statsDurationSecs, statsStartWallMs, type EndpointPoint, type MetricPoint, type RunInfo, type RunReportData, type RunWorkerInfo } from './run-info.js';

export interface JsonRunInfo {
  brood_version: string;
  command: string;
  scenario: string | null;
  test_file: string | null;
  host: string;
  users: number | null;
  spawn_rate: number | null;
  shape: string | null;
  seed: number | null;
  user_classes: string[];
  start_time: string;
  start_wall_ms: number;
  end_time: string | null;
  end_wall_ms: number | null;
  duration_secs: number;
  /** --reset-stats: when the totals (summary, stats, latency, failures, targets) started again; null when they did not. */
  stats_reset_at: string | null;
  stats_reset_after_secs: number | null;
  /** The stats_history row (its Timestamp) written at the reset: its totals are everything before it. */
  stats_reset_history_timestamp: number | null;
  stop_reason: string | null;
  breaking_point: string | null;
  run_time_limit_secs: number | null;
  node_version: string;
  /** A distributed run: each worker, and how many were lost. */
  workers?: RunWorkerInfo[];
  workers_lost?: number;
}

export interface JsonLatency {
  p50: number | null;
  p95: number | null;
  p99: number | null;
  'p99.9': number | null;
  max: number | null;
  avg: number | null;
  count: number;
  failures: number;
}

export interface JsonTargetResult {
  label: string;
  metric: TargetResult['metric'];
  comparator: TargetResult['comparator'];
  threshold: number;
  unit: string;
  endpoints: string[] | null;
  measured: number | null;
  met: boolean;
}

export interface JsonStatsRow {
  method: string;
  name: string;
  num_requests: number;
  num_failures: number;
  median_ms: number | null;
  avg_ms: number;
  min_ms: number | null;
  max_ms: number | null;
  avg_content_size: number;
  rps: number;
  fail_per_sec: number;
  current_rps: number;
  current_fail_per_sec: number;
  /** Keyed by Locust's labels ("50%" … "100%"). */
  percentiles_ms: Record<string, number | null>;
  /** Responses per HTTP status code ("0": no response), on rows that record statuses (HTTP) and the Aggregated row. */
  status_codes?: Record<string, number>;
}

export interface JsonHistoryPoint {
  timestamp: number;
  user_count: number;
  rps: number;
  fail_per_sec: number;
  percentiles_ms: Record<string, number | null>;
  total_requests: number;
  total_failures: number;
  total_avg_ms: number;
  /** Self-monitoring (present when the run sampled it): CPU as a fraction of one core, loop delay p99 ms, overloaded. */
  generator_cpu?: number;
  loop_delay_p99_ms?: number;
  generator_overloaded?: boolean;
}

export interface JsonReport {
  brood_version: string;
  run: JsonRunInfo;
  summary: {
    total_operations: number;
    total_failures: number;
    duration_secs: number;
    throughput_ops_sec: number;
    /** Failures / operations, a fraction 0..1 (0.0002 = 0.02 %). */
    error_rate: number;
  };
  /** Keyed by "METHOD name" and "Aggregated"; times in ms. */
  latency: Record<string, JsonLatency>;
  validation: { targets: JsonTargetResult[]; all_met: boolean };
  stats: JsonStatsRow[];
  failures: Array<{ method: string; name: string; error: string; occurrences: number; first_seen: string | null; last_seen: string | null }>;
  exceptions: Array<{ count: number; message: string; traceback: string; nodes: string[] }>;
  custom_metrics: Array<{
    name: string; count: number; sum: number; mean: number | null; min: number | null; max: number | null;
    p50: number | null; p95: number | null; p99: number | null;
  }>;
  history: JsonHistoryPoint[];
  /** Per-endpoint timelines keyed by "METHOD name" (bounded length); {} when none was recorded. */
  endpoint_history: Record<string, JsonEndpointPoint[]>;
  /** Per custom metric, its values per history interval from its first (bounded length): { timestamp, count, mean, p50, p95, max }, count 0 and nulls where none; {} when none. */
  metric_history: Record<string, MetricPoint[]>;
  /** The load shape's stages (start in seconds since the run started); [] without a staged shape. */
  stages: Array<{ start_sec: number; label: string; users: number }>;
  snapshot: StatsSnapshot;
}

export interface JsonEndpointPoint {
  timestamp: number;
  rps: number;
  fail_per_sec: number;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
}

export interface JsonReportInput extends RunReportData {
  snapshot: StatsSnapshot;
}

/** JSON has no NaN/Infinity: a non-finite number would become null silently, so make it explicit. */
function finite(n: number): number {
  return Number.isFinite(n) ? n : 0;
}

function labelled(values: ReadonlyArray<number | null>, numRequests: number): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  PERCENTILE_LABELS.forEach((label, i) => {
    out[label] = numRequests === 0 ? null : (values[i] ?? null);
  });
  return out;
}

function iso(wallMs: number): string {
  return new Date(wallMs).toISOString();
}

export function jsonRunInfo(run: RunInfo): JsonRunInfo {
  return {
    brood_version: run.broodVersion, command: run.command, scenario: run.scenario, test_file: run.testFile,
    host: run.host, users: run.users, spawn_rate: run.spawnRate, shape: run.shape, seed: run.seed,
    user_classes: [...run.userClasses], start_time: iso(run.startWallMs), start_wall_ms: run.startWallMs,
    end_time: run.endWallMs === null ? null : iso(run.endWallMs), end_wall_ms: run.endWallMs,
    duration_secs: run.durationSecs, stats_reset_at: run.statsResetWallMs == null ? null : iso(run.statsResetWallMs),
    stats_reset_after_secs: run.statsResetWallMs == null ? null : (run.statsResetWallMs - run.startWallMs) / 1000,
    stats_reset_history_timestamp: run.statsResetWallMs == null ? null : (run.statsResetHistoryTimestamp ?? null),
    stop_reason: run.stopReason, breaking_point: run.breakingPoint, run_time_limit_secs: run.runTimeLimitSecs,
    node_version: run.nodeVersion,
    ...(run.workers === undefined ? {} : { workers: run.workers.map((w) => ({ ...w })), workers_lost: run.workersLost ?? 0 }),
  };
}

export function jsonLatency(entry: EntrySummary): JsonLatency {
  const none = entry.numRequests === 0;
  return {
    p50: percentileMs(entry, 0.5), p95: percentileMs(entry, 0.95), p99: percentileMs(entry, 0.99),
    'p99.9': percentileMs(entry, 0.999), max: none ? null : entry.maxResponseTimeMs,
    avg: none ? null : avgResponseTimeMs(entry), count: entry.numRequests, failures: entry.numFailures,
  };
}

function jsonStatsRow(entry: EntrySummary, windowSecs: number): JsonStatsRow {
  return {
    method: entry.method, name: entry.name, num_requests: entry.numRequests, num_failures: entry.numFailures,
    median_ms: percentileMs(entry, 0.5), avg_ms: avgResponseTimeMs(entry),
    min_ms: entry.minResponseTimeMs, max_ms: entry.maxResponseTimeMs, avg_content_size: avgContentSize(entry),
    rps: finite(totalRps(entry, windowSecs)), fail_per_sec: finite(totalFailPerSec(entry, windowSecs)),
    current_rps: finite(entry.currentRps), current_fail_per_sec: finite(entry.currentFailPerSec),
    percentiles_ms: labelled(entry.percentilesMs, entry.numRequests),
    ...(entry.statusCodes === undefined ? {} : { status_codes: { ...entry.statusCodes } }),
  };
}

export function jsonHistoryPoint(p: HistoryPoint): JsonHistoryPoint {
  const point: JsonHistoryPoint = {
    timestamp: p.timestamp, user_count: p.userCount, rps: finite(p.rps), fail_per_sec: finite(p.failPerSec),
    percentiles_ms: labelled(p.intervalPercentilesMs, 1), total_requests: p.total.numRequests,
    total_failures: p.total.numFailures, total_avg_ms: avgResponseTimeMs(p.total),
  };
  if (p.generatorCpu !== undefined) point.generator_cpu = p.generatorCpu;
  if (p.loopDelayP99Ms !== undefined) point.loop_delay_p99_ms = p.loopDelayP99Ms;
  if (p.generatorOverloaded !== undefined) point.generator_overloaded = p.generatorOverloaded;
  return point;
}

export function jsonEndpointPoint(p: EndpointPoint): JsonEndpointPoint {
  return {
    timestamp: p.timestamp, rps: finite(p.rps), fail_per_sec: finite(p.failPerSec),
    p50_ms: p.p50Ms, p95_ms: p.p95Ms, p99_ms: p.p99Ms,
  };
}

function jsonEndpointHistory(history: RunReportData['endpointHistory']): Record<string, JsonEndpointPoint[]> {
  const out: Record<string, JsonEndpointPoint[]> = {};
  for (const [key, points] of Object.entries(history ?? {})) out[key] = points.map(jsonEndpointPoint);
  return out;
}

export function jsonTargetResult(t: TargetResult): JsonTargetResult {
  return {
    label: t.label, metric: t.metric, comparator: t.comparator, threshold: t.threshold, unit: t.unit,
    endpoints: t.endpoints === null ? null : [...t.endpoints], measured: t.measured, met: t.met,
  };
}

export function buildJsonReport(input: JsonReportInput): JsonReport {
  const { run, aggregated } = input;
  const sorted = sortEntries(input.entries);
  const windowSecs = rateWindowSecs(aggregated, statsStartWallMs(run));
  const statsSecs = statsDurationSecs(run);
  const latency: Record<string, JsonLatency> = {};
  for (const e of sorted) latency[entryLabel(e)] = jsonLatency(e);
  latency[AGGREGATED_NAME] = jsonLatency(aggregated);
  return {
    brood_version: run.broodVersion,
    run: jsonRunInfo(run),
    summary: {
      total_operations: aggregated.numRequests,
      total_failures: aggregated.numFailures,
      // After a --reset-stats the totals cover less than the run: their own span (run.stats_reset_at).
      duration_secs: statsSecs,
      throughput_ops_sec: statsSecs > 0 ? finite(aggregated.numRequests / statsSecs) : 0,
      error_rate: failRatio(aggregated),
    },
    latency,
    validation: {
      targets: input.targets.map(jsonTargetResult),
      all_met: input.targets.every((t) => t.met),
    },
    stats: [...sorted.map((e) => jsonStatsRow(e, windowSecs)), jsonStatsRow(aggregated, windowSecs)],
    failures: sortFailures(input.failures).map((f) => ({
      method: f.method, name: f.name, error: f.error, occurrences: f.occurrences,
      first_seen: f.firstSeenWallMs === null ? null : iso(f.firstSeenWallMs), last_seen: f.lastSeenWallMs === null ? null : iso(f.lastSeenWallMs),
    })),
    exceptions: sortExceptions(input.exceptions).map((e) => ({
      count: e.count, message: e.message, traceback: e.traceback, nodes: [...e.nodes],
    })),
    custom_metrics: sortMetrics(input.metrics).map((m) => ({
      name: m.name, count: m.count, sum: m.sum, mean: m.mean, min: m.min, max: m.max, p50: m.p50, p95: m.p95, p99: m.p99,
    })),
    history: input.history.map(jsonHistoryPoint),
    endpoint_history: jsonEndpointHistory(input.endpointHistory),
    metric_history: Object.fromEntries(Object.entries(input.metricHistory ?? {}).map(([name, points]) => [name, points.map((p) => ({ ...p }))])),
    stages: (input.stages ?? []).map((st) => ({ start_sec: st.startSec, label: st.label, users: st.users })),
    snapshot: input.snapshot,
  };
}

/** The file's text: pretty-printed, newline-terminated. */
/**
 * Indented for reading, except that an object or array holding only scalars is written on one
 * line: a timeline point per line instead of one number per line keeps a 1-hour, 50-endpoint
 * run's JSON at a few MB rather than tens.
 */
export function jsonReportText(report: JsonReport): string {
  return `${formatJson(report, '')}\n`;
}

function isScalar(v: unknown): boolean {
  return v === null || typeof v !== 'object';
}

function formatJson(value: unknown, indent: string): string {
  if (isScalar(value)) return JSON.stringify(value) ?? 'null';
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every(isScalar)) return JSON.stringify(value);
    return `[\n${value.map((v) => inner + formatJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  if (entries.every(([, v]) => isScalar(v) || (Array.isArray(v) && v.every(isScalar)))) return JSON.stringify(Object.fromEntries(entries));
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatJson(v, inner)}`).join(',\n')}\n${indent}}`;
}
