import { parseDecimal } from '../core/decimal.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { makeDirectories } from '../report/make-directories.js';
import { join } from 'node:path';
import { Command } from 'commander';
import { capacityRates, judgeStep, summarizeCapacity, type CapacityStep } from '../core/capacity-plan.js';
import { parseDuration } from '../core/duration.js';
import { ConfigError } from '../core/errors.js';
import { setLongTimeout } from '../core/long-timeout.js';
import { startDemoServerProcess } from '../demo-server/process-host.js';
import { resolveOutputPaths } from '../report/output-paths.js';
import { probeHost } from '../http/probe.js';
import { refuseOptionConflicts } from './option-conflicts.js';
import { resolveTest } from '../loading/resolve-test.js';
import { writableOutputPaths } from './writable-output-paths.js';
import { validateRunOptions, type RunConfig } from './run-config.js';
import type { ResolvedTest } from '../loading/resolve-test.js';
import type { runJob } from './run-command.js';

interface RawCapacityOptions {
  scenario?: string;
  file?: string;
  rates?: string;
  start?: string;
  step?: string;
  max?: string;
  duration?: string;
  cooldown?: string;
  targetP99?: string;
  maxErrorRate?: string;
  host?: string;
  resultsDir?: string;
  maxUsers?: string;
  preAllocatedUsers?: string;
  arrival?: string;
  seed?: string;
}

function capacityCommand(): Command {
  return new Command('run-load-tests capacity')
    .description('Find the breaking point: one open-model window per rate, with cool-down, until P99 or errors break.')
    .option('--scenario <name>', 'a scenario (TOML ones bring their pattern and [validation]), e.g. --scenario mixed_balanced')
    .option('-f, --file <path>', 'a test file instead of a scenario')
    .option('--rates <list>', 'rates to try in ops/s, e.g. --rates 10000,15000,20000')
    .option('--start <ops>', 'first rate (with --step and --max)')
    .option('--step <ops>', 'rate increment')
    .option('--max <ops>', 'last rate')
    .option('--duration <d>', 'length of each window: seconds or 30s, 10m (default 60s)')
    .option('--cooldown <d>', 'pause between windows (default 10s)')
    .option('--target-p99 <ms>', 'breaking when P99 (from the scheduled start) exceeds this (default: the scenario file\'s)')
    .option('--max-error-rate <fraction>', 'breaking when errors exceed this (default: the scenario file\'s, else 0.01)')
    .option('-H, --host <url>', 'target (default: one built-in demo server for the whole search)')
    .option('--results-dir <dir>', 'where capacity_<rate>.json and capacity_summary.json go (default results/)')
    .option('--max-users <n>', 'user pool bound per window (default 10000)')
    .option('--pre-allocated-users <n>', 'users (with their connections) made before each window starts')
    .option('--arrival <pattern>', 'constant or poisson for -f files and Python-style scenarios')
    .option('--seed <n>', 'seed')
    .addHelpText('after', '\nExample:\n  run-load-tests capacity --scenario mixed_balanced --rates 1000,2000,3000 --duration 60 --target-p99 50')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s.split('\n')[0] + '\n') });
}

interface StepJson {
  latency?: { overall?: { p50: number | null; p95: number | null; p99: number | null; count: number; failures: number } };
  open_model?: { achieved_rate: number; dropped: number; dispatched: number };
  summary?: { duration_secs: number };
}

/** What a step must stay within to count as safe. */
interface CapacityLimits {
  p99Ms: number;
  maxErrorRate: number;
}

/** The rates to try and the timing between them, read from the flags alone. */
interface CapacityPlan {
  rates: number[];
  durationSec: number;
  cooldownSec: number;
}

/** Everything the search needs, checked in full before the first window starts. */
interface CapacitySearch extends CapacityPlan {
  base: RunConfig;
  test: ResolvedTest;
  limits: CapacityLimits;
  dir: string;
  /** run-command.js's runJob, imported lazily as main.ts and replay-command.ts import it. */
  runJob: typeof runJob;
}

/** What each window's run is told about the command line, for its output files. */
interface CapacityInvocation {
  version: string;
  argv: readonly string[];
}

function printLine(line: string): void {
  process.stdout.write(`${line}\n`);
}

function positiveNumber(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = parseDecimal(v);
  if (!Number.isFinite(n) || n <= 0) throw new ConfigError('BAD_NUMBER', `${flag} "${v}" must be a positive number`);
  return n;
}

