/**
 * PREFIX_stats_history.csv → the Aggregated timeline and, for files written with
 * --csv-full-history, one timeline per endpoint. Interval percentiles follow Locust's text: "N/A"
 * before any request, 0 for an interval where none completed; both become null here.
 */
import type { EndpointPoint } from '../src/report/run-info.js';
import { AGGREGATED_NAME, PERCENTILES, type HistoryPoint } from '../src/stats/types.js';
import { readCsvTable, type CsvRow } from './csv-table.js';
import { entryFromRow, percentileColumns } from './stats-csv-reader.js';

const REQUIRED = [
  'Timestamp', 'User Count', 'Type', 'Name', 'Requests/s', 'Failures/s', '50%', '95%', '99%',
  'Total Request Count', 'Total Failure Count', 'Total Average Response Time',
  'Total Min Response Time', 'Total Max Response Time', 'Total Average Content Size',
];

const TOTAL_COLUMNS = {
  count: 'Total Request Count', failures: 'Total Failure Count', avg: 'Total Average Response Time',
  min: 'Total Min Response Time', max: 'Total Max Response Time', size: 'Total Average Content Size',
};

export interface HistoryFile {
  aggregated: HistoryPoint[];
  endpoints: Record<string, EndpointPoint[]>;
}

function historyPoint(row: CsvRow): HistoryPoint {
  const total = entryFromRow(row, row.name('Type'), row.name('Name'), TOTAL_COLUMNS);
  const rps = row.number('Requests/s');
  const interval = percentileColumns(row, total.numRequests).map((v) => (v === 0 ? null : v));
  return {
    timestamp: row.number('Timestamp'),
    userCount: row.count('User Count'),
    rps,
    failPerSec: row.number('Failures/s'),
    intervalPercentilesMs: interval,
    total,
  };
}

const P50 = PERCENTILES.indexOf(0.5);
const P95 = PERCENTILES.indexOf(0.95);
const P99 = PERCENTILES.indexOf(0.99);

export function endpointPoint(p: HistoryPoint): EndpointPoint {
  return {
    timestamp: p.timestamp, rps: p.rps, failPerSec: p.failPerSec,
    p50Ms: p.intervalPercentilesMs[P50] ?? null, p95Ms: p.intervalPercentilesMs[P95] ?? null,
    p99Ms: p.intervalPercentilesMs[P99] ?? null,
  };
}

export function readHistoryCsv(file: string): HistoryFile {
  const table = readCsvTable(file, REQUIRED, 'Locust/brood stats history CSV');
  const aggregated: HistoryPoint[] = [];
  const endpoints: Record<string, EndpointPoint[]> = {};
  for (const row of table.rows) {
    const point = historyPoint(row);
    const { method, name } = point.total;
    if (method === '' && name === AGGREGATED_NAME) {
      aggregated.push(point);
    } else {
      const key = method === '' ? name : `${method} ${name}`;
      (endpoints[key] ??= []).push(endpointPoint(point));
    }
  }
  return { aggregated, endpoints };
}
