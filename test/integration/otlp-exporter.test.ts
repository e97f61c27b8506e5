import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OTLP_SHUTDOWN_TIMEOUT_MS, startOtlpExporter, type OtlpExporter } from '../../src/report/otlp-exporter.js';
import type { LiveFigures } from '../../src/report/live-figures.js';
import { RESPONSE_TIME_BOUNDS_SECONDS } from '../../src/report/otlp-response-time-producer.js';
import { StatsRegistry } from '../../src/stats/registry.js';
import { metricIn, startOtlpReceiver, type OtlpHistogramPoint, type OtlpMetric, type OtlpPush } from '../helpers/otlp-receiver.js';
import { startRecordingServer } from '../helpers/recording-server.js';

const START_WALL_MS = 1_700_000_000_000;
const START_NS = BigInt(START_WALL_MS) * 1_000_000n;

interface Users {
  count: number;
  classes: Record<string, number>;
  cpuPercent: number | null;
}

/** What the job would hand the exporter: a real registry, users as the test sets them. */
function liveFigures(registry: StatsRegistry, users: Users): LiveFigures {
  return {
    responseTimes: (limitsUs) => registry.responseTimes(limitsUs),
    failures: () => registry.failures(),
    metrics: () => registry.metricSummaries(),
    userCount: () => users.count,
    classCounts: () => users.classes,
    generatorCpuPercent: () => users.cpuPercent,
  };
}

function filledRegistry(): StatsRegistry {
  const registry = new StatsRegistry(() => START_WALL_MS, { startWallMs: START_WALL_MS });
  registry.recordSuccess('GET', '/a', 2, 100);
  registry.recordSuccess('GET', '/a', 40, 100);
  registry.recordSuccess('GET', '/a', 700, 100);
  registry.recordFailure('POST', '/b', 15, 0, 'boom');
  registry.recordMetric('cart_size', 3);
  registry.recordMetric('cart_size', 5);
  return registry;
}

/** A metric's points as { "label values joined by spaces": value }, for exact comparison. */
function valuesOf(metric: OtlpMetric, ...labels: string[]): Record<string, number> {
  assert.notEqual(metric.kind, 'histogram');
  const out: Record<string, number> = {};
  if (metric.kind === 'histogram') return out;
  for (const p of metric.points) out[labels.map((l) => String(p.attributes[l])).join(' ')] = p.value;
  return out;
}

function histogramPoint(push: OtlpPush, method: string, name: string): OtlpHistogramPoint {
  const metric = metricIn(push, 'brood_response_time_seconds');
  assert.equal(metric.kind, 'histogram');
  if (metric.kind !== 'histogram') throw new Error('unreachable');
  assert.equal(metric.unit, 's');
  assert.equal(metric.temporality, 'cumulative');
  const point = metric.points.find((p) => p.attributes.method === method && p.attributes.name === name);
  assert.ok(point, `no histogram point for ${method} ${name}`);
  return point;
}

/** Bucket counts with `n` in the bucket whose upper bound is each given bound (seconds). */
function buckets(...counted: Array<[bound: number, n: number]>): number[] {
  const counts = new Array<number>(RESPONSE_TIME_BOUNDS_SECONDS.length + 1).fill(0);
  for (const [bound, n] of counted) {
    const i = RESPONSE_TIME_BOUNDS_SECONDS.indexOf(bound);
    assert.ok(i >= 0, `${bound} is not a bucket bound`);
    counts[i] = (counts[i] ?? 0) + n;
  }
  return counts;
}

function requestsOf(push: OtlpPush, method: string, name: string): number | undefined {
  return valuesOf(metricIn(push, 'brood_requests_total'), 'method', 'name')[`${method} ${name}`];
}

