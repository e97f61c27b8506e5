/** `analyze-results FILE…`: summary, endpoints, top lists, targets, recommendations, baseline. */
import { Command } from 'commander';
import { analyzeRun, type AnalysisReport } from './analysis-report.js';
import { AnalyzeError } from './analyze-error.js';
import { DEFAULT_BASELINE_OPTIONS } from './baseline-compare.js';
import type { CliIo } from './cli-io.js';
import { nonNegative, oneOf } from './cli-options.js';
import { formatJson } from './format-json.js';
import { formatMarkdown } from './format-markdown.js';
import { formatText } from './format-text.js';
import { formatVegetaJson, formatVegetaText, vegetaMetrics } from './format-vegeta.js';
import type { LoadedRun } from './loaded-run.js';
import { loadRun, runPrefix } from './run-loader.js';
import { targetsFromSpec } from './target-source.js';
import { formatHdrPlot, formatHist, histCounts, parseHistBuckets } from './vegeta-histogram.js';
import { writeOutput } from './write-output.js';

const FORMATS = ['text', 'markdown', 'json', 'vegeta', 'vegeta-text', 'hdrplot'] as const;
type Format = (typeof FORMATS)[number];
/** What is printed: a --format, or Vegeta's hist report (--hist alone). */
type Output = Format | 'hist';

interface AnalyzeFlags {
  targets?: string;
  baseline?: string;
  regressionThreshold: number;
  errorThreshold: number;
  minLatencyDelta: number;
  minRequests: number;
  /** Absent: text, or Vegeta's hist report when --hist is given. */
  format?: Format;
  /** --hist edges in ns (parsed, [0, …] when the first is above 0). */
  hist?: number[];
  output?: string;
}

export function analyzeProgram(): Command {
  const d = DEFAULT_BASELINE_OPTIONS;
  return new Command('analyze-results')
    .description('Analyze a finished brood or Locust run: summary, endpoints, targets, recommendations.')
    .argument('<runs...>', 'a run\'s _stats.csv, .json or prefix (several runs are analyzed in turn)')
    .option('--targets <spec>', 'check these targets: a scenario (quick|memory|search|federation|api|websocket) or a JSON file')
    .option('--baseline <run>', 'compare with an earlier run (its _stats.csv, .json or prefix)')
    .option('--regression-threshold <pct>', 'P95/P99 rise in percent flagged as a regression', nonNegative('--regression-threshold'), d.latencyThresholdPct)
    .option('--error-threshold <points>', 'error-rate rise in percentage points flagged as a regression', nonNegative('--error-threshold'), d.errorRateThresholdPts)
    .option('--min-latency-delta <ms>', 'a latency regression must also rise by more than this many ms', nonNegative('--min-latency-delta'), d.minLatencyDeltaMs)
    .option('--min-requests <n>', 'endpoints need this many requests in both runs to be compared', nonNegative('--min-requests'), d.minRequests)
    .option('--format <format>', 'text (default), markdown, json; or Vegeta\'s reports: vegeta (its JSON), vegeta-text, hdrplot', oneOf('--format', FORMATS))
    .option('--hist <buckets>', 'Vegeta\'s hist report over these latency buckets (0,2ms,4ms or [0,2ms,4ms]); with --format vegeta, its JSON\'s "buckets" instead', parseHistBuckets)
    .option('-o, --output <file>', 'write the report to FILE instead of stdout')
    .addHelpText('after', `
Examples:
  analyze-results results/load_test_20250101_120000_stats.csv
  analyze-results results/run --targets api --format markdown -o summary.md
  analyze-results results/new_stats.csv --baseline results/old_stats.csv --regression-threshold 15
  analyze-results locust_run_stats.csv --targets targets.json --format json
  analyze-results results/run.json --format vegeta | jq '.latencies."99th" < 500000000'
  analyze-results results/run.json --format vegeta-text
  analyze-results results/run.json --hist 0,2ms,4ms,10ms,100ms
  analyze-results results/run.json --format vegeta --hist 0,10ms,100ms    # Vegeta's JSON with "buckets"
  analyze-results results/run.json --format hdrplot -o plot.txt           # for HdrHistogram's plotFiles.html

Vegeta's reports (vegeta, vegeta-text, hdrplot, --hist) read the run's .json (brood's CSV files and
Locust's lack status codes, send times, request bytes and the latency histogram). Several runs: one
report each, in the order given; --format vegeta prints one JSON object per line (JSON lines).

A run that watched its server (run-load-tests --monitor-pid / --monitor-url) gets a "Server
resources" section and resource recommendations, from PREFIX.json's "resources" block or, without
it, PREFIX_resources.csv; resource targets (memory_growth_mb_per_min, cpu_percent, cpu_percent_p95,
rss_mb) in a --targets file are judged on it:
  analyze-results results/soak --targets soak-targets.json

Exit codes: 0 fine, 1 a target missed or a regression flagged, 2 unreadable input or bad usage.
`);
}