function capacityPlan(raw: RawCapacityOptions): CapacityPlan {
  const rates = capacityRates({ rates: raw.rates, start: positiveNumber('--start', raw.start), step: positiveNumber('--step', raw.step), max: positiveNumber('--max', raw.max) });
  const durationSec = raw.duration === undefined ? 60 : parseDuration(raw.duration, '--duration');
  // parseDuration refuses 0 (it reads run times), but --cooldown 0, no pause between windows, is a fair ask.
  const cooldownSec = raw.cooldown === undefined ? 10 : raw.cooldown.trim() === '0' ? 0 : parseDuration(raw.cooldown, '--cooldown');
  return { rates, durationSec, cooldownSec };
}

/** Flags beat the scenario's or test file's own limits; a search with no P99 to break has no end to find. */
function capacityLimits(base: RunConfig, test: ResolvedTest): CapacityLimits {
  const p99Ms = base.arrival?.targetP99Ms ?? test.arrival?.p99Ms ?? null;
  if (p99Ms === null) throw new ConfigError('BAD_ARGUMENT', '--target-p99 is required: the scenario gives no expected_p99_latency_ms');
  return { p99Ms, maxErrorRate: base.arrival?.maxErrorRate ?? test.arrival?.maxErrorRate ?? 0.01 };
}

/** The results directory, refused now if the first window could not write its files there. */
function capacityResultsDir(raw: RawCapacityOptions, firstRate: number | undefined): string {
  const dir = raw.resultsDir ?? 'results';
  if (dir === '') throw new ConfigError('BAD_ARGUMENT', '--results-dir "" is empty: give a directory, e.g. --results-dir results (the default)');
  writableOutputPaths({ csvPrefix: join(dir, `capacity_${firstRate}`), html: null, json: null, logfile: null, resultsDir: null, prefixFlag: '--results-dir' });
  return dir;
}

/** Checks every input (flags, test, open-model setup, limits, results directory) in the order a user meets them. */
async function prepareCapacitySearch(raw: RawCapacityOptions): Promise<CapacitySearch> {
  const plan = capacityPlan(raw);
  const base = validateRunOptions({
    scenario: raw.scenario, file: raw.file, host: raw.host, seed: raw.seed, time: String(plan.durationSec),
    targetRate: String(plan.rates[0]), maxUsers: raw.maxUsers, preAllocatedUsers: raw.preAllocatedUsers, arrival: raw.arrival, targetP99: raw.targetP99, maxErrorRate: raw.maxErrorRate,
    onlySummary: true, window: String(plan.durationSec),
  });
  const test = await resolveTest(base);
  refuseOptionConflicts({ arrival: raw.arrival, rateFrom: 'capacity (a search over arrival rates)' }, base, test); // a test file's LoadShape has no place in an arrival-rate search
  const { arrivalSetup, runJob } = await import('./run-command.js');
  arrivalSetup(base, test); // bad open-model input (a pool clash) is said before anything starts
  const limits = capacityLimits(base, test);
  const dir = capacityResultsDir(raw, plan.rates[0]);
  return { ...plan, base, test, limits, dir, runJob };
}

/** A window's figures from its JSON summary; a missing section reads as nothing measured. */
function stepFigures(json: StepJson, rate: number, durationSec: number): Omit<CapacityStep, 'broke'> {
  const o = json.latency?.overall;
  return {
    rate,
    scheduledRate: (json.open_model?.dispatched ?? 0) / Math.max(json.summary?.duration_secs ?? durationSec, 1e-9),
    achievedRate: json.open_model?.achieved_rate ?? 0,
    p50Ms: o?.p50 ?? null,
    p95Ms: o?.p95 ?? null,
    p99Ms: o?.p99 ?? null,
    errorRate: o && o.count > 0 ? o.failures / o.count : 0,
    dropped: json.open_model?.dropped ?? 0,
  };
}

/** One open-model window at `rate`, written to capacity_<rate>.*, then judged from its JSON file. */
async function runCapacityStep(search: CapacitySearch, host: string, rate: number, run: CapacityInvocation): Promise<CapacityStep> {
  const prefix = join(search.dir, `capacity_${rate}`);
  // Reachable at the start (probeCapacityTarget): a target that dies mid-search breaks its step with errors.
  const config = { ...search.base, host, continueOnUnreachable: true, arrival: search.base.arrival ? { ...search.base.arrival, rate } : null, csvPrefix: prefix, json: `${prefix}.json` };
  const paths = resolveOutputPaths({ csvPrefix: prefix, json: `${prefix}.json`, html: `${prefix}.html`, now: new Date() });
  await search.runJob(config, search.test, paths, run.version, ['capacity', ...run.argv], { print: () => {} });
  const json = JSON.parse(readFileSync(`${prefix}.json`, 'utf8')) as StepJson;
  const figures = stepFigures(json, rate, search.durationSec);
  return { ...figures, broke: judgeStep(figures, search.limits) };
}

