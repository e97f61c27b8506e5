import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkOtlpEndpoint, otlpMetricsUrl, startOtlpExporter } from '../../../src/report/otlp-exporter.js';
import type { LiveFigures } from '../../../src/report/live-figures.js';
import { RESPONSE_TIME_BOUNDS_SECONDS, responseTimeHistogram } from '../../../src/report/otlp-response-time-producer.js';
import { StatsRegistry } from '../../../src/stats/registry.js';

test('checkOtlpEndpoint accepts http(s) URLs and names the problem of anything else in one line', () => {
  for (const ok of ['http://127.0.0.1:4318', 'https://otlp.example.com/otlp', 'http://collector:4318/v1/metrics', 'http://user:pw@collector:4318']) {
    assert.equal(checkOtlpEndpoint(ok), null, ok);
  }
  const cases: Array<[string, RegExp]> = [
    ['', /^--otlp-endpoint needs a URL, e\.g\. http:\/\/127\.0\.0\.1:4318/],
    ['   ', /needs a URL/],
    ['not a url', /^--otlp-endpoint "not a url" is not a URL: use http:\/\/HOST:4318/],
    ['ftp://collector', /^--otlp-endpoint "ftp:\/\/collector" must be an http:\/\/ or https:\/\/ URL/],
    ['localhost:4318', /must be an http:\/\/ or https:\/\/ URL/],
    ['grpc://collector:4317', /not gRPC: use the receiver's OTLP\/HTTP port, e\.g\. http:\/\/collector:4318$/],
    ['ftp://alice:s3cret@collector', /"ftp:\/\/alice:\*\*\*@collector"/],
  ];
  for (const [text, expected] of cases) {
    const problem = checkOtlpEndpoint(text);
    assert.match(problem ?? '(accepted)', expected, text);
    assert.doesNotMatch(problem ?? '', /\n|s3cret/, text);
  }
});

test('otlpMetricsUrl appends /v1/metrics unless the path already ends with it', () => {
  const cases: Array<[string, string]> = [
    ['http://127.0.0.1:4318', 'http://127.0.0.1:4318/v1/metrics'],
    ['http://127.0.0.1:4318/', 'http://127.0.0.1:4318/v1/metrics'],
    ['https://otlp.example.com/otlp', 'https://otlp.example.com/otlp/v1/metrics'],
    ['https://otlp.example.com/otlp/', 'https://otlp.example.com/otlp/v1/metrics'],
    ['http://collector:4318/v1/metrics', 'http://collector:4318/v1/metrics'],
    ['http://collector:4318/v1/metrics/', 'http://collector:4318/v1/metrics/'],
    ['http://collector:4318?tenant=a', 'http://collector:4318/v1/metrics?tenant=a'],
  ];
  for (const [endpoint, url] of cases) assert.equal(otlpMetricsUrl(endpoint), url, endpoint);
  assert.throws(() => otlpMetricsUrl('ftp://collector'), { message: checkOtlpEndpoint('ftp://collector') ?? '' });
});

test('startOtlpExporter refuses a bad endpoint or interval before it starts anything', () => {
  const figures: LiveFigures = {
    responseTimes: () => assert.fail('read'), failures: () => [], metrics: () => [], userCount: () => 0, classCounts: () => ({}), generatorCpuPercent: () => null,
  };
  assert.throws(() => startOtlpExporter({ endpoint: 'ftp://collector', figures, warn: () => assert.fail('warned') }), { message: checkOtlpEndpoint('ftp://collector') ?? '' });
  assert.throws(() => startOtlpExporter({ endpoint: 'http://127.0.0.1:4318', figures, intervalMs: 0, warn: () => assert.fail('warned') }), RangeError);
});

/** The response times of `values` (µs) recorded on one entry, read as the exporters read them. */
function timesAt(values: readonly number[], limitsUs: readonly number[]): number[] {
  const registry = new StatsRegistry(() => 0, { startWallMs: 0 });
  for (const us of values) registry.recordSuccess('GET', '/a', us / 1000, 0);
  return registry.responseTimes(limitsUs).entries[0]?.atOrBelow ?? limitsUs.map(() => 0);
}

test('response times at or below a bound: exact below 2.048 ms, to the histogram\'s 3 digits above', () => {
  // 2501 and 5003 share an HDR bucket with 2500 and 5000 (3 significant digits): counted at those bounds.
  const values = [0, 1, 999, 1000, 1001, 2047, 2048, 2500, 2501, 4999, 5000, 5003, 5004, 40_000, 700_000, 3_600_000_000];
  assert.deepEqual(timesAt(values, [1000, 2500, 5000, 1_000_000, Number.POSITIVE_INFINITY]), [4, 9, 12, 15, 16]);
  assert.deepEqual(timesAt([], [1000, Number.POSITIVE_INFINITY]), [0, 0]);
});

test('response times at or below any bound are within 0.1 % of the exact count (property)', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 100_000_000 }), { maxLength: 60 }), fc.integer({ min: 1, max: 200_000_000 }), (values, bound) => {
      const [atBound, total] = timesAt(values, [bound, Number.POSITIVE_INFINITY]);
      const exact = values.filter((v) => v <= bound).length;
      const loose = values.filter((v) => v <= bound * 1.001 + 1).length;
      assert.equal(total, values.length);
      assert.ok(atBound !== undefined && atBound >= exact && atBound <= loose, `${atBound} at ${bound} for ${values.join(',')}`);
    }),
    { numRuns: 200 },
  );
});

test('responseTimeHistogram: per-bucket counts, exact sum, min and max in seconds', () => {
  const registry = new StatsRegistry(() => 0, { startWallMs: 0 });
  registry.recordSuccess('GET', '/a', 2, 0);
  registry.recordSuccess('GET', '/a', 40, 0);
  registry.recordSuccess('GET', '/a', 700, 0);
  registry.recordSuccess('GET', '/a', 90_000, 0);
  const bounds = [...RESPONSE_TIME_BOUNDS_SECONDS.map((b) => Math.round(b * 1_000_000)), Number.POSITIVE_INFINITY];
  const [entry] = registry.responseTimes(bounds).entries;
  assert.ok(entry);
  const h = responseTimeHistogram(entry);
  assert.deepEqual(h.buckets.boundaries, RESPONSE_TIME_BOUNDS_SECONDS);
  //                          1ms 2.5 5 10 25 50 100 250 500 1s 2.5 5 10 30 60 +Inf
  assert.deepEqual(h.buckets.counts, [0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual([h.count, h.sum, h.min, h.max], [4, 90.742, 0.002, 90]);

  registry.reset();
  const [empty] = registry.responseTimes(bounds).entries;
  assert.ok(empty);
  assert.deepEqual(responseTimeHistogram(empty), { buckets: { boundaries: [...RESPONSE_TIME_BOUNDS_SECONDS], counts: new Array<number>(16).fill(0) }, sum: 0, count: 0 });
});
