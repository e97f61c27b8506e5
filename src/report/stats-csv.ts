/** PREFIX_stats.csv: one row per (method, name) sorted by (name, method), then Aggregated. */
import { AGGREGATED_NAME, PERCENTILE_LABELS, type EntrySummary } from '../stats/types.js';
import { toCsv, type CsvRecord } from './csv-cell.js';
import { safeText } from './formula-guard.js';
import {
  avgContentSize,
  avgResponseTimeMs,
  rateWindowSecs,
  sortEntries,
  totalFailPerSec,
  totalRps,
} from './entry-metrics.js';
import { formatMs, pyFloat } from './number-format.js';

/** Locust's header, byte for byte. */
export const STATS_CSV_HEADER: CsvRecord = [
  'Type', 'Name', 'Request Count', 'Failure Count', 'Median Response Time', 'Average Response Time',
  'Min Response Time', 'Max Response Time', 'Average Content Size', 'Requests/s', 'Failures/s',
  ...PERCENTILE_LABELS,
];

/**
 * The percentile cells of a row: exact HDR values in ms, "N/A" without requests (Locust's text).
 * `values` is aligned with PERCENTILES.
 */
export function percentileCells(numRequests: number, values: ReadonlyArray<number | null>): string[] {
  return PERCENTILE_LABELS.map((_, i) => {
    const v = values[i];
    return numRequests === 0 || v === undefined || v === null ? 'N/A' : formatMs(v);
  });
}

/**
 * The columns after the name that _stats.csv and the "Total …" part of _stats_history.csv share
 * (Request Count … Average Content Size minus the rates), with Locust's empty-entry values:
 * median 0, average 0.0, min 0, max 0, content size 0.
 */
export function cumulativeCells(entry: EntrySummary): {
  count: string; failures: string; median: string; avg: string; min: string; max: string; contentSize: string;
} {
  const empty = entry.numRequests === 0;
  const median = entry.percentilesMs[0];
  return {
    count: String(entry.numRequests),
    failures: String(entry.numFailures),
    median: empty || median === null || median === undefined ? '0' : formatMs(median),
    avg: pyFloat(avgResponseTimeMs(entry)),
    min: empty || entry.minResponseTimeMs === null ? '0' : pyFloat(entry.minResponseTimeMs),
    max: empty || entry.maxResponseTimeMs === null ? '0' : pyFloat(entry.maxResponseTimeMs),
    contentSize: empty ? '0' : pyFloat(avgContentSize(entry)),
  };
}

function statsRow(method: string, name: string, entry: EntrySummary, windowSecs: number): CsvRecord {
  const c = cumulativeCells(entry);
  return [
    safeText(method), safeText(name), c.count, c.failures, c.median, c.avg, c.min, c.max, c.contentSize,
    pyFloat(totalRps(entry, windowSecs)), pyFloat(totalFailPerSec(entry, windowSecs)),
    ...percentileCells(entry.numRequests, entry.percentilesMs),
  ];
}

/**
 * The whole _stats.csv text. Requests/s = requests / (last request of the run − `startWallMs`),
 * the same denominator for every row, as Locust computes it.
 */
export function statsCsv(entries: readonly EntrySummary[], aggregated: EntrySummary, startWallMs: number): string {
  const windowSecs = rateWindowSecs(aggregated, startWallMs);
  const rows: CsvRecord[] = [STATS_CSV_HEADER];
  for (const e of sortEntries(entries)) rows.push(statsRow(e.method, e.name, e, windowSecs));
  rows.push(statsRow('', AGGREGATED_NAME, aggregated, windowSecs));
  return toCsv(rows);
}
