/**
 * The self-contained HTML report: one file, inline CSS, server-side SVG charts, two small inline
 * scripts allowed by hash in a `default-src 'none'` Content-Security-Policy, so opening it makes
 * no request of any kind and nothing but those scripts can run. Everything from the network or
 * the test is passed to the template as plain strings and printed with ejs `<%= %>` (escaped);
 * only the SVG charts (built from numbers by svg-chart.ts, labels escaped there) and the constant
 * scripts are inserted raw.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import { entryLabel, rateWindowSecs, sortEntries } from './entry-metrics.js';
import { ENDPOINT_CHART_SCRIPT } from './endpoint-chart-script.js';
import { sortExceptions } from './exceptions-csv.js';
import { sortFailures } from './failures-csv.js';
import { metricRangeChartSvg } from './metric-range-chart.js';
import { sortMetrics } from './metrics-csv.js';
import { chartContext, endpointCharts, metricCharts, overloadNote, overviewCharts, type ChartContext, type EndpointCharts } from './report-charts.js';
import { CPU_CRITERION_PERCENT, resourceCharts, type ResourceCharts } from './resource-charts.js';
import type { ResourcesReport } from './resources-report.js';
import type { SourceSummary } from '../monitor/resource-summary.js';
import {
  aggregatedRow, exceptionRow, metaRows, metricRow, percentileRow, PERCENTILE_HEADER, statusCodeRows,
  STATS_HEADER, statsRow, summaryTiles,
} from './report-tables.js';
import { statsStartWallMs, type OperationsReport, type RunReportData, type RunWorkerInfo } from './run-info.js';
import type { EntrySummary } from '../stats/types.js';
import { formatMs } from './number-format.js';
import { TABLE_SORT_SCRIPT } from './table-sort-script.js';
import { targetFigures, targetScope, targetVerdict } from './target-format.js';

export interface HtmlReportInput extends RunReportData {
  /** When the report was generated (epoch ms); defaults to the run's end or start. */
  generatedWallMs?: number;
}

/** The inline scripts, in page order; each is allowed by its hash and nothing else may run. */
const SCRIPTS = [TABLE_SORT_SCRIPT, ENDPOINT_CHART_SCRIPT] as const;

/**
 * The template is read from disk, not compiled into JS. tsc emits this module to
 * dist/src/report/ but copies no .ejs file, so from the build the template is three levels up in
 * the source tree (repo/src/report/templates/, shipped in the package's "files"); when this
 * module runs from source (tsx), it sits beside it in ./templates/.
 */
export function reportTemplatePath(): string {
  const fromDist = fileURLToPath(new URL('../../../src/report/templates/report.ejs', import.meta.url));
  if (existsSync(fromDist)) return fromDist;
  return fileURLToPath(new URL('./templates/report.ejs', import.meta.url));
}

/** A failure's first/last time; a report rebuilt from Locust ≤ 2.43's CSVs has none. */
function seenAt(wallMs: number | null): string {
  return wallMs === null ? 'not recorded' : new Date(wallMs).toISOString();
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64');
}

interface ChartsView {
  overview: ReturnType<typeof overviewCharts>;
  endpoints: Array<EndpointCharts & { id: string }>;
  /** One over-time chart per custom metric recorded in some interval. */
  metrics: Array<{ name: string; chart: string }>;
  /** The overload note (OVERLOAD_SENTENCE and how many intervals) when any interval is shaded, else null. */
  overloaded: string | null;
  stages: string[];
  /** The watched system under test (issue 23); null without a monitor, and the page has no such section. */
  resources: ResourcesView | null;
}

