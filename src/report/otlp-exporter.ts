import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { AggregationTemporalityPreference, OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { LiveFigures } from './live-figures.js';
import { observeLiveFigures } from './otlp-instruments.js';
import { OTLP_SCOPE_NAME, responseTimeProducer } from './otlp-response-time-producer.js';

import { redactCredentials } from '../core/credentials-text.js';
import { otlpMetricsUrl } from './otlp-endpoint.js';

export { OTLP_METRICS_PATH, checkOtlpEndpoint, otlpMetricsUrl } from './otlp-endpoint.js';
export const DEFAULT_OTLP_INTERVAL_MS = 5000;
/** The longest `shutdown()` (and `flush()`) waits for the final push: a run's end never hangs on a collector. */
export const OTLP_SHUTDOWN_TIMEOUT_MS = 5000;

export interface OtlpExporterOptions {
  /** An http(s) URL: a receiver's base URL or its full /v1/metrics URL (otlpMetricsUrl()). */
  endpoint: string;
  figures: LiveFigures;
  /** Between pushes; DEFAULT_OTLP_INTERVAL_MS when absent. */
  intervalMs?: number;
  /** Added to the resource after service.name=brood (which they may replace), e.g. a run id. */
  resourceAttributes?: Readonly<Record<string, string | number | boolean>>;
  /**
   * Receives each problem as one line starting "OTLP: ", without a "warning: " prefix (the caller adds
   * its own, as job-finish.ts does for the console and the run log): pushes failing, once, getting
   * through again, once, and a final push cut off at shutdown.
   */
  warn: (line: string) => void;
}

export interface OtlpExporter {
  /** Where the pushes go (password masked). */
  readonly url: string;
  /** Pushes the current figures now; resolves when done or after OTLP_SHUTDOWN_TIMEOUT_MS, never rejects. */
  flush(): Promise<void>;
  /** Pushes the final figures and stops; resolves within about OTLP_SHUTDOWN_TIMEOUT_MS, never rejects. Idempotent. */
  shutdown(): Promise<void>;
}

type ExportResult = Parameters<Parameters<PushMetricExporter['export']>[1]>[0];
/** ExportResultCode.FAILED of @opentelemetry/core, which brood does not depend on directly. */
const EXPORT_FAILED: ExportResult['code'] = 1;

function reasonOf(error: unknown): string {
  let text: string;
  if (error instanceof Error) {
    // The OTLP exporter's HTTP errors carry the status as a numeric code and the status text as the message.
    const code: unknown = (error as { code?: unknown }).code;
    text = typeof code === 'number' ? `HTTP ${code} ${error.message}` : error.message || error.name;
  } else text = typeof error === 'string' ? error : 'unknown error';
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The OTLP exporter with every push's outcome reported to `onResult` (the reader itself only hands
 * failures to OpenTelemetry's global error handler), and cumulative temporality whatever the
 * environment's OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE says: the figures are totals.
 */
function watchedExporter(inner: PushMetricExporter, onResult: (result: ExportResult) => void): PushMetricExporter {
  return {
    export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
      const done = (result: ExportResult): void => {
        onResult(result);
        resultCallback(result);
      };
      try {
        inner.export(metrics, done);
      } catch (error) {
        done({ code: EXPORT_FAILED, error: error instanceof Error ? error : new Error(reasonOf(error)) });
      }
    },
    forceFlush: () => inner.forceFlush(),
    shutdown: () => inner.shutdown(),
    selectAggregationTemporality: () => AggregationTemporality.CUMULATIVE,
  };
}

/** Says when pushes start failing and when they get through again, once each, not every interval. */
function endpointHealth(shownUrl: string, intervalMs: number, warn: (line: string) => void) {
  let down = false;
  return {
    get down(): boolean {
      return down;
    },
    note(result: ExportResult): void {
      if (result.code !== EXPORT_FAILED && down) {
        down = false;
        warn(`OTLP: metrics reach ${shownUrl} again`);
      } else if (result.code === EXPORT_FAILED && !down) {
        down = true;
        warn(`OTLP: cannot push metrics to ${shownUrl} (${reasonOf(result.error)}); brood keeps trying every ${intervalMs / 1000} s and says when a push gets through`);
      }
    },
  };
}

/** Whether `promise` settled within `ms`; never rejects. */
async function within(promise: Promise<void>, ms: number): Promise<'done' | 'timeout' | { error: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  try {
    return await Promise.race([promise.then(() => 'done' as const, (error: unknown) => ({ error })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Pushes brood's figures (the Prometheus series, same names and labels) as OpenTelemetry metrics over
 * OTLP/HTTP with JSON bodies every `intervalMs`, cumulative since the run's start. Counters and gauges
 * are observable instruments and the response-time histogram a MetricProducer (otlp-response-time-
 * producer.ts), all read from `figures` at push time only. Headers and compression still follow the
 * OTEL_EXPORTER_OTLP_* environment variables (how collectors' credentials are usually given).
 */
export function startOtlpExporter(options: OtlpExporterOptions): OtlpExporter {
  const intervalMs = options.intervalMs ?? DEFAULT_OTLP_INTERVAL_MS;
  if (!Number.isFinite(intervalMs) || intervalMs <= 0) throw new RangeError(`OTLP push interval must be a positive number of ms, got ${intervalMs}`);
  const url = otlpMetricsUrl(options.endpoint);
  const shownUrl = redactCredentials(url);
  const { warn } = options;
  const health = endpointHealth(shownUrl, intervalMs, warn);
  let figuresFailed = false;
  const onFiguresError = (error: unknown): void => {
    if (figuresFailed) return;
    figuresFailed = true;
    warn(`OTLP: could not read the run's figures for a push (${reasonOf(error)}); later pushes try again`);
  };
  // Half the shutdown bound per push: one push in flight plus the final one still end within it.
  const pushTimeoutMs = Math.min(intervalMs, OTLP_SHUTDOWN_TIMEOUT_MS / 2);
  // brood's own agent, destroyed at shutdown, so that no kept-alive socket outlives the run.
  const agent = new URL(url).protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  const otlp = new OTLPMetricExporter({
    url,
    timeoutMillis: pushTimeoutMs,
    temporalityPreference: AggregationTemporalityPreference.CUMULATIVE,
    httpAgentOptions: () => agent,
  });
  const reader = new PeriodicExportingMetricReader({
    exporter: watchedExporter(otlp, (result) => health.note(result)),
    exportIntervalMillis: intervalMs,
    exportTimeoutMillis: pushTimeoutMs,
    metricProducers: [responseTimeProducer(options.figures, onFiguresError)],
  });
  const resource = defaultResource().merge(resourceFromAttributes({ 'service.name': 'brood', ...options.resourceAttributes }));
  const provider = new MeterProvider({ resource, readers: [reader] });
  observeLiveFigures(provider.getMeter(OTLP_SCOPE_NAME), options.figures, onFiguresError);

  let closing: Promise<void> | null = null;
  return {
    url: shownUrl,
    async flush(): Promise<void> {
      if (closing !== null) return;
      const outcome = await within(provider.forceFlush(), OTLP_SHUTDOWN_TIMEOUT_MS);
      if (typeof outcome === 'object') warn(`OTLP: pushing to ${shownUrl} failed (${reasonOf(outcome.error)})`);
    },
    shutdown(): Promise<void> {
      closing ??= (async () => {
        const outcome = await within(provider.shutdown(), OTLP_SHUTDOWN_TIMEOUT_MS);
        if (outcome === 'timeout' && !health.down) {
          warn(`OTLP: the final push to ${shownUrl} did not finish within ${OTLP_SHUTDOWN_TIMEOUT_MS / 1000} s; its last figures may be missing there`);
        } else if (typeof outcome === 'object') warn(`OTLP: stopping the pushes to ${shownUrl} failed (${reasonOf(outcome.error)})`);
        agent.destroy();
      })();
      return closing;
    },
  };
}
