import { StatusCounts } from './status-counts.js';
import { LatencyHistogram } from './histogram.js';
import { RecentCounter } from './recent-counter.js';
import { PERCENTILES, type EntryResponseTimes, type EntrySnapshot, type EntrySummary, type HistoryPoint } from './types.js';

/**
 * Statistics of one (method, name) entry, or of the Aggregated row.
 *
 * Counts, sums, min and max are exact (response times as given, in float ms); percentiles come from an
 * HDR histogram of integer µs. Each request is recorded into ONE histogram, `interval` (requests since
 * the last interval roll); `rollInterval()` folds it into `settled`. The cumulative distribution is
 * settled + interval, combined on demand in a scratch histogram. Recording into a cumulative AND an
 * interval histogram would cost two more HDR records per request (~17 ns each since session 16,
 * bench/stats-histogram.ts; the whole record path is ~100 ns, bench/stats-record.ts), and a second
 * 95 KB histogram per entry; `summary()` stays correct whether or not intervals roll.
 */
export class StatsEntry {
  readonly method: string;
  readonly name: string;
  /** Run start, or the last --reset-stats (epoch ms). */
  private startWallMs: number;

  private requests = 0;
  private failures = 0;
  private totalResponseTimeMs = 0;
  private totalContentLength = 0;
  private minMs = Number.POSITIVE_INFINITY;
  private maxMs = Number.NEGATIVE_INFINITY;
  private firstWallMs = Number.POSITIVE_INFINITY;
  private lastWallMs = Number.NEGATIVE_INFINITY;
  /** When the first and last requests were sent (completion less response time): Vegeta's earliest and latest. */
  private firstStartWallMs = Number.POSITIVE_INFINITY;
  private lastStartWallMs = Number.NEGATIVE_INFINITY;
  /** Request body bytes sent (Vegeta's bytes_out). */
  private totalRequestBytes = 0;

  private readonly settled = new LatencyHistogram();
  private readonly interval = new LatencyHistogram();
  private intervalRequests = 0;
  private intervalFailures = 0;
  private intervalMinMs = Number.POSITIVE_INFINITY;
  private intervalMaxMs = Number.NEGATIVE_INFINITY;

  private readonly recent = new RecentCounter();
  /** Made on the first status recorded: rows that never get one (WebSocket, gRPC, custom) pay nothing. */
  private statuses: StatusCounts | null = null;
  /** Shared with the other entries of a registry (single-threaded, used synchronously only). */
  private readonly scratch: LatencyHistogram;

  /**
   * @param startWallMs run start (epoch ms): "current" rates never count seconds before it.
   * @param scratch a histogram this entry may overwrite while summarising; registries share one.
   */
  constructor(method: string, name: string, startWallMs: number, scratch?: LatencyHistogram) {
    this.method = method;
    this.name = name;
    this.startWallMs = startWallMs;
    this.scratch = scratch ?? new LatencyHistogram();
  }

  /** Rebuilds an entry from a snapshot (for analyze/ and reports). */
  static fromSnapshot(s: EntrySnapshot, startWallMs: number): StatsEntry {
    const entry = new StatsEntry(s.method, s.name, startWallMs);
    entry.mergeSnapshot(s);
    return entry;
  }

  get numRequests(): number {
    return this.requests;
  }

  get numFailures(): number {
    return this.failures;
  }

  /**
   * Hot path, allocation-free. Failed requests count in the request count and the percentiles, as in Locust.
   * @param wallMs epoch ms when the request completed (for first/last request time and current rates)
   * @param status the HTTP status (0: no response); -1 for a row without statuses
   * @param requestBytes the request body's size
   */
  record(responseTimeMs: number, contentLength: number, failed: boolean, wallMs: number, status = -1, requestBytes = 0): void {
    this.requests++;
    this.totalRequestBytes += requestBytes;
    const startWallMs = wallMs - responseTimeMs;
    if (startWallMs < this.firstStartWallMs) this.firstStartWallMs = startWallMs;
    if (startWallMs > this.lastStartWallMs) this.lastStartWallMs = startWallMs;
    if (status >= 0) (this.statuses ??= new StatusCounts()).record(status);
    this.intervalRequests++;
    if (failed) {
      this.failures++;
      this.intervalFailures++;
    }
    this.totalResponseTimeMs += responseTimeMs;
    this.totalContentLength += contentLength;
    if (responseTimeMs < this.minMs) this.minMs = responseTimeMs;
    if (responseTimeMs > this.maxMs) this.maxMs = responseTimeMs;
    if (responseTimeMs < this.intervalMinMs) this.intervalMinMs = responseTimeMs;
    if (responseTimeMs > this.intervalMaxMs) this.intervalMaxMs = responseTimeMs;
    if (wallMs < this.firstWallMs) this.firstWallMs = wallMs;
    if (wallMs > this.lastWallMs) this.lastWallMs = wallMs;
    // An integer argument stays a Smi: a double passed to a call V8 does not inline is boxed (allocates).
    this.interval.record(Math.round(responseTimeMs * 1000));
    this.recent.record(wallMs, failed);
  }

