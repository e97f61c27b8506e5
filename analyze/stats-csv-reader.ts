/** PREFIX_stats.csv (Locust 2.x or brood) → one EndpointStats per row plus the Aggregated row. */
import { AGGREGATED_NAME, PERCENTILE_LABELS, type EntrySummary } from '../src/stats/types.js';
import { AnalyzeError } from './analyze-error.js';
import { readCsvTable, type CsvRow } from './csv-table.js';
import type { EndpointStats } from './loaded-run.js';

const REQUIRED = [
  'Type', 'Name', 'Request Count', 'Failure Count', 'Average Response Time', 'Min Response Time',
  'Max Response Time', 'Average Content Size', 'Requests/s', 'Failures/s', '50%', '95%', '99%',
];

/** Percentile columns the file has, N/A or missing → null (aligned with PERCENTILES). */
export function percentileColumns(row: CsvRow, numRequests: number): Array<number | null> {
  return PERCENTILE_LABELS.map((label) => (numRequests === 0 ? null : row.number(label, true)));
}

/** An EntrySummary rebuilt from a row's cumulative columns (sums from the averages). */
export function entryFromRow(
  row: CsvRow,
  method: string,
  name: string,
  columns: { count: string; failures: string; avg: string; min: string; max: string; size: string },
): EntrySummary {
  const n = row.count(columns.count);
  return {
    method,
    name,
    numRequests: n,
    numFailures: row.count(columns.failures),
    totalResponseTimeMs: row.number(columns.avg) * n,
    minResponseTimeMs: n === 0 ? null : row.number(columns.min),
    maxResponseTimeMs: n === 0 ? null : row.number(columns.max),
    totalContentLength: row.number(columns.size) * n,
    percentilesMs: [],
    firstRequestWallMs: null,
    lastRequestWallMs: null,
    currentRps: 0,
    currentFailPerSec: 0,
  };
}

const STATS_COLUMNS = {
  count: 'Request Count', failures: 'Failure Count', avg: 'Average Response Time',
  min: 'Min Response Time', max: 'Max Response Time', size: 'Average Content Size',
};

function statsRow(row: CsvRow): EndpointStats {
  const summary = entryFromRow(row, row.name('Type'), row.name('Name'), STATS_COLUMNS);
  summary.percentilesMs = percentileColumns(row, summary.numRequests);
  const rps = row.number('Requests/s');
  const failPerSec = row.number('Failures/s');
  summary.currentRps = rps;
  summary.currentFailPerSec = failPerSec;
  return { summary, rps, failPerSec };
}

export interface StatsFile {
  entries: EndpointStats[];
  aggregated: EndpointStats;
}

export function readStatsCsv(file: string): StatsFile {
  const table = readCsvTable(file, REQUIRED, 'Locust/brood stats CSV');
  const entries: EndpointStats[] = [];
  let aggregated: EndpointStats | null = null;
  for (const row of table.rows) {
    const stats = statsRow(row);
    if (stats.summary.method === '' && stats.summary.name === AGGREGATED_NAME) aggregated = stats;
    else entries.push(stats);
  }
  if (aggregated === null) throw new AnalyzeError('BAD_CSV', `${file}: no Aggregated row (file truncated?)`);
  return { entries, aggregated };
}
