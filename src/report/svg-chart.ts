/**
 * Line charts drawn server-side as inline SVG: the report stays one self-contained file with no
 * chart library, and the charts show even where scripts do not run. Output is built only from
 * numbers and the given labels, which are XML-escaped here, so it can be inserted into the page
 * verbatim. Lines are compact relative paths (about 8 bytes a point), which is what keeps a
 * 1-hour, 50-endpoint report under its size budget.
 */

export interface ChartSeries {
  label: string;
  /** A CSS colour literal such as "#1f77b4" (constant, chosen by the caller, never from the network). */
  color: string;
  /** One value per time; null leaves a gap. */
  values: ReadonlyArray<number | null>;
  /** How buckets are merged when there are more points than maxPoints: "max" keeps latency spikes. */
  reduce?: 'max' | 'mean';
}

/** A vertical line at a moment, e.g. the start of a load-shape stage. */
export interface ChartMarker {
  /** Unix seconds. */
  atSec: number;
  label: string;
  /** A second, smaller line under the label ("300 users"). */
  detail?: string;
}

/** A shaded span of time, e.g. intervals where the load generator itself was overloaded. */
export interface ChartBand {
  fromSec: number;
  toSec: number;
  /** Shown on hover after the band label ("CPU 97%"). */
  detail?: string;
}

export interface LineChartSpec {
  title: string;
  /** Shown after the title in parentheses; '' for none (a custom metric's values have no known unit). */
  unit: string;
  /** Unix seconds, ascending; the x axis shows time since originSec. */
  times: readonly number[];
  series: readonly ChartSeries[];
  width?: number;
  height?: number;
  /** More points than this are merged into buckets (a 1-hour run has 3 600). */
  maxPoints?: number;
  /** Where the x axis starts (Unix seconds); default the first time. The run's start, so markers line up. */
  originSec?: number;
  markers?: readonly ChartMarker[];
  bands?: readonly ChartBand[];
  /** Legend text for the bands (shown only when a band is visible). */
  bandLabel?: string;
}

const MARGIN = { left: 64, right: 16, top: 40, bottom: 32 };
/** Extra room above the plot for stage labels, so they never sit on the data. */
const MARKER_STRIP = 26;

