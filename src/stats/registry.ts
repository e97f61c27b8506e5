import { performance } from 'node:perf_hooks';
import { compareStrings } from './compare-strings.js';
import { StatsEntry } from './entry.js';
import { Exceptions, DEFAULT_MAX_EXCEPTION_GROUPS } from './exceptions.js';
import { Failures, DEFAULT_MAX_FAILURE_GROUPS } from './failures.js';
import { LatencyHistogram } from './histogram.js';
import { Metrics, DEFAULT_MAX_METRIC_NAMES } from './metrics.js';
import {
  AGGREGATED_NAME,
  type EntrySummary,
  type ExceptionSnapshot,
  type FailureSnapshot,
  type HistoryPoint,
  type MetricSummary,
  type ResponseTimes,
  type StatsSnapshot,
} from './types.js';

export interface StatsRegistryOptions {
  /** Run start (epoch ms); defaults to `now()` at construction. */
  startWallMs?: number;
  maxFailureGroups?: number;
  maxExceptionGroups?: number;
  maxMetricNames?: number;
  /** Distinct (method, name) entries; past it new names are counted under OTHER_ENTRIES_NAME. */
  maxEntries?: number;
}

export const DEFAULT_MAX_ENTRIES = 1000;
/** Name of the entry (one per method) that collects new names once the entry limit is reached. */
export const OTHER_ENTRIES_NAME = 'other (distinct name limit reached: use name= for URLs with ids)';

export interface StatsSummaries {
  /** One per (method, name), sorted by (name, method) like Locust. */
  entries: EntrySummary[];
  aggregated: EntrySummary;
}

export interface IntervalRows {
  aggregated: HistoryPoint;
  /** One per (method, name), sorted by (name, method). */
  entries: HistoryPoint[];
  /** Each custom metric recorded in this interval (its values in it alone), sorted by name. */
  metrics: MetricSummary[];
}

/**
 * All statistics of one run (or one worker): per (method, name) entries in nested Maps, the Aggregated
 * entry (its own histogram over every request, not a sum of rows), failures, exceptions, custom metrics.
 *
 * Multi-process: a worker sends `snapshot()` and then calls `reset()`; the main registry
 * `mergeSnapshot()`s each one, which gives exactly what one registry recording every request would hold.
 */
export class StatsRegistry {
  private readonly now: () => number;
  /** The run's start, or the moment of a --reset-stats: what rates are counted from. */
  private start: number;
  private lastRollWallMs: number;
  private readonly byMethod = new Map<string, Map<string, StatsEntry>>();
  private entryCount = 0;
  /** Summaries combine histograms here; all entries share it (used synchronously only). */
  private readonly scratch = new LatencyHistogram();
  private readonly aggregated: StatsEntry;
  private readonly failureGroups: Failures;
  private readonly exceptionGroups: Exceptions;
  private readonly metrics: Metrics;
  /** The same metrics for the current history interval only (the over-time charts). */
  private readonly intervalMetrics: Metrics;
  private readonly maxEntries: number;
  /**
   * Epoch ms minus performance.now(): a session hands over the reading that timed its request's end,
   * and its wall time is that plus this offset (one clock reading fewer per request, ~1.5 % of the
   * CPU per request at zero think time, bench/RESULTS.md). Re-read at each interval roll, snapshot
   * and reset, so a step of the system clock is followed within a second, as Date.now() would.
   */
  private wallOffsetMs = 0;

  /** @param now wall clock in epoch ms, read at most once per recorded request (inject a fake in tests). */
  constructor(now: () => number, options: StatsRegistryOptions = {}) {
    this.now = now;
    this.start = options.startWallMs ?? now();
    this.lastRollWallMs = this.start;
    this.aggregated = new StatsEntry('', AGGREGATED_NAME, this.start, this.scratch);
    this.failureGroups = new Failures(options.maxFailureGroups ?? DEFAULT_MAX_FAILURE_GROUPS);
    this.exceptionGroups = new Exceptions(options.maxExceptionGroups ?? DEFAULT_MAX_EXCEPTION_GROUPS);
    this.metrics = new Metrics(options.maxMetricNames ?? DEFAULT_MAX_METRIC_NAMES);
    this.intervalMetrics = new Metrics(options.maxMetricNames ?? DEFAULT_MAX_METRIC_NAMES);
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.syncWallOffset();
  }

