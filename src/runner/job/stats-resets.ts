import type { RunLog } from '../../report/run-log.js';
import type { StatsRegistry } from '../../stats/registry.js';
import type { RunOutputs } from './run-outputs.js';

/** What a reset touches: the totals, the CSVs rewritten at once, and where it is said. */
export interface StatsResetDeps {
  stats: StatsRegistry;
  outputs: RunOutputs;
  log: RunLog;
  print(line: string): void;
  /** The run's start (epoch ms), for "reset at N s". */
  startWallMs(): number;
}

/**
 * When the run's totals started again: --reset-stats (once, at the first history interval after the
 * ramp reached its target, as Locust resets at the ramp's end) or the web UI's "reset stats" button.
 * The history keeps everything before; the summary, CSV totals and targets cover the run from here.
 */
export class StatsResets {
  readonly #deps: StatsResetDeps;
  /** --reset-stats: 'pending' from the ramp's end until the next history interval, then when it happened. */
  #state: 'none' | 'pending' | number = 'none';
  /** The stats_history row written at (or last before) the reset. */
  #row: number | null = null;

  constructor(deps: StatsResetDeps) {
    this.#deps = deps;
  }

  /** When the totals were last reset (epoch ms), or null. */
  get atWallMs(): number | null {
    return typeof this.#state === 'number' ? this.#state : null;
  }

  /** The stats_history row written at (or last before) the last reset, or null. */
  get historyRow(): number | null {
    return this.#row;
  }

  /** The ramp reached its target: with --reset-stats, the next interval resets (once only: with a shape, its first target). */
  rampEnded(resetStats: boolean): void {
    if (resetStats && this.#state === 'none') this.#state = 'pending';
  }

  /**
   * A history interval was just written: a pending --reset-stats happens now. The interval just written
   * holds everything before it, so the history loses nothing, and with --processes the boundary is the
   * one every history interval already uses (a worker's requests count when its snapshot arrives).
   */
  afterInterval(userCount: number, historyTimestamp: number, now: number): void {
    if (this.#state !== 'pending') return;
    this.#reset(now, historyTimestamp);
    this.#say(`Statistics reset at ${this.#at(now)} s with ${userCount} users running (--reset-stats): the summary, CSV totals and targets cover the run from here`, true);
  }

  /** Locust's "reset stats" (the web UI's button): the totals start again now, as --reset-stats does after the ramp. */
  now(now: number): void {
    this.#reset(now, this.#deps.outputs.timeline.at(-1)?.timestamp ?? null);
    this.#say(`Statistics reset at ${this.#at(now)} s from the web UI: the summary, CSV totals and targets cover the run from here`, false);
  }

  #reset(now: number, row: number | null): void {
    this.#deps.stats.resetStats(now);
    this.#state = now;
    this.#row = row;
    this.#deps.outputs.writeCsvs(now);
  }

  #at(now: number): string {
    return ((now - this.#deps.startWallMs()) / 1000).toFixed(1);
  }

  #say(line: string, onConsole: boolean): void {
    if (onConsole) this.#deps.print(line);
    this.#deps.log.info(line);
  }
}
