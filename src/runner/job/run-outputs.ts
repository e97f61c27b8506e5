import { writeFileAtomic } from '../../report/atomic-write.js';
import { BackgroundWrites } from '../../report/background-writes.js';
import { exceptionsCsv } from '../../report/exceptions-csv.js';
import { failuresCsv } from '../../report/failures-csv.js';
import { HistoryWriter } from '../../report/history-writer.js';
import { renderHtmlReport } from '../../report/html-report.js';
import { buildJsonReport, jsonReportText } from '../../report/json-report.js';
import { metricsCsv } from '../../report/metrics-csv.js';
import type { OutputPaths } from '../../report/output-paths.js';
import type { EndpointPoint, MetricPoint, OperationsReport, RunInfo } from '../../report/run-info.js';
import type { ShapeStage } from '../../core/shape.js';
import { BoundedTimeline } from './bounded-timeline.js';
import type { SelfSample } from './self-monitor.js';
import { statsCsv } from '../../report/stats-csv.js';
import type { TargetResult } from '../../core/targets.js';
import type { StatsRegistry } from '../../stats/registry.js';
import type { ResourcesReport } from '../../report/resources-report.js';
import type { HistoryPoint, MetricSummary } from '../../stats/types.js';

/** Most Aggregated timeline points kept for JSON/HTML (a day at 1 s would be 86 400). */
const MAX_TIMELINE_POINTS = 7200;
/**
 * Per-endpoint timelines are compact and shorter (the report draws at most 300 points each):
 * even 1 000 endpoints × 600 merged points stay under ~50 MB.
 */
const MAX_ENDPOINT_POINTS = 600;

/**
 * The run's files, kept current as it goes: stats_history appended every interval (synchronous
 * write, so kill -9 loses nothing already written), the stats/failures/exceptions CSVs rewritten
 * atomically every interval (flushed to disk off the main thread, so a slow disk never stalls the
 * requests being timed), and everything (JSON, HTML too) written once more at the end.
 */
export class RunOutputs {
  readonly paths: OutputPaths;
  readonly #timeline = new BoundedTimeline<HistoryPoint>(MAX_TIMELINE_POINTS);
  /** Why the HTML report could not be written, when it could not. */
  htmlError: string | null = null;
  readonly #endpoints = new Map<string, BoundedTimeline<EndpointPoint>>();
  /** Per custom metric (at most the registry's name limit), as short as the endpoints' timelines. */
  readonly #metrics = new Map<string, BoundedTimeline<MetricPoint>>();
  readonly #history: HistoryWriter;
  readonly #stats: StatsRegistry;
  readonly #fullHistory: boolean;
  /** The CSVs rewritten each interval, flushed to disk off the main thread (background-writes.ts). */
  readonly #background: BackgroundWrites;

  /** Files whose interval rewrite failed, said once each. */
  readonly #failedRewrites = new Set<string>();

