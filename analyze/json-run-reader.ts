/**
 * PREFIX.json (brood's run file) → the parts of a LoadedRun it holds. Stats come from the raw
 * snapshot (exact HDR percentiles), run info from `run`, the declared targets from `validation`,
 * timelines from `history` / `endpoint_history`, stages from `stages`. Every field is checked:
 * the file is untrusted input.
 */
import type { Target, TargetComparator, TargetMetric } from '../src/core/targets.js';
import { validateTargets } from '../src/core/target-check.js';
import type { ShapeStage } from '../src/core/shape.js';
import type { EndpointPoint, MetricPoint } from '../src/report/run-info.js';
import { rateWindowSecs } from '../src/report/entry-metrics.js';
import { metricSummaryFromSnapshot } from '../src/stats/metrics.js';
import { parseSnapshot, summaryFromSnapshot } from '../src/stats/snapshot.js';
import { PERCENTILE_LABELS, type EntrySnapshot, type EntrySummary, type HistoryPoint, type StatsSnapshot } from '../src/stats/types.js';
import { AnalyzeError } from './analyze-error.js';
import { readTextFile } from './read-text-file.js';
import type { EndpointStats, LoadedResources, LoadedRun, RunMeta } from './loaded-run.js';
import { resourcesFromJson } from './resources-json-reader.js';

type Json = Record<string, unknown>;

export type JsonRunParts = Omit<LoadedRun, 'label' | 'source' | 'files'>;

function record(v: unknown): Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
}
function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}
function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** `breaking_point`; files from before it existed said it only as the stop reason's prefix. */
function breakingPointOf(run: Json): string | null {
  if ('breaking_point' in run) return str(run['breaking_point']);
  return /^breaking point: (.+)$/s.exec(str(run['stop_reason']) ?? '')?.[1] ?? null;
}

/** `stats_reset_at` (ISO time) of a --reset-stats run; null otherwise and in files from before it existed. */
function statsResetOf(run: Json): number | null {
  const at = Date.parse(str(run['stats_reset_at']) ?? '');
  return Number.isFinite(at) ? at : null;
}

function runMeta(run: Json, snapshot: StatsSnapshot): RunMeta {
  return {
    scenario: str(run['scenario']), testFile: str(run['test_file']), host: str(run['host']),
    command: str(run['command']), users: num(run['users']), spawnRate: num(run['spawn_rate']),
    shape: str(run['shape']), seed: num(run['seed']),
    userClasses: list(run['user_classes']).filter((c): c is string => typeof c === 'string'),
    startWallMs: num(run['start_wall_ms']) ?? snapshot.startWallMs, endWallMs: num(run['end_wall_ms']),
    durationSecs: num(run['duration_secs']), stopReason: str(run['stop_reason']), breakingPoint: breakingPointOf(run),
    statsResetWallMs: statsResetOf(run),
    runTimeLimitSecs: num(run['run_time_limit_secs']), broodVersion: str(run['brood_version']),
    nodeVersion: str(run['node_version']),
  };
}

/**
 * The summary of a saved entry says only what the file holds: rebuilding an entry from a file of a
 * brood that did not keep request bytes and send times fills them in (0 bytes, completion times),
 * which a report must not pass off as measured (Vegeta's bytes_out, earliest, latest).
 */
function keptOnly(summary: EntrySummary, saved: EntrySnapshot): EntrySummary {
  const out = { ...summary };
  if (saved.requestBytes === undefined) delete out.requestBytes;
  if (saved.firstStartWallMs === undefined) delete out.firstStartWallMs;
  if (saved.lastStartWallMs === undefined) delete out.lastStartWallMs;
  return out;
}

function stats(summary: EntrySummary, windowSecs: number): EndpointStats {
  const rate = (n: number): number => (windowSecs > 0 ? n / windowSecs : 0);
  return { summary, rps: rate(summary.numRequests), failPerSec: rate(summary.numFailures) };
}

/** The JSON history keeps interval percentiles and totals; the total's min/max are not in it. */
function historyPoint(v: unknown): HistoryPoint | null {
  const p = record(v);
  const timestamp = num(p['timestamp']);
  const requests = num(p['total_requests']);
  if (timestamp === null || requests === null) return null;
  const percentiles = record(p['percentiles_ms']);
  return {
    timestamp, userCount: num(p['user_count']) ?? 0, rps: num(p['rps']) ?? 0, failPerSec: num(p['fail_per_sec']) ?? 0,
    intervalPercentilesMs: PERCENTILE_LABELS.map((l) => num(percentiles[l])),
    total: {
      method: '', name: 'Aggregated', numRequests: requests, numFailures: num(p['total_failures']) ?? 0,
      totalResponseTimeMs: (num(p['total_avg_ms']) ?? 0) * requests, minResponseTimeMs: null, maxResponseTimeMs: null,
      totalContentLength: 0, percentilesMs: [], firstRequestWallMs: null, lastRequestWallMs: null, currentRps: 0, currentFailPerSec: 0,
    },
  };
}

