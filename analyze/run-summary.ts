/** The overall numbers of a run and its per-endpoint rows, as every output format prints them. */
import { avgResponseTimeMs, entryLabel, failRatio, percentileMs, sortEntries } from '../src/report/entry-metrics.js';
import { statsSpanSecs, type EndpointStats, type LoadedRun } from './loaded-run.js';

export interface EndpointRow {
  method: string;
  name: string;
  /** "GET /recall", or the name alone for an empty method. */
  label: string;
  requests: number;
  failures: number;
  /** Fraction 0..1. */
  errorRate: number;
  rps: number;
  avgMs: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}

export interface OverallSummary extends EndpointRow {
  durationSecs: number | null;
  /** Peak user count (the JSON's --users, or the history's largest User Count). */
  users: number | null;
  /** True when percentiles come from an HDR histogram of every request (brood's snapshot, Vegeta's results), false when read from a CSV (Locust rounds them). */
  exactPercentiles: boolean;
}

export function endpointRow(stats: EndpointStats): EndpointRow {
  const e = stats.summary;
  return {
    method: e.method, name: e.name, label: entryLabel(e), requests: e.numRequests, failures: e.numFailures,
    errorRate: failRatio(e), rps: stats.rps, avgMs: e.numRequests === 0 ? null : avgResponseTimeMs(e),
    p50Ms: percentileMs(e, 0.5), p95Ms: percentileMs(e, 0.95), p99Ms: percentileMs(e, 0.99),
    maxMs: e.numRequests === 0 ? null : e.maxResponseTimeMs,
  };
}

export function endpointRows(run: LoadedRun): EndpointRow[] {
  return sortEntries(run.entries.map((s) => ({ method: s.summary.method, name: s.summary.name, s }))).map((x) => endpointRow(x.s));
}

export function overallSummary(run: LoadedRun): OverallSummary {
  const peakHistoryUsers = run.history.reduce((m, p) => Math.max(m, p.userCount), 0);
  return {
    ...endpointRow(run.aggregated),
    durationSecs: statsSpanSecs(run.meta),
    users: run.meta.users ?? (peakHistoryUsers > 0 ? peakHistoryUsers : null),
    exactPercentiles: run.source !== 'csv',
  };
}