function chartsView(input: HtmlReportInput, order: readonly string[]): ChartsView {
  const ctx = chartContext(input.history, input.stages ?? [], input.run.startWallMs, input.run.statsResetWallMs ?? null);
  const resources = input.resources ?? null;
  const endpoints = endpointCharts(input.endpointHistory ?? {}, order, ctx);
  return {
    overview: overviewCharts(input.history, ctx),
    endpoints: endpoints.map((e, i) => ({ ...e, id: String(i) })),
    metrics: metricCharts(input.metricHistory ?? {}, sortMetrics(input.metrics).map((m) => m.name), ctx),
    overloaded: overloadNote(input.history),
    stages: (input.stages ?? []).map((s) => `${s.label} at ${s.startSec} s: ${s.users} users`),
    resources: resources === null ? null : resourcesView(resources, ctx, input.history.at(-1)?.timestamp ?? null),
  };
}

interface ResourcesView {
  header: string[];
  rows: Array<{ cells: string[]; verdict: SourceSummary['growth_verdict']; reason: string }>;
  charts: ResourceCharts;
  note: string;
}

/** The "Server resources" section: a row per watched source, then its charts on the load charts' axis. */
function resourcesView(r: ResourcesReport, ctx: ChartContext, endSec: number | null): ResourcesView {
  const charts = resourceCharts(r, ctx, endSec);
  const n = (v: number | null | undefined, digits = 1): string => (v === null || v === undefined ? '-' : v.toFixed(digits));
  const merged = charts.readingsPerPoint > 1 ? ` Each point merges ${charts.readingsPerPoint} readings: RSS, threads and open files their highest, CPU and metrics their mean.` : '';
  return {
    header: ['Source', 'Readings', 'Gaps', 'RSS MB start → end (peak)', 'Growth MB/min (r²)', 'Memory growth', 'CPU % mean / p95 / max', 'Threads max', 'Open files max'],
    rows: r.summary.sources.map((s) => ({
      cells: [
        s.name, String(s.samples), String(s.gaps),
        s.rss_mb === null ? '-' : `${n(s.rss_mb.start)} → ${n(s.rss_mb.end)} (${n(s.rss_mb.peak)})`,
        s.memory_growth_mb_per_min === null ? '-' : `${s.memory_growth_mb_per_min >= 0 ? '+' : ''}${n(s.memory_growth_mb_per_min)} (r² ${n(s.fit?.r2, 2)})`,
        s.cpu_percent === null ? '-' : `${n(s.cpu_percent.mean)} / ${n(s.cpu_percent.p95)} / ${n(s.cpu_percent.max)}`,
        s.threads === null ? '-' : String(s.threads.max),
        s.open_files === null ? '-' : String(s.open_files.max),
      ],
      verdict: s.growth_verdict,
      reason: s.growth_reason,
    })),
    charts,
    note: `Read once per history interval, on the same time axis as the charts above. CPU is % of one core (200 = two cores busy); the dashed line is the ${CPU_CRITERION_PERCENT} % criterion. Dashed RSS lines are each source's least-squares growth fit, drawn over the readings it was fitted to (after the ${r.summary.warm_up_sec} s warm-up). A missing reading leaves a gap.${merged}`,
  };
}

