/**
 * Values derived from an EntrySummary with Locust's semantics, shared by every writer so the CSV,
 * console, JSON and HTML reports can never disagree.
 */
import { PERCENTILES, type EntrySummary } from '../stats/types.js';

export type Percentile = (typeof PERCENTILES)[number];

/** The entry's value (ms) at one of Locust's percentiles; null when there were no requests. */
export function percentileMs(entry: EntrySummary, p: Percentile): number | null {
  if (entry.numRequests === 0) return null;
  return entry.percentilesMs[PERCENTILES.indexOf(p)] ?? null;
}

/** Mean response time in ms; 0 without requests (Locust divides by max(n, 1)). */
export function avgResponseTimeMs(entry: EntrySummary): number {
  return entry.totalResponseTimeMs / Math.max(entry.numRequests, 1);
}

export function avgContentSize(entry: EntrySummary): number {
  return entry.numRequests === 0 ? 0 : entry.totalContentLength / entry.numRequests;
}

/** Failures as a fraction of requests, 0..1. */
export function failRatio(entry: EntrySummary): number {
  return entry.numRequests === 0 ? 0 : entry.numFailures / entry.numRequests;
}

/**
 * The denominator of Locust's total Requests/s and Failures/s: seconds from the run start to the
 * last request of the whole run (the Aggregated row's), the same for every row. 0 = no rate yet.
 */
export function rateWindowSecs(aggregated: EntrySummary, startWallMs: number): number {
  if (aggregated.lastRequestWallMs === null) return 0;
  return Math.max(0, (aggregated.lastRequestWallMs - startWallMs) / 1000);
}

/**
 * Seconds a throughput target (rps, requests_per_minute) divides its requests by: the Requests/s
 * column's window (rateWindowSecs), so a target never disagrees with the rate every report shows
 * beside it. The run's span (`spanSecs`) includes the stop after the last request (a WebSocket
 * run's ~0.1 s of closing): a 3 s run read "Messages sent >= 91.83 req/s: 91.83 FAIL" while its
 * rows summed to 93.70 req/s. The span stands in when there is no last request (nothing was sent).
 */
export function rateTargetSecs(aggregated: EntrySummary, startWallMs: number, spanSecs: number): number {
  const window = rateWindowSecs(aggregated, startWallMs);
  return window > 0 ? window : spanSecs;
}

export function totalRps(entry: EntrySummary, windowSecs: number): number {
  return windowSecs > 0 ? entry.numRequests / windowSecs : 0;
}

export function totalFailPerSec(entry: EntrySummary, windowSecs: number): number {
  return windowSecs > 0 ? entry.numFailures / windowSecs : 0;
}

/** Code-point comparison, as Python sorts strings (localeCompare would depend on the machine). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Locust's row order: by (name, method). Returns a new array. */
export function sortEntries<T extends { name: string; method: string }>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => compareText(a.name, b.name) || compareText(a.method, b.method));
}

/** "GET /recall": how a (method, name) entry is named in JSON and text reports. */
export function entryLabel(entry: { method: string; name: string }): string {
  return entry.method === '' ? entry.name : `${entry.method} ${entry.name}`;
}
