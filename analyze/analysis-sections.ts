/**
 * The report as titled sections of lines and tables of display strings (untrusted text already
 * stripped of control characters), so the text and markdown formats print the same content.
 */
import { targetFigures, targetScope, targetVerdict } from '../src/report/target-format.js';
import type { AnalysisReport } from './analysis-report.js';
import type { BaselineComparison, MetricChange } from './baseline-compare.js';
import { ms, num, percent, shown } from './display-text.js';
import { resourcesSection } from './resources-section.js';
import type { EndpointRow } from './run-summary.js';

export interface Table {
  header: string[];
  rows: string[][];
  /** Columns to right-align (numbers). */
  numeric: boolean[];
}

export interface Section {
  title: string;
  lines: string[];
  table?: Table;
  /** Further tables under sub-headings (the top lists). */
  subtables?: Array<{ title: string; table: Table }>;
}

function table(header: string[], rows: string[][], numericFrom: number): Table {
  return { header, rows, numeric: header.map((_, i) => i >= numericFrom) };
}

function summarySection(r: AnalysisReport): Section {
  const s = r.summary;
  const lines = [
    `Run: ${shown(r.run.label, 200)} (${r.run.source === 'brood-json' ? "brood JSON snapshot, exact percentiles" : r.run.source === 'vegeta' ? "Vegeta results, HDR percentiles of every request" : 'CSV files'})`,
    ...(r.run.scenario !== null ? [`Scenario: ${shown(r.run.scenario)}`] : []),
    ...(r.run.host !== null ? [`Host: ${shown(r.run.host)}`] : []),
    `Requests: ${s.requests}   Failures: ${s.failures}   Error rate: ${percent(s.errorRate)}`,
    `Throughput: ${num(s.rps)} req/s${s.durationSecs !== null ? ` over ${num(s.durationSecs, 1)} s` : ''}${s.users !== null ? ` with ${s.users} users` : ''}`,
    `Latency: P50 ${ms(s.p50Ms)}   P95 ${ms(s.p95Ms)}   P99 ${ms(s.p99Ms)}   avg ${ms(s.avgMs)}   max ${ms(s.maxMs)}`,
    ...r.notes,
  ];
  return { title: 'Overall summary', lines };
}

const ENDPOINT_HEADER = ['Endpoint', 'Requests', 'Failures', 'Error %', 'req/s', 'Avg', 'P50', 'P95', 'P99', 'Max'];

function endpointCells(e: EndpointRow): string[] {
  return [shown(e.label, 60), String(e.requests), String(e.failures), percent(e.errorRate), num(e.rps), ms(e.avgMs), ms(e.p50Ms), ms(e.p95Ms), ms(e.p99Ms), ms(e.maxMs)];
}

function endpointSection(r: AnalysisReport): Section {
  const total = { ...r.summary, label: 'Aggregated' };
  return { title: 'Endpoint breakdown', lines: [], table: table(ENDPOINT_HEADER, [...r.endpoints.map(endpointCells), endpointCells(total)], 1) };
}

function topSection(r: AnalysisReport): Section {
  const t = r.top;
  return {
    title: 'Top endpoints',
    lines: t.highestErrorRate.length === 0 ? ['No endpoint had failures.'] : [],
    subtables: [
      { title: 'Most requested', table: table(['Endpoint', 'Requests', 'req/s'], t.mostRequested.map((e) => [shown(e.label, 60), String(e.requests), num(e.rps)]), 1) },
      { title: 'Slowest (P95)', table: table(['Endpoint', 'P95', 'P99', 'Requests'], t.slowestP95.map((e) => [shown(e.label, 60), ms(e.p95Ms), ms(e.p99Ms), String(e.requests)]), 1) },
      ...(t.highestErrorRate.length === 0 ? [] : [{
        title: 'Highest error rate',
        table: table(['Endpoint', 'Error %', 'Failures', 'Requests'], t.highestErrorRate.map((e) => [shown(e.label, 60), percent(e.errorRate), String(e.failures), String(e.requests)]), 1),
      }]),
    ],
  };
}

function targetSection(r: AnalysisReport): Section {
  if (r.targets === null) {
    return { title: 'Performance against targets', lines: ['No targets: the run names no scenario; pass --targets memory|search|federation|api|quick|FILE.'] };
  }
  const rows = r.targets.results.map((t) => {
    const figures = targetFigures(t);
    return [shown(t.label), shown(targetScope(t), 60), figures.threshold, figures.measured, targetVerdict(t)];
  });
  const met = r.targets.results.filter((t) => t.met).length;
  return {
    title: 'Performance against targets',
    lines: [`Targets from ${shown(r.targets.origin)}: ${met} of ${r.targets.results.length} met.`],
    table: table(['Target', 'Scope', 'Threshold', 'Measured', 'Result'], rows, 2),
  };
}

function recommendationSection(r: AnalysisReport): Section {
  if (r.recommendations.length === 0) return { title: 'Recommendations', lines: ['Nothing to recommend: no failures, slow endpoints or latency growth found.'] };
  const lines = r.recommendations.flatMap((rec, i) => [
    `${i + 1}. [${rec.severity}] ${rec.title}`,
    `   Evidence: ${rec.evidence}`,
    `   Advice: ${rec.advice}`,
  ]);
  return { title: 'Recommendations', lines };
}

function changeText(c: MetricChange): string {
  if (c.metric === 'error_rate') {
    const fmt = (v: number | null): string => (v === null ? 'n/a' : `${num(v)}%`);
    return `${fmt(c.before)} → ${fmt(c.after)} (${c.change === null ? 'n/a' : `${c.change >= 0 ? '+' : ''}${num(c.change)} pts`})`;
  }
  const pct = c.change === null ? 'n/a' : Number.isFinite(c.change) ? `${c.change >= 0 ? '+' : ''}${num(c.change, 1)}%` : 'new';
  return `${ms(c.before)} → ${ms(c.after)} (${pct})`;
}

function baselineSection(b: BaselineComparison): Section {
  const o = b.options;
  const rows = b.endpoints.map((e) => {
    const by = (m: MetricChange['metric']): string => {
      const c = e.changes.find((x) => x.metric === m);
      return c === undefined ? '' : changeText(c);
    };
    const verdict = e.status === 'compared' ? (e.regression ? 'REGRESSION' : 'ok') : e.status;
    return [shown(e.label, 60), `${e.beforeRequests} → ${e.afterRequests}`, by('p95'), by('p99'), by('error_rate'), verdict];
  });
  return {
    title: `Comparison with baseline ${shown(b.baseline, 200)}`,
    lines: [
      `Regression: P95/P99 up more than ${o.latencyThresholdPct}% (and more than ${o.minLatencyDeltaMs} ms), or error rate up more than ${o.errorRateThresholdPts} points; endpoints need ${o.minRequests} requests in both runs.`,
      `${b.regressions} regression(s) flagged.`,
    ],
    table: table(['Endpoint', 'Requests', 'P95', 'P99', 'Error rate', 'Verdict'], rows, 1),
  };
}

export function analysisSections(r: AnalysisReport): Section[] {
  const verdict: Section = { title: 'Verdict', lines: [r.passed ? 'PASS' : `FAIL: ${r.reasons.join('; ')}`] };
  return [
    summarySection(r), endpointSection(r), topSection(r), ...(r.resources === undefined ? [] : [resourcesSection(r.resources)]),
    targetSection(r), recommendationSection(r),
    ...(r.baseline === null ? [] : [baselineSection(r.baseline)]), verdict,
  ];
}
