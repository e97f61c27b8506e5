/**
 * GET /metrics of the in-process demo server over real HTTP, gRPC (a real grpc-js client) and
 * WebSocket connections on port 0: the Prometheus text parses, the process metrics are there (CPU
 * since process start, not since the first scrape), requests are counted by route pattern (never
 * a raw id) and status, gRPC calls by method and code, open WebSockets as a gauge; the fault flags
 * do not reach /metrics, and two servers in one process share no series.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, credentials, loadPackageDefinition, Metadata, type GrpcObject, type MethodDefinition, type ServiceClientConstructor, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import WebSocket from 'ws';
import { continuumProtoDir } from '../../src/demo-server/continuum-protos.js';
import { startDemoServer, type RunningDemoServer } from '../../src/demo-server/server.js';
import { parsePrometheusText, sampleValue, type Sample } from '../helpers/prometheus-text.js';

const HTTP = 'continuum_http_requests_total';
const GRPC = 'continuum_grpc_calls_total';

async function scrape(server: RunningDemoServer): Promise<Sample[]> {
  const res = await fetch(`${server.url}/metrics`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  return parsePrometheusText(await res.text());
}

async function get(server: RunningDemoServer, path: string, method = 'GET'): Promise<number> {
  const res = await fetch(server.url + path, { method });
  await res.arrayBuffer();
  return res.status;
}

/** Scrapes until `check` holds (the server counts some things a moment after the client saw them). */
async function eventually(server: RunningDemoServer, check: (samples: Sample[]) => boolean): Promise<Sample[]> {
  for (let i = 0; ; i++) {
    const samples = await scrape(server);
    if (check(samples) || i === 50) return samples;
    await sleep(40);
  }
}

