/**
 * The smaller files of a run: PREFIX_failures.csv (with or without Locust 2.44's First/Last
 * Seen), PREFIX_exceptions.csv and brood's PREFIX_custom_metrics.csv.
 */
import type { ExceptionSnapshot, MetricSummary } from '../src/stats/types.js';
import { AnalyzeError } from './analyze-error.js';
import { readCsvTable, type CsvRow } from './csv-table.js';
import type { FailureRow } from './loaded-run.js';

function seenMs(row: CsvRow, column: string): number | null {
  if (!row.has(column)) return null;
  const text = row.text(column);
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw new AnalyzeError('BAD_CSV', `${row.file} line ${row.line}, column "${column}": "${text.slice(0, 40)}" is not a time`);
  return ms;
}

export function readFailuresCsv(file: string): FailureRow[] {
  const table = readCsvTable(file, ['Method', 'Name', 'Error', 'Occurrences'], 'Locust/brood failures CSV');
  return table.rows.map((row) => ({
    method: row.name('Method'),
    name: row.name('Name'),
    error: row.name('Error'),
    occurrences: row.count('Occurrences'),
    firstSeenWallMs: seenMs(row, 'First Seen'),
    lastSeenWallMs: seenMs(row, 'Last Seen'),
  }));
}

export function readExceptionsCsv(file: string): ExceptionSnapshot[] {
  const table = readCsvTable(file, ['Count', 'Message', 'Traceback', 'Nodes'], 'Locust/brood exceptions CSV');
  return table.rows.map((row) => ({
    count: row.count('Count'),
    message: row.name('Message'),
    traceback: row.name('Traceback'),
    nodes: row.name('Nodes').split(', ').filter((n) => n !== ''),
  }));
}

export function readMetricsCsv(file: string): MetricSummary[] {
  const table = readCsvTable(file, ['Name', 'Count', 'Sum', 'Average', 'Min', 'Max', '50%', '95%', '99%'], 'brood custom metrics CSV');
  return table.rows.map((row) => ({
    name: row.name('Name'),
    count: row.count('Count'),
    sum: row.number('Sum'),
    mean: row.number('Average', true),
    min: row.number('Min', true),
    max: row.number('Max', true),
    p50: row.number('50%', true),
    p95: row.number('95%', true),
    p99: row.number('99%', true),
  }));
}
