/** PREFIX_custom_metrics.csv: brood's own file for `this.metric(name, value)` values. */
import type { MetricSummary } from '../stats/types.js';
import { toCsv, type CsvRecord } from './csv-cell.js';
import { safeText } from './formula-guard.js';
import { compareText } from './entry-metrics.js';

export const METRICS_CSV_HEADER: CsvRecord = ['Name', 'Count', 'Sum', 'Average', 'Min', 'Max', '50%', '95%', '99%'];

/** Metric values are the user's numbers (12 concepts, 3.5 ms): printed as given, "N/A" when unknown. */
function numberCell(value: number | null): string {
  return value === null || !Number.isFinite(value) ? 'N/A' : String(value);
}

export function sortMetrics(metrics: readonly MetricSummary[]): MetricSummary[] {
  return [...metrics].sort((a, b) => compareText(a.name, b.name));
}

export function metricsCsv(metrics: readonly MetricSummary[]): string {
  const rows: CsvRecord[] = [METRICS_CSV_HEADER];
  for (const m of sortMetrics(metrics)) {
    rows.push([
      safeText(m.name), String(m.count), numberCell(m.sum), numberCell(m.mean),
      numberCell(m.min), numberCell(m.max), numberCell(m.p50), numberCell(m.p95), numberCell(m.p99),
    ]);
  }
  return toCsv(rows);
}
