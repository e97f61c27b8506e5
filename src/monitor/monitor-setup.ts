/**
 * What a run watches, as the CLI validated it. Nothing here loads a source (the URL source brings
 * undici): the CLI checks options with it before anything is run, `--help` included
 * (bench/startup.ts); monitor-sources.ts makes the sources.
 */
import type { MetricSelector } from './metric-selector.js';

/** What a run watches (--monitor-pid, --monitor-url, --monitor-metric …), as validated by the CLI. */
export interface MonitorSetup {
  pids: readonly number[];
  /** --monitor-children: each PID's descendants are added to it. */
  children: boolean;
  /** Prometheus endpoints; `name` overrides the URL in outputs (the demo server's "demo server"). */
  urls: ReadonlyArray<{ url: string; name?: string }>;
  metrics: readonly MetricSelector[];
  /** --monitor-warm-up in seconds; null: 20 % of the run, at most 60 s. */
  warmUpSec: number | null;
}

/** Whether a process with this PID exists on this machine (for --monitor-pid's check before the run). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, but belongs to another user (its /proc is still readable in part).
    return (e as { code?: unknown }).code === 'EPERM';
  }
}
