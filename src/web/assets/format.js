// @ts-check
/**
 * How the live page prints numbers and times. Every formatter turns null (no value yet) into ''
 * so an empty cell means "nothing measured", never a misleading 0.
 */

/**
 * Milliseconds, rates and other measured values: up to 2 decimals while they are small enough for
 * decimals to matter, whole numbers from 100 up (a 1234.56 ms latency reads better as 1235).
 * @param {number | null | undefined} value
 */
export function formatNumber(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  if (Math.abs(value) >= 100) return String(Math.round(value));
  return String(Number(value.toFixed(2)));
}

/** @param {number | null | undefined} value */
export function formatInteger(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  return String(Math.round(value));
}

/**
 * A fraction (0..1) as a percentage. Small ratios keep two decimals so a 0.3 % failure rate does
 * not read as "0%" while requests are failing.
 * @param {number} fraction
 */
export function formatPercent(fraction) {
  if (!Number.isFinite(fraction) || fraction <= 0) return '0%';
  const percent = fraction * 100;
  const digits = percent < 1 ? 2 : percent < 10 ? 1 : 0;
  return `${Number(percent.toFixed(digits))}%`;
}

/**
 * Seconds as "45s", "1m 05s" or "2h 03m 05s", the way people say a duration.
 * @param {number | null | undefined} seconds
 */
export function formatDuration(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '';
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${pad2(m)}m ${pad2(s)}s`;
  if (m > 0) return `${m}m ${pad2(s)}s`;
  return `${s}s`;
}

/**
 * Unix seconds as local hh:mm:ss, the time axis of the charts.
 * @param {number} unixSeconds
 */
export function formatClockTime(unixSeconds) {
  const date = new Date(unixSeconds * 1000);
  return `${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}`;
}

/**
 * A y-axis label: short enough for a narrow left margin ("12k", "1.5M").
 * @param {number} value
 */
export function formatAxisValue(value) {
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${Number((value / 1e6).toFixed(1))}M`;
  if (abs >= 1e4) return `${Number((value / 1e3).toFixed(1))}k`;
  return formatNumber(value);
}

/** @param {number} n */
function pad2(n) {
  return String(n).padStart(2, '0');
}
