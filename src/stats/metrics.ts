import { compareStrings } from './compare-strings.js';
import { LatencyHistogram, METRIC_HIGHEST_VALUE } from './histogram.js';
import type { MetricSnapshot, MetricSummary } from './types.js';

export const DEFAULT_MAX_METRIC_NAMES = 200;
/** Histogram resolution: values are recorded as round(value × 1000), i.e. to the thousandth. */
const SCALE = 1000;

class Metric {
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  readonly histogram = new LatencyHistogram(METRIC_HIGHEST_VALUE);

  constructor(readonly name: string) {}
}

/**
 * Custom metrics recorded by tasks (`this.metric('concepts_found', 12)`): per name count, sum, min, max
 * and a histogram of the non-negative values (negative values count in count/sum/min/max only).
 * Bounded: past `maxNames` names, values for new names are ignored and counted in `droppedValues`.
 * Non-finite values are ignored and counted in `rejectedValues`.
 */
export class Metrics {
  private readonly maxNames: number;
  private readonly byName = new Map<string, Metric>();
  private dropped = 0;
  private rejected = 0;

  constructor(maxNames: number = DEFAULT_MAX_METRIC_NAMES) {
    this.maxNames = maxNames;
  }

  get droppedValues(): number {
    return this.dropped;
  }

  get rejectedValues(): number {
    return this.rejected;
  }

  get size(): number {
    return this.byName.size;
  }

  record(name: string, value: number): void {
    if (!Number.isFinite(value)) {
      this.rejected++;
      return;
    }
    const m = this.metricFor(name);
    if (m === undefined) {
      this.dropped++;
      return;
    }
    m.count++;
    m.sum += value;
    if (value < m.min) m.min = value;
    if (value > m.max) m.max = value;
    if (value >= 0) m.histogram.record(value * SCALE);
  }

  merge(metrics: readonly MetricSnapshot[]): void {
    for (const s of metrics) {
      if (s.count === 0) continue;
      const m = this.metricFor(s.name);
      if (m === undefined) {
        this.dropped += s.count;
        continue;
      }
      m.histogram.addEncoded(s.histogram);
      m.count += s.count;
      m.sum += s.sum;
      if (s.min !== null && s.min < m.min) m.min = s.min;
      if (s.max !== null && s.max > m.max) m.max = s.max;
    }
  }

  /** Summaries sorted by name. Percentiles are over the non-negative values, clamped into [min, max]. */
  summaries(): MetricSummary[] {
    return this.sorted().map(summarize);
  }

  toJSON(): MetricSnapshot[] {
    return this.sorted().map((m) => ({
      name: m.name,
      count: m.count,
      sum: m.sum,
      min: m.count === 0 ? null : m.min,
      max: m.count === 0 ? null : m.max,
      histogram: m.histogram.encode(),
    }));
  }

  reset(): void {
    this.byName.clear();
    this.dropped = 0;
    this.rejected = 0;
  }

  /**
   * Zeroes every metric's values but keeps its name and histogram (an interval's metrics, rolled
   * each second): no reallocation, and the same names in the same order as the run's own Metrics.
   */
  clearValues(): void {
    for (const m of this.byName.values()) {
      m.count = 0;
      m.sum = 0;
      m.min = Number.POSITIVE_INFINITY;
      m.max = Number.NEGATIVE_INFINITY;
      m.histogram.reset();
    }
  }

  private metricFor(name: string): Metric | undefined {
    let m = this.byName.get(name);
    if (m === undefined && this.byName.size < this.maxNames) {
      m = new Metric(name);
      this.byName.set(name, m);
    }
    return m;
  }

  private sorted(): Metric[] {
    return [...this.byName.values()].sort((a, b) => compareStrings(a.name, b.name));
  }
}

/** MetricSummary of a snapshot (for analyze/ and reports). */
export function metricSummaryFromSnapshot(s: MetricSnapshot): MetricSummary {
  const m = new Metric(s.name);
  if (s.count > 0) {
    m.histogram.addEncoded(s.histogram);
    m.count = s.count;
    m.sum = s.sum;
    m.min = s.min ?? Number.POSITIVE_INFINITY;
    m.max = s.max ?? Number.NEGATIVE_INFINITY;
  }
  return summarize(m);
}

function summarize(m: Metric): MetricSummary {
  const has = m.count > 0;
  const inHistogram = m.histogram.totalCount > 0;
  const at = (p: number): number | null =>
    inHistogram ? Math.min(m.max, Math.max(m.min, m.histogram.valueAtPercentile(p) / SCALE)) : null;
  return {
    name: m.name,
    count: m.count,
    sum: m.sum,
    mean: has ? m.sum / m.count : null,
    min: has ? m.min : null,
    max: has ? m.max : null,
    p50: at(50),
    p95: at(95),
    p99: at(99),
  };
}
