import { ValueType, type HrTime } from '@opentelemetry/api';
import { emptyResource } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  DataPointType,
  type CollectionResult,
  type DataPoint,
  type Histogram,
  type HistogramMetricData,
  type MetricProducer,
} from '@opentelemetry/sdk-metrics';
import { RESPONSE_TIME_BUCKETS_SECONDS } from './response-time-buckets.js';
import type { EntryResponseTimes, ResponseTimes } from '../stats/types.js';
import type { LiveFigures } from './live-figures.js';

/** The Prometheus exporter's bounds (response-time-buckets.ts): one dashboard query answers the same from either. */
export const RESPONSE_TIME_BOUNDS_SECONDS: readonly number[] = RESPONSE_TIME_BUCKETS_SECONDS;

const BOUNDS_US: readonly number[] = RESPONSE_TIME_BOUNDS_SECONDS.map((s) => Math.round(s * 1_000_000));
/** With a last bound at infinity the counts end with the histogram's total count. */
const BOUNDS_US_AND_TOTAL: readonly number[] = [...BOUNDS_US, Number.POSITIVE_INFINITY];

/** The instrumentation scope of every metric brood pushes. */
export const OTLP_SCOPE_NAME = 'brood';

/**
 * One entry's response times as an OTLP explicit-bucket histogram in seconds: per-bucket counts
 * from its HDR histogram, the exact sum, min and max of its response times.
 */
export function responseTimeHistogram(entry: EntryResponseTimes): Histogram {
  const boundaries = [...RESPONSE_TIME_BOUNDS_SECONDS];
  if (entry.numRequests === 0) return { buckets: { boundaries, counts: new Array<number>(boundaries.length + 1).fill(0) }, sum: 0, count: 0 };
  const atOrBelow = entry.atOrBelow;
  // The histogram's own total (not numRequests) as count, so that the buckets always add up to it.
  const count = atOrBelow.at(-1) ?? 0;
  const counts = atOrBelow.map((n, i) => n - (i === 0 ? 0 : (atOrBelow[i - 1] ?? 0)));
  const histogram: Histogram = { buckets: { boundaries, counts }, sum: entry.totalResponseTimeMs / 1000, count };
  if (entry.minResponseTimeMs !== null) histogram.min = entry.minResponseTimeMs / 1000;
  if (entry.maxResponseTimeMs !== null) histogram.max = entry.maxResponseTimeMs / 1000;
  return histogram;
}

function hrTime(wallMs: number): HrTime {
  const seconds = Math.floor(wallMs / 1000);
  return [seconds, Math.min(999_999_999, Math.round((wallMs - seconds * 1000) * 1_000_000))];
}

/** brood_response_time_seconds for every (method, name) entry, cumulative since the run's start (or stats reset). */
export function responseTimeMetric(times: ResponseTimes): HistogramMetricData {
  const startTime = hrTime(times.startWallMs);
  const endTime = hrTime(times.takenWallMs);
  const dataPoints: Array<DataPoint<Histogram>> = times.entries.map((entry) => ({
    startTime,
    endTime,
    attributes: { method: entry.method, name: entry.name },
    value: responseTimeHistogram(entry),
  }));
  return {
    descriptor: { name: 'brood_response_time_seconds', description: 'Response times per (method, name) since the run started or its stats were last reset', unit: 's', valueType: ValueType.DOUBLE },
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPointType: DataPointType.HISTOGRAM,
    dataPoints,
  };
}

/**
 * The response-time histogram as a MetricProducer: built from the live HDR histograms when the reader
 * collects, because the SDK's Histogram instrument would need a record() per request on the hot
 * path, which brood refuses (STYLE.md rule 6). A failure to read the figures goes to `onError` and
 * that push leaves the histogram out, rather than failing the whole collection.
 */
export function responseTimeProducer(figures: LiveFigures, onError: (error: unknown) => void): MetricProducer {
  return {
    collect(): Promise<CollectionResult> {
      const resourceMetrics: CollectionResult['resourceMetrics'] = { resource: emptyResource(), scopeMetrics: [] };
      try {
        resourceMetrics.scopeMetrics.push({ scope: { name: OTLP_SCOPE_NAME }, metrics: [responseTimeMetric(figures.responseTimes(BOUNDS_US_AND_TOTAL))] });
      } catch (error) {
        onError(error);
      }
      return Promise.resolve({ resourceMetrics, errors: [] });
    },
  };
}
