// @ts-check
import { lowerBound, maxInRange, nearestIndex, niceTicks, timeTicks, upperBound } from './chart-scale.js';
import { formatAxisValue, formatClockTime, formatNumber } from './format.js';
import { element } from './dom.js';
import { drawLines, xOf, yOf } from './chart-path.js';

/**
 * A small canvas line chart over time. Everything it draws is numbers and labels chosen by the
 * page; text reaches the canvas through fillText and the tooltip through textContent, so nothing
 * from the server is ever parsed as markup.
 *
 * @typedef {object} ChartLine
 * @property {string} label
 * @property {string} color  a CSS colour
 * @property {ReadonlyArray<number | null>} values  one per time; null is a gap
 *
 * @typedef {object} ChartFrame
 * @property {readonly number[]} t  Unix seconds, ascending
 * @property {ChartLine[]} lines
 * @property {number} xMin
 * @property {number} xMax
 * @property {number | null} hoverTime
 *
 * @typedef {object} ChartTheme
 * @property {string} text
 * @property {string} grid
 * @property {string} axis
 * @property {string} font
 *
 * @typedef {{ left: number, right: number, top: number, bottom: number, xMin: number, xMax: number, yTop: number }} Plot
 */

const MIN_TIME_LABEL_GAP_PX = 84;
const ROW_HEIGHT_PER_Y_TICK_PX = 44;
/** Room for a "1500" label: charts stacked one above another then share the same time axis. */
const MIN_LEFT_MARGIN_PX = 44;

/**
 * @param {HTMLCanvasElement} canvas
 * @param {HTMLElement} tip  the tooltip box beside the canvas
 * @param {{ integer: boolean, unit: string }} options
 */
export function createLineChart(canvas, tip, options) {
  /** @type {Plot | null} */
  let plot = null;

  /**
   * @param {ChartFrame} frame
   * @param {ChartTheme} theme
   */
  function draw(frame, theme) {
    const surface = fitCanvas(canvas);
    if (!surface) return;
    const { ctx, width, height } = surface;
    ctx.clearRect(0, 0, width, height);
    ctx.font = theme.font;
    const start = lowerBound(frame.t, frame.xMin);
    const end = upperBound(frame.t, frame.xMax);
    const yMax = maxInRange(frame.lines.map((line) => line.values), start, end);
    const yTicks = niceTicks(yMax, Math.max(2, Math.floor(height / ROW_HEIGHT_PER_Y_TICK_PX)), options.integer);
    const labels = yTicks.ticks.map(formatAxisValue);
    const labelWidth = Math.max(...labels.map((label) => ctx.measureText(label).width));
    plot = { left: Math.max(MIN_LEFT_MARGIN_PX, Math.ceil(labelWidth) + 12), right: width - 14, top: 10, bottom: height - 24, xMin: frame.xMin, xMax: frame.xMax, yTop: yTicks.top };
    drawYAxis(ctx, plot, yTicks.ticks, labels, theme);
    if (end <= start) {
      drawEmpty(ctx, plot, theme);
      hideTip();
      return;
    }
    drawTimeAxis(ctx, plot, theme);
    drawLines(ctx, plot, frame.t, frame.lines, start, end);
    drawHover(ctx, plot, frame, start, end, theme);
  }

  /**
   * The time under a pointer, or null outside the plot.
   * @param {number} offsetX  CSS pixels from the canvas's left edge
   */
  function timeAt(offsetX) {
    if (!plot || offsetX < plot.left || offsetX > plot.right) return null;
    return plot.xMin + ((offsetX - plot.left) / (plot.right - plot.left)) * (plot.xMax - plot.xMin);
  }

  /**
   * @param {CanvasRenderingContext2D} ctx
   * @param {Plot} area
   * @param {ChartFrame} frame
   * @param {number} start
   * @param {number} end
   * @param {ChartTheme} theme
   */
  function drawHover(ctx, area, frame, start, end, theme) {
    if (frame.hoverTime === null) return hideTip();
    const index = nearestIndex(frame.t, frame.hoverTime, start, end);
    const time = /** @type {number} */ (frame.t[index]);
    const x = xOf(area, time);
    ctx.strokeStyle = theme.axis;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(Math.round(x) + 0.5, area.top);
    ctx.lineTo(Math.round(x) + 0.5, area.bottom);
    ctx.stroke();
    showTip(x, time, frame.lines.map((line) => ({ line, value: line.values[index] ?? null })));
  }

  /**
   * @param {number} x
   * @param {number} time
   * @param {Array<{ line: ChartLine, value: number | null }>} readings
   */
  function showTip(x, time, readings) {
    const rows = readings.map(({ line, value }) => {
      const swatch = element('span', { className: 'swatch' });
      swatch.style.backgroundColor = line.color;
      const reading = value === null ? '—' : `${formatNumber(value)}${options.unit}`;
      return element('div', {}, [swatch, `${line.label}: ${reading}`]);
    });
    tip.replaceChildren(element('div', { className: 'tip-time', text: formatClockTime(time) }), ...rows);
    tip.hidden = false;
    const box = canvas.clientWidth;
    const left = x + 12 + tip.offsetWidth > box ? x - 12 - tip.offsetWidth : x + 12;
    tip.style.left = `${Math.max(0, left)}px`;
  }

  function hideTip() {
    tip.hidden = true;
  }

  return { draw, timeAt, hideTip };
}

