/**
 * A finished run's Locust CSVs as records keyed by column name, for tests that check what a run
 * wrote: `_stats.csv`, `_failures.csv`, `_stats_history.csv` (read strictly: reliability.ts).
 */
import { readCsvFile } from './reliability.js';

export type CsvRecord = Readonly<Record<string, string>>;

/** Every row of a CSV file as { column: cell }. */
export function readCsvRecords(path: string): CsvRecord[] {
  const { header, rows } = readCsvFile(path);
  return rows.map((row) => Object.fromEntries(header.map((h, i) => [h, row[i] ?? ''])));
}

/** The `_stats.csv` row of one (type, name), or undefined. */
export function statsRow(prefix: string, type: string, name: string): CsvRecord | undefined {
  return readCsvRecords(`${prefix}_stats.csv`).find((r) => r.Type === type && r.Name === name);
}

/** The User Count of each Aggregated row of `_stats_history.csv`, one per second. */
export function historyUserCounts(prefix: string): number[] {
  return readCsvRecords(`${prefix}_stats_history.csv`)
    .filter((r) => r.Name === 'Aggregated')
    .map((r) => Number(r['User Count']));
}
