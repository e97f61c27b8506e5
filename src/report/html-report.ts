/**
 * A first self-contained HTML report (issue 4 deepens it): one file, inline CSS, server-side SVG
 * charts, no request of any kind when opened. Everything from the network or the test is passed
 * to the template as plain strings and printed with ejs `<%= %>` (escaped); only the SVG charts
 * (built from numbers by svg-chart.ts) and the constant sort script are inserted raw.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import type { TargetResult } from '../core/targets.js';
import {
  AGGREGATED_NAME,
  PERCENTILE_LABELS,
  type EntrySummary,
  type ExceptionSnapshot,
  type FailureSnapshot,
  type HistoryPoint,
  type MetricSummary,
} from '../stats/types.js';
import {
  avgContentSize,
  avgResponseTimeMs,
  failRatio,
  rateWindowSecs,
  sortEntries,
  totalFailPerSec,
  totalRps,
} from './entry-metrics.js';
import { sortExceptions } from './exceptions-csv.js';
import { sortFailures } from './failures-csv.js';
import { sortMetrics } from './metrics-csv.js';
import { formatClock, formatMs } from './number-format.js';
import type { RunInfo, RunReportData } from './run-info.js';
import { lineChartSvg } from './svg-chart.js';
import { TABLE_SORT_SCRIPT } from './table-sort-script.js';
import { formatTargetValue, formatThreshold, targetScope, targetVerdict } from './target-format.js';

export interface HtmlReportInput extends RunReportData {
  /** When the report was generated (epoch ms); defaults to the run's end or start. */
  generatedWallMs?: number;
}

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

function optional(value: string | number | null): string {
  return value === null ? '-' : String(value);
}

function metaRows(run: RunInfo): Array<[string, string]> {
  return [
    ['Scenario', optional(run.scenario)],
    ['Test file', optional(run.testFile)],
    ['Host', run.host],
    ['Users', optional(run.users)],
    ['Spawn rate', run.spawnRate === null ? '-' : `${run.spawnRate}/s`],
    ['Shape', optional(run.shape)],
    ['Seed', optional(run.seed)],
    ['User classes', run.userClasses.length === 0 ? '-' : run.userClasses.join(', ')],
    ['Start', new Date(run.startWallMs).toISOString()],
    ['End', run.endWallMs === null ? 'running' : new Date(run.endWallMs).toISOString()],
    ['Duration', `${formatClock(run.durationSecs)} (${Number(run.durationSecs.toFixed(3))} s)`],
    ['Stop reason', optional(run.stopReason)],
    ['Command', run.command],
    ['brood', `${run.broodVersion} on Node ${run.nodeVersion}`],
  ];
}

function msOrDash(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '-' : formatMs(v);
}

function statsRow(e: EntrySummary, windowSecs: number): string[] {
  const empty = e.numRequests === 0;
  return [
    e.method, e.name, String(e.numRequests), String(e.numFailures), `${(failRatio(e) * 100).toFixed(2)}%`,
    empty ? '-' : formatMs(avgResponseTimeMs(e)), empty ? '-' : msOrDash(e.minResponseTimeMs),
    empty ? '-' : msOrDash(e.maxResponseTimeMs), empty ? '-' : msOrDash(e.percentilesMs[0]),
    totalRps(e, windowSecs).toFixed(2), totalFailPerSec(e, windowSecs).toFixed(2),
    Number(avgContentSize(e).toFixed(1)).toString(),
  ];
}

function percentileRow(e: EntrySummary): string[] {
  const cells = PERCENTILE_LABELS.map((_, i) => (e.numRequests === 0 ? 'N/A' : msOrDash(e.percentilesMs[i])));
  return [e.method, e.name, ...cells, String(e.numRequests)];
}

function charts(history: readonly HistoryPoint[]): { throughput: string; latency: string; users: string } {
  const times = history.map((p) => p.timestamp);
  const pct = (label: string): Array<number | null> =>
    history.map((p) => p.intervalPercentilesMs[PERCENTILE_LABELS.indexOf(label as (typeof PERCENTILE_LABELS)[number])] ?? null);
  return {
    throughput: lineChartSvg({
      title: 'Requests per second', unit: '/s', times,
      series: [
        { label: 'requests/s', color: '#2a7ab0', values: history.map((p) => p.rps) },
        { label: 'failures/s', color: '#c0392b', values: history.map((p) => p.failPerSec) },
      ],
    }),
    latency: lineChartSvg({
      title: 'Response time', unit: 'ms', times,
      series: [
        { label: 'p50', color: '#27ae60', values: pct('50%'), reduce: 'max' },
        { label: 'p95', color: '#e67e22', values: pct('95%'), reduce: 'max' },
        { label: 'p99', color: '#8e44ad', values: pct('99%'), reduce: 'max' },
      ],
    }),
    users: lineChartSvg({
      title: 'Users', unit: 'count', times,
      series: [{ label: 'users', color: '#34495e', values: history.map((p) => p.userCount), reduce: 'max' }],
    }),
  };
}

/** Everything the template prints, already formatted as strings. */
export function htmlReportView(input: HtmlReportInput): Record<string, unknown> {
  const { run, aggregated } = input;
  const windowSecs = rateWindowSecs(aggregated, run.startWallMs);
  const entries = sortEntries(input.entries);
  const allMet = input.targets.every((t) => t.met);
  return {
    title: `brood report: ${run.scenario ?? run.testFile ?? run.host}`,
    generated: new Date(input.generatedWallMs ?? run.endWallMs ?? run.startWallMs).toISOString(),
    meta: metaRows(run),
    verdict: input.targets.length === 0 ? null : allMet ? 'PASS' : 'FAIL',
    targets: input.targets.map((t) => ({
      cells: [t.label, targetScope(t), formatThreshold(t), formatTargetValue(t.measured, t.unit)],
      result: targetVerdict(t),
    })),
    statsHeader: ['Type', 'Name', '# reqs', '# fails', 'Fail %', 'Avg (ms)', 'Min (ms)', 'Max (ms)', 'Median (ms)', 'req/s', 'failures/s', 'Avg size (B)'],
    statsRows: entries.map((e) => statsRow(e, windowSecs)),
    statsTotal: statsRow({ ...aggregated, method: '', name: AGGREGATED_NAME }, windowSecs),
    percentileHeader: ['Type', 'Name', ...PERCENTILE_LABELS, '# reqs'],
    percentileRows: entries.map(percentileRow),
    percentileTotal: percentileRow({ ...aggregated, method: '', name: AGGREGATED_NAME }),
    failures: sortFailures(input.failures).map((f) => [
      f.method, f.name, f.error, String(f.occurrences), new Date(f.firstSeenWallMs).toISOString(),
      new Date(f.lastSeenWallMs).toISOString(),
    ]),
    exceptions: sortExceptions(input.exceptions).map((e) => ({
      count: String(e.count), message: e.message, traceback: e.traceback, nodes: e.nodes.join(', '),
    })),
    metrics: sortMetrics(input.metrics).map((m) => [
      m.name, String(m.count), String(m.sum), optional(m.mean), optional(m.min), optional(m.max),
      optional(m.p50), optional(m.p95), optional(m.p99),
    ]),
    charts: charts(input.history),
    script: TABLE_SORT_SCRIPT,
    scriptHash: createHash('sha256').update(TABLE_SORT_SCRIPT).digest('base64'),
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