function chartTitle(spec: Pick<LineChartSpec, 'title' | 'unit'>): string {
  return spec.unit === '' ? spec.title : `${spec.title} (${spec.unit})`;
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A round step (1, 2 or 5 × 10^k) giving about `ticks` intervals over `range`. */
export function niceStep(range: number, ticks: number): number {
  if (!(range > 0) || !Number.isFinite(range)) return 1;
  const raw = range / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
}

function reduceBucket(values: ReadonlyArray<number | null | undefined>, how: 'max' | 'mean'): number | null {
  let count = 0;
  let acc = how === 'max' ? -Infinity : 0;
  for (const v of values) {
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    count++;
    acc = how === 'max' ? Math.max(acc, v) : acc + v;
  }
  if (count === 0) return null;
  return how === 'max' ? acc : acc / count;
}

/** Merges consecutive points into at most maxPoints buckets (time = the bucket's first time). */
export function downsample(
  times: readonly number[], series: readonly ChartSeries[], maxPoints: number,
): { times: number[]; values: Array<Array<number | null>> } {
  const size = Math.max(1, Math.ceil(times.length / Math.max(1, maxPoints)));
  const outTimes: number[] = [];
  const outValues: Array<Array<number | null>> = series.map(() => []);
  for (let start = 0; start < times.length; start += size) {
    outTimes.push(times[start] ?? 0);
    series.forEach((s, i) => {
      outValues[i]?.push(reduceBucket(s.values.slice(start, start + size), s.reduce ?? 'mean'));
    });
  }
  return { times: outTimes, values: outValues };
}

const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/** A step on the clock (10 s, 5 min, 1 h…) giving at most about `ticks` intervals over `spanSecs`. */
export function timeStep(spanSecs: number, ticks: number): number {
  const raw = spanSecs / ticks;
  return TIME_STEPS.find((s) => s >= raw) ?? Math.ceil(raw / 86400) * 86400;
}

function formatElapsed(secs: number): string {
  const s = Math.round(secs);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

function formatTick(v: number): string {
  return String(Number(v.toPrecision(6)));
}

/** Tenths of a pixel, printed shortest ("12.3", "-4", "0.5"). */
function tenths(n: number): string {
  return String(n / 10);
}

/**
 * One SVG path for a series: "M x,y" then relative "l dx,dy" steps, in tenths of a pixel, split
 * into subpaths at gaps. Steps are differences of rounded absolute positions, so no error accumulates.
 */
export function compactPath(xs: readonly number[], ys: ReadonlyArray<number | null>): { d: string; points: number } {
  const parts: string[] = [];
  let prev: [number, number] | null = null;
  let points = 0;
  ys.forEach((y, i) => {
    const x = xs[i];
    if (y === null || x === undefined) {
      prev = null;
      return;
    }
    const cur: [number, number] = [Math.round(x * 10), Math.round(y * 10)];
    points++;
    if (prev === null) parts.push(`M${tenths(cur[0])},${tenths(cur[1])}l`);
    else {
      const dy = tenths(cur[1] - prev[1]);
      const pair = `${tenths(cur[0] - prev[0])}${dy.startsWith('-') ? '' : ','}${dy}`;
      const last = parts[parts.length - 1] ?? '';
      parts.push(last.endsWith('l') || pair.startsWith('-') ? pair : ` ${pair}`);
    }
    prev = cur;
  });
  // A lone "M…l" draws nothing: give single points a zero-length step (round caps make it a dot).
  const d = parts.join('').replace(/l(?=M|$)/g, 'l0,0');
  return { d, points };
}

interface Frame {
  width: number;
  height: number;
  /** The plot's top edge (below the title, legend and marker labels). */
  top: number;
  t0: number;
  span: number;
  yMax: number;
  xOf(t: number): number;
  yOf(v: number): number;
}

function frameFor(spec: LineChartSpec, times: readonly number[], all: readonly number[]): Frame {
  const width = spec.width ?? 900;
  const height = spec.height ?? 260;
  const plotW = width - MARGIN.left - MARGIN.right;
  const top = MARGIN.top + ((spec.markers ?? []).length > 0 ? MARKER_STRIP : 0);
  const plotH = height - top - MARGIN.bottom;
  const t0 = spec.originSec ?? times[0] ?? 0;
  const span = Math.max(1, (times[times.length - 1] ?? t0) - t0);
  const highest = all.reduce((a, b) => Math.max(a, b), 0);
  const step = niceStep(highest, 4);
  const yMax = Math.max(step, Math.ceil(highest / step) * step);
  return {
    width, height, top, t0, span, yMax,
    xOf: (t) => MARGIN.left + ((t - t0) / span) * plotW,
    yOf: (v) => top + plotH - (v / yMax) * plotH,
  };
}

function axes(f: Frame): string[] {
  const parts: string[] = [];
  const step = niceStep(f.yMax, 4);
  for (let v = 0; v <= f.yMax + step / 2; v += step) {
    const y = f.yOf(v).toFixed(1);
    parts.push(`<line x1="${MARGIN.left}" x2="${f.width - MARGIN.right}" y1="${y}" y2="${y}" class="grid"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${y}" class="ytick">${escapeXml(formatTick(v))}</text>`);
  }
  const xStep = timeStep(f.span, 6);
  for (let s = 0; s <= f.span; s += xStep) {
    parts.push(`<text x="${f.xOf(f.t0 + s).toFixed(1)}" y="${f.height - 10}" class="xtick">${formatElapsed(s)}</text>`);
  }
  return parts;
}

function bandsSvg(f: Frame, bands: readonly ChartBand[], label: string): string[] {
  const left = MARGIN.left;
  const right = f.width - MARGIN.right;
  const out: string[] = [];
  for (const b of bands) {
    const x1 = Math.max(left, f.xOf(b.fromSec));
    const x2 = Math.min(right, f.xOf(b.toSec));
    if (!(x2 > x1)) continue;
    const h = f.height - f.top - MARGIN.bottom;
    out.push(`<rect class="band" x="${x1.toFixed(1)}" y="${f.top}" width="${Math.max(1, x2 - x1).toFixed(1)}" height="${h}"><title>${escapeXml(b.detail === undefined ? label : `${label}: ${b.detail}`)}</title></rect>`);
  }
  return out;
}

function markersSvg(f: Frame, markers: readonly ChartMarker[]): string[] {
  const out: string[] = [];
  let lastLabelEnd = -Infinity;
  for (const m of markers) {
    const x = f.xOf(m.atSec);
    if (x < MARGIN.left - 0.5 || x > f.width - MARGIN.right + 0.5) continue;
    const text = m.detail === undefined ? m.label : `${m.label}: ${m.detail}`;
    out.push(`<line class="marker" x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${MARGIN.top + 2}" y2="${f.height - MARGIN.bottom}"><title>${escapeXml(text)}</title></line>`);
    const widthPx = Math.max(m.label.length, m.detail?.length ?? 0) * 5.6 + 6;
    if (x + 3 < lastLabelEnd || x + widthPx > f.width) continue;
    lastLabelEnd = x + 3 + widthPx;
    const y = MARGIN.top + 9;
    const detail = m.detail === undefined ? '' : `<tspan x="${(x + 3).toFixed(1)}" dy="11">${escapeXml(m.detail)}</tspan>`;
    out.push(`<text class="marker-label" x="${(x + 3).toFixed(1)}" y="${y}">${escapeXml(m.label)}${detail}</text>`);
  }
  return out;
}

function legend(spec: LineChartSpec, showBand: boolean): string[] {
  const out: string[] = [];
  // After the title (estimated width), so a long title never runs under the legend.
  let lx = Math.max(MARGIN.left + 280, MARGIN.left + 24 + chartTitle(spec).length * 7.4);
  for (const series of spec.series) {
    out.push(`<rect x="${lx}" y="8" width="12" height="3" fill="${escapeXml(series.color)}"/>`);
    out.push(`<text x="${lx + 16}" y="14" class="legend">${escapeXml(series.label)}</text>`);
    lx += 24 + Math.max(60, series.label.length * 7);
  }
  if (showBand) {
    out.push(`<rect x="${lx}" y="4" width="12" height="12" class="band"/>`);
    out.push(`<text x="${lx + 16}" y="14" class="legend">${escapeXml(spec.bandLabel ?? 'shaded')}</text>`);
  }
  return out;
}

export function lineChartSvg(spec: LineChartSpec): string {
  const { times, values } = downsample(spec.times, spec.series, spec.maxPoints ?? 1000);
  const all = values.flat().filter((v): v is number => v !== null && Number.isFinite(v));
  const f = frameFor(spec, times, all);
  const bands = all.length === 0 ? [] : bandsSvg(f, spec.bands ?? [], spec.bandLabel ?? 'shaded');
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${f.width} ${f.height}" width="${f.width}" height="${f.height}" role="img" data-points="${all.length}">`,
    `<title>${escapeXml(spec.title)}</title>`,
    `<text x="${MARGIN.left}" y="16" class="chart-title">${escapeXml(chartTitle(spec))}</text>`,
    ...bands,
    ...axes(f),
    ...markersSvg(f, spec.markers ?? []),
  ];
  const xs = times.map((t) => f.xOf(t));
  spec.series.forEach((series, i) => {
    const ys = (values[i] ?? []).map((v) => (v === null || !Number.isFinite(v) ? null : f.yOf(v)));
    const path = compactPath(xs, ys);
    if (path.points > 0) {
      parts.push(`<path class="line" fill="none" stroke-width="1.5" stroke-linejoin="round" stroke-linecap="round" stroke="${escapeXml(series.color)}" data-series="${escapeXml(series.label)}" data-points="${path.points}" d="${path.d}"/>`);
    }
  });
  parts.push(...legend(spec, bands.length > 0));
  if (all.length === 0) {
    parts.push(`<text x="${f.width / 2}" y="${f.height / 2}" class="nodata">no data</text>`);
  }
  parts.push('</svg>');
  return parts.join('\n');
}
