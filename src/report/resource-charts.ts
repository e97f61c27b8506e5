/**
 * The HTML report's "Server resources" charts (issue 23): the watched system's RSS, CPU, threads,
 * open files and --monitor-metric series, drawn by svg-chart.ts on the load charts' time axis
 * (same origin, same end, same stage markers and overload bands) so they read one under the other.
 * Pure: numbers in, SVG strings out; source names reach the SVG only through svg-chart.ts's escaping.
 *
 * Long runs are thinned here, not by svg-chart.ts: at most RESOURCE_CHART_POINTS points a line,
 * each merging neighbouring intervals. RSS, threads and open files keep the bucket's maximum (a
 * peak stays visible), CPU and metric series its mean. A bucket holding a gap is a gap: svg-chart's
 * merging skips nulls, which would join a line across a missing reading.
 */
import { BYTES_PER_MB, type ResourceSample } from '../monitor/resource-sample.js';
import type { SourceSummary } from '../monitor/resource-summary.js';
import type { ChartContext } from './report-charts.js';
import type { ResourcesReport } from './resources-report.js';
import { escapeXml, lineChartSvg, type ChartMarker, type ChartSeries, type LineChartSpec } from './svg-chart.js';

/** Points a line at most: a day of 1 s readings becomes buckets of 144. */
export const RESOURCE_CHART_POINTS = 600;
/** Seed 004's CPU criterion ("< 80 % average"), drawn as a reference line. */
export const CPU_CRITERION_PERCENT = 80;
/** The overload bands' legend, worded as on the load charts (report-charts.ts). */
const BAND_LABEL = 'generator overloaded';
const PALETTE = ['#2a7ab0', '#c0392b', '#27ae60', '#8e44ad', '#e67e22', '#16a085', '#34495e', '#d35400'] as const;
const REFERENCE_COLOR = '#7f8c8d';
/** Longer source names (URLs) are shortened in legends; the table above the charts has them whole. */
const LEGEND_NAME_CHARS = 24;
const SMALL_HEIGHT = 220;

export interface ResourceCharts {
  rss: string;
  cpu: string;
  /** Null when no source reported threads (a Prometheus endpoint without process_threads). */
  threads: string | null;
  openFiles: string | null;
  /** One chart per --monitor-metric series, in the order named. */
  metrics: Array<{ name: string; chart: string }>;
  /** Readings merged into each drawn point (1 when every reading is drawn). */
  readingsPerPoint: number;
}

/** Every source's readings on one time axis, in buckets of `size` consecutive intervals. */
interface Grid {
  /** Each bucket's first time (Unix seconds), then the load charts' end when that is later. */
  times: number[];
  /** Seconds since the run started at each bucket's first time (the growth fit's x). */
  elapsed: number[];
  /** Per source, per bucket: its readings there (none when it was not read). */
  cells: ResourceSample[][][];
  size: number;
}

function gridOf(report: ResourcesReport, endSec: number | null, maxPoints = RESOURCE_CHART_POINTS): Grid {
  const elapsedAt = new Map<number, number>();
  for (const s of report.samples) if (!elapsedAt.has(s.timestamp)) elapsedAt.set(s.timestamp, s.elapsedSec);
  const stamps = [...elapsedAt.keys()].sort((a, b) => a - b);
  const size = Math.max(1, Math.ceil(stamps.length / Math.max(1, maxPoints)));
  const bucketOf = new Map(stamps.map((t, i) => [t, Math.floor(i / size)]));
  const buckets = Math.ceil(stamps.length / size);
  const cells = report.sources.map(() => Array.from({ length: buckets }, (): ResourceSample[] => []));
  for (const s of report.samples) cells[s.source]?.[bucketOf.get(s.timestamp) ?? 0]?.push(s);
  const times: number[] = [];
  const elapsed: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const t = stamps[b * size] ?? 0;
    times.push(t);
    elapsed.push(elapsedAt.get(t) ?? 0);
  }
  // The load charts' x axis ends at the last history row: ending there too keeps both on one scale.
  if (endSec !== null && endSec > (times.at(-1) ?? -Infinity)) times.push(endSec);
  return { times, elapsed, cells, size };
}

/** One value per drawn time: a bucket's readings merged, null for a gap or no reading (and at the end pad). */
function merged(grid: Grid, source: number, pick: (s: ResourceSample) => number | null, how: 'max' | 'mean'): Array<number | null> {
  const values = (grid.cells[source] ?? []).map((readings) => {
    if (readings.some((r) => r.gap !== null)) return null;
    const v = readings.map(pick).filter((x): x is number => x !== null && Number.isFinite(x));
    if (v.length === 0) return null;
    return how === 'max' ? v.reduce((a, b) => Math.max(a, b)) : v.reduce((a, b) => a + b, 0) / v.length;
  });
  return padded(grid, values);
}

function padded(grid: Grid, values: Array<number | null>): Array<number | null> {
  while (values.length < grid.times.length) values.push(null);
  return values;
}

/** "http://api.internal:9…0/metrics": long names keep their start and end. */
export function legendName(name: string): string {
  if (name.length <= LEGEND_NAME_CHARS) return name;
  const head = Math.ceil((LEGEND_NAME_CHARS - 1) / 2);
  return `${name.slice(0, head)}…${name.slice(name.length - (LEGEND_NAME_CHARS - 1 - head))}`;
}

/** Each label once: a repeated one gets its position appended (dashing finds lines by label). */
function uniqueLabels(series: ChartSeries[]): ChartSeries[] {
  const seen = new Set<string>();
  return series.map((s, i) => {
    const label = seen.has(s.label) ? `${s.label} (${i + 1})` : s.label;
    seen.add(label);
    return { ...s, label };
  });
}

