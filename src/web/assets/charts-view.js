// @ts-check
import { byId } from './dom.js';
import { createLineChart } from './line-chart.js';

/**
 * The Charts tab: three charts over the run's total or one endpoint, picked in #chart-endpoint.
 * Drawing is the page's most expensive work, so it happens only while the tab is visible and at
 * most once per animation frame, however many updates, resizes and pointer moves ask for it.
 *
 * @typedef {import('./history.js').Series} Series
 * @typedef {import('./line-chart.js').ChartLine} ChartLine
 * @typedef {import('./line-chart.js').ChartTheme} ChartTheme
 * @typedef {ReturnType<typeof import('./history.js').createHistoryStore>} HistoryStore
 * @typedef {{ rps: string, fail: string, p50: string, p95: string, p99: string, users: string }} Palette
 */

/** Early in a run the time axis spans at least this long, so two points do not fill the width. */
const MIN_SPAN_SEC = 30;

/**
 * @typedef {object} ChartSpec
 * @property {ReturnType<typeof createLineChart>} chart
 * @property {HTMLCanvasElement} canvas
 * @property {boolean} totalOnly  users are measured for the whole run only
 * @property {(series: Series, palette: Palette) => ChartLine[]} lines
 */

/** @param {HistoryStore} history */
export function createChartsView(history) {
  const select = byId('chart-endpoint', HTMLSelectElement);
  const specs = [
    chartSpec('chart-rps', false, '', (s, p) => [
      { label: 'requests/s', color: p.rps, values: s.rps },
      { label: 'failures/s', color: p.fail, values: s.failPerSec },
    ]),
    chartSpec('chart-latency', false, ' ms', (s, p) => [
      { label: 'p50', color: p.p50, values: s.p50 },
      { label: 'p95', color: p.p95, values: s.p95 },
      { label: 'p99', color: p.p99, values: s.p99 },
    ]),
    chartSpec('chart-users', true, '', (s, p) => [{ label: 'users', color: p.users, values: s.users }]),
  ];
  const view = { visible: false, frame: 0, hoverTime: /** @type {number | null} */ (null), endpointList: '' };
  /** @type {{ theme: ChartTheme, palette: Palette } | null} */
  let style = null;

  function invalidate() {
    if (!view.visible || view.frame !== 0) return;
    view.frame = requestAnimationFrame(draw);
  }

  function draw() {
    view.frame = 0;
    if (!view.visible) return;
    style ??= readStyle();
    const total = history.total();
    const selected = (select.value && history.endpoint(select.value)) || total;
    const { xMin, xMax } = timeRange(selected.t.length > 0 ? selected.t : total.t);
    for (const spec of specs) {
      const series = spec.totalOnly ? total : selected;
      const frame = { t: series.t, lines: spec.lines(series, style.palette), xMin, xMax, hoverTime: view.hoverTime };
      spec.chart.draw(frame, style.theme);
    }
  }

  /** @param {number | null} time */
  function hover(time) {
    view.hoverTime = time;
    if (time === null) specs.forEach((spec) => spec.chart.hideTip());
    invalidate();
  }

  /** Rebuilds the endpoint picker when the set of endpoints changed (a new one, or a new run). */
  function syncEndpoints() {
    const keys = history.endpointKeys().sort();
    const list = keys.join('\n');
    if (list === view.endpointList) return;
    view.endpointList = list;
    const current = select.value;
    select.replaceChildren(new Option('Total', ''), ...keys.map((key) => new Option(key, key)));
    select.value = keys.includes(current) ? current : '';
  }

  /** @param {boolean} visible */
  function setVisible(visible) {
    view.visible = visible;
    // A hidden canvas gets no pointerleave: drop the crosshair so it is not there on return.
    if (!visible) hover(null);
    invalidate();
  }

  for (const spec of specs) {
    spec.canvas.addEventListener('pointermove', (event) => hover(spec.chart.timeAt(event.offsetX)));
    spec.canvas.addEventListener('pointerleave', () => hover(null));
  }
  select.addEventListener('change', invalidate);
  // A resized canvas (window, tab shown, sidebar) must be redrawn at its new pixel size; resize
  // also fires when the page is zoomed, which changes devicePixelRatio.
  const observer = new ResizeObserver(invalidate);
  specs.forEach((spec) => observer.observe(spec.canvas));
  window.addEventListener('resize', invalidate);

  return { invalidate, syncEndpoints, setVisible };
}

/**
 * @param {string} canvasId
 * @param {boolean} totalOnly
 * @param {string} unit
 * @param {ChartSpec['lines']} lines
 * @returns {ChartSpec}
 */
function chartSpec(canvasId, totalOnly, unit, lines) {
  const canvas = byId(canvasId, HTMLCanvasElement);
  const tip = canvas.parentElement?.querySelector('.chart-tip');
  if (!(tip instanceof HTMLElement)) throw new Error(`index.html has no .chart-tip beside #${canvasId}`);
  const chart = createLineChart(canvas, tip, { integer: totalOnly, unit });
  return { chart, canvas, totalOnly, lines };
}

/** @param {readonly number[]} times */
function timeRange(times) {
  const first = times[0] ?? 0;
  const last = times.at(-1) ?? 0;
  return { xMin: first, xMax: Math.max(last, first + MIN_SPAN_SEC) };
}

/**
 * The chart colours live in app.css (as custom properties) beside the legend swatches that use
 * them, so the legend and the lines cannot disagree.
 * @returns {{ theme: ChartTheme, palette: Palette }}
 */
function readStyle() {
  const css = getComputedStyle(document.documentElement);
  const read = (/** @type {string} */ name, /** @type {string} */ fallback) => css.getPropertyValue(name).trim() || fallback;
  return {
    theme: {
      text: read('--chart-text', '#5b6878'),
      grid: read('--chart-grid', '#e6e9ed'),
      axis: read('--chart-axis', '#8a97a6'),
      font: `11px ${read('--font-sans', 'sans-serif')}`,
    },
    palette: {
      rps: read('--series-rps', '#2a7ab0'),
      fail: read('--series-fail', '#c0392b'),
      p50: read('--series-p50', '#27ae60'),
      p95: read('--series-p95', '#e67e22'),
      p99: read('--series-p99', '#8e44ad'),
      users: read('--series-users', '#34495e'),
    },
  };
}
