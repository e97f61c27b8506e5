/**
 * Error and latency changes aligned with user-count steps (step shapes, ramps): the history is cut
 * into levels of constant user count and each level's error rate comes from the cumulative totals
 * (failures added ÷ requests added during the level), so it is exact whatever the interval rates say.
 */
import { PERCENTILES, type HistoryPoint } from '../src/stats/types.js';
import { median } from './latency-trend.js';

/** A level counts only with this many requests and intervals: one second of a ramp says little. */
export const LEVEL_MIN_REQUESTS = 20;
export const LEVEL_MIN_POINTS = 2;
/** Error rate of a level from which errors count as a spike (the seed's "high error rate"). */
export const SPIKE_ERROR_RATE = 0.05;
/** Latency step: a level's median P95 at least this many times the previous level's, and this much higher. */
export const STEP_LATENCY_RATIO = 2;
export const STEP_LATENCY_MIN_DELTA_MS = 5;

export interface LoadLevel {
  users: number;
  /** Seconds since the first history point. */
  fromSec: number;
  toSec: number;
  requests: number;
  failures: number;
  errorRate: number;
  /** Median of the level's interval P95s; null when none. */
  p95Ms: number | null;
}

const P95 = PERCENTILES.indexOf(0.95);

export function loadLevels(history: readonly HistoryPoint[]): LoadLevel[] {
  const origin = history[0]?.timestamp ?? 0;
  const levels: LoadLevel[] = [];
  let i = 0;
  while (i < history.length) {
    const users = history[i]?.userCount ?? 0;
    let j = i;
    while (j + 1 < history.length && history[j + 1]?.userCount === users) j++;
    const before = i > 0 ? history[i - 1]?.total : undefined;
    const last = history[j]?.total;
    const points = history.slice(i, j + 1);
    const requests = (last?.numRequests ?? 0) - (before?.numRequests ?? 0);
    const failures = (last?.numFailures ?? 0) - (before?.numFailures ?? 0);
    const p95s = points.flatMap((p) => (p.intervalPercentilesMs[P95] ?? null) === null ? [] : [p.intervalPercentilesMs[P95] as number]);
    if (points.length >= LEVEL_MIN_POINTS && requests >= LEVEL_MIN_REQUESTS && users > 0) {
      levels.push({
        users, fromSec: (history[i]?.timestamp ?? origin) - origin, toSec: (history[j]?.timestamp ?? origin) - origin,
        requests, failures, errorRate: failures / requests, p95Ms: p95s.length > 0 ? median(p95s) : null,
      });
    }
    i = j + 1;
  }
  return levels;
}

export interface LevelChange {
  before: LoadLevel;
  at: LoadLevel;
}

/** The first level whose error rate reaches SPIKE_ERROR_RATE after a level below it. */
export function errorStep(levels: readonly LoadLevel[]): LevelChange | null {
  for (let k = 1; k < levels.length; k++) {
    const before = levels[k - 1];
    const at = levels[k];
    if (before && at && at.users > before.users && before.errorRate < SPIKE_ERROR_RATE && at.errorRate >= SPIKE_ERROR_RATE) return { before, at };
  }
  return null;
}

/** The first level whose median P95 jumps by STEP_LATENCY_RATIO over the previous level's. */
export function latencyStep(levels: readonly LoadLevel[]): LevelChange | null {
  for (let k = 1; k < levels.length; k++) {
    const before = levels[k - 1];
    const at = levels[k];
    if (!before || !at || before.p95Ms === null || at.p95Ms === null || at.users <= before.users) continue;
    if (at.p95Ms >= before.p95Ms * STEP_LATENCY_RATIO && at.p95Ms - before.p95Ms >= STEP_LATENCY_MIN_DELTA_MS) return { before, at };
  }
  return null;
}
