import { parseDecimal } from '../core/decimal.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { makeDirectories } from '../report/make-directories.js';
import { join } from 'node:path';
import { Command } from 'commander';
import { capacityRates, judgeStep, summarizeCapacity, type CapacityStep } from '../core/capacity-plan.js';
import { parseDuration } from '../core/duration.js';
import { ConfigError } from '../core/errors.js';
import { setLongTimeout } from '../core/long-timeout.js';
import { startDemoServerInWorker } from '../demo-server/worker-host.js';
import { resolveOutputPaths } from '../report/output-paths.js';
import { probeHost } from '../http/probe.js';
import { refuseOptionConflicts } from './option-conflicts.js';
import { resolveTest } from '../loading/resolve-test.js';
import { writableOutputPaths } from './writable-output-paths.js';
import { validateRunOptions } from './run-config.js';

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
  const num = (flag: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const n = parseDecimal(v);
    if (!Number.isFinite(n) || n <= 0) throw new ConfigError('BAD_NUMBER', `${flag} "${v}" must be a positive number`);
    return n;
  };
  const rates = capacityRates({ rates: raw.rates, start: num('--start', raw.start), step: num('--step', raw.step), max: num('--max', raw.max) });
  const durationSec = raw.duration === undefined ? 60 : parseDuration(raw.duration, '--duration');
  const cooldownSec = raw.cooldown === undefined ? 10 : raw.cooldown.trim() === '0' ? 0 : parseDuration(raw.cooldown, '--cooldown');
  const base = validateRunOptions({
    scenario: raw.scenario, file: raw.file, host: raw.host, seed: raw.seed, time: String(durationSec),
    targetRate: String(rates[0]), maxUsers: raw.maxUsers, preAllocatedUsers: raw.preAllocatedUsers, arrival: raw.arrival, targetP99: raw.targetP99, maxErrorRate: raw.maxErrorRate,
    onlySummary: true, window: String(durationSec),
  });
  const test = await resolveTest(base);
  refuseOptionConflicts({ arrival: raw.arrival, rateFrom: 'capacity (a search over arrival rates)' }, base, test); // a test file's LoadShape has no place in an arrival-rate search
  const { arrivalSetup, runJob } = await import('./run-command.js');
  arrivalSetup(base, test); // bad open-model input (a pool clash) is said before anything starts
  const p99Ms = base.arrival?.targetP99Ms ?? test.arrival?.p99Ms ?? null;
  if (p99Ms === null) throw new ConfigError('BAD_ARGUMENT', '--target-p99 is required: the scenario gives no expected_p99_latency_ms');
  const limits = { p99Ms, maxErrorRate: base.arrival?.maxErrorRate ?? test.arrival?.maxErrorRate ?? 0.01 };
  const dir = raw.resultsDir ?? 'results';
  if (dir === '') throw new ConfigError('BAD_ARGUMENT', '--results-dir "" is empty: give a directory, e.g. --results-dir results (the default)');
  writableOutputPaths({ csvPrefix: join(dir, `capacity_${rates[0]}`), html: null, json: null, logfile: null, resultsDir: null });
  await probeCapacityTarget(base.host);
  makeDirectories(dir);
  const demo = base.host ? null : await startDemoServerInWorker({ port: 0, seed: base.seed ?? undefined });
  const host = base.host ?? demo?.url ?? '';
  const print = (line: string): void => void process.stdout.write(`${line}\n`);
  let aborted = false;
  const onSignal = (): void => void (aborted = true);
  process.once('SIGINT', onSignal);
  print(`capacity search against ${host}: ${rates.join(', ')} ops/s, ${durationSec}s each, breaking at P99 > ${limits.p99Ms} ms or errors > ${limits.maxErrorRate * 100}%`);
  const steps: CapacityStep[] = [];
  try {
    for (const [i, rate] of rates.entries()) {
      if (aborted) break;
      const prefix = join(dir, `capacity_${rate}`);
      // Reachable at the start (probeCapacityTarget): a target that dies mid-search breaks its step with errors.
      const config = { ...base, host, continueOnUnreachable: true, arrival: base.arrival ? { ...base.arrival, rate } : null, csvPrefix: prefix, json: `${prefix}.json` };
      const paths = resolveOutputPaths({ csvPrefix: prefix, json: `${prefix}.json`, html: `${prefix}.html`, now: new Date() });
      await runJob(config, test, paths, version, ['capacity', ...argv], { print: () => {} });
      const json = JSON.parse(readFileSync(`${prefix}.json`, 'utf8')) as StepJson;
      const o = json.latency?.overall;
      const figures = {
        rate,
        scheduledRate: (json.open_model?.dispatched ?? 0) / Math.max(json.summary?.duration_secs ?? durationSec, 1e-9),
        achievedRate: json.open_model?.achieved_rate ?? 0,
        p50Ms: o?.p50 ?? null,
        p95Ms: o?.p95 ?? null,
        p99Ms: o?.p99 ?? null,
        errorRate: o && o.count > 0 ? o.failures / o.count : 0,
        dropped: json.open_model?.dropped ?? 0,
      };
      const step: CapacityStep = { ...figures, broke: judgeStep(figures, limits) };
      steps.push(step);
      print(`  ${String(rate).padStart(8)} ops/s: achieved ${step.achievedRate.toFixed(0)}, p50 ${step.p50Ms ?? '-'} ms, p99 ${step.p99Ms ?? '-'} ms, errors ${(step.errorRate * 100).toFixed(2)}%${step.dropped ? `, dropped ${step.dropped}` : ''} → ${step.broke ? `BREAKS (${step.broke})` : 'ok'}`);
      if (step.broke) break;
      if (i < rates.length - 1 && cooldownSec > 0) await new Promise<void>((r) => setLongTimeout(r, cooldownSec * 1000)); // --cooldown may pass 24.8 days (Node's timer limit)
    }
  } finally {
    process.off('SIGINT', onSignal);
    await demo?.close();
  }
  const summary = summarizeCapacity(steps);
  writeFileSync(join(dir, 'capacity_summary.json'), `${JSON.stringify({ limits, ...summary }, null, 2)}\n`);
  print(summary.breakingPoint === null
    ? `No breaking point up to ${steps.at(-1)?.rate ?? '-'} ops/s; last safe rate ${summary.lastSafeRate ?? '-'} ops/s`
    : `Breaking point: ${summary.breakingPoint} ops/s (${steps.at(-1)?.broke}); last safe rate: ${summary.lastSafeRate ?? 'none'} ops/s`);
  print(`Files: ${join(dir, 'capacity_<rate>.json')} per step, ${join(dir, 'capacity_summary.json')}; draw the curve with: analyze-results capacity ${join(dir, 'capacity_*.json')}`);
  return 0;
}
