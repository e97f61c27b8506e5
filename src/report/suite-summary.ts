/**
 * The end of `run-load-tests suite`: one table of every run (console) and the same per run as
 * JSON. Pure: rows in, lines and a JSON object out; each row's figures were read from that run's
 * own JSON file (suite-run-figures.ts).
 */
import { formatDuration } from '../core/duration.js';
import { stripControl } from './console-text.js';
import type { JsonTargetResult } from './json-report.js';
import { sig3 } from './number-format.js';
import type { SuiteRunFigures } from './suite-run-figures.js';

/** What became of a run: it ran (its files written), was refused at its start (exit 2), or never started (Ctrl-C, --only). */
export type SuiteRunStatus = 'ran' | 'refused' | 'not run';

export interface SuiteRunRow {
  name: string;
  rate: number;
  /** The run's length as run: the suite file's, or -t where that is shorter. */
  durationSec: number;
  /** The suite file's duration for the run. */
  declaredDurationSec: number;
  status: SuiteRunStatus;
  exitCode: number | null;
  /** Read from the run's JSON file; null when it has none, or it could not be read (see `note`). */
  figures: SuiteRunFigures | null;
  /** The run's JSON file. */
  json: string | null;
  /** Why a run has no figures or did not run, one line. */
  note: string | null;
}

export interface SuiteReport {
  suite: string;
  description: string;
  file: string;
  targetsFile: string;
  host: string;
  startedAt: Date;
  endedAt: Date;
  durationCapSec: number | null;
  interrupted: boolean;
  exitCode: number;
  rows: readonly SuiteRunRow[];
}

/** The worst of the runs' exit codes: 2 (bad input) beats 1 (a target missed, failures), which beats 0. */
export function worstExitCode(codes: ReadonlyArray<number | null>): number {
  return codes.reduce<number>((worst, c) => (c !== null && c > worst ? c : worst), 0);
}

const ms = (v: number | null): string => (v === null ? '-' : sig3(v));

function targetsCell(targets: readonly JsonTargetResult[]): string {
  if (targets.length === 0) return '-';
  const missed = targets.filter((t) => !t.met).length;
  const met = targets.length - missed;
  return missed === 0 ? `${met} met` : `${met} met, ${missed} missed`;
}

function durationCell(r: SuiteRunRow): string {
  return r.durationSec < r.declaredDurationSec ? `${formatDuration(r.durationSec)} of ${formatDuration(r.declaredDurationSec)}` : formatDuration(r.durationSec);
}

function rowCells(r: SuiteRunRow): string[] {
  const f = r.figures;
  const head = [stripControl(r.name), sig3(r.rate), durationCell(r)];
  if (f === null) return [...head, '-', '-', '-', '-', '-', '-', '-', r.exitCode === null ? '-' : String(r.exitCode), r.status === 'ran' ? '' : r.status];
  return [
    ...head, String(f.requests), `${(f.errorRate * 100).toFixed(2)}%`, ms(f.p50Ms), ms(f.p95Ms), ms(f.p99Ms), f.achievedRps.toFixed(2),
    targetsCell(f.targets), r.exitCode === null ? '-' : String(r.exitCode), r.status === 'ran' ? '' : r.status,
  ];
}

const HEADER = ['Run', 'Rate/s', 'Duration', 'Requests', 'Fail %', 'p50 ms', 'p95 ms', 'p99 ms', 'Req/s', 'Targets', 'Exit', ''];
/** Text columns read left-aligned, numbers right-aligned. */
const LEFT = new Set([0, 2, 9, 11]);

/** The console table: a header, one line per run in the suite's order, then the verdict. */
export function suiteTable(report: SuiteReport): string[] {
  const cells = [HEADER, ...report.rows.map(rowCells)];
  const widths = HEADER.map((_, c) => Math.max(...cells.map((row) => (row[c] ?? '').length)));
  const line = (row: readonly string[]): string => row.map((cell, c) => (LEFT.has(c) ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ').trimEnd();
  const cap = report.durationCapSec === null ? '' : ` (-t ${formatDuration(report.durationCapSec)} caps every run)`;
  const worst = report.rows.filter((r) => r.exitCode === report.exitCode && report.exitCode > 0).map((r) => r.name);
  return [
    `Suite ${stripControl(report.suite)}: ${report.rows.filter((r) => r.status === 'ran').length} of ${report.rows.length} runs against ${report.host}${cap}${report.interrupted ? ', interrupted' : ''}`,
    line(cells[0] ?? HEADER),
    ...cells.slice(1).map(line),
    // A run that never started says so in its row already; a refused one or one without figures says why here.
    ...report.rows.filter((r) => r.note !== null && r.status !== 'not run').map((r) => `  ${stripControl(r.name)}: ${stripControl(r.note ?? '')}`),
    `Exit code ${report.exitCode}${worst.length > 0 ? ` (worst: ${worst.join(', ')})` : ''}`,
  ];
}

/** The suite's JSON: the table's figures per run, the run's targets in full, and where its own files are. */
export function suiteJson(report: SuiteReport): Record<string, unknown> {
  return {
    suite: report.suite,
    description: report.description,
    file: report.file,
    targets_file: report.targetsFile,
    host: report.host,
    started_at: report.startedAt.toISOString(),
    ended_at: report.endedAt.toISOString(),
    duration_cap_secs: report.durationCapSec,
    interrupted: report.interrupted,
    exit_code: report.exitCode,
    runs: report.rows.map((r) => ({
      name: r.name,
      status: r.status,
      rate: r.rate,
      duration_secs: r.durationSec,
      declared_duration_secs: r.declaredDurationSec,
      exit_code: r.exitCode,
      json: r.json,
      note: r.note,
      requests: r.figures?.requests ?? null,
      failures: r.figures?.failures ?? null,
      error_rate: r.figures?.errorRate ?? null,
      p50_ms: r.figures?.p50Ms ?? null,
      p95_ms: r.figures?.p95Ms ?? null,
      p99_ms: r.figures?.p99Ms ?? null,
      achieved_rps: r.figures?.achievedRps ?? null,
      measured_secs: r.figures?.durationSecs ?? null,
      targets_met: r.figures ? r.figures.targets.filter((t) => t.met).length : null,
      targets_missed: r.figures ? r.figures.targets.filter((t) => !t.met).length : null,
      targets: r.figures?.targets ?? [],
    })),
  };
}
