/**
 * monitor/: watching the system under test while brood loads it (issue 23): its memory, CPU,
 * threads and open files, read from /proc for a process on this machine (--monitor-pid) or scraped
 * from a Prometheus endpoint (--monitor-url). This file holds the shapes every part shares.
 */

/** One reading of a source, as the source can give it; `null` where it does not say. */
export interface SourceReading {
  /** Resident set size in bytes. */
  rssBytes: number | null;
  /** CPU seconds (user + system) used so far: the monitor turns two readings into a CPU %. */
  cpuSeconds: number | null;
  threads: number | null;
  openFiles: number | null;
  /** --monitor-metric values, in the order the metrics were named. */
  metrics: ReadonlyArray<number | null>;
}

/** A reading, or why there is none (the process vanished, the endpoint did not answer): a gap. */
export type SourceResult = { ok: true; reading: SourceReading } | { ok: false; reason: string };

/** Something the monitor reads once per history interval. Reading never throws: a failure is a gap. */
export interface ResourceSource {
  /** How outputs name it: "pid 4242 (node)", "http://api:9100/metrics", "demo server". */
  readonly name: string;
  readonly kind: 'pid' | 'url';
  read(): Promise<SourceResult>;
  /** Releases what the source holds (an HTTP connection pool); reading after close is not allowed. */
  close(): Promise<void>;
}

/** One row of PREFIX_resources.csv: one source at the end of one history interval. */
export interface ResourceSample {
  /** The stats_history row's timestamp (Unix seconds): resources and load share one time axis. */
  timestamp: number;
  /** Seconds since the run started, to the ms. */
  elapsedSec: number;
  userCount: number;
  /** Index of the source in the monitor's list. */
  source: number;
  rssBytes: number | null;
  /** % of one core over the interval (200 = two cores busy), as top and ps count it. */
  cpuPercent: number | null;
  threads: number | null;
  openFiles: number | null;
  metrics: ReadonlyArray<number | null>;
  /** Why this interval has no reading (a gap); null when it has one. */
  gap: string | null;
}

/** What a source is, for outputs. */
export interface SourceInfo {
  name: string;
  kind: 'pid' | 'url';
}

export const BYTES_PER_MB = 1024 * 1024;
