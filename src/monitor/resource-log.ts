import type { ResourceSample, SourceInfo, SourceResult } from './resource-sample.js';

/** When a reading was taken, and where the run was. */
export interface ReadingMoment {
  /** The stats_history row this reading belongs to (Unix seconds). */
  timestamp: number;
  elapsedSec: number;
  userCount: number;
  /** Monotonic ms of the reading (CPU % is CPU seconds over this clock's seconds). */
  monotonicMs: number;
}

/**
 * Every source's readings of a run, turned into samples: CPU seconds into a CPU % between two
 * readings, a failed reading into a gap. It also says, once, when a source goes away and when it
 * comes back (a console line each), never once per second. Pure: the monitor in runner/ reads.
 */
export class ResourceLog {
  readonly sources: readonly SourceInfo[];
  readonly samples: ResourceSample[] = [];
  /** The last good reading of each source: CPU seconds and when. */
  readonly #lastCpu: Array<{ cpuSeconds: number; monotonicMs: number } | null>;
  /** Whether each source is in a gap, and since when (for the line that says it is back). */
  readonly #downSince: Array<number | null>;

  constructor(sources: readonly SourceInfo[]) {
    this.sources = sources;
    this.#lastCpu = sources.map(() => null);
    this.#downSince = sources.map(() => null);
  }

  /**
   * A baseline reading before the run starts: not a sample, but the first interval's CPU % is
   * measured from it. A failure here is said like any gap.
   */
  baseline(source: number, result: SourceResult, monotonicMs: number): string | null {
    if (!result.ok) return this.#down(source, result.reason, 0);
    if (result.reading.cpuSeconds !== null) this.#lastCpu[source] = { cpuSeconds: result.reading.cpuSeconds, monotonicMs };
    return null;
  }

  /** Records one reading as a sample; returns a console line when the source went away or came back. */
  add(source: number, result: SourceResult, at: ReadingMoment): string | null {
    const base = { timestamp: at.timestamp, elapsedSec: round3(at.elapsedSec), userCount: at.userCount, source };
    if (!result.ok) {
      this.samples.push({ ...base, rssBytes: null, cpuPercent: null, threads: null, openFiles: null, metrics: [], gap: result.reason });
      // CPU % after a gap is measured from the next reading on: the gap's CPU is unknown.
      this.#lastCpu[source] = null;
      return this.#down(source, result.reason, at.elapsedSec);
    }
    const r = result.reading;
    this.samples.push({ ...base, rssBytes: r.rssBytes, cpuPercent: this.#cpuPercent(source, r.cpuSeconds, at.monotonicMs), threads: r.threads, openFiles: r.openFiles, metrics: r.metrics, gap: null });
    const since = this.#downSince[source];
    if (since === null || since === undefined) return null;
    this.#downSince[source] = null;
    return `monitor: ${this.#name(source)} is answering again at ${at.elapsedSec.toFixed(0)} s (no readings for ${(at.elapsedSec - since).toFixed(0)} s)`;
  }

  #down(source: number, reason: string, elapsedSec: number): string | null {
    if (this.#downSince[source] !== null) return null;
    this.#downSince[source] = elapsedSec;
    return `monitor: ${reason} at ${elapsedSec.toFixed(0)} s: recorded as a gap in ${this.#name(source)}'s resources`;
  }

  #cpuPercent(source: number, cpuSeconds: number | null, monotonicMs: number): number | null {
    const last = this.#lastCpu[source] ?? null;
    this.#lastCpu[source] = cpuSeconds === null ? null : { cpuSeconds, monotonicMs };
    if (last === null || cpuSeconds === null) return null;
    const wallSec = (monotonicMs - last.monotonicMs) / 1000;
    // A counter that went backwards is a restarted target: that interval's CPU is unknown.
    if (wallSec <= 0 || cpuSeconds < last.cpuSeconds) return null;
    return round3(((cpuSeconds - last.cpuSeconds) / wallSec) * 100);
  }

  #name(source: number): string {
    return this.sources[source]?.name ?? `source ${source}`;
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