  private syncWallOffset(): void {
    this.wallOffsetMs = this.now() - performance.now();
  }

  /** Epoch ms now, by the clock the registry dates its requests with. */
  wallNow(): number {
    return this.now();
  }

  get startWallMs(): number {
    return this.start;
  }

  /** Number of (method, name) entries. */
  get size(): number {
    return this.entryCount;
  }

  /**
   * Hot path: two Map lookups, no allocation once the entry exists, and no clock reading when
   * `endMs` (the performance.now() reading at the request's end) is given; NaN: read the wall clock.
   */
  recordSuccess(method: string, name: string, responseTimeMs: number, contentLength: number, status = -1, requestBytes = 0, endMs = Number.NaN): void {
    const wallMs = Number.isNaN(endMs) ? this.now() : endMs + this.wallOffsetMs;
    this.entry(method, name).record(responseTimeMs, contentLength, false, wallMs, status, requestBytes);
    this.aggregated.record(responseTimeMs, contentLength, false, wallMs, status, requestBytes);
  }

  /** A failed request: counted in the request stats (and percentiles) and grouped by error text. */
  recordFailure(method: string, name: string, responseTimeMs: number, contentLength: number, error: string, status = -1, requestBytes = 0, endMs = Number.NaN): void {
    const wallMs = Number.isNaN(endMs) ? this.now() : endMs + this.wallOffsetMs;
    const entry = this.entry(method, name);
    entry.record(responseTimeMs, contentLength, true, wallMs, status, requestBytes);
    this.aggregated.record(responseTimeMs, contentLength, true, wallMs, status, requestBytes);
    this.failureGroups.record(method, entry.name, error, wallMs);
  }

  /**
   * A message sent or received on its own (WebSocket's WSS/WSR rows): its entry counts it and its
   * bytes. It is no request and has no response time, so the Aggregated row (times, counts, rates
   * of requests) leaves it out: a chat test's p95 must be its round trips', not zeros.
   */
  recordMessage(method: string, name: string, bytes: number): void {
    this.entry(method, name).record(0, bytes, false, this.now());
  }

  /** An exception thrown by a task (not a request failure). */
  recordException(error: unknown, node = 'local'): void {
    this.exceptionGroups.record(error, node);
  }

  recordMetric(name: string, value: number): void {
    this.metrics.record(name, value);
    this.intervalMetrics.record(name, value);
  }

  summaries(nowWallMs: number): StatsSummaries {
    return {
      entries: this.sortedEntries().map((e) => e.summary(nowWallMs)),
      aggregated: this.aggregated.summary(nowWallMs),
    };
  }

  /** One row's summary (the Aggregated row when `method` is null), or null when the row has no entry yet. */
  summaryOf(method: string | null, name: string, nowWallMs: number): EntrySummary | null {
    return this.rowOf(method, name)?.summary(nowWallMs) ?? null;
  }

  /** The response time (ms) under which `fraction` of a row's requests fall (Aggregated when `method` is null); null without requests. */
  percentileOf(method: string | null, name: string, fraction: number): number | null {
    return this.rowOf(method, name)?.percentileMs(fraction) ?? null;
  }

  private rowOf(method: string | null, name: string): StatsEntry | undefined {
    return method === null ? this.aggregated : this.byMethod.get(method)?.get(name);
  }

  /**
   * History rows for the interval that just ended (rates over its real duration, percentiles of its
   * requests only, cumulative totals), then starts the next interval. Totals are untouched.
   */
  rollInterval(timestampSec: number, userCount: number): IntervalRows {
    this.syncWallOffset();
    const nowWallMs = this.now();
    const intervalSec = (nowWallMs - this.lastRollWallMs) / 1000;
    this.lastRollWallMs = nowWallMs;
    const metrics = this.intervalMetrics.summaries().filter((m) => m.count > 0);
    this.intervalMetrics.clearValues();
    return {
      entries: this.sortedEntries().map((e) => e.rollInterval(timestampSec, userCount, intervalSec, nowWallMs)),
      aggregated: this.aggregated.rollInterval(timestampSec, userCount, intervalSec, nowWallMs),
      metrics,
    };
  }

  failures(): FailureSnapshot[] {
    return this.failureGroups.toJSON();
  }

  /** Every row's method and name, in the reports' order (the Aggregated row not among them). */
  rowKeys(): Array<{ method: string; name: string }> {
    return this.sortedEntries().map((e) => ({ method: e.method, name: e.name }));
  }

