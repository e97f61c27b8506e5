import type { MetricSelector } from './metric-selector.js';
import { PidSource } from './pid-source.js';
import type { ResourceSource } from './resource-sample.js';
import { UrlSource } from './url-source.js';

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

/** Fresh sources for one run (a web UI's second run starts from new readings). */
export function monitorSources(setup: MonitorSetup): ResourceSource[] {
  return [
    ...setup.pids.map((pid) => new PidSource(pid, { children: setup.children })),
    ...setup.urls.map((u) => new UrlSource(u.url, { metrics: setup.metrics, ...(u.name === undefined ? {} : { name: u.name }) })),
  ];
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
