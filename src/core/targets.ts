/**
 * Performance targets ("P95 < 100 ms", "errors < 1%", "1 000 creates/min") and their results.
 * Scenarios and user test files declare targets; the runner checks them at the end and the
 * outcome decides the exit code. Evaluation is pure: it reads summaries, never live state.
 */

/** What a target measures. Latencies are in ms, rates per second or per minute, error rate a fraction 0..1. */
export type TargetMetric =
  | 'p50' | 'p66' | 'p75' | 'p80' | 'p90' | 'p95' | 'p98' | 'p99' | 'p99.9' | 'max' | 'avg'
  | 'error_rate'
  | 'rps'
  | 'requests_per_minute'
  | ResourceMetric;

/**
 * What the monitored system under test used (--monitor-pid, --monitor-url): RSS growth after the
 * warm-up in MB/min, mean and p95 CPU in % of one core, peak RSS in MB. The worst monitored source
 * is judged.
 */
export type ResourceMetric = 'memory_growth_mb_per_min' | 'cpu_percent' | 'cpu_percent_p95' | 'rss_mb';

export const RESOURCE_METRICS: readonly ResourceMetric[] = ['memory_growth_mb_per_min', 'cpu_percent', 'cpu_percent_p95', 'rss_mb'];

/** The resource metrics' values of a run: the worst monitored source's (null: not measured). */
export type ResourceFigures = Readonly<Record<ResourceMetric, number | null>>;

export type TargetComparator = '<' | '<=' | '>' | '>=';

export interface Target {
  /** Human label, e.g. "P95 latency" or "creates/min". */
  label?: string;
  metric: TargetMetric;
  comparator: TargetComparator;
  threshold: number;
  /**
   * Restrict to entries whose name (or "METHOD name") equals one of these; omitted = the Aggregated row.
   * Several names are summed (counts) or merged (latency: the worst of them is reported).
   */
  endpoints?: string[];
}

export interface TargetResult {
  label: string;
  metric: TargetMetric;
  comparator: TargetComparator;
  threshold: number;
  /** "ms", "%" (a fraction shown as percent), "req/s", "req/min", "MB/min", "MB", "% CPU" (of one core). */
  unit: string;
  endpoints: string[] | null;
  /** Measured value in the target's unit (error rate as a fraction); null when nothing was measured. */
  measured: number | null;
  met: boolean;
}
