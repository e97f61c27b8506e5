/**
 * The report's charts as inline SVG: the run's timeline (requests/s with failures/s, p50/p95/p99,
 * users) and, per endpoint, requests/s with failures/s and p50/p95/p99. Every chart gets the same
 * x axis (time since the run started), the load shape's stage markers and the shaded intervals in
 * which the load generator was overloaded, so they line up when read one above the other.
 *
 * Per-endpoint charts are pre-rendered and toggled by a selector rather than drawn by a script:
 * at the point budget below they cost about as much as the same data as JSON, and one chart
 * renderer (svg-chart.ts) serves every chart.
 */
import type { ShapeStage } from '../core/shape.js';
import { PERCENTILE_LABELS, type HistoryPoint } from '../stats/types.js';
import type { EndpointPoint, MetricPoint } from './run-info.js';
import { lineChartSvg, type ChartBand, type ChartMarker } from './svg-chart.js';

/** Points drawn for the run's timeline: about one per pixel of plot width. */
const OVERVIEW_POINTS = 840;
/** Per-endpoint points, shared by all endpoints (each gets 60..300), so the file stays small. */
const ENDPOINT_POINT_BUDGET = 15_000;
const ENDPOINT_POINTS_MIN = 60;
const ENDPOINT_POINTS_MAX = 300;

export const OVERLOAD_SENTENCE = "Latency figures in shaded intervals are not the server's: the load generator itself was overloaded.";
const BAND_LABEL = 'generator overloaded';

const COLORS = { rps: '#2a7ab0', fail: '#c0392b', p50: '#27ae60', p95: '#e67e22', p99: '#8e44ad', users: '#34495e' } as const;

/** What every chart of one report shares. */
export interface ChartContext {
  originSec: number;
  markers: ChartMarker[];
  bands: ChartBand[];
}

export interface EndpointCharts {
  key: string;
  throughput: string;
  latency: string;
}

/** Whether the load generator itself was overloaded in this interval (its self-monitoring says so). */
export function generatorOverloaded(p: HistoryPoint): boolean {
  return p.generatorOverloaded === true;
}

/** "CPU 97%, event-loop delay p99 120 ms": the generator's worst figures over some intervals. */
export function generatorLoad(points: readonly HistoryPoint[]): string {
  const cpu = Math.max(...points.map((p) => p.generatorCpu ?? -1));
  const delay = Math.max(...points.map((p) => p.loopDelayP99Ms ?? -1));
  const parts = [cpu >= 0 ? `CPU ${Math.round(cpu * 100)}%` : '', delay >= 0 ? `event-loop delay p99 ${Math.round(delay)} ms` : ''];
  return parts.filter(Boolean).join(', ');
}

/**
 * Time spans of consecutive overloaded intervals. A point stands for the interval ending at its
 * timestamp, as long as the gap to the previous point (1 s for the first).
 */
export function overloadBands(history: readonly HistoryPoint[]): ChartBand[] {
  const runs: Array<{ fromSec: number; points: HistoryPoint[] }> = [];
  let open: { fromSec: number; points: HistoryPoint[] } | null = null;
  history.forEach((p, i) => {
    if (!generatorOverloaded(p)) {
      open = null;
      return;
    }
    if (open === null) {
      open = { fromSec: history[i - 1]?.timestamp ?? p.timestamp - 1, points: [] };
      runs.push(open);
    }
    open.points.push(p);
  });
  return runs.map((r) => {
    const load = generatorLoad(r.points);
    const band: ChartBand = { fromSec: r.fromSec, toSec: r.points[r.points.length - 1]?.timestamp ?? r.fromSec };
    return load === '' ? band : { ...band, detail: load };
  });
}

/** The note under the charts: the overload sentence, and how much of the run it concerns. */
export function overloadNote(history: readonly HistoryPoint[]): string | null {
  const hit = history.filter(generatorOverloaded);
  if (hit.length === 0) return null;
  const load = generatorLoad(hit);
  return `${OVERLOAD_SENTENCE} ${hit.length} of ${history.length} intervals${load === '' ? '' : ` (worst: ${load})`}.`;
}

/** Stage markers at run start + startSec; the stage at 0 is marked too (it names the first level). */
export function stageMarkers(stages: readonly ShapeStage[], originSec: number): ChartMarker[] {
  return stages.map((s) => ({ atSec: originSec + s.startSec, label: s.label, detail: `${s.users} users` }));
}

/**
 * @param statsResetWallMs --reset-stats: marked on every chart, since the charts cover the whole
 * run while the tables cover only what came after it.
 */
export function chartContext(history: readonly HistoryPoint[], stages: readonly ShapeStage[], runStartWallMs: number, statsResetWallMs: number | null = null): ChartContext {
  const originSec = runStartWallMs / 1000;
  const markers = stageMarkers(stages, originSec);
  if (statsResetWallMs !== null) {
    markers.push({ atSec: statsResetWallMs / 1000, label: 'stats reset', detail: 'tables from here' });
    markers.sort((a, b) => a.atSec - b.atSec);
  }
  return { originSec, markers, bands: overloadBands(history) };
}