/** Everything the template prints, already formatted as strings. */
export function htmlReportView(input: HtmlReportInput): Record<string, unknown> {
  const { run, aggregated } = input;
  const windowSecs = rateWindowSecs(aggregated, statsStartWallMs(run));
  const entries = sortEntries(input.entries);
  const order = entries.map(entryLabel);
  const charts = chartsView(input, order);
  const endpointIds = new Map(charts.endpoints.map((e) => [e.key, e.id]));
  const total = aggregatedRow(aggregated);
  return {
    title: `brood report: ${run.scenario ?? run.testFile ?? run.host}`,
    generated: new Date(input.generatedWallMs ?? run.endWallMs ?? run.startWallMs).toISOString(),
    tiles: summaryTiles(run, aggregated, input.history),
    breakingPoint: run.breakingPoint,
    meta: metaRows(run),
    command: run.command,
    verdict: input.targets.length === 0 ? null : input.targets.every((t) => t.met) ? 'PASS' : 'FAIL',
    targets: input.targets.map((t) => {
      const figures = targetFigures(t);
      return { cells: [t.label, targetScope(t), figures.threshold, figures.measured], result: targetVerdict(t) };
    }),
    statsHeader: STATS_HEADER,
    statsRows: entries.map((e) => ({ cells: statsRow(e, windowSecs), endpoint: endpointIds.get(entryLabel(e)) ?? null })),
    statsTotal: statsRow(total, windowSecs),
    percentileHeader: PERCENTILE_HEADER,
    percentileRows: entries.map(percentileRow),
    percentileTotal: percentileRow(total),
    statusCodes: statusCodeRows(entries, aggregated),
    failures: sortFailures(input.failures).map((f) => [
      f.method, f.name, f.error, String(f.occurrences), seenAt(f.firstSeenWallMs), seenAt(f.lastSeenWallMs),
    ]),
    exceptions: sortExceptions(input.exceptions).map(exceptionRow),
    metrics: sortMetrics(input.metrics).map((m) => ({ cells: metricRow(m), chart: metricRangeChartSvg(m) })),
    operations: input.operations ? operationsView(input.operations) : null,
    workers: run.workers === undefined ? null : workersView(run.workers, run.workersLost ?? 0),
    charts,
    scripts: [...SCRIPTS],
    scriptHashes: SCRIPTS.map(sha256),
  };
}

/** The whole HTML page. Reads the template synchronously on each call (no module-level cache). */
export function renderHtmlReport(input: HtmlReportInput): string {
  const path = reportTemplatePath();
  const template = readFileSync(path, 'utf8');
  return ejs.render(template, htmlReportView(input), {
    filename: path, localsName: 'report', _with: false, strict: true, async: false, cache: false,
  });
}

/** A distributed run's workers: where the users ran, how many requests each sent, which were lost. */
function workersView(workers: readonly RunWorkerInfo[], lost: number): { header: string[]; rows: Array<{ cells: string[]; lost: boolean }>; note: string } {
  return {
    header: ['Worker', 'Host', 'Pid', 'Most users', 'Requests', 'CPU % (last)', 'Stayed'],
    rows: workers.map((w) => ({ cells: [w.id, w.host, String(w.pid), String(w.users), String(w.requests), String(w.cpu_percent)], lost: w.lost })),
    note: lost === 0
      ? `${workers.length} worker${workers.length === 1 ? '' : 's'} ran the users; the statistics above are their merged HDR histograms and counters.`
      : `${lost} worker${lost === 1 ? ' was' : 's were'} lost during the run: ${lost === 1 ? 'its' : 'their'} users started again on the others, and what ${lost === 1 ? 'it' : 'they'} recorded up to the last snapshot is counted.`,
  };
}

/** The open-model table: each operation's latency from its scheduled start beside its service time. */
function operationsView(o: OperationsReport): { header: string[]; rows: string[][]; note: string } {
  const service = new Map(o.service.entries.map((e) => [`${e.method}\u0000${e.name}`, e]));
  const ms = (v: number | null | undefined): string => (v === null || v === undefined ? '-' : formatMs(v));
  const row = (e: EntrySummary, sv: EntrySummary | undefined, label: string): string[] => [
    label, String(e.numRequests), String(e.numFailures), (o.durationSecs > 0 ? e.numRequests / o.durationSecs : 0).toFixed(1),
    ms(e.percentilesMs[0]), ms(e.percentilesMs[5]), ms(e.percentilesMs[7]), ms(e.percentilesMs[8]),
    ms(sv?.percentilesMs[0]), ms(sv?.percentilesMs[7]),
  ];
  return {
    header: ['Operation', '# ops', '# fails', 'ops/s', 'p50', 'p95', 'p99', 'p99.9', 'service p50', 'service p99'],
    rows: [
      ...o.latency.entries.map((e) => row(e, service.get(`${e.method}\u0000${e.name}`), `${e.method}.${e.name}`)),
      row(o.latency.aggregated, o.service.aggregated, 'All operations'),
    ],
    note: `${o.dispatched} arrivals scheduled, ${o.dropped} dropped (no idle user in the pool).`,
  };
}
