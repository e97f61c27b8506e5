import { toCsv, type CsvRecord } from './csv-cell.js';
import { safeText } from './formula-guard.js';
import { formatMs } from './number-format.js';
import type { EntrySummary } from '../stats/types.js';

/** brood's own open-model file: per operation, latency from the scheduled start beside service time. */
export const OPERATIONS_CSV_HEADER: CsvRecord = [
  'Type', 'Name', 'Operations', 'Failures', 'Achieved ops/s',
  'Latency 50%', 'Latency 95%', 'Latency 99%', 'Latency 99.9%', 'Latency Max',
  'Service 50%', 'Service 95%', 'Service 99%', 'Service 99.9%', 'Service Max',
];

const PICK = [0, 5, 7, 8] as const; // 50%, 95%, 99%, 99.9% in PERCENTILES

function cells(e: EntrySummary | undefined): string[] {
  if (!e || e.numRequests === 0) return ['N/A', 'N/A', 'N/A', 'N/A', 'N/A'];
  return [...PICK.map((i) => formatMs(e.percentilesMs[i] ?? 0)), formatMs(e.maxResponseTimeMs ?? 0)];
}

export function operationsCsv(
  latency: { entries: readonly EntrySummary[]; aggregated: EntrySummary },
  service: { entries: readonly EntrySummary[]; aggregated: EntrySummary },
  durationSecs: number,
): string {
  const serviceOf = new Map(service.entries.map((e) => [`${e.method}\u0000${e.name}`, e]));
  const row = (e: EntrySummary, s: EntrySummary | undefined, type: string, name: string): CsvRecord => [
    safeText(type), safeText(name), String(e.numRequests), String(e.numFailures),
    (durationSecs > 0 ? e.numRequests / durationSecs : 0).toFixed(2), ...cells(e), ...cells(s),
  ];
  const rows = latency.entries.map((e) => row(e, serviceOf.get(`${e.method}\u0000${e.name}`), e.method, e.name));
  rows.push(row(latency.aggregated, service.aggregated, '', 'Aggregated'));
  return toCsv([OPERATIONS_CSV_HEADER, ...rows]);
}