/** One console line per window: the figures the verdict rests on, then the verdict. */
function stepLine(step: CapacityStep): string {
  return `  ${String(step.rate).padStart(8)} ops/s: achieved ${step.achievedRate.toFixed(0)}, p50 ${step.p50Ms ?? '-'} ms, p99 ${step.p99Ms ?? '-'} ms, errors ${(step.errorRate * 100).toFixed(2)}%${step.dropped ? `, dropped ${step.dropped}` : ''} → ${step.broke ? `BREAKS (${step.broke})` : 'ok'}`;
}

/**
 * Tries each rate in turn until one breaks the limits, the rates run out or Ctrl-C asks to stop:
 * no window starts after it, and the steps measured so far still make a summary.
 */
async function searchRates(search: CapacitySearch, host: string, run: CapacityInvocation): Promise<CapacityStep[]> {
  let aborted = false;
  const onSignal = (): void => void (aborted = true);
  process.once('SIGINT', onSignal);
  printLine(`capacity search against ${host}: ${search.rates.join(', ')} ops/s, ${search.durationSec}s each, breaking at P99 > ${search.limits.p99Ms} ms or errors > ${search.limits.maxErrorRate * 100}%`);
  const steps: CapacityStep[] = [];
  try {
    for (const [i, rate] of search.rates.entries()) {
      if (aborted) break;
      const step = await runCapacityStep(search, host, rate, run);
      steps.push(step);
      printLine(stepLine(step));
      if (step.broke) break;
      if (i < search.rates.length - 1 && search.cooldownSec > 0) await new Promise<void>((r) => setLongTimeout(r, search.cooldownSec * 1000)); // --cooldown may pass 24.8 days (Node's timer limit)
    }
  } finally {
    process.off('SIGINT', onSignal);
  }
  return steps;
}

/** capacity_summary.json and the closing lines: the verdict, then where the files are. */
function reportCapacity(dir: string, limits: CapacityLimits, steps: readonly CapacityStep[]): void {
  const summary = summarizeCapacity(steps);
  writeFileSync(join(dir, 'capacity_summary.json'), `${JSON.stringify({ limits, ...summary }, null, 2)}\n`);
  printLine(summary.breakingPoint === null
    ? `No breaking point up to ${steps.at(-1)?.rate ?? '-'} ops/s; last safe rate ${summary.lastSafeRate ?? '-'} ops/s`
    : `Breaking point: ${summary.breakingPoint} ops/s (${steps.at(-1)?.broke}); last safe rate: ${summary.lastSafeRate ?? 'none'} ops/s`);
  printLine(`Files: ${join(dir, 'capacity_<rate>.json')} per step, ${join(dir, 'capacity_summary.json')}; draw the curve with: analyze-results capacity ${join(dir, 'capacity_*.json')}`);
}

/**
 * The search's one connect before anything starts. Its message is capacity's own: the run
 * command's hint, --continue-on-unreachable, is no capacity flag (a search of a target that is not
 * there would only find it broken at the first rate).
 */
async function probeCapacityTarget(host: string | null): Promise<void> {
  if (host === null) return;
  const unreachable = await probeHost(host);
  if (unreachable !== null) throw new ConfigError('BAD_HOST', `cannot reach ${host} (${unreachable}): is the server running? (capacity needs a reachable target; without -H it searches the built-in demo server)`);
}

/** `run-load-tests capacity …`: returns 0 when the search ran (whatever it found), 2 on bad input. */
export async function capacityMain(argv: readonly string[], version: string): Promise<number> {
  const raw = capacityCommand().parse([...argv], { from: 'user' }).opts<RawCapacityOptions>();
  const search = await prepareCapacitySearch(raw);
  await probeCapacityTarget(search.base.host);
  makeDirectories(search.dir);
  const demo = search.base.host ? null : await startDemoServerProcess({ port: 0, seed: search.base.seed ?? undefined });
  const host = search.base.host ?? demo?.url ?? '';
  let steps: CapacityStep[];
  try {
    steps = await searchRates(search, host, { version, argv });
  } finally {
    await demo?.close();
  }
  reportCapacity(search.dir, search.limits, steps);
  return 0;
}
