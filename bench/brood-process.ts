import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CpuMeter } from './cpu-meter.js';
import { pinned } from './pinning.js';

/** The repository root (bench files compile to dist/bench/). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(REPO_ROOT, 'bin', 'run-load-tests.js');

export interface BroodRunOptions {
  /** run-load-tests arguments; --csv/--json/--only-summary are added here. */
  args: readonly string[];
  cpu: number | null;
  taskset: boolean;
  /** Extra node flags (e.g. --cpu-prof). */
  nodeFlags?: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** Another checkout's root to run brood from (its bin/ and dist/; bench/side-by-side.ts), default this one. */
  root?: string;
  /** Called once the child is spawned (pid, epoch ms). */
  onSpawn?: (pid: number, startedAtMs: number) => void;
}

export interface BroodRunResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** The run's JSON report, parsed. */
  json: BroodJson;
  /** stats_history.csv rows as objects keyed by header. */
  history: Array<Record<string, string>>;
  wallMs: number;
  /** CPU seconds the brood process used (NaN without /proc). */
  cpuSec: number;
  /** CPU seconds of its main thread alone (NaN without /proc). */
  mainThreadCpuSec: number;
  /** [ms since spawn, main-thread CPU seconds] every 100 ms. */
  mainThreadSamples: Array<[number, number]>;
  /** Peak resident set size of the brood process, KiB (NaN without /proc). */
  peakRssKb: number;
}

/** The parts of the JSON report the benchmarks read. */
export interface BroodJson {
  summary: { total_operations: number; total_failures: number; duration_secs: number; throughput_ops_sec: number };
  latency: Record<string, { p50: number | null; p95: number | null; p99: number | null; count: number }>;
  history: Array<{ timestamp: number; user_count: number; requests_per_sec?: number } & Record<string, unknown>>;
  failures?: Array<{ error: string; occurrences: number }>;
}

export function parseCsv(text: string): Array<Record<string, string>> {
  const lines = text.trim().split('\n');
  const header = (lines.shift() ?? '').split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    const row: Record<string, string> = {};
    header.forEach((h, i) => (row[h.replace(/^"|"$/g, '')] = (cells[i] ?? '').replace(/^"|"$/g, '')));
    return row;
  });
}

/** Runs the brood CLI in a child process (pinned), returns its JSON report and history. */
export async function runBrood(o: BroodRunOptions): Promise<BroodRunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'brood-bench-'));
  const prefix = join(dir, 'run');
  const root = o.root ?? REPO_ROOT;
  const bin = o.root === undefined ? BIN : join(o.root, 'bin', 'run-load-tests.js');
  const args = [...(o.nodeFlags ?? []), bin, ...o.args, '--only-summary', '--csv', prefix, '--json', `${prefix}.json`, '--html', `${prefix}.html`];
  const [cmd, argv] = pinned(o.cpu, process.execPath, args, o.taskset);
  const t0 = Date.now();
  const child = spawn(cmd, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: o.env ?? process.env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  o.onSpawn?.(child.pid ?? -1, t0);
  const meter = new CpuMeter(child.pid ?? -1);
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const cpuSec = meter.stop();
  const mainThreadCpuSec = meter.mainThreadCpuSec;
  const peakRssKb = meter.peakRssKb;
  const wallMs = Date.now() - t0;
  try {
    const json = JSON.parse(readFileSync(`${prefix}.json`, 'utf8')) as BroodJson;
    const history = parseCsv(readFileSync(`${prefix}_stats_history.csv`, 'utf8'));
    return { exitCode, stdout, stderr, json, history, wallMs, cpuSec, mainThreadCpuSec, mainThreadSamples: meter.mainThreadSamples, peakRssKb };
  } catch (e) {
    throw new Error(`brood run produced no report (exit ${exitCode}): ${stderr.slice(0, 2000)} ${String(e)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
