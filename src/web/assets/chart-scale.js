// @ts-check
/** The pure arithmetic of the charts: axis ticks and index ranges, no canvas involved. */

/**
 * Round tick values from 0 to at least `max`, about `count` of them, on 1-2-5 steps.
 * @param {number} max
 * @param {number} count
 * @param {boolean} integer  whole steps only (users cannot be fractional)
 * @returns {{ top: number, ticks: number[] }}
 */
export function niceTicks(max, count, integer) {
  const target = max > 0 && Number.isFinite(max) ? max : 1;
  let step = niceStep(target / Math.max(1, count));
  if (integer) step = Math.max(1, Math.round(step));
  const top = Math.ceil(target / step) * step;
  const ticks = [];
  for (let value = 0; value <= top + step / 2; value += step) ticks.push(Number(value.toPrecision(12)));
  return { top, ticks };
}

/** @param {number} raw */
function niceStep(raw) {
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const residual = raw / magnitude;
  const factor = residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10;
  return factor * magnitude;
}

/** Steps a clock reader expects on a time axis: whole seconds, minutes and hours. */
const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/**
 * Tick times (Unix seconds) between from and to, spaced at least minGapPx apart.
 * @param {number} from
 * @param {number} to
 * @param {number} widthPx
 * @param {number} minGapPx
 */
export function timeTicks(from, to, widthPx, minGapPx) {
  const span = Math.max(1, to - from);
  const pxPerSecond = widthPx / span;
  const step = TIME_STEPS.find((s) => s * pxPerSecond >= minGapPx) ?? Math.ceil(minGapPx / pxPerSecond);
  const ticks = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) ticks.push(t);
  return ticks;
}

/**
 * The first index in [lo, hi) whose time is >= t (times ascending); hi when none is.
 * @param {readonly number[]} times
 * @param {number} t
 */
export function lowerBound(times, t, lo = 0, hi = times.length) {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (/** @type {number} */ (times[mid]) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The index in [start, end) nearest to time t, or -1 for an empty range.
 * @param {readonly number[]} times
 * @param {number} t
 */
export function nearestIndex(times, t, start = 0, end = times.length) {
  if (end <= start) return -1;
  const after = Math.min(lowerBound(times, t, start, end), end - 1);
  const before = Math.max(start, after - 1);
  const distance = (/** @type {number} */ i) => Math.abs(/** @type {number} */ (times[i]) - t);
  return distance(before) <= distance(after) ? before : after;
}

/**
 * The largest value among the given columns within [start, end); 0 when all are null.
 * @param {ReadonlyArray<ReadonlyArray<number | null>>} columns
 * @param {number} start
 * @param {number} end
 */
export function maxInRange(columns, start, end) {
  let max = 0;
  for (const values of columns) {
    for (let i = start; i < end; i++) {
      const v = values[i];
      if (v !== null && v !== undefined && v > max) max = v;
    }
  }
  return max;
}

/**
 * The first index whose time is > t (times ascending).
 * @param {readonly number[]} times
 * @param {number} t
 */
export function upperBound(times, t) {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (/** @type {number} */ (times[mid]) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
