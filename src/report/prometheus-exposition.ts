/**
 * brood's own figures in the Prometheus text format (--metrics-port, and /metrics on the web UI's
 * server): a prom-client Registry of its own per exposition (never prom-client's global one, which
 * would mix runs and tests), whose values are read from LiveFigures when a scrape asks, never per request.
 *
 *   brood_requests_total{method,name}                 counter    requests per entry (not the Aggregated row)
 *   brood_failures_total{method,name,error}           counter    failure groups, as _failures.csv groups them
 *   brood_response_time_seconds{method,name}          histogram  buckets from each entry's HDR histogram
 *   brood_users, brood_user_count{class}              gauge      users running now, in all and per class
 *   brood_custom_metric{name}                         gauge      mean of a custom metric's values so far
 *   brood_custom_metric_values{name,quantile}         summary    its p50/p95/p99, _sum and _count (custom-metric-summary.ts)
 *   brood_generator_cpu_percent                       gauge      brood's CPU, % of one core (absent before the first interval)
 *
 * Counts restart from 0 on --reset-stats: Prometheus' rate() reads that as a counter reset, as it should.
 */
import { Counter, Gauge, Registry, type Histogram, type Metric } from 'prom-client';
import { compareStrings } from '../stats/compare-strings.js';
import type { EntryResponseTimes, FailureSnapshot, MetricSummary } from '../stats/types.js';
import { CustomMetricSummary } from './custom-metric-summary.js';
import type { LiveFigures } from './live-figures.js';
import { RESPONSE_TIME_BUCKETS_SECONDS } from './response-time-buckets.js';

/** Upper bounds (seconds) of brood_response_time_seconds' buckets, +Inf added (shared with OTLP). */
export { RESPONSE_TIME_BUCKETS_SECONDS };

/** Everything one scrape shows, read once so that its counters and histograms agree with each other. */
interface Reading {
  entries: readonly EntryResponseTimes[];
  failures: readonly FailureSnapshot[];
  metrics: readonly MetricSummary[];
  users: number;
  classCounts: Readonly<Record<string, number>>;
  cpuPercent: number | null;
}

export class PrometheusExposition {
  /** This exposition's own registry, e.g. for prom-client's Registry.merge with others. */
  readonly registry = new Registry();
  readonly #figures: LiveFigures;
  #reading: Reading | null = null;

