/**
 * GET /metrics: the demo server in Prometheus text format 0.0.4, so a run can watch the system
 * under test's own RSS and CPU the way it would watch a real service. prom-client's default process
 * and Node metrics (process_resident_memory_bytes, process_cpu_seconds_total, nodejs_*) plus the
 * server's traffic from server-metrics.ts:
 *   continuum_http_requests_total{method,route,status}   route = the router's pattern, "unmatched" for none, "/metrics" for scrapes
 *   continuum_grpc_calls_total{method,code}              method "continuum.Kernel/Learn", code "OK", "UNAVAILABLE", …
 *   continuum_ws_connections                             open /ws/conversation connections
 * Importing prom-client costs ~40-55 ms, so it is loaded by the first scrape, never by a server
 * nobody scrapes (process-entry.ts imports it before listening). So the event-loop-lag and GC
 * series start at the first scrape (its lag is prom-client's "Nan"); the CPU counters do not.
 * Each server has its own Registry: two servers in one process share no series. In a worker
 * thread or in-process, the process_* series are the whole process's (brood's): process-host.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Counter, Registry } from 'prom-client';
import { sendJson } from './http-io.js';
import type { CountedSeries, ServerMetrics } from './server-metrics.js';

export const METRICS_PATH = '/metrics';

export interface MetricsEndpoint {
  serve(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export function createMetricsEndpoint(metrics: ServerMetrics): MetricsEndpoint {
  let registry: Promise<Registry> | null = null;
  return {
    serve: async (req, res) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        sendJson(res, 405, { error: `${req.method ?? '?'} is not allowed on ${METRICS_PATH}; use GET` }, { allow: 'GET, HEAD' });
        return;
      }
      registry ??= createRegistry(metrics);
      const ready = await registry;
      const text = await ready.metrics();
      if (res.headersSent || res.destroyed) return;
      res.writeHead(200, { 'content-type': ready.contentType, 'content-length': Buffer.byteLength(text) });
      res.end(text);
    },
  };
}

async function createRegistry(metrics: ServerMetrics): Promise<Registry> {
  const client = await import('prom-client');
  const register = new client.Registry();
  const cpuBefore = process.cpuUsage();
  client.collectDefaultMetrics({ register });
  // prom-client counts CPU from collectDefaultMetrics() on; created at the first scrape, that would
  // hide what the process spent before it. Its *_cpu_*_seconds_total are since process start again.
  const addCpu = (name: string, micros: number): void => {
    const counter = register.getSingleMetric(name);
    if (counter instanceof client.Counter) counter.inc(micros / 1e6);
  };
  addCpu('process_cpu_user_seconds_total', cpuBefore.user);
  addCpu('process_cpu_system_seconds_total', cpuBefore.system);
  addCpu('process_cpu_seconds_total', cpuBefore.user + cpuBefore.system);
  // The tallies are the truth; each scrape copies them into prom-client's series (bounded: one per label set seen).
  register.registerMetric(new client.Counter({
    name: 'continuum_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'],
    registers: [],
    collect() {
      copyInto(this, metrics.httpSeries());
    },
  }));
  register.registerMetric(new client.Counter({
    name: 'continuum_grpc_calls_total',
    help: 'gRPC calls ended, by method and status code (CANCELLED: the client cancelled or its deadline passed).',
    labelNames: ['method', 'code'],
    registers: [],
    collect() {
      copyInto(this, metrics.grpcSeries());
    },
  }));
  register.registerMetric(new client.Gauge({
    name: 'continuum_ws_connections',
    help: 'Open WebSocket connections on /ws/conversation.',
    registers: [],
    collect() {
      this.set(metrics.wsConnections);
    },
  }));
  return register;
}

function copyInto(counter: Counter, series: readonly CountedSeries[]): void {
  counter.reset();
  for (const { labels, count } of series) counter.inc(labels, count);
}
