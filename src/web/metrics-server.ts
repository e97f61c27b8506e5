/**
 * --metrics-port: a server of its own that serves only /metrics (brood's figures in the Prometheus text
 * format), for runs without the web UI or where only the scraper may reach brood. Plain node:http.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LiveFigures } from '../report/live-figures.js';
import { metricsEndpoint } from '../report/metrics-endpoint.js';
import { PrometheusExposition } from '../report/prometheus-exposition.js';

export interface MetricsServerOptions {
  host: string;
  /** 0: any free port (read it from the result). */
  port: number;
  figures: LiveFigures;
}

export interface MetricsServer {
  /** The scrape URL, e.g. http://127.0.0.1:9646/metrics. */
  url: string;
  port: number;
  /** Stops listening and drops open connections (a scraper keeps its connection alive between scrapes). */
  close(): Promise<void>;
}

/** Listens on `host:port`; rejects with the listen error (EADDRINUSE, EACCES…) if it cannot. */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const serve = metricsEndpoint(new PrometheusExposition(options.figures));
  const server = createServer((req, res) => {
    if (serve(req, res)) return;
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('brood serves its figures at /metrics only\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}/metrics`,
    port,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // After close(): no new connection is accepted; idle and in-flight ones are cut now, not at their timeout.
      server.closeAllConnections();
      await closed;
    },
  };
}