function shared(ctx: ChartContext): { originSec: number; markers: ChartMarker[]; bands: ChartBand[]; bandLabel: string } {
  return { originSec: ctx.originSec, markers: ctx.markers, bands: ctx.bands, bandLabel: BAND_LABEL };
}

function percentile(p: HistoryPoint, label: (typeof PERCENTILE_LABELS)[number]): number | null {
  return p.intervalPercentilesMs[PERCENTILE_LABELS.indexOf(label)] ?? null;
}

export function overviewCharts(history: readonly HistoryPoint[], ctx: ChartContext): { throughput: string; latency: string; users: string } {
  const times = history.map((p) => p.timestamp);
  const common = { ...shared(ctx), times, maxPoints: OVERVIEW_POINTS };
  return {
    throughput: lineChartSvg({
      ...common, title: 'Total requests per second', unit: '/s',
      series: [
        { label: 'requests/s', color: COLORS.rps, values: history.map((p) => p.rps) },
        { label: 'failures/s', color: COLORS.fail, values: history.map((p) => p.failPerSec) },
      ],
    }),
    latency: lineChartSvg({
      ...common, title: 'Response time', unit: 'ms',
      series: [
        { label: 'p50', color: COLORS.p50, values: history.map((p) => percentile(p, '50%')), reduce: 'max' },
        { label: 'p95', color: COLORS.p95, values: history.map((p) => percentile(p, '95%')), reduce: 'max' },
        { label: 'p99', color: COLORS.p99, values: history.map((p) => percentile(p, '99%')), reduce: 'max' },
      ],
    }),
    users: lineChartSvg({
      ...common, title: 'Number of users', unit: 'users',
      series: [{ label: 'users', color: COLORS.users, values: history.map((p) => p.userCount), reduce: 'max' }],
    }),
  };
}

/** Points per endpoint chart so that all endpoints together stay within the budget. */
export function endpointPointLimit(endpointCount: number): number {
  const each = Math.floor(ENDPOINT_POINT_BUDGET / Math.max(1, endpointCount));
  return Math.min(ENDPOINT_POINTS_MAX, Math.max(ENDPOINT_POINTS_MIN, each));
}

function oneEndpoint(key: string, points: readonly EndpointPoint[], ctx: ChartContext, maxPoints: number): EndpointCharts {
  const common = { ...shared(ctx), times: points.map((p) => p.timestamp), maxPoints, height: 220 };
  return {
    key,
    throughput: lineChartSvg({
      ...common, title: 'Requests per second', unit: '/s',
      series: [
        { label: 'requests/s', color: COLORS.rps, values: points.map((p) => p.rps) },
        { label: 'failures/s', color: COLORS.fail, values: points.map((p) => p.failPerSec) },
      ],
    }),
    latency: lineChartSvg({
      ...common, title: 'Response time', unit: 'ms',
      series: [
        { label: 'p50', color: COLORS.p50, values: points.map((p) => p.p50Ms), reduce: 'max' },
        { label: 'p95', color: COLORS.p95, values: points.map((p) => p.p95Ms), reduce: 'max' },
        { label: 'p99', color: COLORS.p99, values: points.map((p) => p.p99Ms), reduce: 'max' },
      ],
    }),
  };
}

/**
 * One pair of charts per endpoint, in the order given by `order` (the statistics table's), then
 * any endpoint with a timeline but no row. Rates are averaged and latencies keep their maximum
 * when points are merged, so a spike stays visible.
 */
export function endpointCharts(
  history: Readonly<Record<string, readonly EndpointPoint[]>>, order: readonly string[], ctx: ChartContext,
): EndpointCharts[] {
  const ordered = new Set(order);
  const keys = [...order.filter((k) => Object.hasOwn(history, k)), ...Object.keys(history).filter((k) => !ordered.has(k))];
  const limit = endpointPointLimit(keys.length);
  return keys.map((key) => oneEndpoint(key, history[key] ?? [], ctx, limit));
}

/**
 * One chart per custom metric over the run: the mean, p95 and max of its values in each interval
 * (merged points keep the highest p95 and max, so a spike stays visible), in the metrics table's
 * order. Metrics share the endpoints' point budget rule, so many of them keep the file small.
 */
export function metricCharts(
  history: Readonly<Record<string, readonly MetricPoint[]>>, order: readonly string[], ctx: ChartContext,
): Array<{ name: string; chart: string }> {
  const names = order.filter((n) => (history[n]?.length ?? 0) > 0);
  const maxPoints = endpointPointLimit(names.length);
  return names.map((name) => {
    const points = history[name] ?? [];
    return {
      name,
      chart: lineChartSvg({
        ...shared(ctx), times: points.map((p) => p.timestamp), maxPoints, height: 220, title: `${name} over time`, unit: '',
        series: [
          { label: 'mean', color: COLORS.p50, values: points.map((p) => p.mean), reduce: 'mean' },
          { label: 'p95', color: COLORS.p95, values: points.map((p) => p.p95), reduce: 'max' },
          { label: 'max', color: COLORS.p99, values: points.map((p) => p.max), reduce: 'max' },
        ],
      }),
    };
  });
}
