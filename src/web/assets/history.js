// @ts-check
/**
 * The charts' time series, kept as one array per field (columnar): the chart code walks one
 * field at a time, and trimming the oldest second is one splice per array. Capped client-side so
 * a page left open on a long run does not grow without bound.
 *
 * @typedef {import('../ui-payload.js').UiPoint} UiPoint
 * @typedef {import('../ui-payload.js').UiUpdate['history']} UiHistory
 * @typedef {'rps' | 'failPerSec' | 'p50' | 'p95' | 'p99' | 'users'} SeriesField
 * @typedef {{ t: number[] } & Record<SeriesField, Array<number | null>>} Series
 */

/** @type {readonly SeriesField[]} */
const FIELDS = ['rps', 'failPerSec', 'p50', 'p95', 'p99', 'users'];

/** @returns {Series} */
export function createSeries() {
  return { t: [], rps: [], failPerSec: [], p50: [], p95: [], p99: [], users: [] };
}

/**
 * @param {{ totalCap: number, endpointCap: number }} caps
 */
export function createHistoryStore(caps) {
  let total = createSeries();
  /** @type {Map<string, Series>} */
  let endpoints = new Map();

  /**
   * @param {UiHistory | undefined} history
   * @param {boolean} reset  the history holds everything: replace what we have
   */
  function apply(history, reset) {
    if (reset) {
      total = createSeries();
      endpoints = new Map();
    }
    if (!history) return;
    appendPoints(total, history.total ?? [], caps.totalCap);
    for (const [key, points] of Object.entries(history.endpoints ?? {})) {
      let series = endpoints.get(key);
      if (!series) {
        series = createSeries();
        endpoints.set(key, series);
      }
      appendPoints(series, points, caps.endpointCap);
    }
  }

  return {
    apply,
    total: () => total,
    /** @param {string} key */
    endpoint: (key) => endpoints.get(key),
    endpointKeys: () => [...endpoints.keys()],
  };
}

/**
 * Appends in time order. A point not after the last one is dropped: the time axis and the
 * hover's binary search assume strictly increasing times, and an overlap can only be a repeat.
 * @param {Series} series
 * @param {readonly UiPoint[]} points
 * @param {number} cap
 */
function appendPoints(series, points, cap) {
  for (const point of points) {
    const last = series.t.at(-1);
    if (last !== undefined && !(point.t > last)) continue;
    series.t.push(point.t);
    for (const field of FIELDS) series[field].push(numberOrNull(point[field]));
  }
  const excess = series.t.length - cap;
  if (excess <= 0) return;
  series.t.splice(0, excess);
  for (const field of FIELDS) series[field].splice(0, excess);
}

/** @param {unknown} value */
function numberOrNull(value) {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
