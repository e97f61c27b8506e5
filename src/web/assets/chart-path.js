// @ts-check
/**
 * How a series becomes a canvas path: where a value lands on the plot, gaps for nulls, and
 * min/max decimation when there are more points than pixels.
 *
 * @typedef {import('./line-chart.js').Plot} Plot
 * @typedef {import('./line-chart.js').ChartLine} ChartLine
 */

/** @param {Plot} plot @param {number} t */
export function xOf(plot, t) {
  return plot.left + ((t - plot.xMin) / (plot.xMax - plot.xMin || 1)) * (plot.right - plot.left);
}

/** @param {Plot} plot @param {number} v */
export function yOf(plot, v) {
  return plot.bottom - (v / plot.yTop) * (plot.bottom - plot.top);
}

/**
 * @param {CanvasRenderingContext2D} ctx
 * @param {Plot} plot
 * @param {readonly number[]} t
 * @param {readonly ChartLine[]} lines
 * @param {number} start  the first index on the plot
 * @param {number} end  one past the last
 */
export function drawLines(ctx, plot, t, lines, start, end) {
  ctx.save();
  // Lines stay inside the plot even if a value falls outside the axis (a negative reading).
  ctx.beginPath();
  ctx.rect(plot.left - 2, plot.top - 2, plot.right - plot.left + 4, plot.bottom - plot.top + 4);
  ctx.clip();
  for (const line of lines) drawLine(ctx, plot, t, line, start, end);
  ctx.restore();
}

/**
 * @param {CanvasRenderingContext2D} ctx
 * @param {Plot} plot
 * @param {readonly number[]} t
 * @param {ChartLine} line
 * @param {number} start
 * @param {number} end
 */
function drawLine(ctx, plot, t, line, start, end) {
  ctx.strokeStyle = line.color;
  ctx.lineWidth = 1.5;
  ctx.lineJoin = 'round';
  // Round caps make a lone point between two gaps (a moveTo plus a zero-length lineTo) a dot.
  ctx.lineCap = 'round';
  ctx.beginPath();
  if (end - start > plot.right - plot.left) traceDecimated(ctx, plot, t, line.values, start, end);
  else traceEach(ctx, plot, t, line.values, start, end);
  ctx.stroke();
}

/**
 * @param {CanvasRenderingContext2D} ctx
 * @param {Plot} plot
 * @param {readonly number[]} t
 * @param {ReadonlyArray<number | null>} values
 * @param {number} start
 * @param {number} end
 */
function traceEach(ctx, plot, t, values, start, end) {
  let penDown = false;
  for (let i = start; i < end; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      penDown = false;
      continue;
    }
    const x = xOf(plot, /** @type {number} */ (t[i]));
    const y = yOf(plot, v);
    if (!penDown) ctx.moveTo(x, y);
    ctx.lineTo(x, y);
    penDown = true;
  }
}

/**
 * More points than pixel columns: each column draws only its lowest and highest value (in the
 * order they happened), so a one-second spike still shows while an hour of points costs no more
 * than the chart's width in path segments.
 * @param {CanvasRenderingContext2D} ctx
 * @param {Plot} plot
 * @param {readonly number[]} t
 * @param {ReadonlyArray<number | null>} values
 * @param {number} start
 * @param {number} end
 */
function traceDecimated(ctx, plot, t, values, start, end) {
  const bucket = { column: Number.NaN, low: 0, high: 0, lowAt: 0, highAt: 0, filled: false };
  let penDown = false;
  const flush = () => {
    if (!bucket.filled) {
      penDown = false;
      return;
    }
    const x = bucket.column + 0.5;
    const [first, second] = bucket.lowAt <= bucket.highAt ? [bucket.low, bucket.high] : [bucket.high, bucket.low];
    if (!penDown) ctx.moveTo(x, yOf(plot, first));
    ctx.lineTo(x, yOf(plot, first));
    ctx.lineTo(x, yOf(plot, second));
    penDown = true;
  };
  for (let i = start; i < end; i++) {
    const column = Math.floor(xOf(plot, /** @type {number} */ (t[i])));
    if (column !== bucket.column) {
      if (!Number.isNaN(bucket.column)) flush();
      bucket.column = column;
      bucket.filled = false;
    }
    addToBucket(bucket, values[i], i);
  }
  if (!Number.isNaN(bucket.column)) flush();
}

/**
 * @param {{ low: number, high: number, lowAt: number, highAt: number, filled: boolean }} bucket
 * @param {number | null | undefined} v
 * @param {number} i
 */
function addToBucket(bucket, v, i) {
  if (v === null || v === undefined) return;
  if (!bucket.filled) {
    Object.assign(bucket, { low: v, high: v, lowAt: i, highAt: i, filled: true });
  } else if (v < bucket.low) {
    bucket.low = v;
    bucket.lowAt = i;
  } else if (v > bucket.high) {
    bucket.high = v;
    bucket.highAt = i;
  }
}
