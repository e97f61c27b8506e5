/**
 * The report's tables and headline figures as plain strings: pure functions of the run's data,
 * printed by the template with its escaping tag (nothing here is trusted markup).
 */
import { AGGREGATED_NAME, PERCENTILE_LABELS, type EntrySummary, type ExceptionSnapshot, type HistoryPoint, type MetricSummary } from '../stats/types.js';
import { avgContentSize, avgResponseTimeMs, failRatio, percentileMs, totalFailPerSec, totalRps } from './entry-metrics.js';
import { formatClock, formatMs } from './number-format.js';
import { statsDurationSecs, type RunInfo } from './run-info.js';

function optional(value: string | number | null): string {
  return value === null ? '-' : String(value);
}

function msOrDash(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '-' : formatMs(v);
}

/** Every RunInfo field but the command line, which the template shows as code. */
export function metaRows(run: RunInfo): Array<[string, string]> {
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
    ['Time limit', run.runTimeLimitSecs === null ? 'none' : `${run.runTimeLimitSecs} s`],
    ['Stop reason', optional(run.stopReason)],
    ...(run.statsResetWallMs == null ? [] : [[
      'Statistics reset',
      `${formatClock((run.statsResetWallMs - run.startWallMs) / 1000)} into the run (--reset-stats): the figures and tables cover the ${formatClock(statsDurationSecs(run))} after it; the charts cover the whole run`,
    ] as [string, string]]),
    ['brood', run.broodVersion],
    ['Node.js', run.nodeVersion],
  ];
}


export interface SummaryTile {
  label: string;
  value: string;
  tone?: 'bad' | 'good';
}

export function summaryTiles(run: RunInfo, aggregated: EntrySummary, history: readonly HistoryPoint[]): SummaryTile[] {
  const ratio = failRatio(aggregated);
  const peakUsers = history.reduce((a, p) => Math.max(a, p.userCount), 0);
  const statsSecs = statsDurationSecs(run);
  const rps = statsSecs > 0 ? aggregated.numRequests / statsSecs : 0;
  const pct = (p: 0.5 | 0.95 | 0.99): string => {
    const v = percentileMs(aggregated, p);
    return v === null ? '-' : `${formatMs(v)} ms`;
  };
  return [
    { label: 'Requests', value: String(aggregated.numRequests) },
    { label: 'Failures', value: `${aggregated.numFailures} (${(ratio * 100).toFixed(2)}%)`, tone: aggregated.numFailures > 0 ? 'bad' : 'good' },
    { label: 'Requests/s', value: rps.toFixed(1) },
    { label: 'P50', value: pct(0.5) },
    { label: 'P95', value: pct(0.95) },
    { label: 'P99', value: pct(0.99) },
    { label: 'Peak users', value: String(peakUsers) },
    { label: 'Duration', value: formatClock(run.durationSecs) },
  ];
}

export const STATS_HEADER = ['Type', 'Name', '# reqs', '# fails', 'Fail %', 'Avg (ms)', 'Min (ms)', 'Max (ms)', 'Median (ms)', 'req/s', 'failures/s', 'Avg size (B)'];
export const PERCENTILE_HEADER = ['Type', 'Name', ...PERCENTILE_LABELS, '# reqs'];

export function statsRow(e: EntrySummary, windowSecs: number): string[] {
  const empty = e.numRequests === 0;
  return [
    e.method, e.name, String(e.numRequests), String(e.numFailures), `${(failRatio(e) * 100).toFixed(2)}%`,
    empty ? '-' : formatMs(avgResponseTimeMs(e)), empty ? '-' : msOrDash(e.minResponseTimeMs),
    empty ? '-' : msOrDash(e.maxResponseTimeMs), empty ? '-' : msOrDash(e.percentilesMs[0]),
    totalRps(e, windowSecs).toFixed(2), totalFailPerSec(e, windowSecs).toFixed(2),
    Number(avgContentSize(e).toFixed(1)).toString(),
  ];
}

export function percentileRow(e: EntrySummary): string[] {
  const cells = PERCENTILE_LABELS.map((_, i) => (e.numRequests === 0 ? 'N/A' : msOrDash(e.percentilesMs[i])));
  return [e.method, e.name, ...cells, String(e.numRequests)];
}

export function aggregatedRow(aggregated: EntrySummary): EntrySummary {
  return { ...aggregated, method: '', name: AGGREGATED_NAME };
}

export interface ExceptionRow {
  count: string;
  message: string;
  /** The traceback's first line (the collapsed view) and the whole of it. */
  summary: string;
  traceback: string;
  nodes: string;
}

export function exceptionRow(e: ExceptionSnapshot): ExceptionRow {
  const lines = e.traceback.split('\n');
  const frame = lines.find((l) => /^\s+at /.test(l))?.trim();
  return {
    count: String(e.count), message: e.message, traceback: e.traceback, nodes: e.nodes.join(', '),
    summary: frame === undefined ? `${lines.length} line${lines.length === 1 ? '' : 's'}` : `${frame} (${lines.length} lines)`,
  };
}

function num(v: number | null): string {
  if (v === null) return '-';
  return Math.abs(v) >= 1 || v === 0 ? String(Number(v.toFixed(3))) : String(Number(v.toPrecision(4)));
}

export function metricRow(m: MetricSummary): string[] {
  return [m.name, String(m.count), num(m.sum), num(m.mean), num(m.min), num(m.max), num(m.p50), num(m.p95), num(m.p99)];
}

/** "200: 1 234 · 404: 3 · no response: 2" for a row's status codes (Vegeta's status_codes). */
export function statusCodesText(codes: Readonly<Record<string, number>>): string {
  return Object.entries(codes).map(([code, n]) => `${code === '0' ? 'no response' : code}: ${n}`).join(' · ');
}

/** The status-code table: each row that recorded statuses (HTTP), then the Aggregated row; empty without any. */
export function statusCodeRows(entries: readonly EntrySummary[], aggregated: EntrySummary): string[][] {
  const rows = entries.filter((e) => e.statusCodes !== undefined).map((e) => [e.method, e.name, statusCodesText(e.statusCodes ?? {})]);
  if (rows.length === 0) return [];
  return [...rows, ['', 'Aggregated', statusCodesText(aggregated.statusCodes ?? {})]];
}
