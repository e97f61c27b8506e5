/**
 * Locust 2.x's web API answers (GET /stats/requests, /exceptions), with Locust's paths, field
 * names and JSON shapes, so clients written for Locust (exporters, scripts, dashboards) read brood
 * unchanged. The numbers are brood's: HDR-exact percentiles, not Locust's rounded ones.
 */
import type { JobLiveView } from '../runner/job/job-live.js';
import type { EntrySummary } from '../stats/types.js';
import type { UiState, UiStatsRow } from './ui-payload.js';

/** Locust truncates its tables at 500 rows (the Aggregated row always kept): a page of 10 000 rows helps nobody. */
const MAX_ROWS = 500;

/** PERCENTILES indices of the 50th, 90th, 95th and 99th. */
const P50 = 0;
const P90 = 4;
const P95 = 5;
const P99 = 7;

export interface LocustStatsRow extends UiStatsRow {
  /** Locust sends the name HTML-escaped as well, for templates that insert it as markup. */
  safe_name: string;
}

export interface LocustErrorRow {
  method: string;
  name: string;
  error: string;
  occurrences: number;
}

export interface LocustStatsReport {
  stats: LocustStatsRow[];
  errors: LocustErrorRow[];
  total_rps: number;
  total_fail_per_sec: number;
  fail_ratio: number;
  total_avg_response_time: number;
  current_response_time_percentiles: Record<string, number | null>;
  state: UiState;
  user_count: number;
  workers?: Array<{ id: string; state: string; user_count: number; cpu_usage: number; memory_usage: number }>;
}

/** One entry (or the Aggregated row) with Locust's field names; ms as exact as brood measured them. */
export function statsRow(e: EntrySummary): UiStatsRow {
  const n = e.numRequests;
  const q = e.percentilesMs;
  return {
    method: e.method,
    name: e.name,
    num_requests: n,
    num_failures: e.numFailures,
    avg_response_time: n === 0 ? 0 : e.totalResponseTimeMs / n,
    min_response_time: e.minResponseTimeMs ?? 0,
    max_response_time: e.maxResponseTimeMs ?? 0,
    median_response_time: q[P50] ?? null,
    ninetieth_response_time: q[P90] ?? null,
    ninety_fifth_response_time: q[P95] ?? null,
    ninety_ninth_response_time: q[P99] ?? null,
    avg_content_length: n === 0 ? 0 : e.totalContentLength / n,
    current_rps: e.currentRps,
    current_fail_per_sec: e.currentFailPerSec,
  };
}

/** The entries (sorted as Locust sorts them), at most 500, then the Aggregated row. */
export function statsRows(view: JobLiveView | null): UiStatsRow[] {
  if (view === null) return [];
  const { entries, aggregated } = view.summaries;
  return [...entries.slice(0, MAX_ROWS).map(statsRow), statsRow(aggregated)];
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** GET /stats/requests. */
export function locustStatsReport(view: JobLiveView | null, state: UiState): LocustStatsReport {
  const rows = statsRows(view).map((r) => ({ ...r, safe_name: escapeHtml(r.name) }));
  const total = rows.at(-1);
  // Locust's "current" percentiles are over the last seconds: brood's last history interval.
  const last = view?.timeline.at(-1) ?? null;
  const report: LocustStatsReport = {
    stats: rows,
    errors: (view?.failures ?? []).slice(0, MAX_ROWS).map((f) => ({ method: f.method, name: f.name, error: f.error, occurrences: f.occurrences })),
    total_rps: total?.current_rps ?? 0,
    total_fail_per_sec: total?.current_fail_per_sec ?? 0,
    fail_ratio: total === undefined || total.num_requests === 0 ? 0 : total.num_failures / total.num_requests,
    total_avg_response_time: total?.avg_response_time ?? 0,
    current_response_time_percentiles: {
      'response_time_percentile_0.5': last?.intervalPercentilesMs[P50] ?? null,
      'response_time_percentile_0.95': last?.intervalPercentilesMs[P95] ?? null,
    },
    state,
    user_count: view?.userCount ?? 0,
  };
  if (view?.workers) {
    report.workers = view.workers.map((w) => ({ id: w.id, state: w.lost ? 'missing' : state, user_count: w.users, cpu_usage: w.cpuPercent, memory_usage: 0 }));
  }
  return report;
}

/** GET /exceptions: Locust's { exceptions: [{ count, msg, traceback, nodes }] } (text, not markup: the page renders it as text). */
export function locustExceptions(view: JobLiveView | null): { exceptions: Array<{ count: number; msg: string; traceback: string; nodes: string }> } {
  return {
    exceptions: (view?.exceptions ?? []).map((e) => ({ count: e.count, msg: e.message, traceback: e.traceback, nodes: e.nodes.join(', ') })),
  };
}
