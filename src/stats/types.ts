/**
 * The data shapes that cross module boundaries: what the HTTP client records into,
 * what report writers read, what worker threads send and what analyze/ loads.
 * Plain JSON only (rule 9): histograms travel as compressed base64 strings.
 */

/** Locust's percentile columns, in order (50%,66%,…,99.99%,100%); defined in core (target checks read them). */
export { PERCENTILES } from '../core/percentiles.js';
/** Column labels matching PERCENTILES, exactly as Locust prints them. */
export const PERCENTILE_LABELS = ['50%', '66%', '75%', '80%', '90%', '95%', '98%', '99%', '99.9%', '99.99%', '100%'] as const;

/** Name of the total row, as in Locust. Its method (Type column) is the empty string. */
export const AGGREGATED_NAME = 'Aggregated';

/** Everything a report needs about one (method, name) entry or the Aggregated row, at one moment. */
export interface EntrySummary {
  method: string;
  name: string;
  numRequests: number;
  numFailures: number;
  /** Sum of exact response times in milliseconds (not histogram-rounded). */
  totalResponseTimeMs: number;
  minResponseTimeMs: number | null;
  maxResponseTimeMs: number | null;
  totalContentLength: number;
  /** Values in ms aligned with PERCENTILES; null when there are no requests. 100% is the exact max. */
  percentilesMs: Array<number | null>;
  /** Epoch ms of the first and last recorded request (null when none). */
  firstRequestWallMs: number | null;
  lastRequestWallMs: number | null;
  /** Requests and failures per second over the recent window (Locust's "current" rates). */
  currentRps: number;
  currentFailPerSec: number;
  /** Responses per HTTP status code ("0": no response), for rows that record one (HTTP); absent otherwise and in history points. */
  statusCodes?: Readonly<Record<string, number>>;
  /** Request body bytes sent; absent before the first request and where the producer did not keep them (CSV files). */
  requestBytes?: number;
  /** Epoch ms when the first and the last request were sent; absent as requestBytes. */
  firstStartWallMs?: number;
  lastStartWallMs?: number;
}

/**
 * One entry's response times as bucket counts (what brood's Prometheus and OTLP exporters send),
 * read from the live histograms without encoding them.
 */
export interface EntryResponseTimes {
  method: string;
  name: string;
  numRequests: number;
  totalResponseTimeMs: number;
  minResponseTimeMs: number | null;
  maxResponseTimeMs: number | null;
  /** Requests at or below each limit asked for (µs, ascending), cumulative, as HDR resolves them. */
  atOrBelow: number[];
}

/** Every entry's response times at one moment, since the run's start or its last stats reset. */
export interface ResponseTimes {
  startWallMs: number;
  takenWallMs: number;
  entries: EntryResponseTimes[];
}

/** One (method, name) entry, serialisable. */
export interface EntrySnapshot {
  method: string;
  name: string;
  numRequests: number;
  numFailures: number;
  totalResponseTimeMs: number;
  minResponseTimeMs: number | null;
  maxResponseTimeMs: number | null;
  totalContentLength: number;
  firstRequestWallMs: number | null;
  lastRequestWallMs: number | null;
  /** HDR histogram of response times in integer microseconds, compressed base64. */
  histogram: string;
  /** Per-second counts of the recent seconds (for current rates after a merge); absent in older files. */
  recent?: RecentCounts;
  /** Responses per HTTP status code; absent for rows without statuses and in older files. */
  statusCodes?: Record<string, number>;
  /** Request body bytes and first/last send times (epoch ms); absent when empty and in older files. */
  requestBytes?: number;
  firstStartWallMs?: number;
  lastStartWallMs?: number;
}

/**
 * A failure group as the reports show it. Its times are null only in a report rebuilt from
 * Locust ≤ 2.43's CSVs, which record none: shown as unknown, never as a made-up time.
 */
export interface FailureRow {
  method: string;
  name: string;
  error: string;
  occurrences: number;
  firstSeenWallMs: number | null;
  lastSeenWallMs: number | null;
}

/** A failure group as brood records it: always with its times. */
export interface FailureSnapshot extends FailureRow {
  firstSeenWallMs: number;
  lastSeenWallMs: number;
}

export interface ExceptionSnapshot {
  message: string;
  traceback: string;
  count: number;
  /** Where it happened: "local" or worker ids. */
  nodes: string[];
}

/** A custom metric recorded by tasks with `this.metric(name, value)`. */
export interface MetricSnapshot {
  name: string;
  count: number;
  sum: number;
  min: number | null;
  max: number | null;
  /** HDR histogram of round(value * 1000) for non-negative values, compressed base64. */
  histogram: string;
}

export interface MetricSummary {
  name: string;
  count: number;
  sum: number;
  mean: number | null;
  min: number | null;
  max: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface StatsSnapshot {
  version: 1;
  startWallMs: number;
  takenWallMs: number;
  entries: EntrySnapshot[];
  aggregated: EntrySnapshot;
  failures: FailureSnapshot[];
  exceptions: ExceptionSnapshot[];
  metrics: MetricSnapshot[];
}

/**
 * One row of the time series (stats_history and the JSON/HTML timeline): the state at the end
 * of one history interval. Percentiles are over the requests completed in that interval only.
 */
export interface HistoryPoint {
  /** Integer Unix seconds, as Locust writes them. */
  timestamp: number;
  userCount: number;
  /** Requests and failures per second completed during this interval. */
  rps: number;
  failPerSec: number;
  /** Interval percentiles (ms) aligned with PERCENTILES; null when no request completed in the interval. */
  intervalPercentilesMs: Array<number | null>;
  /** Cumulative totals (the "Total …" columns). */
  total: EntrySummary;
  /**
   * The generator's own load during this interval (Aggregated rows of a run with self-monitoring;
   * absent otherwise): process CPU as a fraction of one core, event-loop delay p99 in ms, and whether
   * either crossed its threshold (90 % CPU, 50 ms), in which case the interval's latencies include
   * brood's own queueing and are not the server's.
   */
  generatorCpu?: number;
  loopDelayP99Ms?: number;
  generatorOverloaded?: boolean;
}

/**
 * Per-second request and failure counts of the last few seconds (aligned arrays, Unix seconds ascending),
 * so that a registry merging snapshots from workers computes the same "current" rates as one process.
 */
export interface RecentCounts {
  seconds: number[];
  requests: number[];
  failures: number[];
}
