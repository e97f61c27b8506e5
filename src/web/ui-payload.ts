/**
 * What the live page reads: the JSON of `GET api/config`, `GET api/state` and each `update` event
 * of the `GET api/live` Server-Sent Events stream. The page (assets/app.js) is written against
 * these shapes; the Locust-compatible endpoints (locust-api.ts) have their own, Locust's.
 */
import type { MetricSummary } from '../stats/types.js';

/** Locust's run states, plus brood's `stopping` (users winding down within --stop-timeout). */
export type UiState = 'ready' | 'spawning' | 'running' | 'stopping' | 'stopped';

/** `GET api/config`: what the start form is prefilled with and what it offers. */
export interface UiConfig {
  version: string;
  /** The test file or scenario the page runs (the page's title). */
  title: string;
  /** -H, or the first class's own host, or '' (the built-in demo server). */
  host: string;
  users: number;
  spawnRate: number;
  /** As typed (e.g. "10m"), or '' for no limit. */
  runTime: string;
  classes: UiClass[];
  /** 'none' first, then the shapes the form may pick (the command line's, step, spike). */
  shapes: string[];
  /** The command line's shape, or 'none'. */
  shape: string;
  /** An open-model run (--target-rate): users are not steered, the rate is the file's. */
  openModel: boolean;
  distributed: boolean;
}

export interface UiClass {
  name: string;
  weight: number;
  /** Picked on the command line (positional class names), or every class when none were named. */
  selected: boolean;
}

/** One row of the Statistics tab: Locust's /stats/requests fields, plus the p95 the UI shows. */
export interface UiStatsRow {
  method: string;
  name: string;
  num_requests: number;
  num_failures: number;
  avg_response_time: number;
  min_response_time: number;
  max_response_time: number;
  median_response_time: number | null;
  ninetieth_response_time: number | null;
  ninety_fifth_response_time: number | null;
  ninety_ninth_response_time: number | null;
  avg_content_length: number;
  current_rps: number;
  current_fail_per_sec: number;
}

/** One second of a chart: the run's total, or one endpoint's (users only on the total). */
export interface UiPoint {
  /** Unix seconds. */
  t: number;
  rps: number;
  failPerSec: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  users?: number;
}

export interface UiFailure {
  method: string;
  name: string;
  error: string;
  occurrences: number;
}

export interface UiException {
  count: number;
  msg: string;
  traceback: string;
  nodes: string;
}

/** A custom metric's figures (its sum is left out: the page shows count, mean and percentiles). */
export type UiMetric = Omit<MetricSummary, 'sum'>;

export interface UiWorker {
  id: string;
  host: string;
  users: number;
  cpuPercent: number;
  /** Seconds since the master last heard from it. */
  lastHeardSec: number;
  lost: boolean;
}

export interface UiTarget {
  /** e.g. "p95 of Aggregated < 500 ms". */
  label: string;
  /** The measured value, as text with its unit, or '' when nothing to judge yet. */
  actual: string;
  passed: boolean;
}

/** Locust's /tasks ratio: per class { ratio, tasks: { name: { ratio } } }, and the total over classes. */
export interface UiRatio {
  per_class: Record<string, UiClassRatio>;
  total: Record<string, UiClassRatio>;
}

export interface UiClassRatio {
  ratio: number;
  tasks: Record<string, { ratio: number; tasks?: Record<string, { ratio: number }> }>;
}

export interface UiDownload {
  label: string;
  /** Relative to the page (no leading slash), so a --web-base-path proxy keeps working. */
  href: string;
}

/**
 * One update: the whole current state, with the time series and log as a delta. With `reset` the
 * series and log hold everything (first message, a new run, or a history that was thinned) and the
 * page replaces what it has; otherwise it appends.
 */
export interface UiUpdate {
  /** 0 before the first run; each run started from the page or --autostart counts up. */
  run: number;
  state: UiState;
  /** One line about the last thing that happened ("Run 2 ended: run time limit reached"). */
  message: string;
  elapsedSec: number;
  /** Null without a run time limit. */
  remainingSec: number | null;
  userCount: number;
  /** The users and rate the ramp is heading to (null: a shape or the open model decides). */
  targetUsers: number | null;
  spawnRate: number | null;
  host: string;
  /** Entries sorted by method and name, then the Aggregated row (name "Aggregated", method ""). */
  stats: UiStatsRow[];
  failures: UiFailure[];
  exceptions: UiException[];
  metrics: UiMetric[];
  ratio: UiRatio;
  /** Null unless the run is distributed (--master). */
  workers: UiWorker[] | null;
  targets: UiTarget[];
  downloads: UiDownload[];
  /** The finished run's HTML report (relative href), once it is written; null before. */
  report: string | null;
  reset: boolean;
  history: { total: UiPoint[]; endpoints: Record<string, UiPoint[]> };
  logs: string[];
}
