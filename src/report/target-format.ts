/** How targets read in the console and HTML reports: "< 100 ms", "0.5%", "1 234.5 req/min". */
import { isResourceMetric } from '../core/target-check.js';
import type { TargetResult } from '../core/targets.js';

/**
 * A target value in its unit; error rates are fractions in TargetResult and are shown as percent.
 * `extraDigits` adds decimals (targetFigures: telling a measured value from its threshold).
 */
export function formatTargetValue(value: number | null, unit: string, extraDigits = 0): string {
  if (value === null || !Number.isFinite(value)) return 'n/a';
  if (unit === '%') return `${Number((value * 100).toFixed(3 + extraDigits))}%`;
  const digits = (unit === 'ms' ? 3 : 2) + extraDigits;
  return `${Number(value.toFixed(digits))} ${unit}`.trimEnd();
}

/** Decimals added at most, past which two values are taken to be equal. */
const MAX_EXTRA_DIGITS = 9;

/**
 * The threshold (with its comparator) and the measured value as a report shows them. When both would
 * read the same but differ (a rate of 91.8297 that missed ">= 91.83"), both get as many more decimals
 * as it takes to tell them apart: "91.83 req/s FAIL" under ">= 91.83 req/s" would read as brood
 * judging wrongly, "91.8297" under ">= 91.83" does not.
 */
export function targetFigures(t: TargetResult): { threshold: string; measured: string } {
  const m = t.measured;
  for (let extra = 0; ; extra++) {
    const threshold = formatTargetValue(t.threshold, t.unit, extra);
    const measured = formatTargetValue(m, t.unit, extra);
    const tellApart = m === null || !Number.isFinite(m) || m === t.threshold || threshold !== measured;
    if (tellApart || extra === MAX_EXTRA_DIGITS) return { threshold: `${t.comparator} ${threshold}`, measured };
  }
}

/** Which rows a target looked at: its endpoints, or the Aggregated row (the server's resources: the worst watched source). */
export function targetScope(t: TargetResult): string {
  if (isResourceMetric(t.metric)) return 'watched server';
  return t.endpoints === null || t.endpoints.length === 0 ? 'Aggregated' : t.endpoints.join(', ');
}

export function targetVerdict(t: TargetResult): 'PASS' | 'FAIL' {
  return t.met ? 'PASS' : 'FAIL';
}
