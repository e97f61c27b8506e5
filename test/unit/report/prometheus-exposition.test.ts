import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LiveFigures } from '../../../src/report/live-figures.js';
import { PrometheusExposition, RESPONSE_TIME_BUCKETS_SECONDS } from '../../../src/report/prometheus-exposition.js';
import { LatencyHistogram } from '../../../src/stats/histogram.js';
import { StatsRegistry } from '../../../src/stats/registry.js';

interface Extra {
  users?: number;
  classCounts?: Record<string, number>;
  cpu?: number | null;
}

function figuresOf(stats: StatsRegistry, extra: Extra = {}): LiveFigures {
  return {
    responseTimes: (limitsUs) => stats.responseTimes(limitsUs),
    failures: () => stats.failures(),
    metrics: () => stats.metricSummaries(),
    userCount: () => extra.users ?? 0,
    classCounts: () => extra.classCounts ?? {},
    generatorCpuPercent: () => extra.cpu ?? null,
  };
}

const newStats = (): StatsRegistry => new StatsRegistry(() => 1_700_000_000_000);

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * A strict reader of the Prometheus text format 0.0.4: every line is a HELP, a TYPE, empty, or
 * `name{label="value",…} number`; label values use only the \\ \" \n escapes; a family's TYPE comes
 * before its samples and each family appears once. Anything else fails the test.
 */