  constructor(figures: LiveFigures, bucketsSeconds: readonly number[] = RESPONSE_TIME_BUCKETS_SECONDS) {
    this.#figures = figures;
    const boundsUs = bucketsSeconds.map((b) => Math.round(b * 1_000_000));
    const read = (): Reading => (this.#reading ??= readFigures(this.#figures, boundsUs));
    registerCounters(this.registry, read);
    // Registered by hand: prom-client's Histogram can only be filled one observation at a time (see the class).
    this.registry.registerMetric(new ResponseTimeHistogram(read, bucketsSeconds) as unknown as Metric);
    registerGauges(this.registry, read);
    this.registry.registerMetric(new CustomMetricSummary(() => read().metrics) as unknown as Metric);
  }

  /** The Content-Type of `text()`: the Prometheus text format 0.0.4. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text at this moment. */
  async text(): Promise<string> {
    // prom-client collects every metric synchronously inside metrics(): one reading serves them all.
    // Dropped before and after, so a reading is never shown twice; a late collect would read afresh.
    this.#reading = null;
    try {
      return await this.registry.metrics();
    } finally {
      this.#reading = null;
    }
  }
}

function readFigures(figures: LiveFigures, boundsUs: readonly number[]): Reading {
  return {
    entries: figures.responseTimes(boundsUs).entries,
    failures: figures.failures(),
    metrics: figures.metrics(),
    users: figures.userCount(),
    classCounts: figures.classCounts(),
    cpuPercent: figures.generatorCpuPercent(),
  };
}

function registerCounters(registry: Registry, read: () => Reading): void {
  new Counter({
    name: 'brood_requests_total',
    help: 'Requests completed per (method, name), failed ones included, since the run started or its stats were reset.',
    labelNames: ['method', 'name'] as const,
    registers: [registry],
    collect(this: Counter<'method' | 'name'>) {
      this.reset();
      for (const e of read().entries) this.inc({ method: e.method, name: e.name }, e.numRequests);
    },
  });
  new Counter({
    name: 'brood_failures_total',
    help: 'Failed requests per (method, name, error), errors grouped and bounded as in _failures.csv.',
    labelNames: ['method', 'name', 'error'] as const,
    registers: [registry],
    collect(this: Counter<'method' | 'name' | 'error'>) {
      this.reset();
      for (const f of read().failures) this.inc({ method: f.method, name: f.name, error: f.error }, f.occurrences);
    },
  });
}

function registerGauges(registry: Registry, read: () => Reading): void {
  new Gauge({
    name: 'brood_users',
    help: 'Users running now.',
    registers: [registry],
    collect(this: Gauge) {
      this.set(read().users);
    },
  });
  new Gauge({
    name: 'brood_user_count',
    help: 'Users running now per user class.',
    labelNames: ['class'] as const,
    registers: [registry],
    collect(this: Gauge<'class'>) {
      this.reset();
      const counts = Object.entries(read().classCounts).sort(([a], [b]) => compareStrings(a, b));
      for (const [cls, n] of counts) this.set({ class: cls }, n);
    },
  });
  new Gauge({
    name: 'brood_custom_metric',
    help: 'Mean of each custom metric (this.metric(name, value)) over its values since the run started or its stats were reset.',
    labelNames: ['name'] as const,
    registers: [registry],
    collect(this: Gauge<'name'>) {
      this.reset();
      // The mean, because it is what MetricSummary holds for the whole run; a last value is not kept.
      for (const m of read().metrics) if (m.mean !== null) this.set({ name: m.name }, m.mean);
    },
  });
  new Gauge({
    name: 'brood_generator_cpu_percent',
    help: "brood's own CPU over the last history interval, % of one core.",
    registers: [registry],
    collect(this: Gauge) {
      const cpu = read().cpuPercent;
      // No sample before the first interval: a 0 would be a made-up figure.
      if (cpu === null) this.remove();
      else this.set(cpu);
    },
  });
}

type HistogramObject = Awaited<ReturnType<Histogram['get']>>;

/**
 * brood_response_time_seconds, made from the HDR histograms that entries already hold. prom-client's
 * Histogram only counts its own observe() calls, so this object answers prom-client's metric contract
 * itself (name, help, type, aggregator, get(), reset(): what Registry reads in registerMetric, metrics()
 * and getMetricsAsJSON()); the registry still writes the text and escapes the labels.
 */
class ResponseTimeHistogram {
  readonly name = 'brood_response_time_seconds';
  readonly help = 'Response times per (method, name) in seconds, from brood\'s HDR histograms (3 significant digits).';
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly #read: () => Reading;
  readonly #boundsSeconds: readonly number[];

  constructor(read: () => Reading, boundsSeconds: readonly number[]) {
    for (let i = 0; i < boundsSeconds.length; i++) {
      const b = boundsSeconds[i] ?? Number.NaN;
      if (!(Number.isFinite(b) && b > 0 && b > (boundsSeconds[i - 1] ?? 0))) {
        throw new RangeError(`response time buckets must be ascending finite seconds > 0, got ${boundsSeconds.join(', ')}`);
      }
    }
    this.#read = read;
    this.#boundsSeconds = [...boundsSeconds];
  }

  get(): Promise<HistogramObject> {
    const values: HistogramObject['values'] = [];
    for (const e of this.#read().entries) values.push(...this.#series(e));
    // prom-client types `type` as a numeric enum but reads and writes the string ('histogram').
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator } as unknown as HistogramObject);
  }

  /** Nothing to reset: the values live in the stats registry, read at each scrape. */
  reset(): void {}

  #series(e: EntryResponseTimes): HistogramObject['values'] {
    const bucket = `${this.name}_bucket`;
    const counts = e.atOrBelow;
    const series: HistogramObject['values'] = this.#boundsSeconds.map((le, i) => ({
      metricName: bucket,
      labels: { method: e.method, name: e.name, le: String(le) },
      // Never above _count, so the series stays monotonic even if a histogram and its count disagreed.
      value: Math.min(counts[i] ?? 0, e.numRequests),
    }));
    series.push(
      { metricName: bucket, labels: { method: e.method, name: e.name, le: '+Inf' }, value: e.numRequests },
      { metricName: `${this.name}_sum`, labels: { method: e.method, name: e.name }, value: e.totalResponseTimeMs / 1000 },
      { metricName: `${this.name}_count`, labels: { method: e.method, name: e.name }, value: e.numRequests },
    );
    return series;
  }
}
