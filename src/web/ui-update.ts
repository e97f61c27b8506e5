/**
 * The live page's update (ui-payload.ts) from a run's live view: the whole current state, with
 * the time series and log sent as what each page has not seen yet (a cursor per page), so a page
 * open for an hour costs one point per series per second, not the hour again.
 */
import { targetFigures, targetScope } from '../report/target-format.js';
import type { JobLiveView } from '../runner/job/job-live.js';
import type { EndpointPoint } from '../report/run-info.js';
import type { HistoryPoint } from '../stats/types.js';
import { locustExceptions, statsRows } from './locust-api.js';
import { taskRatio, type RatioClass } from './task-ratio.js';
import type { UiDownload, UiPoint, UiState, UiTarget, UiUpdate } from './ui-payload.js';

/** What one page has been sent so far. */
export interface PageCursor {
  run: number;
  total: number;
  endpoints: Map<string, number>;
  /** Log lines sent, counted from the run's first. */
  log: number;
  /** Endpoints whose history this page has not been sent yet (they follow in the next updates). */
  pending: boolean;
}

export function newCursor(): PageCursor {
  return { run: -1, total: 0, endpoints: new Map(), log: 0, pending: false };
}

/** The run the page is shown, as the controller holds it (null fields before the first run). */
export interface UiRunState {
  run: number;
  state: UiState;
  message: string;
  host: string;
  view: JobLiveView | null;
  classes: readonly RatioClass[];
  /** The run's log lines kept (the last ones) and how many came before them. */
  log: { lines: readonly string[]; dropped: number };
  /** The finished run's HTML report exists on disk. */
  reportWritten: boolean;
}

const DOWNLOADS: readonly UiDownload[] = [
  { label: 'Statistics (CSV)', href: 'stats/requests/csv' },
  { label: 'Statistics history (CSV)', href: 'stats/requests_full_history/csv' },
  { label: 'Failures (CSV)', href: 'stats/failures/csv' },
  { label: 'Exceptions (CSV)', href: 'exceptions/csv' },
  { label: 'JSON report', href: 'stats/report.json' },
  { label: 'HTML report', href: 'stats/report?download=1' },
];

/** The update for one page, moving its cursor past what it now has. */
export function uiUpdate(s: UiRunState, cursor: PageCursor): UiUpdate {
  const v = s.view;
  const reset = cursor.run !== s.run || v === null || v.timeline.length < cursor.total || cursor.log < s.log.dropped;
  if (reset) {
    cursor.run = s.run;
    cursor.total = 0;
    cursor.endpoints.clear();
    cursor.log = s.log.dropped;
  }
  const history = { total: v === null ? [] : totalPoints(v.timeline, cursor), endpoints: v === null ? {} : endpointPoints(v.endpointHistory, cursor) };
  const logs = s.log.lines.slice(cursor.log - s.log.dropped);
  cursor.log = s.log.dropped + s.log.lines.length;
  return {
    run: s.run,
    state: s.state,
    message: s.message,
    elapsedSec: v?.elapsedSec ?? 0,
    remainingSec: v === null || v.runTimeSec === null ? null : Math.max(0, v.runTimeSec - v.elapsedSec),
    userCount: v?.userCount ?? 0,
    targetUsers: v?.target?.users ?? null,
    spawnRate: v?.target?.spawnRate ?? null,
    host: s.host,
    stats: statsRows(v),
    failures: (v?.failures ?? []).slice(0, 500).map((f) => ({ method: f.method, name: f.name, error: f.error, occurrences: f.occurrences })),
    exceptions: locustExceptions(v).exceptions,
    metrics: (v?.metrics ?? []).map((m) => ({ name: m.name, count: m.count, mean: m.mean, min: m.min, max: m.max, p50: m.p50, p95: m.p95, p99: m.p99 })),
    ratio: taskRatio(s.classes, v?.classCounts ?? {}),
    workers: v?.workers?.map((w) => ({ id: w.id, host: w.host, users: w.users, cpuPercent: w.cpuPercent, lastHeardSec: Math.round(w.sinceHeardMs / 100) / 10, lost: w.lost })) ?? null,
    targets: (v?.targets ?? []).map(uiTarget),
    downloads: v === null ? [] : [...DOWNLOADS],
    report: s.reportWritten ? 'stats/report' : null,
    reset,
    history,
    logs,
  };
}

