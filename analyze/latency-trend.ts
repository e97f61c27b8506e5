/**
 * "Slow endpoint with a P95 that grows over the run": the median interval P95 of the last third of
 * the run against the first third. Medians, not single points, so one slow second is not a trend.
 */
import type { EndpointPoint } from '../src/report/run-info.js';
import { PERCENTILES, type HistoryPoint } from '../src/stats/types.js';

export const TREND_MIN_POINTS = 5;
/** Growth counts when the last third's median is at least this many times the first third's… */
export const TREND_MIN_RATIO = 1.5;
/** …and higher by at least this much (localhost runs jitter by a millisecond or two). */
export const TREND_MIN_DELTA_MS = 5;

export interface LatencyTrend {
  /** "Aggregated" or "METHOD name". */
  key: string;
  firstMs: number;
  lastMs: number;
  /** Seconds since the first history point, of the first and last thirds. */
  firstSpan: [number, number];
  lastSpan: [number, number];
  usersFirst: number | null;
  usersLast: number | null;
  points: number;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

interface TimedValue {
  timestamp: number;
  value: number;
}

/** Growth of a series, or null when there is none by the thresholds above. */
export function p95Trend(key: string, series: readonly TimedValue[], originSec: number, usersAt: (t: number) => number | null): LatencyTrend | null {
  if (series.length < TREND_MIN_POINTS) return null;
  const third = Math.floor(series.length / 3);
  const first = series.slice(0, third);
  const last = series.slice(-third);
  const firstMs = median(first.map((p) => p.value));
  const lastMs = median(last.map((p) => p.value));
  if (lastMs < firstMs * TREND_MIN_RATIO || lastMs - firstMs < TREND_MIN_DELTA_MS) return null;
  const span = (pts: TimedValue[]): [number, number] => [
    (pts[0]?.timestamp ?? originSec) - originSec, (pts.at(-1)?.timestamp ?? originSec) - originSec,
  ];
  return {
    key, firstMs, lastMs, firstSpan: span(first), lastSpan: span(last),
    usersFirst: usersAt(first[0]?.timestamp ?? originSec), usersLast: usersAt(last.at(-1)?.timestamp ?? originSec), points: series.length,
  };
}

const P95 = PERCENTILES.indexOf(0.95);

/**
 * Trends of every endpoint timeline when there are any (brood's JSON, or --csv-full-history), else
 * of the Aggregated timeline; largest growth first.
 */
export function latencyTrends(history: readonly HistoryPoint[], endpoints: Readonly<Record<string, readonly EndpointPoint[]>>): LatencyTrend[] {
  const origin = history[0]?.timestamp ?? 0;
  const users = new Map(history.map((p) => [p.timestamp, p.userCount]));
  const usersAt = (t: number): number | null => users.get(t) ?? null;
  const keys = Object.keys(endpoints);
  const trends: Array<LatencyTrend | null> = [];
  if (keys.length > 0) {
    const start = Math.min(origin || Infinity, ...keys.flatMap((k) => endpoints[k]?.map((p) => p.timestamp) ?? []));
    for (const key of keys) {
      const series = (endpoints[key] ?? []).flatMap((p) => (p.p95Ms === null ? [] : [{ timestamp: p.timestamp, value: p.p95Ms }]));
      trends.push(p95Trend(key, series, start, usersAt));
    }
  } else {
    const series = history.flatMap((p) => {
      const v = p.intervalPercentilesMs[P95];
      return v === null || v === undefined ? [] : [{ timestamp: p.timestamp, value: v }];
    });
    trends.push(p95Trend('Aggregated', series, origin, usersAt));
  }
  return trends.filter((t): t is LatencyTrend => t !== null).sort((a, b) => b.lastMs / b.firstMs - a.lastMs / a.firstMs);
}
