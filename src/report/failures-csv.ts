/** PREFIX_failures.csv: one row per (method, name, error), as Locust 2.44+ writes it. */
import type { FailureSnapshot } from '../stats/types.js';
import { safeText, toCsv, type CsvRecord } from './csv-cell.js';
import { compareText } from './entry-metrics.js';
import { isoSecondsUtc } from './number-format.js';

export const FAILURES_CSV_HEADER: CsvRecord = ['Method', 'Name', 'Error', 'Occurrences', 'First Seen', 'Last Seen'];

/** Stable order (Locust's is hash order): by name, method, then error. Returns a new array. */
export function sortFailures(failures: readonly FailureSnapshot[]): FailureSnapshot[] {
  return [...failures].sort(
    (a, b) => compareText(a.name, b.name) || compareText(a.method, b.method) || compareText(a.error, b.error),
  );
}

export function failuresCsv(failures: readonly FailureSnapshot[]): string {
  const rows: CsvRecord[] = [FAILURES_CSV_HEADER];
  for (const f of sortFailures(failures)) {
    rows.push([
      safeText(f.method), safeText(f.name), safeText(f.error), String(f.occurrences),
      isoSecondsUtc(f.firstSeenWallMs), isoSecondsUtc(f.lastSeenWallMs),
    ]);
  }
  return toCsv(rows);
}