/**
 * svg-chart.ts draws every line solid; reference and fit lines are dashed afterwards. Each path
 * is one line of its output and carries its (escaped) label in data-series.
 */
function dashLines(svg: string, labels: readonly string[]): string {
  const wanted = new Set(labels.map((l) => `data-series="${escapeXml(l)}"`));
  return svg.split('\n').map((line) => {
    if (!line.startsWith('<path class="line" ')) return line;
    const attr = /data-series="[^"]*"/.exec(line)?.[0] ?? '';
    return wanted.has(attr) ? line.replace('<path class="line" ', '<path class="line dashed" stroke-dasharray="6 4" ') : line;
  }).join('\n');
}

interface DrawnSeries extends ChartSeries {
  dashed?: boolean;
}

function chart(grid: Grid, ctx: ChartContext, spec: Pick<LineChartSpec, 'title' | 'unit' | 'height'>, series: DrawnSeries[], extraMarkers: ChartMarker[] = []): string {
  const named = uniqueLabels(series);
  const markers = [...ctx.markers, ...extraMarkers].sort((a, b) => a.atSec - b.atSec);
  const svg = lineChartSvg({
    ...spec, times: grid.times, series: named, maxPoints: grid.times.length,
    originSec: ctx.originSec, markers, bands: ctx.bands, bandLabel: BAND_LABEL,
  });
  return dashLines(svg, named.filter((_, i) => series[i]?.dashed === true).map((s) => s.label));
}

function color(source: number): string {
  return PALETTE[source % PALETTE.length] ?? PALETTE[0];
}

/** The least-squares line of RSS, only over the readings it was fitted to (after the warm-up). */
function fitValues(grid: Grid, s: SourceSummary | undefined): Array<number | null> | null {
  const fit = s?.fit ?? null;
  const slope = s?.memory_growth_mb_per_min ?? null;
  if (fit === null || slope === null) return null;
  // from_sec/to_sec are rounded to the ms, as elapsedSec is.
  const within = (e: number): boolean => e >= fit.from_sec - 0.001 && e <= fit.to_sec + 0.001;
  return padded(grid, grid.elapsed.map((e) => (within(e) ? fit.intercept_mb + slope * (e / 60) : null)));
}

function rssChart(report: ResourcesReport, grid: Grid, ctx: ChartContext): string {
  const series: DrawnSeries[] = [];
  report.sources.forEach((name, i) => {
    series.push({ label: legendName(name), color: color(i), values: merged(grid, i, (s) => (s.rssBytes === null ? null : s.rssBytes / BYTES_PER_MB), 'max') });
  });
  // Legends have room for one line: a fit is told from its source by its colour, and numbered when there are several.
  report.sources.forEach((_, i) => {
    const values = fitValues(grid, report.summary.sources[i]);
    const label = report.sources.length === 1 ? 'growth fit' : `growth fit ${i + 1}`;
    if (values !== null) series.push({ label, color: color(i), values, dashed: true });
  });
  const warmUp = report.summary.warm_up_sec;
  const marker: ChartMarker[] = warmUp > 0 ? [{ atSec: ctx.originSec + warmUp, label: 'warm-up end', detail: 'growth fitted after' }] : [];
  return chart(grid, ctx, { title: 'Server memory (RSS)', unit: 'MB' }, series, marker);
}

function cpuChart(report: ResourcesReport, grid: Grid, ctx: ChartContext): string {
  const series: DrawnSeries[] = report.sources.map((name, i) => ({ label: legendName(name), color: color(i), values: merged(grid, i, (s) => s.cpuPercent, 'mean') }));
  series.push({ label: `${CPU_CRITERION_PERCENT} % criterion`, color: REFERENCE_COLOR, values: grid.times.map(() => CPU_CRITERION_PERCENT), dashed: true });
  return chart(grid, ctx, { title: 'Server CPU (100 = one core)', unit: '%' }, series);
}

/** A chart of one count per source, or null when no source reported it. */
function countChart(report: ResourcesReport, grid: Grid, ctx: ChartContext, title: string, pick: (s: ResourceSample) => number | null): string | null {
  const series = report.sources
    .map((name, i) => ({ label: legendName(name), color: color(i), values: merged(grid, i, pick, 'max') }))
    .filter((s) => s.values.some((v) => v !== null));
  return series.length === 0 ? null : chart(grid, ctx, { title, unit: '', height: SMALL_HEIGHT }, series);
}

function metricChart(report: ResourcesReport, grid: Grid, ctx: ChartContext, name: string, k: number): string {
  const series = report.sources
    .map((source, i) => ({ label: legendName(source), color: color(i), values: merged(grid, i, (s) => s.metrics[k] ?? null, 'mean') }))
    .filter((s) => s.values.some((v) => v !== null));
  return chart(grid, ctx, { title: name, unit: '', height: SMALL_HEIGHT }, series);
}

/**
 * @param endSec the load charts' last time (the last history row's timestamp), so both axes end
 * together; null when the run has no history.
 */
export function resourceCharts(report: ResourcesReport, ctx: ChartContext, endSec: number | null): ResourceCharts {
  const grid = gridOf(report, endSec);
  return {
    rss: rssChart(report, grid, ctx),
    cpu: cpuChart(report, grid, ctx),
    threads: countChart(report, grid, ctx, 'Server threads', (s) => s.threads),
    openFiles: countChart(report, grid, ctx, 'Server open files', (s) => s.openFiles),
    metrics: report.metricNames.map((name, k) => ({ name, chart: metricChart(report, grid, ctx, name, k) })),
    readingsPerPoint: grid.size,
  };
}
