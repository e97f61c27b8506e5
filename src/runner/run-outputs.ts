import { writeFileAtomic } from '../report/atomic-write.js';
import { exceptionsCsv } from '../report/exceptions-csv.js';
import { failuresCsv } from '../report/failures-csv.js';
import { HistoryWriter } from '../report/history-writer.js';
import { renderHtmlReport } from '../report/html-report.js';
import { buildJsonReport, jsonReportText } from '../report/json-report.js';
import { metricsCsv } from '../report/metrics-csv.js';
import type { OutputPaths } from '../report/output-paths.js';
import type { RunInfo } from '../report/run-info.js';
import { statsCsv } from '../report/stats-csv.js';
import type { TargetResult } from '../core/targets.js';
import type { StatsRegistry } from '../stats/registry.js';
import type { HistoryPoint } from '../stats/types.js';

/** Most timeline points kept for JSON/HTML; past it, every other point is dropped (a day at 1 s ≈ 86 400). */
const MAX_TIMELINE_POINTS = 7200;

/**
 * The run's files, kept current as it goes: stats_history appended every interval (synchronous
 * write, so kill -9 loses nothing already written), the stats/failures/exceptions CSVs rewritten
 * atomically every interval, and everything (JSON, HTML too) written once more at the end.
 */
export class RunOutputs {
  readonly paths: OutputPaths;
  readonly timeline: HistoryPoint[] = [];
  readonly #history: HistoryWriter;
  readonly #stats: StatsRegistry;
  readonly #fullHistory: boolean;
  #stride = 1;
  #sinceKept = 0;

  constructor(paths: OutputPaths, stats: StatsRegistry, fullHistory: boolean) {
    this.paths = paths;
    this.#stats = stats;
    this.#fullHistory = fullHistory;
    this.#history = new HistoryWriter(paths.statsHistory);
  }

  /** End of one history interval. */
  interval(timestampSec: number, userCount: number, nowWallMs: number): HistoryPoint {
    const rows = this.#stats.rollInterval(timestampSec, userCount);
    this.#history.append(rows.aggregated, this.#fullHistory ? rows.entries : null);
    this.#keep(rows.aggregated);
    this.writeCsvs(nowWallMs);
    return rows.aggregated;
  }

  #keep(point: HistoryPoint): void {
    if (++this.#sinceKept < this.#stride) return;
    this.#sinceKept = 0;
    this.timeline.push(point);
    if (this.timeline.length >= MAX_TIMELINE_POINTS) {
      // Halve resolution rather than grow without bound on very long runs.
      for (let i = 0; i < this.timeline.length / 2; i++) this.timeline[i] = this.timeline[i * 2] as HistoryPoint;
      this.timeline.length = Math.floor(this.timeline.length / 2);
      this.#stride *= 2;
    }
  }

  writeCsvs(nowWallMs: number): void {
    const s = this.#stats;
    const { entries, aggregated } = s.summaries(nowWallMs);
    writeFileAtomic(this.paths.stats, statsCsv(entries, aggregated, s.startWallMs));
    writeFileAtomic(this.paths.failures, failuresCsv(s.failures()));
    writeFileAtomic(this.paths.exceptions, exceptionsCsv(s.exceptions()));
  }

  /** Writes every file for the finished (or interrupted) run. */
  finish(run: RunInfo, targets: readonly TargetResult[], nowWallMs: number): void {
    const s = this.#stats;
    this.writeCsvs(nowWallMs);
    this.#history.close();
    const { entries, aggregated } = s.summaries(nowWallMs);
    const metrics = s.metricSummaries();
    writeFileAtomic(this.paths.customMetrics, metricsCsv(metrics));
    const common = {
      run,
      entries,
      aggregated,
      failures: s.failures(),
      exceptions: s.exceptions(),
      metrics,
      targets,
      history: this.timeline,
    };
    writeFileAtomic(this.paths.json, jsonReportText(buildJsonReport({ ...common, snapshot: s.snapshot() })));
    writeFileAtomic(this.paths.html, renderHtmlReport({ ...common, generatedWallMs: nowWallMs }));
  }
}