test('pushes the Prometheus series every interval, exactly, and their new cumulative values after more requests', async () => {
  const receiver = await startOtlpReceiver();
  const registry = filledRegistry();
  const users: Users = { count: 7, classes: { Reader: 5, Writer: 2 }, cpuPercent: 12.5 };
  const warnings: string[] = [];
  let exporter: OtlpExporter | null = null;
  try {
    exporter = startOtlpExporter({ endpoint: receiver.url, figures: liveFigures(registry, users), intervalMs: 200, resourceAttributes: { 'brood.run_id': 'run-23' }, warn: (l) => warnings.push(l) });
    const first = await receiver.waitFor(() => true);
    assert.equal(first.path, '/v1/metrics');
    assert.equal(first.contentType, 'application/json');
    assert.equal(first.resource['service.name'], 'brood');
    assert.equal(first.resource['brood.run_id'], 'run-23');

    const requests = metricIn(first, 'brood_requests_total');
    assert.deepEqual(requests.kind === 'sum' && [requests.monotonic, requests.temporality], [true, 'cumulative']);
    assert.deepEqual(valuesOf(requests, 'method', 'name'), { 'GET /a': 3, 'POST /b': 1 });
    const failures = metricIn(first, 'brood_failures_total');
    assert.deepEqual(failures.kind === 'sum' && [failures.monotonic, failures.temporality], [true, 'cumulative']);
    assert.deepEqual(valuesOf(failures, 'method', 'name', 'error'), { 'POST /b boom': 1 });
    assert.deepEqual(valuesOf(metricIn(first, 'brood_users')), { '': 7 });
    assert.deepEqual(valuesOf(metricIn(first, 'brood_user_count'), 'class'), { Reader: 5, Writer: 2 });
    assert.deepEqual(valuesOf(metricIn(first, 'brood_custom_metric'), 'name'), { cart_size: 4 });
    const customCount = metricIn(first, 'brood_custom_metric_values_count');
    assert.deepEqual(customCount.kind === 'sum' && [customCount.monotonic, customCount.temporality], [true, 'cumulative']);
    assert.deepEqual(valuesOf(customCount, 'name'), { cart_size: 2 });
    const customSum = metricIn(first, 'brood_custom_metric_values_sum');
    assert.deepEqual(customSum.kind === 'sum' && [customSum.monotonic, customSum.temporality], [false, 'cumulative']);
    assert.deepEqual(valuesOf(customSum, 'name'), { cart_size: 8 });
    assert.deepEqual(valuesOf(metricIn(first, 'brood_generator_cpu_percent')), { '': 12.5 });
    assert.equal(metricIn(first, 'brood_users').kind, 'gauge');

    const a = histogramPoint(first, 'GET', '/a');
    assert.deepEqual(a.explicitBounds, RESPONSE_TIME_BOUNDS_SECONDS);
    assert.deepEqual(a.bucketCounts, buckets([0.0025, 1], [0.05, 1], [1, 1]));
    assert.deepEqual([a.count, a.sum, a.min, a.max], [3, 0.742, 0.002, 0.7]);
    assert.equal(a.startTimeUnixNano, START_NS);
    const b = histogramPoint(first, 'POST', '/b');
    assert.deepEqual(b.bucketCounts, buckets([0.025, 1]));
    assert.deepEqual([b.count, b.sum, b.min, b.max], [1, 0.015, 0.015, 0.015]);

    registry.recordSuccess('GET', '/a', 1, 100);
    registry.recordFailure('GET', '/a', 1500, 0, 'HTTP 503');
    registry.recordFailure('POST', '/b', 20, 0, 'boom');
    users.count = 9;
    users.classes = { Reader: 6, Writer: 3 };
    const later = await receiver.waitFor((p) => requestsOf(p, 'GET', '/a') === 5 && requestsOf(p, 'POST', '/b') === 2);
    assert.deepEqual(valuesOf(metricIn(later, 'brood_failures_total'), 'method', 'name', 'error'), { 'GET /a HTTP 503': 1, 'POST /b boom': 2 });
    assert.deepEqual(valuesOf(metricIn(later, 'brood_users')), { '': 9 });
    assert.deepEqual(valuesOf(metricIn(later, 'brood_user_count'), 'class'), { Reader: 6, Writer: 3 });
    const a2 = histogramPoint(later, 'GET', '/a');
    assert.deepEqual(a2.bucketCounts, buckets([0.001, 1], [0.0025, 1], [0.05, 1], [1, 1], [2.5, 1]));
    assert.deepEqual([a2.count, a2.sum, a2.min, a2.max], [5, 2.243, 0.001, 1.5]);
    assert.equal(a2.startTimeUnixNano, START_NS);
    assert.deepEqual(histogramPoint(later, 'POST', '/b').bucketCounts, buckets([0.025, 2]));
  } finally {
    await exporter?.shutdown();
    await receiver.close();
  }
  assert.deepEqual(receiver.problems, []);
  assert.deepEqual(warnings, []);
});