  exceptions(): ExceptionSnapshot[] {
    return this.exceptionGroups.toJSON();
  }

  /** Every metric with values (after a --reset-stats, one recorded only before it has none). */
  metricSummaries(): MetricSummary[] {
    return this.metrics.summaries().filter((m) => m.count > 0);
  }

  /** Values of unknown metric names dropped past the name limit, and non-finite values rejected. */
  metricsDropped(): { droppedValues: number; rejectedValues: number } {
    return { droppedValues: this.metrics.droppedValues, rejectedValues: this.metrics.rejectedValues };
  }

  /** Every entry's response times as bucket counts at `limitsUs` (exporters' scrapes: no histogram is encoded). */
  responseTimes(limitsUs: readonly number[]): ResponseTimes {
    return { startWallMs: this.start, takenWallMs: this.now(), entries: this.sortedEntries().map((e) => e.responseTimes(limitsUs)) };
  }

  /** Everything, as plain JSON (rule 9). */
  snapshot(): StatsSnapshot {
    this.syncWallOffset();
    return {
      version: 1,
      startWallMs: this.start,
      takenWallMs: this.now(),
      entries: this.sortedEntries().map((e) => e.snapshot()),
      aggregated: this.aggregated.snapshot(),
      failures: this.failureGroups.toJSON(),
      exceptions: this.exceptionGroups.toJSON(),
      metrics: this.metrics.toJSON(),
    };
  }

  /** Adds another registry's snapshot as if its requests had been recorded here (also into the current interval). */
  mergeSnapshot(s: StatsSnapshot): void {
    for (const e of s.entries) this.entry(e.method, e.name).mergeSnapshot(e);
    this.aggregated.mergeSnapshot(s.aggregated);
    this.failureGroups.merge(s.failures);
    this.exceptionGroups.merge(s.exceptions);
    this.metrics.merge(s.metrics);
    this.intervalMetrics.merge(s.metrics);
  }

  /**
   * Zeroes every count (a worker after sending its snapshot, or a stats reset). Entries stay, empty,
   * so their histograms are reused rather than reallocated.
   */
  reset(): void {
    this.syncWallOffset();
    for (const byName of this.byMethod.values()) for (const e of byName.values()) e.reset();
    this.aggregated.reset();
    this.failureGroups.reset();
    this.exceptionGroups.reset();
    this.metrics.reset();
    this.intervalMetrics.reset();
  }

  /**
   * Locust's --reset-stats: the totals (requests, percentiles, failures, custom metrics) start again
   * at `atWallMs`, which becomes the start their rates are counted from. Call it right after
   * `rollInterval()`, so the interval just written holds everything before and nothing is lost from
   * the history. Exceptions stay (as in Locust): they are errors in the test to fix, not load figures.
   */
  resetStats(atWallMs: number): void {
    this.start = atWallMs;
    for (const byName of this.byMethod.values()) for (const e of byName.values()) e.reset(atWallMs);
    this.aggregated.reset(atWallMs);
    this.failureGroups.reset();
    // Names stay (the interval metrics share them and the name cap); values start again.
    this.metrics.clearValues();
  }

  /**
   * The run starts now (after its workers and pre-allocated users are ready): rates and the first
   * history interval count from here, as the run's own clock does. Nothing is recorded before it.
   */
  startAt(wallMs: number): void {
    this.resetStats(wallMs);
    this.lastRollWallMs = wallMs;
  }

  private entry(method: string, rawName: string): StatsEntry {
    let byName = this.byMethod.get(method);
    if (byName === undefined) {
      byName = new Map();
      this.byMethod.set(method, byName);
    }
    let entry = byName.get(rawName);
    if (entry === undefined) {
      // Unique URLs without `name` (ids in the path) would otherwise grow one histogram each, forever.
      const name = this.entryCount >= this.maxEntries ? OTHER_ENTRIES_NAME : rawName;
      entry = byName.get(name);
      if (entry !== undefined) return entry;
      entry = new StatsEntry(method, name, this.start, this.scratch);
      byName.set(name, entry);
      this.entryCount++;
    }
    return entry;
  }

  private sortedEntries(): StatsEntry[] {
    const all: StatsEntry[] = [];
    for (const byName of this.byMethod.values()) all.push(...byName.values());
    return all.sort((a, b) => compareStrings(a.name, b.name) || compareStrings(a.method, b.method));
  }
}
