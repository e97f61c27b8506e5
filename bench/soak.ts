/**
 * Soak: does brood's memory stay flat and its event loop responsive over a long run? Runs the
 * `memory` scenario's users (default 500, think time 1–5 s) for N minutes, in this process, against
 * the demo server started in its own process (so the target's memory and CPU are not counted).
 * Samples RSS every 5 s, prints it every 30 s, and at the end the RSS growth slope after warm-up
 * (Theil–Sen over the 5 s samples after the first quarter of the run, at least 2 minutes) in
 * MB/min and the tool's event-loop delay p99 after warm-up, then a verdict line:
 *   slope < 1 MB/min and p99 < 20 ms → PASS (exit 0), else FAIL (exit 1).
 *
 *   npx tsc -p tsconfig.json && node dist/bench/soak.js [--minutes 10] [--users 500] [--spawn-rate 50]
 */
import { httpClientSettings } from '../src/http/client-settings.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { resolveOutputPaths } from '../src/report/output-paths.js';
import { Job, type JobResult } from '../src/runner/job/run-job.js';
import { memoryScenario } from '../scenarios/index.js';

const SLOPE_LIMIT_MB_PER_MIN = 1;
const LOOP_P99_LIMIT_MS = 20;
const SAMPLE_MS = 5_000;
/** The delay monitor's sampling interval; its histogram includes it, so it is subtracted. */
const LOOP_RESOLUTION_MS = 10;
const REPORT_EVERY_SAMPLES = 6;

function argNumber(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : Number.NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

const mb = (bytes: number): number => bytes / (1024 * 1024);
/** How late the monitor's timer fired, ms (the histogram holds the whole interval, ns). */
const lateMs = (ns: number): number => Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS);

/**
 * Theil–Sen slope (median of the pairwise slopes): RSS drops by 20–30 MB whenever V8 hands pages
 * back to the OS, and one such dip at the start of the window tilts a least-squares line by more
 * than the 1 MB/min being tested. The median ignores those outliers; least squares is printed too.
 */
export function robustSlope(points: ReadonlyArray<readonly [number, number]>): number {
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const [x1, y1] = points[i] as readonly [number, number];
      const [x2, y2] = points[j] as readonly [number, number];
      if (x2 !== x1) slopes.push((y2 - y1) / (x2 - x1));
    }
  }
  slopes.sort((a, b) => a - b);
  return slopes.length === 0 ? 0 : (slopes[Math.floor(slopes.length / 2)] as number);
}

/** Least-squares slope of y over x. */
export function slope(points: ReadonlyArray<readonly [number, number]>): number {
  const n = points.length;
  if (n < 2) return 0;
  let sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const [x, y] of points) {
    sx += x; sy += y; sxx += x * x; sxy += x * y;
  }
  const d = n * sxx - sx * sx;
  return d === 0 ? 0 : (n * sxy - sx * sy) / d;
}

function startDemoServer(): Promise<{ child: ChildProcess; url: string }> {
  const main = fileURLToPath(new URL('../src/demo-server/main.js', import.meta.url));
  const child = spawn(process.execPath, [main, '--port', '0', '--seed', '1'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve({ child, url: m[1] });
    });
    child.once('exit', (code) => reject(new Error(`demo server exited (${code}) before listening`)));
  });
}

interface SoakOptions {
  minutes: number;
  users: number;
  spawnRate: number;
  /** A quarter of the run, at least 2 minutes; half of a run shorter than 4 minutes. */
  warmupMin: number;
}

function readOptions(): SoakOptions {
  const minutes = argNumber('--minutes', 10);
  const users = argNumber('--users', 500);
  const spawnRate = argNumber('--spawn-rate', 50);
  return { minutes, users, spawnRate, warmupMin: Math.max(minutes / 4, Math.min(2, minutes / 2)) };
}

function createJob(url: string, dir: string, o: SoakOptions): Job {
  return new Job({
    version: 'soak', command: 'bench/soak', host: url, userClasses: memoryScenario.userClasses,
    tagFilter: { include: null, exclude: null }, users: o.users, spawnRate: o.spawnRate, runTimeSec: o.minutes * 60,
    shape: null, shapeName: null, targets: [], scenario: 'memory', testFile: null, seed: 1,
    stopTimeoutSec: 10, http: httpClientSettings(),
    csvFullHistory: false,
    paths: resolveOutputPaths({ csvPrefix: join(dir, 'soak'), resultsDir: dir, now: new Date() }),
    // The job's own summary is dropped: the soak prints its own figures.
    loglevel: 'warning', onlySummary: true, print: () => undefined,
  });
}

