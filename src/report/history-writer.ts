/**
 * PREFIX_stats_history.csv, appended once per interval with a synchronous write, so that the file
 * is valid and complete up to the last interval whatever happens to the process (kill -9
 * included): the rows of one interval go out in one write(2) on an fd opened in append mode.
 * Nothing is kept per row; the caller keeps its own bounded timeline.
 */
import { closeSync, fstatSync, openSync, writeSync } from 'node:fs';
import { AGGREGATED_NAME, PERCENTILE_LABELS, type HistoryPoint } from '../stats/types.js';
import { toCsv, type CsvRecord } from './csv-cell.js';
import { safeText } from './formula-guard.js';
import { sortEntries } from './entry-metrics.js';
import { cumulativeCells } from './stats-csv.js';
import { formatMs } from './number-format.js';

/** Locust's header, byte for byte. */
export const HISTORY_CSV_HEADER: CsvRecord = [
  'Timestamp', 'User Count', 'Type', 'Name', 'Requests/s', 'Failures/s', ...PERCENTILE_LABELS,
  'Total Request Count', 'Total Failure Count', 'Total Median Response Time', 'Total Average Response Time',
  'Total Min Response Time', 'Total Max Response Time', 'Total Average Content Size',
];

/**
 * Interval percentiles with Locust's semantics: "N/A" while the entry has no request at all, 0
 * when it has some but none completed in this interval (Locust's "current" percentile of an
 * empty window), otherwise the exact value in ms.
 */
function intervalPercentileCells(point: HistoryPoint): string[] {
  return PERCENTILE_LABELS.map((_, i) => {
    if (point.total.numRequests === 0) return 'N/A';
    const v = point.intervalPercentilesMs[i];
    return v === null || v === undefined ? '0' : formatMs(v);
  });
}

/** One history row; `method`/`name` are given because the Aggregated row's come from constants. */
export function historyRow(point: HistoryPoint, method: string, name: string): CsvRecord {
  const c = cumulativeCells(point.total);
  return [
    String(Math.floor(point.timestamp)), String(point.userCount), safeText(method), safeText(name),
    point.rps.toFixed(6), point.failPerSec.toFixed(6), ...intervalPercentileCells(point),
    c.count, c.failures, c.median, c.avg, c.min, c.max, c.contentSize,
  ];
}

/** The CSV text of one interval: per-entry rows first (when given), then the Aggregated row, as Locust. */
export function historyIntervalCsv(aggregated: HistoryPoint, entries: readonly HistoryPoint[] | null): string {
  const rows: CsvRecord[] = [];
  if (entries !== null) {
    const byName = sortEntries(entries.map((p) => ({ method: p.total.method, name: p.total.name, p })));
    for (const { method, name, p } of byName) rows.push(historyRow(p, method, name));
  }
  rows.push(historyRow(aggregated, '', AGGREGATED_NAME));
  return toCsv(rows);
}

function writeAll(fd: number, text: string): void {
  const buf = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < buf.length) offset += writeSync(fd, buf, offset, buf.length - offset);
}

export class HistoryWriter {
  readonly path: string;
  #fd: number | null;

  /**
   * Opens `path`. `new` (a run's history) starts the file afresh, as Locust does: a second run with
   * the same --csv prefix must not add its rows to the first run's. `continue` appends, writing the
   * header only when the file is empty.
   */
  constructor(path: string, mode: 'new' | 'continue' = 'new') {
    this.path = path;
    this.#fd = openSync(path, mode === 'new' ? 'w' : 'a');
    if (fstatSync(this.#fd).size === 0) writeAll(this.#fd, toCsv([HISTORY_CSV_HEADER]));
  }

  /** Writes the rows of one interval. `entries` = per-entry points with --csv-full-history, else null. */
  append(aggregated: HistoryPoint, entries: readonly HistoryPoint[] | null): void {
    if (this.#fd === null) throw new Error(`history file ${this.path} is closed`);
    writeAll(this.#fd, historyIntervalCsv(aggregated, entries));
  }

  get closed(): boolean {
    return this.#fd === null;
  }

  /** Idempotent: shutdown paths may close twice. */
  close(): void {
    if (this.#fd === null) return;
    const fd = this.#fd;
    this.#fd = null;
    closeSync(fd);
  }
}
