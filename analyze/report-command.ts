/** `analyze-results report PREFIX`: rebuilds the HTML report of a finished run (brood's or Locust's files). */
import { Command } from 'commander';
import { renderHtmlReport } from '../src/report/html-report.js';
import type { CliIo } from './cli-io.js';
import { reportInput } from './report-data.js';
import { loadRun } from './run-loader.js';
import { targetsForRun, targetsFromSpec } from './target-source.js';
import { writeOutput } from './write-output.js';

export function reportProgram(): Command {
  return new Command('analyze-results report')
    .description("Rebuild a self-contained HTML report from a finished run's CSV/JSON files (brood or Locust).")
    .argument('<run>', 'the run: its prefix, _stats.csv or .json')
    .option('-o, --output <file>', 'HTML file to write (default: PREFIX_report.html, so brood\'s own PREFIX.html is kept)')
    .option('--targets <spec>', 'targets for the pass/fail table: a scenario name or a JSON file')
    .addHelpText('after', `
Examples:
  analyze-results report results/load_test_20250101_120000
  analyze-results report locust_run_stats.csv --output locust_report.html
`);
}

export function runReport(input: string, flags: { output?: string; targets?: string }, io: CliIo, nowWallMs: number): number {
  const targets = flags.targets === undefined ? null : targetsFromSpec(flags.targets);
  const run = loadRun(input);
  const output = flags.output ?? `${run.label}_report.html`;
  writeOutput(output, renderHtmlReport(reportInput(run, targetsForRun(run, targets), nowWallMs)));
  io.out(`Report: ${output}\n`);
  return 0;
}