function uiTarget(t: JobLiveView['targets'][number]): UiTarget {
  const figures = targetFigures(t);
  return {
    label: `${t.label} of ${targetScope(t)} ${figures.threshold}`,
    actual: t.measured === null ? '' : figures.measured,
    passed: t.met,
  };
}

function totalPoints(timeline: readonly HistoryPoint[], cursor: PageCursor): UiPoint[] {
  const out: UiPoint[] = [];
  for (let i = cursor.total; i < timeline.length; i++) {
    const p = timeline[i] as HistoryPoint;
    const q = p.intervalPercentilesMs;
    out.push({ t: p.timestamp, rps: p.rps, failPerSec: p.failPerSec, p50: q[0] ?? null, p95: q[5] ?? null, p99: q[7] ?? null, users: p.userCount });
  }
  cursor.total = timeline.length;
  return out;
}

/**
 * A page meets an endpoint's history once (its first update, a new endpoint) thinned to at most
 * this many points, and at most NEW_ENDPOINTS_PER_UPDATE endpoints at a time: the rest follow in
 * the next updates (sent at once, one event-loop turn apart). 200 endpoints × 600 points in one
 * message would be megabytes built in one go on the load's own event loop.
 */
const ENDPOINT_POINTS_ON_RESET = 120;
const NEW_ENDPOINTS_PER_UPDATE = 25;

/** Each endpoint's new points; an endpoint the page has not seen comes whole (thinned), a few per update. */
function endpointPoints(history: Record<string, EndpointPoint[]>, cursor: PageCursor): Record<string, UiPoint[]> {
  const out: Record<string, UiPoint[]> = {};
  let fresh = 0;
  cursor.pending = false;
  for (const [key, series] of Object.entries(history)) {
    const sent = cursor.endpoints.get(key);
    if (sent === undefined) {
      if (fresh === NEW_ENDPOINTS_PER_UPDATE) {
        cursor.pending = true;
        continue;
      }
      fresh++;
      out[key] = thinned(series, ENDPOINT_POINTS_ON_RESET).map(uiPoint);
      cursor.endpoints.set(key, series.length);
      continue;
    }
    // Thinned since (every other point merged): the page keeps what it has and goes on from here.
    const from = Math.min(sent, series.length);
    cursor.endpoints.set(key, series.length);
    if (from === series.length) continue;
    out[key] = series.slice(from).map(uiPoint);
  }
  return out;
}

function uiPoint(p: EndpointPoint): UiPoint {
  return { t: p.timestamp, rps: p.rps, failPerSec: p.failPerSec, p50: p.p50Ms, p95: p.p95Ms, p99: p.p99Ms };
}

/** At most `max` points: neighbours merged as the reports merge them (mean rates, worst latencies). */
export function thinned(series: readonly EndpointPoint[], max: number): EndpointPoint[] {
  if (series.length <= max) return [...series];
  const stride = Math.ceil(series.length / max);
  const out: EndpointPoint[] = [];
  for (let i = 0; i < series.length; i += stride) {
    const group = series.slice(i, i + stride);
    const worst = (pick: (p: EndpointPoint) => number | null): number | null => {
      const values = group.map(pick).filter((v): v is number => v !== null);
      return values.length === 0 ? null : Math.max(...values);
    };
    out.push({
      timestamp: (group.at(-1) as EndpointPoint).timestamp,
      rps: group.reduce((n, p) => n + p.rps, 0) / group.length,
      failPerSec: group.reduce((n, p) => n + p.failPerSec, 0) / group.length,
      p50Ms: worst((p) => p.p50Ms),
      p95Ms: worst((p) => p.p95Ms),
      p99Ms: worst((p) => p.p99Ms),
    });
  }
  return out;
}
