/**
 * brood_custom_metric_values{name}: each custom metric (`this.metric(name, value)`) as a Prometheus
 * summary, its p50/p95/p99 (`quantile` label), `_sum` and `_count` since the run started or its stats
 * were reset. The older brood_custom_metric gauge holds only the mean over the whole run, which
 * hides what the last minutes did; with `_sum` and `_count` a query takes the mean over any window,
 * `rate(brood_custom_metric_values_sum[1m]) / rate(brood_custom_metric_values_count[1m])`, as with
 * any summary. prom-client's Summary computes its own quantiles from observe() calls; this object
 * answers its metric contract from the stats' summaries instead (as ResponseTimeHistogram does).
 */
import type { Summary } from 'prom-client';
import type { MetricSummary } from '../stats/types.js';

type SummaryObject = Awaited<ReturnType<Summary['get']>>;

const QUANTILES: ReadonlyArray<readonly [string, 'p50' | 'p95' | 'p99']> = [['0.5', 'p50'], ['0.95', 'p95'], ['0.99', 'p99']];

export class CustomMetricSummary {
  readonly name = 'brood_custom_metric_values';
  readonly help = 'Values of each custom metric (this.metric(name, value)) since the run started or its stats were reset: quantiles, sum and count.';
  readonly type = 'summary';
  readonly aggregator = 'sum';
  readonly #read: () => readonly MetricSummary[];

  constructor(read: () => readonly MetricSummary[]) {
    this.#read = read;
  }

  get(): Promise<SummaryObject> {
    const values: SummaryObject['values'] = [];
    for (const m of this.#read()) {
      if (m.count === 0) continue;
      for (const [quantile, key] of QUANTILES) {
        const v = m[key];
        if (v !== null) values.push({ labels: { name: m.name, quantile }, value: v });
      }
      values.push(
        { metricName: `${this.name}_sum`, labels: { name: m.name }, value: m.sum },
        { metricName: `${this.name}_count`, labels: { name: m.name }, value: m.count },
      );
    }
    // prom-client types `type` as a numeric enum but reads and writes the string ('summary').
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator } as unknown as SummaryObject);
  }

  /** Nothing to reset: the values live in the stats registry, read at each scrape. */
  reset(): void {}
}
