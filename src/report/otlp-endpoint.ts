/**
 * --otlp-endpoint's checks and path rule, apart from the exporter so that checking a command line
 * does not load the OpenTelemetry SDK (it loads only when a run pushes).
 */
import { redactCredentials } from '../core/credentials-text.js';

/** OTLP/HTTP's path for metrics, appended to a base URL as OTEL_EXPORTER_OTLP_ENDPOINT's is. */
export const OTLP_METRICS_PATH = '/v1/metrics';

/**
 * Problems with an --otlp-endpoint value, as one line a user can act on (the CLI exits 2 with it),
 * or null when brood can push there.
 */
export function checkOtlpEndpoint(text: string): string | null {
  const shown = redactCredentials(text);
  if (text.trim() === '') return '--otlp-endpoint needs a URL, e.g. http://127.0.0.1:4318 (an OpenTelemetry Collector\'s OTLP/HTTP port)';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `--otlp-endpoint "${shown}" is not a URL: use http://HOST:4318 or its full path http://HOST:4318${OTLP_METRICS_PATH}`;
  }
  if (url.protocol === 'grpc:' || url.protocol === 'grpcs:') {
    return `--otlp-endpoint "${shown}": brood pushes OTLP over HTTP, not gRPC: use the receiver's OTLP/HTTP port, e.g. http://${url.host.replace(/:4317$/, '')}:4318`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `--otlp-endpoint "${shown}" must be an http:// or https:// URL, e.g. http://127.0.0.1:4318`;
  }
  return null;
}

/**
 * Where brood posts: the endpoint as given when its path already ends in /v1/metrics, otherwise the
 * endpoint with /v1/metrics appended to its path (OTEL_EXPORTER_OTLP_ENDPOINT's rule). So a
 * collector's base URL (http://host:4318), a vendor's prefixed one (https://host/otlp) and a full
 * metrics URL all work; a receiver on a path of its own not ending in /v1/metrics is not reachable.
 * Throws the checkOtlpEndpoint() problem for an endpoint that is not http(s).
 */
export function otlpMetricsUrl(endpoint: string): string {
  const problem = checkOtlpEndpoint(endpoint);
  if (problem !== null) throw new Error(problem);
  const url = new URL(endpoint);
  if (!/\/v1\/metrics\/?$/.test(url.pathname)) url.pathname = `${url.pathname.replace(/\/+$/, '')}${OTLP_METRICS_PATH}`;
  return url.href;
}

