/**
 * The end-of-run tables, laid out as Locust prints them (so eyes and scripts used to Locust read
 * them unchanged), plus brood's exceptions and targets tables. Times use 3 significant digits, the
 * precision of the HDR histograms, instead of Locust's truncation to whole ms.
 * Every name, error and message passes through stripControl: it came from the network or the test.
 */
import type { TargetResult } from '../core/targets.js';
import {
  PERCENTILE_LABELS,
  type EntrySummary,
  type ExceptionSnapshot,
  type FailureRow,
} from '../stats/types.js';
import { stripControl } from './console-text.js';
import {
  avgResponseTimeMs,
  compareText,
  failRatio,
  rateWindowSecs,
  sortEntries,
  totalFailPerSec,
  totalRps,
} from './entry-metrics.js';
import { sig3 } from './number-format.js';
import { targetFigures, targetScope, targetVerdict } from './target-format.js';

/** Locust's STATS_TYPE_WIDTH and its STATS_NAME_WIDTH when there is no terminal to measure. */
const TYPE_WIDTH = 8;
export const DEFAULT_NAME_WIDTH = 80;

export const PERCENTILES_TITLE = 'Response time percentiles (HDR, exact to 3 significant digits)';

export interface SummaryTableOptions {
  /** Width of the Name column in the percentile table (the stats table uses 4 less, as Locust). */
  nameWidth?: number;
}

function statsLine(entry: EntrySummary, windowSecs: number, nameCol: number): string {
  const empty = entry.numRequests === 0;
  const fails = `${entry.numFailures}(${(failRatio(entry) * 100).toFixed(2)}%)`;
  const avg = sig3(avgResponseTimeMs(entry));
  const min = empty || entry.minResponseTimeMs === null ? '0' : sig3(entry.minResponseTimeMs);
  const max = empty || entry.maxResponseTimeMs === null ? '0' : sig3(entry.maxResponseTimeMs);
  const med = empty ? '0' : sig3(entry.percentilesMs[0] ?? 0);
  return (
    `${stripControl(entry.method).padEnd(TYPE_WIDTH)} ${stripControl(entry.name).padEnd(nameCol)} ` +
    `${String(entry.numRequests).padStart(7)} ${fails.padStart(12)} |` +
    `${avg.padStart(7)} ${min.padStart(7)} ${max.padStart(7)}${med.padStart(7)} | ` +
    `${totalRps(entry, windowSecs).toFixed(2).padStart(7)} ${totalFailPerSec(entry, windowSecs).toFixed(2).padStart(11)}`
  );
}

/** "Type Name # reqs # fails | Avg Min Max Med | req/s failures/s", rates over the whole run. */
export function requestStatsTable(
  entries: readonly EntrySummary[], aggregated: EntrySummary, startWallMs: number, options: SummaryTableOptions = {},
): string[] {
  const nameCol = (options.nameWidth ?? DEFAULT_NAME_WIDTH) - TYPE_WIDTH + 4;
  const windowSecs = rateWindowSecs(aggregated, startWallMs);
  const separator =
    `${'-'.repeat(TYPE_WIDTH)}|${'-'.repeat(nameCol)}|${'-'.repeat(7)}|${'-'.repeat(13)}|` +
    `${'-'.repeat(7)}|${'-'.repeat(7)}|${'-'.repeat(7)}|${'-'.repeat(7)}|${'-'.repeat(8)}|${'-'.repeat(11)}`;
  const header =
    `${'Type'.padEnd(TYPE_WIDTH)} ${'Name'.padEnd(nameCol)} ${'# reqs'.padStart(7)} ${'# fails'.padStart(12)} |` +
    `${'Avg'.padStart(7)} ${'Min'.padStart(7)} ${'Max'.padStart(7)}${'Med'.padStart(7)} | ` +
    `${'req/s'.padStart(7)} ${'failures/s'.padStart(11)}`;
  return [
    header, separator,
    ...sortEntries(entries).map((e) => statsLine(e, windowSecs, nameCol)),
    separator, statsLine({ ...aggregated, method: '' }, windowSecs, nameCol),
  ];
}

function percentileLine(entry: EntrySummary, nameWidth: number): string {
  const cells = PERCENTILE_LABELS.map((_, i) => sig3(entry.percentilesMs[i] ?? 0));
  const [first = '', ...rest] = [...cells, String(entry.numRequests)];
  return (
    `${stripControl(entry.method).padEnd(TYPE_WIDTH)} ${stripControl(entry.name).padEnd(nameWidth)} ` +
    `${first.padStart(8)} ${rest.map((c) => c.padStart(6)).join(' ')}`
  );
}