describe('demo server /metrics', () => {
  test('process metrics and HTTP requests by route pattern and status', { timeout: 15_000 }, async () => {
    const cpuBefore = process.cpuUsage();
    const server = await startDemoServer({ seed: 1 });
    try {
      for (let i = 0; i < 3; i++) assert.equal(await get(server, '/health'), 200);
      assert.equal(await get(server, '/concepts/c-123'), 404);
      assert.equal(await get(server, '/concepts/c-456'), 404);
      assert.equal(await get(server, '/no/such/path'), 404);
      assert.equal(await get(server, '/health', 'POST'), 405);
      const samples = await scrape(server);
      assert.ok((sampleValue(samples, 'process_resident_memory_bytes') ?? 0) > 0);
      // The registry is made by the first scrape; the CPU spent before it must be in the counter.
      const cpuSeconds = sampleValue(samples, 'process_cpu_seconds_total') ?? 0;
      assert.ok(cpuSeconds >= (cpuBefore.user + cpuBefore.system) / 1e6, `process_cpu_seconds_total ${cpuSeconds} counts from process start`);
      assert.ok(samples.some((s) => s.name.startsWith('nodejs_')));
      assert.equal(sampleValue(samples, HTTP, { method: 'GET', route: '/health', status: '200' }), 3);
      assert.equal(sampleValue(samples, HTTP, { method: 'GET', route: '/concepts/:id', status: '404' }), 2);
      assert.equal(sampleValue(samples, HTTP, { method: 'GET', route: 'unmatched', status: '404' }), 1);
      assert.equal(sampleValue(samples, HTTP, { method: 'POST', route: '/health', status: '405' }), 1);
      assert.ok(!samples.some((s) => s.name === HTTP && /c-123|no\/such/.test(s.labels.route ?? '')), 'no raw path in a route label');
      assert.equal(sampleValue(samples, HTTP, { route: '/metrics' }), undefined, 'a scrape is counted once answered');
      assert.equal(sampleValue(samples, 'continuum_ws_connections'), 0);

      const again = await scrape(server);
      assert.equal(sampleValue(again, HTTP, { method: 'GET', route: '/metrics', status: '200' }), 1);
      assert.equal(sampleValue(again, HTTP, { method: 'GET', route: '/health', status: '200' }), 3);
      assert.equal(await get(server, '/metrics', 'POST'), 405);
    } finally {
      await server.close();
    }
  });

  test('the fault flags slow, fail and refuse the API but never /metrics; faults are counted', { timeout: 15_000 }, async () => {
    const server = await startDemoServer({ seed: 2, errorRate: 1, latencyMs: 500, maxConcurrency: 1, queueLimit: 0 });
    try {
      const slow = get(server, '/health'); // holds the only slot for 500 ms, then fails
      await sleep(50);
      const started = performance.now();
      await scrape(server);
      assert.ok(performance.now() - started < 400, 'the scrape waited for neither the slot nor the injected delay');
      assert.equal(await get(server, '/stats'), 503);
      assert.equal(await slow, 500);
      const samples = await scrape(server);
      assert.equal(sampleValue(samples, HTTP, { route: '/health', status: '500' }), 1);
      assert.equal(sampleValue(samples, HTTP, { route: '/stats', status: '503' }), 1);
      assert.equal(sampleValue(samples, HTTP, { route: '/metrics', status: '200' }), 1);
    } finally {
      await server.close();
    }
  });

  test('two servers in one process count apart', { timeout: 10_000 }, async () => {
    const a = await startDemoServer({ seed: 3 });
    const b = await startDemoServer({ seed: 4 });
    try {
      for (let i = 0; i < 2; i++) await get(a, '/health');
      await get(b, '/stats');
      const fromA = await scrape(a);
      const fromB = await scrape(b);
      assert.equal(sampleValue(fromA, HTTP, { route: '/health' }), 2);
      assert.equal(sampleValue(fromA, HTTP, { route: '/stats' }), undefined);
      assert.equal(sampleValue(fromB, HTTP, { route: '/health' }), undefined);
      assert.equal(sampleValue(fromB, HTTP, { route: '/stats' }), 1);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  test('gRPC calls by method and code, open WebSockets as a gauge', { timeout: 15_000 }, async () => {
    const server = await startDemoServer({ seed: 5 });
    const client = new Client(`127.0.0.1:${server.port}`, credentials.createInsecure());
    try {
      const { learn, generate } = grpcMethods();
      const unary = (method: MethodDefinition<object, object>, request: object): Promise<unknown> => new Promise((resolve, reject) => {
        client.makeUnaryRequest(method.path, method.requestSerialize, method.responseDeserialize, request, new Metadata(), { deadline: Date.now() + 5_000 }, (error, reply) => {
          if (error !== null) reject(error);
          else resolve(reply);
        });
      });
      await unary(learn, { text: 'lighthouses guide sailors' });
      await unary(learn, { text: 'sailors read charts' });
      await assert.rejects(unary(learn, { text: '' }), (error: ServiceError) => error.details.includes('"text" is required'));
      const cancelled = client.makeUnaryRequest(generate.path, generate.requestSerialize, generate.responseDeserialize, { prompt: 'sailors' }, () => undefined);
      await sleep(50);
      cancelled.cancel();

      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws/conversation`);
      await new Promise<void>((resolve, reject) => ws.once('open', resolve).once('error', reject));
      let samples = await eventually(server, (s) => sampleValue(s, GRPC, { code: 'CANCELLED' }) !== undefined);
      assert.equal(sampleValue(samples, GRPC, { method: 'continuum.Kernel/Learn', code: 'OK' }), 2);
      assert.equal(sampleValue(samples, GRPC, { method: 'continuum.Kernel/Learn', code: 'INVALID_ARGUMENT' }), 1);
      assert.equal(sampleValue(samples, GRPC, { method: 'continuum.AIService/Generate', code: 'CANCELLED' }), 1);
      assert.equal(sampleValue(samples, 'continuum_ws_connections'), 1);
      ws.close();
      samples = await eventually(server, (s) => sampleValue(s, 'continuum_ws_connections') === 0);
      assert.equal(sampleValue(samples, 'continuum_ws_connections'), 0);
    } finally {
      client.close();
      await server.close();
    }
  });
});

function grpcMethods(): { learn: MethodDefinition<object, object>; generate: MethodDefinition<object, object> } {
  const dir = continuumProtoDir();
  const continuum = loadPackageDefinition(loadSync([`${dir}kernel.proto`, `${dir}ai_service.proto`], { keepCase: true, longs: String, defaults: true })).continuum as GrpcObject;
  const service = (name: string): ServiceClientConstructor => continuum[name] as ServiceClientConstructor;
  const learn = service('Kernel').service.Learn as MethodDefinition<object, object> | undefined;
  const generate = service('AIService').service.Generate as MethodDefinition<object, object> | undefined;
  assert.ok(learn !== undefined && generate !== undefined);
  return { learn, generate };
}