  /** `withStatusCodes`: false for a history point, which would otherwise carry a copy every second. */
  summary(nowWallMs: number, withStatusCodes = true): EntrySummary {
    const empty = this.requests === 0;
    const statusCodes = withStatusCodes ? this.statuses?.toRecord() : null;
    return {
      method: this.method,
      name: this.name,
      numRequests: this.requests,
      numFailures: this.failures,
      totalResponseTimeMs: this.totalResponseTimeMs,
      minResponseTimeMs: empty ? null : this.minMs,
      maxResponseTimeMs: empty ? null : this.maxMs,
      totalContentLength: this.totalContentLength,
      percentilesMs: percentilesMs(this.cumulative(), this.requests, this.minMs, this.maxMs),
      firstRequestWallMs: empty ? null : this.firstWallMs,
      lastRequestWallMs: empty ? null : this.lastWallMs,
      currentRps: this.recent.requestsPerSecond(nowWallMs, this.startWallMs),
      currentFailPerSec: this.recent.failuresPerSecond(nowWallMs, this.startWallMs),
      ...(statusCodes ? { statusCodes } : {}),
      ...(empty ? {} : { requestBytes: this.totalRequestBytes, firstStartWallMs: this.firstStartWallMs, lastStartWallMs: this.lastStartWallMs }),
    };
  }

  /**
   * The history row for the interval that just ended (`intervalSec` long), then starts a new interval.
   * Totals are untouched.
   */
  rollInterval(timestampSec: number, userCount: number, intervalSec: number, nowWallMs: number): HistoryPoint {
    const rps = intervalSec > 0 ? this.intervalRequests / intervalSec : 0;
    const failPerSec = intervalSec > 0 ? this.intervalFailures / intervalSec : 0;
    const intervalPercentilesMs = percentilesMs(this.interval, this.intervalRequests, this.intervalMinMs, this.intervalMaxMs);
    // Folded before the total is summarised: settled then is the cumulative distribution, with no
    // scratch copy (two histogram adds per entry per second less, ~1 % of a core at full load).
    this.settled.add(this.interval);
    this.resetInterval();
    return { timestamp: timestampSec, userCount, rps, failPerSec, intervalPercentilesMs, total: this.summary(nowWallMs, false) };
  }

  private resetInterval(): void {
    this.interval.reset();
    this.intervalRequests = 0;
    this.intervalFailures = 0;
    this.intervalMinMs = Number.POSITIVE_INFINITY;
    this.intervalMaxMs = Number.NEGATIVE_INFINITY;
  }

  snapshot(): EntrySnapshot {
    const empty = this.requests === 0;
    const statusCodes = this.statuses?.toRecord();
    return {
      method: this.method,
      name: this.name,
      numRequests: this.requests,
      numFailures: this.failures,
      totalResponseTimeMs: this.totalResponseTimeMs,
      minResponseTimeMs: empty ? null : this.minMs,
      maxResponseTimeMs: empty ? null : this.maxMs,
      totalContentLength: this.totalContentLength,
      firstRequestWallMs: empty ? null : this.firstWallMs,
      lastRequestWallMs: empty ? null : this.lastWallMs,
      histogram: this.cumulative().encode(),
      recent: this.recent.toJSON(),
      ...(statusCodes ? { statusCodes } : {}),
      ...(empty ? {} : { requestBytes: this.totalRequestBytes, firstStartWallMs: this.firstStartWallMs, lastStartWallMs: this.lastStartWallMs }),
    };
  }

  /**
   * Response times as cumulative counts at or below `limitsUs`, read from the settled and interval
   * histograms as they are (no encoding, no scratch copy): what an exporter's scrape costs.
   */
  responseTimes(limitsUs: readonly number[]): EntryResponseTimes {
    const empty = this.requests === 0;
    const settled = this.settled.totalCount === 0 ? null : this.settled.countsAtOrBelow(limitsUs);
    const interval = this.interval.totalCount === 0 ? null : this.interval.countsAtOrBelow(limitsUs);
    return {
      method: this.method,
      name: this.name,
      numRequests: this.requests,
      totalResponseTimeMs: this.totalResponseTimeMs,
      minResponseTimeMs: empty ? null : this.minMs,
      maxResponseTimeMs: empty ? null : this.maxMs,
      atOrBelow: limitsUs.map((_, i) => (settled?.[i] ?? 0) + (interval?.[i] ?? 0)),
    };
  }