test('flush() pushes now, and shutdown() pushes the final figures to a full /v1/metrics URL', async () => {
  const receiver = await startOtlpReceiver();
  const registry = filledRegistry();
  const warnings: string[] = [];
  try {
    // An interval far beyond the test: every push seen is a flush's or the shutdown's.
    const exporter = startOtlpExporter({ endpoint: `${receiver.url}/v1/metrics`, figures: liveFigures(registry, { count: 1, classes: { Reader: 1 }, cpuPercent: null }), intervalMs: 60_000, warn: (l) => warnings.push(l) });
    await exporter.flush();
    assert.equal(receiver.pushes.length, 1);
    registry.recordSuccess('GET', '/a', 3, 100);
    await exporter.shutdown();
    assert.equal(receiver.pushes.length, 2);
    const last = receiver.pushes[1] as OtlpPush;
    assert.equal(last.path, '/v1/metrics');
    assert.deepEqual(valuesOf(metricIn(last, 'brood_requests_total'), 'method', 'name'), { 'GET /a': 4, 'POST /b': 1 });
    assert.equal(histogramPoint(last, 'GET', '/a').count, 4);
    // No CPU figure yet: no point rather than a made-up 0.
    assert.equal(last.metrics.some((m) => m.name === 'brood_generator_cpu_percent'), false);
    await exporter.shutdown();
    await exporter.flush();
    assert.equal(receiver.pushes.length, 2, 'nothing is pushed after shutdown');
  } finally {
    await receiver.close();
  }
  assert.deepEqual(receiver.problems, []);
  assert.deepEqual(warnings, []);
});

test('a port that refuses connections: shutdown resolves within the bound with exactly one warning', async () => {
  const closed = await startRecordingServer();
  await closed.close();
  const warnings: string[] = [];
  const exporter = startOtlpExporter({ endpoint: closed.url, figures: liveFigures(filledRegistry(), { count: 0, classes: {}, cpuPercent: null }), intervalMs: 1000, warn: (l) => warnings.push(l) });
  const t0 = performance.now();
  await exporter.shutdown();
  const elapsed = performance.now() - t0;
  assert.ok(elapsed < OTLP_SHUTDOWN_TIMEOUT_MS, `shutdown took ${elapsed.toFixed(0)} ms`);
  assert.equal(warnings.length, 1, warnings.join('\n'));
  assert.match(warnings[0] ?? '', new RegExp(`^OTLP: cannot push metrics to ${closed.url}/v1/metrics \\(.*ECONNREFUSED.*\\)`));
  assert.doesNotMatch(warnings[0] ?? '', /\n/);
});

test('an endpoint that never answers: shutdown gives up within the bound, with one warning', async () => {
  const silent = await startRecordingServer(() => undefined);
  const warnings: string[] = [];
  try {
    // The default interval: the final push is bounded by the exporter's own timeouts, not the test's.
    const exporter = startOtlpExporter({ endpoint: silent.url, figures: liveFigures(filledRegistry(), { count: 0, classes: {}, cpuPercent: null }), warn: (l) => warnings.push(l) });
    const t0 = performance.now();
    await exporter.shutdown();
    const elapsed = performance.now() - t0;
    assert.ok(elapsed <= OTLP_SHUTDOWN_TIMEOUT_MS + 500, `shutdown took ${elapsed.toFixed(0)} ms`);
    assert.equal(silent.requests.length, 1);
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0] ?? '', /^OTLP: (cannot push metrics to .* \(.*timed out.*\)|the final push .* did not finish)/i);
  } finally {
    await silent.close();
  }
});

test('says once that pushes fail, not every interval, and once that they get through again', async () => {
  const receiver = await startOtlpReceiver();
  receiver.respondWith(500);
  const warnings: string[] = [];
  const exporter = startOtlpExporter({ endpoint: receiver.url, figures: liveFigures(filledRegistry(), { count: 2, classes: { Reader: 2 }, cpuPercent: null }), intervalMs: 200, warn: (l) => warnings.push(l) });
  try {
    // Pushes go one at a time: when push n arrives, push n-1's answer has been handled.
    await receiver.waitFor((_, i) => i === 3);
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0] ?? '', /^OTLP: cannot push metrics to http:\/\/127\.0\.0\.1:\d+\/v1\/metrics \(HTTP 500 Internal Server Error\); brood keeps trying every 0\.2 s/);
    receiver.respondWith(200);
    const firstOk = receiver.pushes.length;
    await receiver.waitFor((_, i) => i === firstOk + 1);
    assert.equal(warnings.length, 2, warnings.join('\n'));
    assert.match(warnings[1] ?? '', /^OTLP: metrics reach http:\/\/127\.0\.0\.1:\d+\/v1\/metrics again$/);
    await receiver.waitFor((_, i) => i === firstOk + 3);
    assert.equal(warnings.length, 2, warnings.join('\n'));
  } finally {
    await exporter.shutdown();
    await receiver.close();
  }
  assert.deepEqual(receiver.problems, []);
});
