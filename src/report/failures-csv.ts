/** PREFIX_failures.csv: one row per (method, name, error), as Locust 2.44+ writes it. */
import type { FailureRow } from '../stats/types.js';
import { toCsv, type CsvRecord } from './csv-cell.js';
import { safeText } from './formula-guard.js';
import { compareText } from './entry-metrics.js';
import { isoSecondsUtc } from './number-format.js';

export const FAILURES_CSV_HEADER: CsvRecord = ['Method', 'Name', 'Error', 'Occurrences', 'First Seen', 'Last Seen'];

/** Stable order (Locust's is hash order): by name, method, then error. Returns a new array. */
export function sortFailures<F extends FailureRow>(failures: readonly F[]): F[] {
  return [...failures].sort(
    (a, b) => compareText(a.name, b.name) || compareText(a.method, b.method) || compareText(a.error, b.error),
  );
}

/** Unknown times (Locust ≤ 2.43 input) are empty cells, as in the CSVs they came from. */
export function failuresCsv(failures: readonly FailureRow[]): string {
  const rows: CsvRecord[] = [FAILURES_CSV_HEADER];
  for (const f of sortFailures(failures)) {
    rows.push([
      safeText(f.method), safeText(f.name), safeText(f.error), String(f.occurrences),
      f.firstSeenWallMs === null ? '' : isoSecondsUtc(f.firstSeenWallMs), f.lastSeenWallMs === null ? '' : isoSecondsUtc(f.lastSeenWallMs),
    ]);
  }
  return toCsv(rows);
}
