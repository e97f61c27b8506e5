import { ValueType, type BatchObservableResult, type Meter } from '@opentelemetry/api';
import type { LiveFigures } from './live-figures.js';

/**
 * Registers brood's counters and gauges on `meter` as observable instruments, read from `figures`
 * when the reader collects (never per request). Names, labels and meanings are the Prometheus
 * series', so one Grafana dashboard reads either source. The Aggregated row is left out: it is the
 * sum of the per-(method, name) series, and a dashboard's sum() would count it twice.
 *
 * One batch callback reads the figures once per collection. A failure to read them goes to
 * `onError`; that push carries what was read before it.
 */
export function observeLiveFigures(meter: Meter, figures: LiveFigures, onError: (error: unknown) => void): void {
  const requests = meter.createObservableCounter('brood_requests_total', {
    description: 'Requests completed (successes and failures) per (method, name) since the run started or its stats were last reset',
    unit: '{request}',
    valueType: ValueType.INT,
  });
  const failures = meter.createObservableCounter('brood_failures_total', {
    description: 'Failed requests per (method, name, error), grouped as in _failures.csv',
    unit: '{failure}',
    valueType: ValueType.INT,
  });
  const users = meter.createObservableGauge('brood_users', { description: 'Users running now', unit: '{user}', valueType: ValueType.INT });
  const userCount = meter.createObservableGauge('brood_user_count', { description: 'Users running now per user class', unit: '{user}', valueType: ValueType.INT });
  const customMetric = meter.createObservableGauge('brood_custom_metric', {
    description: 'Mean of the values recorded with this.metric(name, value) since the run started or its stats were last reset',
    valueType: ValueType.DOUBLE,
  });
  // The Prometheus summary's _count and _sum (custom-metric-summary.ts): a mean over any window. The
  // sum may go down (values can be negative), so it is an up-down counter.
  const customCount = meter.createObservableCounter('brood_custom_metric_values_count', {
    description: 'Values recorded with this.metric(name, value) since the run started or its stats were last reset',
    valueType: ValueType.INT,
  });
  const customSum = meter.createObservableUpDownCounter('brood_custom_metric_values_sum', {
    description: 'Sum of the values recorded with this.metric(name, value) since the run started or its stats were last reset',
    valueType: ValueType.DOUBLE,
  });
  const cpu = meter.createObservableGauge('brood_generator_cpu_percent', {
    description: "brood's own CPU over the last history interval, % of one core (above 90 the latencies include brood's queueing)",
    unit: '%',
    valueType: ValueType.DOUBLE,
  });

  meter.addBatchObservableCallback(
    (result: BatchObservableResult) => {
      try {
        for (const e of figures.responseTimes([]).entries) result.observe(requests, e.numRequests, { method: e.method, name: e.name });
        for (const f of figures.failures()) result.observe(failures, f.occurrences, { method: f.method, name: f.name, error: f.error });
        result.observe(users, figures.userCount());
        for (const [cls, n] of Object.entries(figures.classCounts())) result.observe(userCount, n, { class: cls });
        for (const m of figures.metrics()) {
          if (m.mean !== null) result.observe(customMetric, m.mean, { name: m.name });
          result.observe(customCount, m.count, { name: m.name });
          result.observe(customSum, m.sum, { name: m.name });
        }
        const cpuPercent = figures.generatorCpuPercent();
        if (cpuPercent !== null) result.observe(cpu, cpuPercent);
      } catch (error) {
        onError(error);
      }
    },
    [requests, failures, users, userCount, customMetric, customCount, customSum, cpu],
  );
}
