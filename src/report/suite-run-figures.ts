/**
 * A suite run's figures, read back from the JSON file the run wrote: its outputs are the source of
 * truth, so the suite's summary says what the run's own files say, nothing measured twice.
 * The file is brood's own, but it is read as any file is: every field narrowed, none assumed.
 */
import { readFileSync } from 'node:fs';
import type { JsonTargetResult } from './json-report.js';

export interface SuiteRunFigures {
  requests: number;
  failures: number;
  /** Failures / requests, a fraction 0..1. */
  errorRate: number;
  /** The requests' own latency (the Aggregated row, which targets are checked against), ms. */
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  /** Requests per second over the run's measured span. */
  achievedRps: number;
  durationSecs: number;
  targets: JsonTargetResult[];
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const numberOr = <T>(v: unknown, fallback: T): number | T => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

function targetResult(v: unknown): JsonTargetResult | null {
  if (!isObj(v) || typeof v.label !== 'string' || typeof v.met !== 'boolean') return null;
  return {
    label: v.label,
    metric: v.metric as JsonTargetResult['metric'],
    comparator: v.comparator as JsonTargetResult['comparator'],
    threshold: numberOr(v.threshold, 0),
    unit: typeof v.unit === 'string' ? v.unit : '',
    endpoints: Array.isArray(v.endpoints) ? v.endpoints.filter((e): e is string => typeof e === 'string') : null,
    measured: numberOr(v.measured, null),
    met: v.met,
  };
}

/** The figures of the run whose JSON file is `path`, or why they cannot be read (one line). */
export function readSuiteRunFigures(path: string): SuiteRunFigures | string {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return `its JSON file ${path} cannot be read (${code ?? (e instanceof Error ? e.message : String(e))})`;
  }
  if (!isObj(doc) || !isObj(doc.summary)) return `its JSON file ${path} has no "summary"`;
  const summary = doc.summary;
  const rows: unknown[] = Array.isArray(doc.stats) ? doc.stats : [];
  const aggregated = rows.find((row) => isObj(row) && row.name === 'Aggregated');
  const percentiles = isObj(aggregated) && isObj(aggregated.percentiles_ms) ? aggregated.percentiles_ms : {};
  const validation: unknown[] = isObj(doc.validation) && Array.isArray(doc.validation.targets) ? doc.validation.targets : [];
  return {
    requests: numberOr(summary.total_operations, 0),
    failures: numberOr(summary.total_failures, 0),
    errorRate: numberOr(summary.error_rate, 0),
    p50Ms: numberOr(percentiles['50%'], null),
    p95Ms: numberOr(percentiles['95%'], null),
    p99Ms: numberOr(percentiles['99%'], null),
    achievedRps: numberOr(summary.throughput_ops_sec, 0),
    durationSecs: numberOr(summary.duration_secs, 0),
    targets: validation.map(targetResult).filter((t): t is JsonTargetResult => t !== null),
  };
}
