/**
 * The /metrics route as a plain node:http handler, so that the standalone --metrics-port server and
 * the web UI's server serve the same bytes: it answers the requests for its path and says false to
 * the rest, which the server mounting it then routes (or answers 404).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PrometheusExposition } from './prometheus-exposition.js';

/** Answers `req` and returns true when it is for `path`; returns false, having sent nothing, otherwise. */
export type MetricsHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/** `path`: where the route lives, "/metrics" unless a server mounts it under a base path ("/brood/metrics"). */
export function metricsEndpoint(exposition: PrometheusExposition, path = '/metrics'): MetricsHandler {
  return (req, res) => {
    // The query string is ignored, as Prometheus' own exporters ignore it.
    if ((req.url ?? '').split('?', 1)[0] !== path) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'text/plain; charset=utf-8', `${req.method ?? 'this method'} is not served here: scrape ${path} with GET\n`, false, { allow: 'GET, HEAD' });
      return true;
    }
    const head = req.method === 'HEAD';
    exposition
      .text()
      .then(
        (body) => send(res, 200, exposition.contentType, body, head),
        (e: unknown) => send(res, 500, 'text/plain; charset=utf-8', `brood could not read its figures: ${e instanceof Error ? e.message : String(e)}\n`, head),
      )
      // A scrape must never take the run down: a response that cannot be sent is dropped.
      .catch(() => res.destroy());
    return true;
  };
}

function send(res: ServerResponse, status: number, contentType: string, body: string, head: boolean, extra: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    // A scrape is a reading of now: no proxy or browser may answer it from a cache.
    'cache-control': 'no-store',
    ...extra,
  });
  res.end(head ? undefined : body);
}
