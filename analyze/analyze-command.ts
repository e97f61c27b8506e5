/** `analyze-results FILE…`: summary, endpoints, top lists, targets, recommendations, baseline. */
import { Command } from 'commander';
import { analyzeRun, type AnalysisReport } from './analysis-report.js';
import { DEFAULT_BASELINE_OPTIONS } from './baseline-compare.js';
import type { CliIo } from './cli-io.js';
import { nonNegative, oneOf } from './cli-options.js';
import { formatJson } from './format-json.js';
import { formatMarkdown } from './format-markdown.js';
import { formatText } from './format-text.js';
import { loadRun, runPrefix } from './run-loader.js';
import { targetsFromSpec } from './target-source.js';
import { writeOutput } from './write-output.js';

const FORMATS = ['text', 'markdown', 'json'] as const;
type Format = (typeof FORMATS)[number];

interface AnalyzeFlags {
  targets?: string;
  baseline?: string;
  regressionThreshold: number;
  errorThreshold: number;
  minLatencyDelta: number;
  minRequests: number;
  format: Format;
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
    .option('--format <format>', 'text, markdown or json', oneOf('--format', FORMATS), 'text')
    .option('-o, --output <file>', 'write the report to FILE instead of stdout')
    .addHelpText('after', `
Examples:
  analyze-results results/load_test_20250101_120000_stats.csv
  analyze-results results/run --targets api --format markdown -o summary.md
  analyze-results results/new_stats.csv --baseline results/old_stats.csv --regression-threshold 15
  analyze-results locust_run_stats.csv --targets targets.json --format json

Exit codes: 0 fine, 1 a target missed or a regression flagged, 2 unreadable input or bad usage.
`);
}

export function runAnalyze(inputs: readonly string[], flags: AnalyzeFlags, io: CliIo): number {
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
  const text = flags.format === 'json' ? formatJson(reports)
    : reports.map(flags.format === 'markdown' ? formatMarkdown : formatText).join('\n');
  if (flags.output === undefined) io.out(text);
  else writeOutput(flags.output, text);
  return reports.every((r) => r.passed) ? 0 : 1;
}
