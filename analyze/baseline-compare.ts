/**
 * `--baseline OTHER`: the run against an earlier one, endpoint by endpoint (matched by method and
 * name) plus Aggregated. A latency regression is a P95 or P99 rise of more than the threshold
 * percent AND more than a small absolute floor (a 1.1 → 1.3 ms change on localhost is noise); an
 * error-rate regression is a rise of more than the threshold in percentage points. Endpoints with
 * too few requests on either side, new or missing endpoints are listed but never flagged.
 */
import { entryLabel } from '../src/report/entry-metrics.js';
import type { LoadedRun } from './loaded-run.js';
import { endpointRow, type EndpointRow } from './run-summary.js';

export interface BaselineOptions {
  /** Percent rise of P95/P99 that counts as a regression (default 10). */
  latencyThresholdPct: number;
  /** Minimum absolute rise in ms for a latency regression (default 1). */
  minLatencyDeltaMs: number;
  /** Rise of the error rate in percentage points that counts as a regression (default 1). */
  errorRateThresholdPts: number;
  /** Per-endpoint comparisons need at least this many requests in both runs (default 10; Aggregated always compared). */
  minRequests: number;
}

export const DEFAULT_BASELINE_OPTIONS: BaselineOptions = { latencyThresholdPct: 10, minLatencyDeltaMs: 1, errorRateThresholdPts: 1, minRequests: 10 };

export interface MetricChange {
  metric: 'p95' | 'p99' | 'error_rate';
  /** ms for latency, percent (0..100) for the error rate. */
  before: number | null;
  after: number | null;
  /** Percent change for latency, percentage points for the error rate; null when either side is missing. */
  change: number | null;
  regression: boolean;
}

export interface EndpointComparison {
  label: string;
  status: 'compared' | 'new' | 'missing' | 'too-few-requests';
  beforeRequests: number;
  afterRequests: number;
  changes: MetricChange[];
  regression: boolean;
}

export interface BaselineComparison {
  baseline: string;
  options: BaselineOptions;
  /** Aggregated first, then endpoints by label. */
  endpoints: EndpointComparison[];
  regressions: number;
}

function latencyChange(metric: 'p95' | 'p99', before: number | null, after: number | null, o: BaselineOptions): MetricChange {
  if (before === null || after === null) return { metric, before, after, change: null, regression: false };
  const change = before > 0 ? ((after - before) / before) * 100 : after > 0 ? Infinity : 0;
  return { metric, before, after, change, regression: change > o.latencyThresholdPct && after - before > o.minLatencyDeltaMs };
}

function errorChange(before: EndpointRow, after: EndpointRow, o: BaselineOptions): MetricChange {
  const b = before.errorRate * 100;
  const a = after.errorRate * 100;
  return { metric: 'error_rate', before: b, after: a, change: a - b, regression: a - b > o.errorRateThresholdPts };
}

export function compareRows(label: string, before: EndpointRow | undefined, after: EndpointRow | undefined, o: BaselineOptions, always: boolean): EndpointComparison {
  const base = { label, beforeRequests: before?.requests ?? 0, afterRequests: after?.requests ?? 0, changes: [], regression: false };
  if (before === undefined) return { ...base, status: 'new' };
  if (after === undefined) return { ...base, status: 'missing' };
  const changes = [
    latencyChange('p95', before.p95Ms, after.p95Ms, o), latencyChange('p99', before.p99Ms, after.p99Ms, o), errorChange(before, after, o),
  ];
  if (!always && (before.requests < o.minRequests || after.requests < o.minRequests)) {
    return { ...base, status: 'too-few-requests', changes: changes.map((c) => ({ ...c, regression: false })) };
  }
  return { ...base, status: 'compared', changes, regression: changes.some((c) => c.regression) };
}

export function compareWithBaseline(run: LoadedRun, baseline: LoadedRun, options: BaselineOptions = DEFAULT_BASELINE_OPTIONS): BaselineComparison {
  const rows = (r: LoadedRun): Map<string, EndpointRow> => new Map(r.entries.map((e) => [entryLabel(e.summary), endpointRow(e)]));
  const before = rows(baseline);
  const after = rows(run);
  const labels = [...new Set([...before.keys(), ...after.keys()])].sort();
  const endpoints = [
    compareRows('Aggregated', endpointRow(baseline.aggregated), endpointRow(run.aggregated), options, true),
    ...labels.map((l) => compareRows(l, before.get(l), after.get(l), options, false)),
  ];
  return { baseline: baseline.label, options, endpoints, regressions: endpoints.filter((e) => e.regression).length };
}
