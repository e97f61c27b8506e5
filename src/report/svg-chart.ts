/**
 * Line charts drawn server-side as inline SVG: the report stays one self-contained file with no
 * chart library and no script needed to see the data. Output is built only from numbers and
 * the given labels, which are XML-escaped here, so it can be inserted into the page verbatim.
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

export interface LineChartSpec {
  title: string;
  unit: string;
  /** Unix seconds, ascending; the x axis shows time since the first one. */
  times: readonly number[];
  series: readonly ChartSeries[];
  width?: number;
  height?: number;
  /** More points than this are merged into buckets (a 1-hour run has 3 600). */
  maxPoints?: number;
}

const MARGIN = { left: 64, right: 16, top: 40, bottom: 32 };

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

function reduceBucket(values: Array<number | null>, how: 'max' | 'mean'): number | null {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length === 0) return null;
  return how === 'max' ? Math.max(...present) : present.reduce((a, b) => a + b, 0) / present.length;
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
      const bucket = s.values.slice(start, start + size).map((v) => v ?? null);
      outValues[i]?.push(reduceBucket(bucket, s.reduce ?? 'mean'));
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

/** Polyline segments of one series, split at gaps. */
function segments(xs: readonly number[], ys: ReadonlyArray<number | null>): string[] {
  const out: string[] = [];
  let current: string[] = [];
  ys.forEach((y, i) => {
    const x = xs[i];
    if (y === null || x === undefined) {
      if (current.length > 0) out.push(current.join(' '));
      current = [];
    } else current.push(`${x.toFixed(1)},${y.toFixed(1)}`);
  });
  if (current.length > 0) out.push(current.join(' '));
  return out;
}

export function lineChartSvg(spec: LineChartSpec): string {
  const width = spec.width ?? 900;
  const height = spec.height ?? 260;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const { times, values } = downsample(spec.times, spec.series, spec.maxPoints ?? 1000);
  const t0 = times[0] ?? 0;
  const span = Math.max(1, (times[times.length - 1] ?? t0) - t0);
  const all = values.flat().filter((v): v is number => v !== null && Number.isFinite(v));
  const step = niceStep(Math.max(...all, 0), 4);
  const yMax = Math.max(step, Math.ceil(Math.max(...all, 0) / step) * step);
  const xOf = (t: number): number => MARGIN.left + ((t - t0) / span) * plotW;
  const yOf = (v: number): number => MARGIN.top + plotH - (v / yMax) * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" data-points="${all.length}">`,
    `<title>${escapeXml(spec.title)}</title>`,
    `<text x="${MARGIN.left}" y="16" class="chart-title">${escapeXml(spec.title)} (${escapeXml(spec.unit)})</text>`,
  ];
  for (let v = 0; v <= yMax + step / 2; v += step) {
    const y = yOf(v).toFixed(1);
    parts.push(`<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${y}" y2="${y}" class="grid"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${y}" class="ytick">${escapeXml(formatTick(v))}</text>`);
  }
  const xStep = timeStep(span, 6);
  for (let s = 0; s <= span; s += xStep) {
    parts.push(`<text x="${xOf(t0 + s).toFixed(1)}" y="${height - 10}" class="xtick">${formatElapsed(s)}</text>`);
  }
  const xs = times.map(xOf);
  spec.series.forEach((series, i) => {
    const ys = (values[i] ?? []).map((v) => (v === null ? null : yOf(v)));
    for (const points of segments(xs, ys)) {
      parts.push(`<polyline fill="none" stroke="${escapeXml(series.color)}" stroke-width="1.5" points="${points}"/>`);
    }
    const lx = MARGIN.left + 260 + i * 130;
    parts.push(`<rect x="${lx}" y="8" width="12" height="3" fill="${escapeXml(series.color)}"/>`);
    parts.push(`<text x="${lx + 16}" y="14" class="legend">${escapeXml(series.label)}</text>`);
  });
  if (all.length === 0) {
    parts.push(`<text x="${width / 2}" y="${height / 2}" class="nodata">no data</text>`);
  }
  parts.push('</svg>');
  return parts.join('\n');
}