/**
 * Sizes the backing store to the element's CSS size times devicePixelRatio, so lines are sharp
 * on high-density screens, and scales the context so drawing code works in CSS pixels.
 * @param {HTMLCanvasElement} canvas
 */
function fitCanvas(canvas) {
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  const ctx = canvas.getContext('2d');
  if (width === 0 || height === 0 || !ctx) return null;
  const ratio = window.devicePixelRatio || 1;
  const pixelWidth = Math.round(width * ratio);
  const pixelHeight = Math.round(height * ratio);
  if (canvas.width !== pixelWidth) canvas.width = pixelWidth;
  if (canvas.height !== pixelHeight) canvas.height = pixelHeight;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return { ctx, width, height };
}

/**
 * @param {CanvasRenderingContext2D} ctx
 * @param {Plot} plot
 * @param {number[]} ticks
 * @param {string[]} labels
 * @param {ChartTheme} theme
 */
function drawYAxis(ctx, plot, ticks, labels, theme) {
  ctx.lineWidth = 1;
  ctx.strokeStyle = theme.grid;
  ctx.fillStyle = theme.text;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  ctx.beginPath();
  ticks.forEach((tick, index) => {
    const y = Math.round(yOf(plot, tick)) + 0.5;
    ctx.moveTo(plot.left, y);
    ctx.lineTo(plot.right, y);
    ctx.fillText(labels[index] ?? '', plot.left - 6, y);
  });
  ctx.stroke();
}

/**
 * @param {CanvasRenderingContext2D} ctx
 * @param {Plot} plot
 * @param {ChartTheme} theme
 */
function drawTimeAxis(ctx, plot, theme) {
  ctx.fillStyle = theme.text;
  ctx.strokeStyle = theme.axis;
  ctx.textBaseline = 'top';
  ctx.beginPath();
  for (const t of timeTicks(plot.xMin, plot.xMax, plot.right - plot.left, MIN_TIME_LABEL_GAP_PX)) {
    const x = Math.round(xOf(plot, t)) + 0.5;
    const label = formatClockTime(t);
    const half = ctx.measureText(label).width / 2;
    // Keep the first and last labels inside the canvas instead of cutting them off.
    ctx.textAlign = x - half < 0 ? 'left' : x + half > plot.right + 14 ? 'right' : 'center';
    ctx.fillText(label, x, plot.bottom + 7);
    ctx.moveTo(x, plot.bottom);
    ctx.lineTo(x, plot.bottom + 4);
  }
  ctx.stroke();
}

/**
 * @param {CanvasRenderingContext2D} ctx
 * @param {Plot} plot
 * @param {ChartTheme} theme
 */
function drawEmpty(ctx, plot, theme) {
  ctx.fillStyle = theme.text;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText('Waiting for data', (plot.left + plot.right) / 2, (plot.top + plot.bottom) / 2);
}
