/** PREFIX_exceptions.csv: one row per distinct message + traceback, as Locust writes it. */
import type { ExceptionSnapshot } from '../stats/types.js';
import { toCsv, type CsvRecord } from './csv-cell.js';
import { safeText } from './formula-guard.js';
import { compareText } from './entry-metrics.js';

export const EXCEPTIONS_CSV_HEADER: CsvRecord = ['Count', 'Message', 'Traceback', 'Nodes'];

/** Most frequent first, then by message, so the file reads top-down by importance. */
export function sortExceptions(exceptions: readonly ExceptionSnapshot[]): ExceptionSnapshot[] {
  return [...exceptions].sort((a, b) => b.count - a.count || compareText(a.message, b.message));
}

export function exceptionsCsv(exceptions: readonly ExceptionSnapshot[]): string {
  const rows: CsvRecord[] = [EXCEPTIONS_CSV_HEADER];
  for (const e of sortExceptions(exceptions)) {
    // Locust joins nodes with ", ".
    rows.push([String(e.count), safeText(e.message), safeText(e.traceback), safeText(e.nodes.join(', '))]);
  }
  return toCsv(rows);
}
