/** How targets read in the console and HTML reports: "< 100 ms", "0.5%", "1 234.5 req/min". */
import { isResourceMetric } from '../core/target-check.js';
import type { TargetResult } from '../core/targets.js';

/** A target value in its unit; error rates are fractions in TargetResult and are shown as percent. */
export function formatTargetValue(value: number | null, unit: string): string {
  if (value === null || !Number.isFinite(value)) return 'n/a';
  if (unit === '%') return `${Number((value * 100).toFixed(3))}%`;
  const digits = unit === 'ms' ? 3 : 2;
  return `${Number(value.toFixed(digits))} ${unit}`.trimEnd();
}

export function formatThreshold(t: TargetResult): string {
  return `${t.comparator} ${formatTargetValue(t.threshold, t.unit)}`;
}

/** Which rows a target looked at: its endpoints, or the Aggregated row (the server's resources: the worst watched source). */
export function targetScope(t: TargetResult): string {
  if (isResourceMetric(t.metric)) return 'watched server';
  return t.endpoints === null || t.endpoints.length === 0 ? 'Aggregated' : t.endpoints.join(', ');
}

export function targetVerdict(t: TargetResult): 'PASS' | 'FAIL' {
  return t.met ? 'PASS' : 'FAIL';
}