function parseExposition(text: string): { types: Map<string, string>; samples: Sample[] } {
  assert.ok(text.endsWith('\n'), 'the text ends with a newline');
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  const pair = String.raw`[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"`;
  const sampleLine = new RegExp(String.raw`^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:${pair}(?:,${pair})*,?)?)\})? (\S+)$`);
  const label = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"/g;
  for (const line of text.slice(0, -1).split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      assert.ok(!types.has(type[1] ?? ''), `one TYPE line per family: ${line}`);
      types.set(type[1] ?? '', type[2] ?? '');
      continue;
    }
    if (/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* \S/.test(line)) continue;
    const m = sampleLine.exec(line);
    assert.ok(m, `not a valid sample line: ${JSON.stringify(line)}`);
    const [, name = '', labelText = '', valueText = ''] = m;
    assert.match(valueText, /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]Inf|NaN)$/, `value of ${line}`);
    const family = name.replace(/_(?:bucket|sum|count)$/, '');
    assert.ok(types.has(name) || types.get(family) === 'histogram' || (types.get(family) === 'summary' && !name.endsWith('_bucket')), `TYPE before samples: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, k = '', v = ''] of labelText.matchAll(label)) {
      assert.ok(!(k in labels), `label ${k} once: ${line}`);
      labels[k] = v.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name, labels, value: valueText === '+Inf' ? Infinity : Number(valueText) });
  }
  return { types, samples };
}

/** Checks every histogram series: ascending le ending at +Inf, cumulative counts, +Inf equal to _count. */
function checkHistograms(samples: readonly Sample[], family: string): void {
  const bySeries = new Map<string, Sample[]>();
  for (const s of samples.filter((x) => x.name === `${family}_bucket`)) {
    const key = JSON.stringify({ ...s.labels, le: undefined });
    bySeries.set(key, [...(bySeries.get(key) ?? []), s]);
  }
  for (const [key, buckets] of bySeries) {
    const les = buckets.map((b) => (b.labels.le === '+Inf' ? Infinity : Number(b.labels.le)));
    assert.equal(les.at(-1), Infinity, `${key}: last le is +Inf`);
    for (let i = 1; i < les.length; i++) {
      assert.ok((les[i] ?? 0) > (les[i - 1] ?? 0), `${key}: le ascending`);
      assert.ok((buckets[i]?.value ?? 0) >= (buckets[i - 1]?.value ?? 0), `${key}: counts cumulative`);
    }
    const count = samples.find((s) => s.name === `${family}_count` && JSON.stringify({ ...s.labels, le: undefined }) === key);
    assert.equal(count?.value, buckets.at(-1)?.value, `${key}: +Inf bucket equals _count`);
  }
}

const bucketLines = (method: string, name: string, counts: readonly number[]): string =>
  [...RESPONSE_TIME_BUCKETS_SECONDS.map(String), '+Inf']
    .map((le, i) => `brood_response_time_seconds_bucket{method="${method}",name="${name}",le="${le}"} ${counts[i]}\n`)
    .join('');

describe('PrometheusExposition', () => {
  it('writes counts, failure groups, histogram buckets, users and custom metrics, exactly', async () => {
    const stats = newStats();
    stats.recordSuccess('GET', '/a', 2, 100);
    stats.recordSuccess('GET', '/a', 40, 100);
    stats.recordSuccess('GET', '/a', 700, 100);
    stats.recordFailure('POST', '/b', 5, 0, 'HTTP 500');
    stats.recordFailure('POST', '/b', 3000, 0, 'HTTP 500');
    stats.recordFailure('POST', '/b', 12_000, 0, 'ReadTimeout');
    stats.recordMetric('items', 4);
    stats.recordMetric('items', 6);
    const exposition = new PrometheusExposition(figuresOf(stats, { users: 7, classCounts: { Writer: 2, Reader: 5 }, cpu: 37.5 }));
    const text = await exposition.text();
    assert.equal(exposition.contentType, 'text/plain; version=0.0.4; charset=utf-8');
    assert.equal(
      text,
      '# HELP brood_requests_total Requests completed per (method, name), failed ones included, since the run started or its stats were reset.\n' +
        '# TYPE brood_requests_total counter\n' +
        'brood_requests_total{method="GET",name="/a"} 3\n' +
        'brood_requests_total{method="POST",name="/b"} 3\n' +
        '\n' +
        '# HELP brood_failures_total Failed requests per (method, name, error), errors grouped and bounded as in _failures.csv.\n' +
        '# TYPE brood_failures_total counter\n' +
        'brood_failures_total{method="POST",name="/b",error="HTTP 500"} 2\n' +
        'brood_failures_total{method="POST",name="/b",error="ReadTimeout"} 1\n' +
        '\n' +
        "# HELP brood_response_time_seconds Response times per (method, name) in seconds, from brood's HDR histograms (3 significant digits).\n" +
        '# TYPE brood_response_time_seconds histogram\n' +
        // le:          1ms 2.5ms 5ms 10ms 25ms 50ms 100ms 250ms 500ms 1s 2.5s 5s 10s +Inf
        bucketLines('GET', '/a', [0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3]) +
        'brood_response_time_seconds_sum{method="GET",name="/a"} 0.742\n' +
        'brood_response_time_seconds_count{method="GET",name="/a"} 3\n' +
        bucketLines('POST', '/b', [0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 3, 3]) +
        'brood_response_time_seconds_sum{method="POST",name="/b"} 15.005\n' +
        'brood_response_time_seconds_count{method="POST",name="/b"} 3\n' +
        '\n' +
        '# HELP brood_users Users running now.\n' +
        '# TYPE brood_users gauge\n' +
        'brood_users 7\n' +
        '\n' +
        '# HELP brood_user_count Users running now per user class.\n' +
        '# TYPE brood_user_count gauge\n' +
        'brood_user_count{class="Reader"} 5\n' +
        'brood_user_count{class="Writer"} 2\n' +
        '\n' +
        '# HELP brood_custom_metric Mean of each custom metric (this.metric(name, value)) over its values since the run started or its stats were reset.\n' +
        '# TYPE brood_custom_metric gauge\n' +
        'brood_custom_metric{name="items"} 5\n' +
        '\n' +
        "# HELP brood_generator_cpu_percent brood's own CPU over the last history interval, % of one core.\n" +
        '# TYPE brood_generator_cpu_percent gauge\n' +
        'brood_generator_cpu_percent 37.5\n' +
        '\n' +
        '# HELP brood_custom_metric_values Values of each custom metric (this.metric(name, value)) since the run started or its stats were reset: quantiles, sum and count.\n' +
        '# TYPE brood_custom_metric_values summary\n' +
        // The stats' percentiles, from their HDR histogram (3 significant digits: 4 reads 4.001).
        'brood_custom_metric_values{name="items",quantile="0.5"} 4.001\n' +
        'brood_custom_metric_values{name="items",quantile="0.95"} 6\n' +
        'brood_custom_metric_values{name="items",quantile="0.99"} 6\n' +
        'brood_custom_metric_values_sum{name="items"} 10\n' +
        'brood_custom_metric_values_count{name="items"} 2\n',
    );
    const { samples } = parseExposition(text);
    checkHistograms(samples, 'brood_response_time_seconds');
  });

  it('renders an empty run as valid text: families without samples, 0 users, no CPU sample before the first interval', async () => {
    const text = await new PrometheusExposition(figuresOf(newStats())).text();
    const { types, samples } = parseExposition(text);
    assert.deepEqual([...types], [
      ['brood_requests_total', 'counter'],
      ['brood_failures_total', 'counter'],
      ['brood_response_time_seconds', 'histogram'],
      ['brood_users', 'gauge'],
      ['brood_user_count', 'gauge'],
      ['brood_custom_metric', 'gauge'],
      ['brood_generator_cpu_percent', 'gauge'],
      ['brood_custom_metric_values', 'summary'],
    ]);
    assert.deepEqual(samples, [{ name: 'brood_users', labels: {}, value: 0 }]);
  });

  it('escapes backslashes, quotes and newlines in label values, and the reader gets the text back', async () => {
    const stats = newStats();
    const name = 'say "hi"\\n\nnext line';
    const error = 'Error: bad "token"\n    at C:\\app\\x.js';
    stats.recordFailure('GET', name, 1, 0, error);
    const text = await new PrometheusExposition(figuresOf(stats, { classCounts: { 'Class "A"\n': 1 } })).text();
    assert.ok(text.includes('brood_requests_total{method="GET",name="say \\"hi\\"\\\\n\\nnext line"} 1\n'), text);
    const { samples } = parseExposition(text);
    const failure = samples.find((s) => s.name === 'brood_failures_total');
    assert.deepEqual(failure?.labels, { method: 'GET', name, error });
    assert.equal(samples.find((s) => s.name === 'brood_user_count')?.labels.class, 'Class "A"\n');
    checkHistograms(samples, 'brood_response_time_seconds');
  });

  it('counts each bucket as an exact count would, for values away from the bounds (HDR keeps 3 digits)', async () => {
    const stats = newStats();
    const values: number[] = [];
    let seed = 12345;
    for (let i = 0; i < 2000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      // Log-uniform from 0.1 ms to 20 s, rounded to whole µs as entries record them.
      const ms = Math.round(10 ** (-1 + (seed / 2 ** 31) * 5.3) * 1000) / 1000;
      const nearBound = RESPONSE_TIME_BUCKETS_SECONDS.some((b) => Math.abs(ms / 1000 - b) <= b * 0.002);
      if (nearBound) continue;
      values.push(ms);
      stats.recordSuccess('GET', '/x', ms, 0);
    }
    const { samples } = parseExposition(await new PrometheusExposition(figuresOf(stats)).text());
    for (const bound of RESPONSE_TIME_BUCKETS_SECONDS) {
      const got = samples.find((s) => s.name === 'brood_response_time_seconds_bucket' && s.labels.le === String(bound))?.value;
      assert.equal(got, values.filter((ms) => ms / 1000 <= bound).length, `le=${bound}`);
    }
    assert.equal(samples.find((s) => s.name === 'brood_response_time_seconds_count')?.value, values.length);
  });

  it('reads the figures once per scrape, and again at the next one', async () => {
    const stats = newStats();
    let snapshots = 0;
    const figures = figuresOf(stats);
    const counted: LiveFigures = {
      ...figures,
      responseTimes: (limitsUs) => {
        snapshots++;
        return figures.responseTimes(limitsUs);
      },
    };
    const exposition = new PrometheusExposition(counted);
    stats.recordSuccess('GET', '/a', 1, 0);
    assert.match(await exposition.text(), /^brood_requests_total\{method="GET",name="\/a"\} 1$/m);
    assert.equal(snapshots, 1);
    stats.recordSuccess('GET', '/a', 1, 0);
    assert.match(await exposition.text(), /^brood_requests_total\{method="GET",name="\/a"\} 2$/m);
    assert.match(await exposition.text(), /^brood_response_time_seconds_count\{method="GET",name="\/a"\} 2$/m);
    assert.equal(snapshots, 3);
  });

  it('keeps each exposition in its own registry (two runs, or two tests, never mix)', async () => {
    const a = newStats();
    const b = newStats();
    a.recordSuccess('GET', '/only-a', 1, 0);
    b.recordSuccess('GET', '/only-b', 1, 0);
    const [ta, tb] = await Promise.all([new PrometheusExposition(figuresOf(a)).text(), new PrometheusExposition(figuresOf(b)).text()]);
    assert.ok(ta.includes('/only-a') && !ta.includes('/only-b'));
    assert.ok(tb.includes('/only-b') && !tb.includes('/only-a'));
  });

  it('refuses bucket bounds that are not ascending positive seconds', () => {
    for (const bad of [[0.1, 0.05], [0, 1], [1, Infinity], [Number.NaN]]) {
      assert.throws(() => new PrometheusExposition(figuresOf(newStats()), bad), RangeError, String(bad));
    }
  });
});

describe('LatencyHistogram.countsAtOrBelow', () => {
  it('counts values at or below each limit, cumulatively, and refuses limits out of order', () => {
    const h = new LatencyHistogram();
    for (const us of [0, 999, 1000, 1001, 50_000, 4_000_000_000]) h.record(us);
    assert.deepEqual(h.countsAtOrBelow([-1, 0, 999, 1000, 1000.9, 1001, 49_000, Infinity]), [0, 1, 2, 3, 3, 4, 4, 6]);
    assert.throws(() => h.countsAtOrBelow([10, 5]), RangeError);
    assert.deepEqual(new LatencyHistogram().countsAtOrBelow([1, 1e9]), [0, 0]);
  });

  it('reads 3 significant digits: a value shares its bucket with its neighbours within 0.1 %', () => {
    const h = new LatencyHistogram();
    for (const us of [0, 1, 2047, 2048, 2049, 4095, 4096, 123_456, 999_999, 1_000_000, 1_001_000, 3_600_000_000]) h.record(us);
    // 2049 shares 2048's bucket (2 µs wide there) and 999 999 µs shares 1 000 000's (512 µs): within 0.1 %.
    assert.deepEqual(h.countsAtOrBelow([-5, 0, 2048, 4095, 4097, 123_456, 1_000_000, 2e9, Infinity]), [0, 1, 5, 6, 7, 8, 10, 11, 12]);
  });
});
