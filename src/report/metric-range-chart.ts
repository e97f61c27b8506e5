/**
 * A one-line chart of a custom metric's distribution for its table row: the min–max range as a
 * thin line, p50–p95 as a box, p99 as a tick. Each metric has its own scale (they have different
 * units), so the chart shows the shape of the distribution (a long tail, a tight cluster), not
 * comparisons between rows. Built from numbers only; labels are escaped.
 */
import type { MetricSummary } from '../stats/types.js';
import { escapeXml } from './svg-chart.js';

const WIDTH = 180;
const HEIGHT = 18;
const PAD = 4;

function fmt(n: number): string {
  return String(Number(n.toPrecision(4)));
}

export function metricRangeChartSvg(m: MetricSummary): string {
  const { min, max, p50, p95, p99 } = m;
  if (min === null || max === null || p50 === null || p95 === null || p99 === null) return '';
  const lo = Math.min(0, min);
  const span = max - lo || 1;
  const x = (v: number): string => (PAD + ((v - lo) / span) * (WIDTH - 2 * PAD)).toFixed(1);
  const mid = HEIGHT / 2;
  const title = `min ${fmt(min)} · p50 ${fmt(p50)} · p95 ${fmt(p95)} · p99 ${fmt(p99)} · max ${fmt(max)}`;
  const boxW = Math.max(1.5, Number(x(p95)) - Number(x(p50))).toFixed(1);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="range" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img">`,
    `<title>${escapeXml(title)}</title>`,
    `<line x1="${x(min)}" x2="${x(max)}" y1="${mid}" y2="${mid}" stroke="#9aa5b1" stroke-width="1.5"/>`,
    `<rect x="${x(p50)}" y="${mid - 5}" width="${boxW}" height="10" fill="#2a7ab0" fill-opacity="0.75"/>`,
    `<line x1="${x(p99)}" x2="${x(p99)}" y1="${mid - 6}" y2="${mid + 6}" stroke="#8e44ad" stroke-width="2"/>`,
    '</svg>',
  ].join('');
}