  /**
   * `warn`: a one-line warning, once per file, when an interval's rewrite of it fails (the file keeps
   * its last complete version, the run goes on, and the end writes it again).
   */
  constructor(paths: OutputPaths, stats: StatsRegistry, fullHistory: boolean, warn: (line: string) => void = () => {}) {
    this.paths = paths;
    this.#stats = stats;
    this.#fullHistory = fullHistory;
    this.#history = new HistoryWriter(paths.statsHistory);
    this.#background = new BackgroundWrites((path, e) => {
      if (this.#failedRewrites.has(path)) return;
      this.#failedRewrites.add(path);
      warn(`warning: could not rewrite ${path} (${e instanceof Error ? e.message : String(e)}); it keeps its last complete version and the run goes on`);
    });
  }

  /** End of one history interval; `self` (the generator's own load) marks the Aggregated point. */
  interval(timestampSec: number, userCount: number, nowWallMs: number, self?: SelfSample): HistoryPoint {
    const rows = this.#stats.rollInterval(timestampSec, userCount);
    if (self) {
      rows.aggregated.generatorCpu = self.cpu;
      rows.aggregated.loopDelayP99Ms = self.loopDelayP99Ms;
      rows.aggregated.generatorOverloaded = self.overloaded;
    }
    this.#history.append(rows.aggregated, this.#fullHistory ? rows.entries : null);
    this.#timeline.push(rows.aggregated);
    for (const e of rows.entries) this.#keepEndpoint(e);
    this.#keepMetrics(rows.aggregated.timestamp, rows.metrics);
    this.#rewriteCsvs(nowWallMs, (path, text) => this.#background.write(path, text));
    return rows.aggregated;
  }

  get timeline(): readonly HistoryPoint[] {
    return this.#timeline.points;
  }

  #keepEndpoint(p: HistoryPoint): void {
    const key = `${p.total.method} ${p.total.name}`;
    let series = this.#endpoints.get(key);
    if (!series) {
      series = new BoundedTimeline<EndpointPoint>(MAX_ENDPOINT_POINTS, mergeEndpointPoints);
      this.#endpoints.set(key, series);
    }
    const q = p.intervalPercentilesMs;
    series.push({ timestamp: p.timestamp, rps: p.rps, failPerSec: p.failPerSec, p50Ms: q[0] ?? null, p95Ms: q[5] ?? null, p99Ms: q[7] ?? null });
  }

  /**
   * One point per interval for every metric seen so far: an interval without values gets an empty
   * point (count 0, nulls), so charts leave a gap there instead of joining its neighbours.
   */
  #keepMetrics(timestamp: number, recorded: readonly MetricSummary[]): void {
    for (const m of recorded) {
      let series = this.#metrics.get(m.name);
      if (!series) {
        series = new BoundedTimeline<MetricPoint>(MAX_ENDPOINT_POINTS, mergeMetricPoints);
        this.#metrics.set(m.name, series);
      }
      series.push({ timestamp, count: m.count, mean: m.mean, p50: m.p50, p95: m.p95, max: m.max });
    }
    if (recorded.length === this.#metrics.size) return;
    const seen = new Set(recorded.map((m) => m.name));
    for (const [name, series] of this.#metrics) {
      if (!seen.has(name)) series.push({ timestamp, count: 0, mean: null, p50: null, p95: null, max: null });
    }
  }

  metricHistory(): Record<string, MetricPoint[]> {
    const out: Record<string, MetricPoint[]> = {};
    for (const [name, series] of this.#metrics) out[name] = series.points;
    return out;
  }

  endpointHistory(): Record<string, EndpointPoint[]> {
    const out: Record<string, EndpointPoint[]> = {};
    for (const [key, series] of this.#endpoints) out[key] = series.points;
    return out;
  }

  /**
   * The stats, failures and exceptions CSVs rewritten now, synchronously (the run's start and end, a
   * stats reset): a background rewrite of the same files still in flight is dropped, never renamed
   * over these.
   */
  writeCsvs(nowWallMs: number): void {
    this.#rewriteCsvs(nowWallMs, (path, text) => this.#background.writeNow(path, text));
  }

  /** Resolves once no interval's rewrite is in flight (before the process ends: no temporary file is left). */
  settled(): Promise<void> {
    return this.#background.settled();
  }

  #rewriteCsvs(nowWallMs: number, write: (path: string, text: string) => void): void {
    const s = this.#stats;
    const { entries, aggregated } = s.summaries(nowWallMs);
    write(this.paths.stats, statsCsv(entries, aggregated, s.startWallMs));
    write(this.paths.failures, failuresCsv(s.failures()));
    write(this.paths.exceptions, exceptionsCsv(s.exceptions()));
  }

  /** Writes every file for the finished (or interrupted) run. */
  finish(run: RunInfo, targets: readonly TargetResult[], nowWallMs: number, extras: ReportExtras = {}): void {
    this.writeCsvs(nowWallMs);
    this.#history.close();
    writeFileAtomic(this.paths.customMetrics, metricsCsv(this.#stats.metricSummaries()));
    const report = this.reports(run, targets, nowWallMs, extras);
    writeFileAtomic(this.paths.json, report.json);
    if (report.html === null) {
      this.htmlError = report.htmlError;
      return;
    }
    try {
      writeFileAtomic(this.paths.html, report.html);
    } catch (e) {
      // The report is the last file written: if it fails, the CSVs, JSON and summary still stand.
      this.htmlError = e instanceof Error ? e.message : String(e);
    }
  }

  /**
   * The JSON and HTML reports as text, of the run as it stands at `nowWallMs` (the end of the run,
   * or the web UI's download of a run still going). A report that cannot be rendered is said in
   * `htmlError`: the CSVs, JSON and summary still stand without it.
   */
  reports(run: RunInfo, targets: readonly TargetResult[], nowWallMs: number, extras: ReportExtras = {}): { json: string; html: string | null; htmlError: string | null } {
    const jsonExtras = extras.jsonExtras ?? {};
    const s = this.#stats;
    const { entries, aggregated } = s.summaries(nowWallMs);
    const common = {
      run,
      entries,
      aggregated,
      failures: s.failures(),
      exceptions: s.exceptions(),
      metrics: s.metricSummaries(),
      targets,
      history: this.timeline,
      endpointHistory: this.endpointHistory(),
      metricHistory: this.metricHistory(),
      stages: extras.stages ?? [],
      operations: extras.operations ?? null,
      resources: extras.resources ?? null,
    };
    const json = buildJsonReport({ ...common, snapshot: s.snapshot() });
    // The watched system's figures (issue 23): present only when something was watched.
    if (extras.resources) (json as unknown as Record<string, unknown>).resources = extras.resources.summary;
    if (Object.keys(jsonExtras).length > 0) {
      // Open-model runs: the seed's `latency` becomes per operation; request latency stays available.
      const extended = json as unknown as Record<string, unknown>;
      if ('latency' in jsonExtras) extended.request_latency = extended.latency;
      Object.assign(extended, jsonExtras);
    }
    try {
      return { json: jsonReportText(json), html: renderHtmlReport({ ...common, generatedWallMs: nowWallMs }), htmlError: null };
    } catch (e) {
      return { json: jsonReportText(json), html: null, htmlError: e instanceof Error ? e.message : String(e) };
    }
  }
}

/** What a report adds for some runs: a shape's stages, the open model's JSON and operations. */
export interface ReportExtras {
  stages?: readonly ShapeStage[];
  jsonExtras?: Record<string, unknown>;
  operations?: OperationsReport | null;
  resources?: ResourcesReport | null;
}

const maxOf = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));

/** Two neighbouring intervals of a metric as one: counts added, the mean weighted, the highest percentiles and max kept. */
function mergeMetricPoints(a: MetricPoint, b: MetricPoint): MetricPoint {
  const count = a.count + b.count;
  const mean = a.mean === null ? b.mean : b.mean === null ? a.mean : (a.mean * a.count + b.mean * b.count) / count;
  return { timestamp: a.timestamp, count, mean, p50: maxOf(a.p50, b.p50), p95: maxOf(a.p95, b.p95), max: maxOf(a.max, b.max) };
}

/** Two neighbouring intervals as one: mean rates, worst latencies (a spike must stay visible). */
function mergeEndpointPoints(a: EndpointPoint, b: EndpointPoint): EndpointPoint {
  return {
    timestamp: a.timestamp,
    rps: (a.rps + b.rps) / 2,
    failPerSec: (a.failPerSec + b.failPerSec) / 2,
    p50Ms: maxOf(a.p50Ms, b.p50Ms),
    p95Ms: maxOf(a.p95Ms, b.p95Ms),
    p99Ms: maxOf(a.p99Ms, b.p99Ms),
  };
}