/** The percentile table; entries without requests are left out, as Locust does. */
export function percentilesTable(
  entries: readonly EntrySummary[], aggregated: EntrySummary, options: SummaryTableOptions = {},
): string[] {
  const nameWidth = options.nameWidth ?? DEFAULT_NAME_WIDTH;
  const [first = '', ...rest] = [...PERCENTILE_LABELS, '# reqs'];
  const header =
    `${'Type'.padEnd(TYPE_WIDTH)} ${'Name'.padEnd(nameWidth)} ${first.padStart(8)} ${rest.map((c) => c.padStart(6)).join(' ')}`;
  const separator =
    `${'-'.repeat(TYPE_WIDTH)}|${'-'.repeat(nameWidth)}|${'-'.repeat(8)}|` +
    `${`${'-'.repeat(6)}|`.repeat(PERCENTILE_LABELS.length)}`.slice(0, -1);
  const lines = [PERCENTILES_TITLE, header, separator];
  for (const e of sortEntries(entries)) if (e.numRequests > 0) lines.push(percentileLine(e, nameWidth));
  lines.push(separator);
  if (aggregated.numRequests > 0) lines.push(percentileLine({ ...aggregated, method: '' }, nameWidth));
  return lines;
}

/** Locust's "Error report", most frequent first; empty when there were no failures. */
export function errorReport(failures: readonly FailureRow[], options: SummaryTableOptions = {}): string[] {
  if (failures.length === 0) return [];
  const separator = `${'-'.repeat(18)}|${'-'.repeat(80 + (options.nameWidth ?? DEFAULT_NAME_WIDTH) - 19)}`;
  const sorted = [...failures].sort(
    (a, b) => b.occurrences - a.occurrences || compareText(a.name, b.name) || compareText(a.error, b.error),
  );
  const lines = ['Error report', `${'# occurrences'.padEnd(18)} ${'Error'.padEnd(100)}`, separator];
  for (const f of sorted) {
    const text = stripControl(`${f.method} ${f.name}: ${f.error}`);
    lines.push(`${String(f.occurrences).padEnd(18)} ${text.padEnd(100)}`);
  }
  lines.push(separator);
  return lines;
}

/** The first stack frame of a JS or Python traceback, to say where an exception came from. */
function topFrame(traceback: string): string | null {
  const lines = traceback.split(/\r\n|\r|\n/).map((l) => l.trim());
  const js = lines.find((l) => l.startsWith('at '));
  if (js !== undefined) return js;
  const py = lines.filter((l) => l.startsWith('File ')).pop();
  return py ?? null;
}

/** brood's exceptions table (Locust only logs them): count, message and where it was thrown. */
export function exceptionsReport(exceptions: readonly ExceptionSnapshot[], options: SummaryTableOptions = {}): string[] {
  if (exceptions.length === 0) return [];
  const separator = `${'-'.repeat(18)}|${'-'.repeat(80 + (options.nameWidth ?? DEFAULT_NAME_WIDTH) - 19)}`;
  const lines = ['Exceptions', `${'# occurrences'.padEnd(18)} Message`, separator];
  const sorted = [...exceptions].sort((a, b) => b.count - a.count || compareText(a.message, b.message));
  for (const e of sorted) {
    const frame = topFrame(e.traceback);
    const where = frame === null ? '' : ` (${frame})`;
    lines.push(`${String(e.count).padEnd(18)} ${stripControl(e.message + where)}`);
  }
  lines.push(separator);
  return lines;
}

/** Target, scope, threshold, measured, PASS/FAIL; column widths fit the content. */
export function targetsTable(targets: readonly TargetResult[]): string[] {
  if (targets.length === 0) return [];
  const header = ['Target', 'Scope', 'Threshold', 'Measured', 'Result'];
  const rows = targets.map((t) => {
    const figures = targetFigures(t);
    return [stripControl(t.label), stripControl(targetScope(t)), figures.threshold, figures.measured, targetVerdict(t)];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' ').trimEnd();
  const separator = widths.map((w) => '-'.repeat(w)).join('|');
  const failed = targets.filter((t) => !t.met).length;
  const verdict = failed === 0 ? `All ${targets.length} targets met` : `${failed} of ${targets.length} targets missed`;
  return ['Targets', line(header), separator, ...rows.map(line), separator, verdict];
}

export interface ConsoleSummaryInput {
  entries: readonly EntrySummary[];
  aggregated: EntrySummary;
  failures: readonly FailureRow[];
  exceptions: readonly ExceptionSnapshot[];
  targets: readonly TargetResult[];
  startWallMs: number;
  nameWidth?: number;
}

/** Every end-of-run table, each followed by an empty line as Locust prints them; ends with "\n". */
export function consoleSummary(input: ConsoleSummaryInput): string {
  const options: SummaryTableOptions = input.nameWidth === undefined ? {} : { nameWidth: input.nameWidth };
  const sections = [
    requestStatsTable(input.entries, input.aggregated, input.startWallMs, options),
    percentilesTable(input.entries, input.aggregated, options),
    errorReport(input.failures, options),
    exceptionsReport(input.exceptions, options),
    targetsTable(input.targets),
  ].filter((s) => s.length > 0);
  return sections.map((s) => `${s.join('\n')}\n\n`).join('');
}

/** Also importable from here, where the brief first placed it; it lives in live-line.ts. */
export { liveLine, progressBar, type LiveLineInput } from './live-line.js';
