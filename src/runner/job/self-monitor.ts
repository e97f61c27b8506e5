import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** How busy the load generator itself was during one history interval. */
export interface SelfSample {
  /** Process CPU (user + system, all threads) over the interval, as a fraction of one core (1 = 100 %). */
  cpu: number;
  /** 99th percentile of the event loop's delay over the interval, ms. */
  loopDelayP99Ms: number;
  /** Above the CPU or loop-delay threshold: latencies measured in this interval include brood's own queueing. */
  overloaded: boolean;
}

export interface SelfMonitorOptions {
  /** Fraction of one core above which the generator counts as saturated (default 0.9). */
  cpuThreshold?: number;
  /** Event-loop delay p99 (ms) above which the generator counts as saturated (default 50). */
  loopDelayThresholdMs?: number;
  /** At most one console warning per this many ms (default 10 000). */
  warnEveryMs?: number;
  /** Console output: one plain line. */
  warn: (line: string) => void;
  /** Monotonic ms (the run's clock). */
  now: () => number;
  /** Process CPU in µs; injected for tests (default process.cpuUsage). */
  cpuUsage?: () => { user: number; system: number };
}

/** Intervals shorter than this (ms) are not judged on CPU. */
const MIN_JUDGED_INTERVAL_MS = 250;

/**
 * Watches the generator's own CPU and event-loop delay, sampled once per history interval (rule 10:
 * a tool that is the bottleneck must say so). Above 90 % of a core or 50 ms of loop delay (p99), the
 * interval is marked `generatorOverloaded` and one console line warns, at most once per 10 s.
 */
export class SelfMonitor {
  readonly #o: Required<Omit<SelfMonitorOptions, 'cpuUsage'>> & { cpuUsage: () => { user: number; system: number } };
  #histogram: IntervalHistogram | null = null;
  #lastCpuUs = 0;
  #lastMs = 0;
  #lastWarnMs = Number.NEGATIVE_INFINITY;
  /** Intervals marked overloaded so far. */
  overloadedIntervals = 0;

  constructor(options: SelfMonitorOptions) {
    this.#o = {
      cpuThreshold: options.cpuThreshold ?? 0.9,
      loopDelayThresholdMs: options.loopDelayThresholdMs ?? 50,
      warnEveryMs: options.warnEveryMs ?? 10_000,
      warn: options.warn,
      now: options.now,
      cpuUsage: options.cpuUsage ?? (() => process.cpuUsage()),
    };
  }

  start(): void {
    if (this.#histogram) return;
    this.#histogram = monitorEventLoopDelay({ resolution: 10 });
    this.#histogram.enable();
    const c = this.#o.cpuUsage();
    this.#lastCpuUs = c.user + c.system;
    this.#lastMs = this.#o.now();
  }

  /** The interval since the last sample (or start): call once per history interval. */
  sample(): SelfSample {
    const now = this.#o.now();
    const c = this.#o.cpuUsage();
    const cpuUs = c.user + c.system;
    const elapsedMs = now - this.#lastMs;
    const cpu = elapsedMs > 0 ? (cpuUs - this.#lastCpuUs) / 1000 / elapsedMs : 0;
    this.#lastCpuUs = cpuUs;
    this.#lastMs = now;
    const h = this.#histogram;
    // The histogram counts in ns; with no sample yet it reports a huge sentinel, hence the count check.
    const loopDelayP99Ms = h && h.count > 0 ? h.percentile(99) / 1e6 : 0;
    h?.reset();
    // A short interval (the final row after shutdown is often a few ms) makes the CPU share noise:
    // 30 ms of report writing in a 25 ms row reads as 120 %. Its CPU is reported, not judged.
    const cpuJudged = elapsedMs >= MIN_JUDGED_INTERVAL_MS && cpu > this.#o.cpuThreshold;
    const overloaded = cpuJudged || loopDelayP99Ms > this.#o.loopDelayThresholdMs;
    if (overloaded) {
      this.overloadedIntervals++;
      if (now - this.#lastWarnMs >= this.#o.warnEveryMs) {
        this.#lastWarnMs = now;
        this.#o.warn(
          `warning: brood itself is the bottleneck (CPU ${(cpu * 100).toFixed(0)}% of a core, event-loop delay p99 ${loopDelayP99Ms.toFixed(0)} ms): ` +
            'latency figures of these intervals are not the server\'s; use fewer users per process or more processes',
        );
      }
    }
    return { cpu: round3(cpu), loopDelayP99Ms: round3(loopDelayP99Ms), overloaded };
  }

  stop(): void {
    this.#histogram?.disable();
    this.#histogram = null;
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
