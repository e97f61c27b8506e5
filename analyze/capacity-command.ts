/** `analyze-results capacity FILE…`: the latency/throughput curve of several runs, its knee, an HTML chart. */
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { AnalyzeError } from './analyze-error.js';
import { capacityHtml } from './capacity-chart.js';
import { capacityCurve, DEFAULT_KNEE_RULE, type CapacityCurve, type CapacityPoint } from './capacity-curve.js';
import type { CliIo } from './cli-io.js';
import { nonNegative, oneOf } from './cli-options.js';
import type { LoadedRun } from './loaded-run.js';
import { loadRun, runPrefix } from './run-loader.js';
import { endpointRow } from './run-summary.js';
import { writeOutput } from './write-output.js';

interface CapacityFlags {
  output?: string;
  maxP99Rise: number;
  maxSlope: number;
  maxErrorRate: number;
  noiseFloor: number;
  format: 'text' | 'json';
}

export function capacityProgram(): Command {
  const r = DEFAULT_KNEE_RULE;
  return new Command('analyze-results capacity')
    .description('Plot P50/P95/P99 against achieved throughput over several runs (one load level each) and find the knee.')
    .argument('<runs...>', 'two or more runs: _stats.csv, .json or prefixes')
    .option('-o, --output <file>', 'HTML chart to write (default: capacity_curve.html beside the first run)')
    .option('--max-p99-rise <pct>', 'P99 rise over the lowest load that ends the safe range', nonNegative('--max-p99-rise'), r.maxP99RisePct)
    .option('--max-slope <x>', 'relative P99 rise per relative throughput gain that ends the safe range', nonNegative('--max-slope'), r.maxSlope)
    .option('--max-error-rate <pct>', 'error rate in percent that ends the safe range', nonNegative('--max-error-rate'), r.maxErrorRate * 100)
    .option('--noise-floor <ms>', 'P99 changes smaller than this are noise', nonNegative('--noise-floor'), r.noiseFloorMs)
    .option('--format <format>', 'how to print the knee: text or json', oneOf('--format', ['text', 'json'] as const), 'text')
    .addHelpText('after', `
Example:
  for u in 10 20 40 80; do run-load-tests -f test.ts -u $u -r $u -t 60s --csv results/cap_$u; done
  analyze-results capacity results/cap_*_stats.csv --output capacity.html
`);
}

export function capacityPoint(run: LoadedRun): CapacityPoint {
  const row = endpointRow(run.aggregated);
  if (row.requests === 0) throw new AnalyzeError('NO_REQUESTS', `${run.label}: the run has no requests, so no point on the curve`);
  return { label: run.label, users: run.meta.users, rps: row.rps, requests: row.requests, errorRate: row.errorRate, p50Ms: row.p50Ms, p95Ms: row.p95Ms, p99Ms: row.p99Ms };
}

export function kneeSummary(curve: CapacityCurve): string {
  const knee = curve.kneeIndex === null ? undefined : curve.points[curve.kneeIndex];
  if (knee === undefined) return `No safe operating point in the tested range: ${curve.reason}.`;
  const users = knee.users === null ? '' : ` with ${knee.users} users`;
  return `Knee (safe operating point): ${Number(knee.rps.toFixed(2))} req/s${users} (${knee.label}), P99 ${knee.p99Ms === null ? 'n/a' : Number(knee.p99Ms.toFixed(3))} ms. Next: ${curve.reason}.`;
}

export function runCapacity(inputs: readonly string[], flags: CapacityFlags, io: CliIo): number {
  const prefixes = [...new Set(inputs.map(runPrefix))];
  if (prefixes.length < 2) throw new AnalyzeError('BAD_USAGE', 'capacity needs at least two runs (one per load level)');
  const curve = capacityCurve(prefixes.map((p) => capacityPoint(loadRun(p))), {
    maxP99RisePct: flags.maxP99Rise, maxSlope: flags.maxSlope, maxErrorRate: flags.maxErrorRate / 100, noiseFloorMs: flags.noiseFloor,
  });
  const output = flags.output ?? join(dirname(inputs[0] ?? '.'), 'capacity_curve.html');
  const summary = kneeSummary(curve);
  writeOutput(output, capacityHtml(curve, summary));
  if (flags.format === 'json') io.out(`${JSON.stringify({ ...curve, summary, output }, null, 2)}\n`);
  else io.out(`${summary}\nChart: ${output}\n`);
  return 0;
}