  /**
   * Adds another process's requests (a snapshot taken since its last reset) as if recorded here:
   * they count in the totals and in the current interval.
   */
  mergeSnapshot(s: EntrySnapshot): void {
    if (s.numRequests === 0) return;
    this.interval.addEncoded(s.histogram);
    this.requests += s.numRequests;
    this.failures += s.numFailures;
    this.intervalRequests += s.numRequests;
    this.intervalFailures += s.numFailures;
    this.totalResponseTimeMs += s.totalResponseTimeMs;
    this.totalContentLength += s.totalContentLength;
    if (s.minResponseTimeMs !== null) {
      this.minMs = Math.min(this.minMs, s.minResponseTimeMs);
      this.intervalMinMs = Math.min(this.intervalMinMs, s.minResponseTimeMs);
    }
    if (s.maxResponseTimeMs !== null) {
      this.maxMs = Math.max(this.maxMs, s.maxResponseTimeMs);
      this.intervalMaxMs = Math.max(this.intervalMaxMs, s.maxResponseTimeMs);
    }
    if (s.firstRequestWallMs !== null) this.firstWallMs = Math.min(this.firstWallMs, s.firstRequestWallMs);
    if (s.lastRequestWallMs !== null) this.lastWallMs = Math.max(this.lastWallMs, s.lastRequestWallMs);
    if (s.recent !== undefined) this.recent.addAll(s.recent);
    if (s.statusCodes !== undefined) (this.statuses ??= new StatusCounts()).add(s.statusCodes);
    this.totalRequestBytes += s.requestBytes ?? 0;
    // A snapshot from before these were kept knows only completion times: the first and last it has.
    this.firstStartWallMs = Math.min(this.firstStartWallMs, s.firstStartWallMs ?? s.firstRequestWallMs ?? Number.POSITIVE_INFINITY);
    this.lastStartWallMs = Math.max(this.lastStartWallMs, s.lastStartWallMs ?? s.lastRequestWallMs ?? Number.NEGATIVE_INFINITY);
  }

  /**
   * Zeroes everything; the entry's identity stays, and so does its start unless a new one is given
   * (--reset-stats: "current" rates then never count seconds before the reset).
   */
  reset(startWallMs = this.startWallMs): void {
    this.startWallMs = startWallMs;
    this.requests = 0;
    this.failures = 0;
    this.totalResponseTimeMs = 0;
    this.totalContentLength = 0;
    this.minMs = Number.POSITIVE_INFINITY;
    this.maxMs = Number.NEGATIVE_INFINITY;
    this.firstWallMs = Number.POSITIVE_INFINITY;
    this.lastWallMs = Number.NEGATIVE_INFINITY;
    this.firstStartWallMs = Number.POSITIVE_INFINITY;
    this.lastStartWallMs = Number.NEGATIVE_INFINITY;
    this.totalRequestBytes = 0;
    this.settled.reset();
    this.resetInterval();
    this.recent.reset();
    this.statuses?.reset();
  }

  /** Every request so far: settled + interval, combined in the scratch histogram only when both hold data. */
  /**
   * The response time (ms) under which `fraction` (0-1) of this row's requests fall, clamped into
   * [min, max] as the percentile columns are; 1 is the exact max; null without requests.
   */
  percentileMs(fraction: number): number | null {
    if (this.requests === 0) return null;
    if (fraction >= 1) return this.maxMs;
    const ms = this.cumulative().valueAtPercentile(Math.max(0, fraction) * 100) / 1000;
    return Math.min(this.maxMs, Math.max(this.minMs, ms));
  }

  private cumulative(): LatencyHistogram {
    if (this.interval.totalCount === 0) return this.settled;
    if (this.settled.totalCount === 0) return this.interval;
    this.scratch.reset();
    this.scratch.add(this.settled);
    this.scratch.add(this.interval);
    return this.scratch;
  }
}

/**
 * Percentiles in ms aligned with PERCENTILES, or all null when `count` is 0. HDR values are clamped into
 * [min, max] so a percentile never exceeds the exact max (Locust's p99 can); 100% is the exact max.
 */
export function percentilesMs(h: LatencyHistogram, count: number, minMs: number, maxMs: number): Array<number | null> {
  return PERCENTILES.map((q) => {
    if (count === 0) return null;
    if (q === 1) return maxMs;
    const ms = h.valueAtPercentile(q * 100) / 1000;
    return Math.min(maxMs, Math.max(minMs, ms));
  });
}