export function runAnalyze(inputs: readonly string[], flags: AnalyzeFlags, io: CliIo): number {
  const output = outputOf(flags);
  const targets = flags.targets === undefined ? null : targetsFromSpec(flags.targets);
  const baseline = flags.baseline === undefined ? null : loadRun(flags.baseline);
  const baselineOptions = {
    latencyThresholdPct: flags.regressionThreshold, errorRateThresholdPts: flags.errorThreshold,
    minLatencyDeltaMs: flags.minLatencyDelta, minRequests: flags.minRequests,
  };
  // Several files of one run (run_stats.csv run_failures.csv) are one run.
  const prefixes = [...new Map(inputs.map((i) => [runPrefix(i), i])).values()];
  const runs = prefixes.map(loadRun);
  const reports: AnalysisReport[] = runs.map((run) => analyzeRun(run, { targets, baseline, baselineOptions }));
  const vegeta = output === 'text' || output === 'markdown' || output === 'json' ? null : vegetaReports(runs, output, flags.hist);
  const text = vegeta !== null ? vegeta.text
    : output === 'json' ? formatJson(reports)
      : reports.map(output === 'markdown' ? formatMarkdown : formatText).join('\n');
  for (const note of vegeta?.notes ?? []) io.err(`${note}\n`);
  if (flags.output === undefined) io.out(text);
  else writeOutput(flags.output, text);
  return reports.every((r) => r.passed) ? 0 : 1;
}

/** --hist alone is Vegeta's hist report, as `vegeta report -type=hist[…]`; with --format vegeta, the JSON's "buckets" as `-type=json -buckets`. */
function outputOf(flags: AnalyzeFlags): Output {
  if (flags.hist === undefined) return flags.format ?? 'text';
  if (flags.format === undefined) return 'hist';
  if (flags.format === 'vegeta') return 'vegeta';
  throw new AnalyzeError('BAD_USAGE', `--hist goes alone (Vegeta's hist report) or with --format vegeta (its JSON's "buckets"), not with --format ${flags.format}`);
}

/**
 * Vegeta's reports, one per run in the order given: JSON lines for vegeta, a blank line between the
 * others. Every run is rendered before anything is printed, so a refused run leaves no partial output.
 */
function vegetaReports(runs: readonly LoadedRun[], output: Exclude<Output, 'text' | 'markdown' | 'json'>, hist: number[] | undefined): { text: string; notes: string[] } {
  const notes: string[] = [];
  const one = (run: LoadedRun): string => {
    if (output === 'hdrplot') return formatHdrPlot(run);
    const counts = hist === undefined ? undefined : histCounts(run, hist);
    if (counts !== undefined && counts.unresolved > 0) {
      notes.push(`note: ${run.label}: ${counts.unresolved} of ${counts.total} requests lie closer to a --hist edge than brood's histogram resolves (3 significant digits); each is counted at its histogram value, as percentiles are`);
    }
    if (output === 'hist') {
      if (counts === undefined) throw new AnalyzeError('BAD_USAGE', 'the hist report needs --hist buckets');
      return formatHist(counts);
    }
    const metrics = vegetaMetrics(run, `--format ${output}`);
    if (output === 'vegeta-text') return formatVegetaText(metrics);
    return formatVegetaJson(metrics, counts?.buckets.map((edge, i) => [edge, counts.counts[i] ?? 0] as const));
  };
  const texts = runs.map(one);
  return { text: texts.join(output === 'vegeta' ? '' : '\n'), notes };
}