/** What the sampling timer collects while the job runs. */
interface Sampler {
  /** [minutes since start, RSS MB], one every SAMPLE_MS. */
  samples: Array<[number, number]>;
  /** Event-loop delay since warm-up ended. */
  loop: IntervalHistogram;
  stop(): void;
}

function startSampling(job: Job, warmupMin: number): Sampler {
  const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  loop.enable();
  // Reset after each progress line, so each line shows the last 30 s rather than the run so far.
  const window = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  window.enable();
  const t0 = performance.now();
  const samples: Array<[number, number]> = [];
  let n = 0;
  let warmupReset = false;
  const timer = setInterval(() => {
    const min = (performance.now() - t0) / 60_000;
    const rss = mb(process.memoryUsage.rss());
    samples.push([min, rss]);
    if (!warmupReset && min >= warmupMin) {
      loop.reset(); // the ramp (500 users starting) is not what a long run looks like
      warmupReset = true;
    }
    if (++n % REPORT_EVERY_SAMPLES === 0) {
      printProgress(job, min, rss, window);
      window.reset();
    }
  }, SAMPLE_MS);
  const stop = (): void => {
    clearInterval(timer);
    loop.disable();
    window.disable();
  };
  return { samples, loop, stop };
}

function printProgress(job: Job, min: number, rss: number, window: IntervalHistogram): void {
  const usage = process.memoryUsage();
  const heap = mb(usage.heapUsed);
  const external = mb(usage.external);
  // The machine's load average is printed because a busy machine delays any event loop.
  console.log(`  t=${min.toFixed(1)} min  rss=${rss.toFixed(1)} MB  heap=${heap.toFixed(1)} MB  external=${external.toFixed(1)} MB  users=${job.userCount()}  requests=${job.stats.summaries(Date.now()).aggregated.numRequests}  loop delay p99 last 30 s=${lateMs(window.percentile(99)).toFixed(1)} ms  load avg=${loadavg()[0]?.toFixed(1)}`);
}

/** The run's totals, read from the live stats when the final reports failed and left no result. */
function runTotals(job: Job, result: JobResult | null): { totalRequests: number; totalFailures: number } {
  return result ?? { totalRequests: job.stats.summaries(Date.now()).aggregated.numRequests, totalFailures: job.stats.summaries(Date.now()).aggregated.numFailures };
}

/** Prints the figures after warm-up and the verdict; returns the exit code. */
function printVerdict(sampler: Sampler, totals: { totalRequests: number; totalFailures: number }, warmupMin: number): number {
  const after = sampler.samples.filter(([m]) => m >= warmupMin);
  const growth = robustSlope(after);
  const leastSquares = slope(after);
  const p99 = lateMs(sampler.loop.percentile(99));
  const max = lateMs(sampler.loop.max);
  console.log(`requests ${totals.totalRequests}, failures ${totals.totalFailures} (${((100 * totals.totalFailures) / Math.max(1, totals.totalRequests)).toFixed(2)}%)`);
  console.log(`RSS after warm-up: ${after[0]?.[1].toFixed(1)} → ${after.at(-1)?.[1].toFixed(1)} MB over ${after.length} samples; slope ${growth.toFixed(3)} MB/min Theil–Sen (limit ${SLOPE_LIMIT_MB_PER_MIN}), ${leastSquares.toFixed(3)} MB/min least squares`);
  console.log(`event-loop delay after warm-up: p99 ${p99.toFixed(2)} ms, max ${max.toFixed(1)} ms (limit p99 ${LOOP_P99_LIMIT_MS})`);
  const pass = growth < SLOPE_LIMIT_MB_PER_MIN && p99 < LOOP_P99_LIMIT_MS;
  console.log(`verdict: ${pass ? 'PASS' : 'FAIL'} (rss slope ${growth.toFixed(3)} MB/min, loop p99 ${p99.toFixed(2)} ms)`);
  return pass ? 0 : 1;
}

async function main(): Promise<number> {
  const options = readOptions();
  const demo = await startDemoServer();
  process.once('exit', () => demo.child.kill('SIGKILL'));
  const dir = mkdtempSync(join(tmpdir(), 'brood-soak-'));
  const job = createJob(demo.url, dir, options);
  console.log(`soak: ${options.users} users (memory scenario) for ${options.minutes} min against the demo server at ${demo.url} (pid ${demo.child.pid}); warm-up ${options.warmupMin} min`);
  const sampler = startSampling(job, options.warmupMin);
  // The figures come from the samples; a failure writing the final reports must not lose them.
  const result = await job.run().catch((e: unknown) => {
    console.log(`warning: the run's final reports failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    return null;
  });
  sampler.stop();
  demo.child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
  return printVerdict(sampler, runTotals(job, result), options.warmupMin);
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`soak failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(3);
  },
);
