/**
 * The analysis as JSON for tools: the AnalysisReport as is (raw strings, JSON-escaped), with
 * non-finite numbers (a P95 rise from 0 ms) written as null instead of disappearing silently.
 */
import type { AnalysisReport } from './analysis-report.js';

export function formatJson(reports: readonly AnalysisReport[]): string {
  const value = reports.length === 1 ? reports[0] : { runs: reports, passed: reports.every((r) => r.passed) };
  return `${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}