/** Keyed timelines (`endpoint_history`, `metric_history`): points without a timestamp are skipped; absent → {}. */
function timelines<T>(v: unknown, point: (p: Json, timestamp: number) => T): Record<string, T[]> {
  const out: Record<string, T[]> = {};
  for (const [key, points] of Object.entries(record(v))) {
    out[key] = list(points).map(record).flatMap((p) => {
      const timestamp = num(p['timestamp']);
      return timestamp === null ? [] : [point(p, timestamp)];
    });
  }
  return out;
}

function endpointHistory(v: unknown): Record<string, EndpointPoint[]> {
  return timelines(v, (p, timestamp) => ({
    timestamp, rps: num(p['rps']) ?? 0, failPerSec: num(p['fail_per_sec']) ?? 0,
    p50Ms: num(p['p50_ms']), p95Ms: num(p['p95_ms']), p99Ms: num(p['p99_ms']),
  }));
}

function metricHistory(v: unknown): Record<string, MetricPoint[]> {
  return timelines(v, (p, timestamp) => ({
    timestamp, count: num(p['count']) ?? 0, mean: num(p['mean']), p50: num(p['p50']), p95: num(p['p95']), max: num(p['max']),
  }));
}

function declaredTargets(v: unknown, file: string): Target[] {
  const raw = list(record(v)['targets']);
  if (validateTargets(raw, file).length > 0) return [];
  return raw.map(record).map((t) => {
    const endpoints = list(t['endpoints']).filter((e): e is string => typeof e === 'string');
    const target: Target = {
      metric: t['metric'] as TargetMetric, comparator: t['comparator'] as TargetComparator, threshold: t['threshold'] as number,
    };
    const label = str(t['label']);
    if (label !== null) target.label = label;
    if (endpoints.length > 0) target.endpoints = endpoints;
    return target;
  });
}

/** The `resources` block (a watched run's), without readings: those are in PREFIX_resources.csv. */
function resources(root: Json, file: string): LoadedResources | null {
  if (root['resources'] === undefined || root['resources'] === null) return null;
  const summary = resourcesFromJson(root['resources']);
  const metricNames = [...new Set(summary.sources.flatMap((s) => Object.keys(s.metrics)))];
  return { origin: file, recomputed: false, summary, samples: [], sources: summary.sources.map((s) => s.name), metricNames };
}

function stages(v: unknown): ShapeStage[] {
  return list(v).map(record).flatMap((s) => {
    const startSec = num(s['start_sec']);
    const users = num(s['users']);
    const label = str(s['label']);
    return startSec === null || users === null || label === null ? [] : [{ startSec, users, label }];
  });
}

/** Reads a brood run JSON; anything wrong in it (syntax, snapshot, histogram data) is an AnalyzeError naming the file. */
export function readJsonRun(file: string): JsonRunParts {
  const text = readTextFile(file);
  try {
    const root = record(JSON.parse(text));
    if (!('snapshot' in root)) throw new Error('no "snapshot" key: not a brood run JSON file');
    return jsonRunParts(root, parseSnapshot(root['snapshot']), file);
  } catch (err: unknown) {
    throw new AnalyzeError('BAD_JSON', `${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function jsonRunParts(root: Json, snapshot: StatsSnapshot, file: string): JsonRunParts {
  const meta = runMeta(record(root['run']), snapshot);
  const start = snapshot.startWallMs;
  const summaryOf = (e: EntrySnapshot): EntrySummary => keptOnly(summaryFromSnapshot(e, snapshot.takenWallMs, start), e);
  const aggregatedSummary = summaryOf(snapshot.aggregated);
  const windowSecs = rateWindowSecs(aggregatedSummary, start);
  return {
    meta,
    entries: snapshot.entries.map((e) => stats(summaryOf(e), windowSecs)),
    aggregated: stats(aggregatedSummary, windowSecs),
    history: list(root['history']).map(historyPoint).filter((p): p is HistoryPoint => p !== null),
    endpointHistory: endpointHistory(root['endpoint_history']),
    metricHistory: metricHistory(root['metric_history']),
    failures: snapshot.failures.map((f) => ({ ...f })),
    exceptions: snapshot.exceptions.map((e) => ({ ...e, nodes: [...e.nodes] })),
    metrics: snapshot.metrics.map(metricSummaryFromSnapshot),
    stages: stages(root['stages']),
    declaredTargets: declaredTargets(root['validation'], file),
    aggregatedHistogram: snapshot.aggregated.histogram,
    resources: resources(root, file),
  };
}
