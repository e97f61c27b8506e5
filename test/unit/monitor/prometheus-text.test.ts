import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePrometheusText, parseLabels, type PromSample } from '../../../src/monitor/prometheus-text.js';
import { parseMetricSelector, selectValue, type MetricSelector } from '../../../src/monitor/metric-selector.js';

test('parsePrometheusText: a client library\'s page, HELP and TYPE lines skipped', () => {
  const page = [
    '# HELP process_resident_memory_bytes Resident memory size in bytes.',
    '# TYPE process_resident_memory_bytes gauge',
    'process_resident_memory_bytes 5.4263808e+07',
    '# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.',
    '# TYPE process_cpu_seconds_total counter',
    'process_cpu_seconds_total 1.23',
    '# HELP http_requests_total Requests.',
    '# TYPE http_requests_total counter',
    'http_requests_total{method="GET",code="200"} 1027 1395066363000',
    'http_requests_total{method="POST",code="500"} 3 1395066363000',
    '',
  ].join('\n');
  const { samples, malformed } = parsePrometheusText(page);
  assert.equal(malformed, 0);
  assert.deepEqual(samples, [
    { name: 'process_resident_memory_bytes', labels: {}, value: 54263808 },
    { name: 'process_cpu_seconds_total', labels: {}, value: 1.23 },
    { name: 'http_requests_total', labels: { method: 'GET', code: '200' }, value: 1027 },
    { name: 'http_requests_total', labels: { method: 'POST', code: '500' }, value: 3 },
  ]);
});

test('parsePrometheusText: one sample line at a time', () => {
  const cases: Array<{ name: string; line: string; want: PromSample | null }> = [
    { name: 'bare', line: 'up 1', want: { name: 'up', labels: {}, value: 1 } },
    { name: 'colon in name', line: 'job:requests:rate5m 0.5', want: { name: 'job:requests:rate5m', labels: {}, value: 0.5 } },
    { name: 'underscore first', line: '_x 2', want: { name: '_x', labels: {}, value: 2 } },
    { name: 'escaped quote', line: 'm{path="say \\"hi\\""} 1', want: { name: 'm', labels: { path: 'say "hi"' }, value: 1 } },
    { name: 'escaped backslash', line: 'm{dir="C:\\\\Program Files"} 1', want: { name: 'm', labels: { dir: 'C:\\Program Files' }, value: 1 } },
    { name: 'escaped newline', line: 'm{msg="two\\nlines"} 1', want: { name: 'm', labels: { msg: 'two\nlines' }, value: 1 } },
    { name: 'braces, commas and # in a value', line: 'm{q="a}b,c=#d"} 4', want: { name: 'm', labels: { q: 'a}b,c=#d' }, value: 4 } },
    { name: 'trailing comma', line: 'm{a="1",} 1', want: { name: 'm', labels: { a: '1' }, value: 1 } },
    { name: 'empty label set', line: 'm{} 7', want: { name: 'm', labels: {}, value: 7 } },
    { name: 'empty label value', line: 'm{a=""} 7', want: { name: 'm', labels: { a: '' }, value: 7 } },
    { name: 'spaces around =', line: 'm{a = "1"} 1', want: { name: 'm', labels: { a: '1' }, value: 1 } },
    { name: '+Inf', line: 'h_bucket{le="+Inf"} +Inf', want: { name: 'h_bucket', labels: { le: '+Inf' }, value: Number.POSITIVE_INFINITY } },
    { name: 'Inf', line: 'g Inf', want: { name: 'g', labels: {}, value: Number.POSITIVE_INFINITY } },
    { name: '-Inf', line: 'g -Inf', want: { name: 'g', labels: {}, value: Number.NEGATIVE_INFINITY } },
    { name: 'NaN', line: 'g NaN', want: { name: 'g', labels: {}, value: Number.NaN } },
    { name: 'prom-client\'s Nan', line: 'g Nan', want: { name: 'g', labels: {}, value: Number.NaN } },
    { name: 'lower-case +inf', line: 'g +inf', want: { name: 'g', labels: {}, value: Number.POSITIVE_INFINITY } },
    { name: 'upper-case -INF', line: 'g -INF', want: { name: 'g', labels: {}, value: Number.NEGATIVE_INFINITY } },
    { name: 'not quite Inf', line: 'g Infinite', want: null },
    { name: 'exponent', line: 'g 1.5e3', want: { name: 'g', labels: {}, value: 1500 } },
    { name: 'negative exponent, capital E', line: 'g 2.5E-3', want: { name: 'g', labels: {}, value: 0.0025 } },
    { name: 'signed exponent', line: 'g -1e+2', want: { name: 'g', labels: {}, value: -100 } },
    { name: 'leading dot', line: 'g .5', want: { name: 'g', labels: {}, value: 0.5 } },
    { name: 'negative', line: 'g -42', want: { name: 'g', labels: {}, value: -42 } },
    { name: 'timestamp after the value', line: 'g 3 1700000000000', want: { name: 'g', labels: {}, value: 3 } },
    { name: 'OpenMetrics float timestamp', line: 'g{a="b"} 3 1700000000.123', want: { name: 'g', labels: { a: 'b' }, value: 3 } },
    { name: 'tabs and surrounding blanks', line: '  g\t9  ', want: { name: 'g', labels: {}, value: 9 } },
    { name: 'CRLF line end', line: 'g 9\r', want: { name: 'g', labels: {}, value: 9 } },
    { name: 'no value', line: 'g', want: null },
    { name: 'value not a number', line: 'g abc', want: null },
    { name: 'value with junk', line: 'g 12abc', want: null },
    { name: 'hex value', line: 'g 0x10', want: null },
    { name: 'three fields', line: 'g 1 2 3', want: null },
    { name: 'name starting with a digit', line: '9g 1', want: null },
    { name: 'dash in name', line: 'my-metric 1', want: null },
    { name: 'unterminated labels', line: 'm{a="1" 1', want: null },
    { name: 'unquoted label value', line: 'm{a=1} 1', want: null },
    { name: 'label without =', line: 'm{a} 1', want: null },
    { name: 'label name starting with a digit', line: 'm{1a="x"} 1', want: null },
    { name: 'unterminated quote', line: 'm{a="1} 1', want: null },
  ];
  for (const c of cases) {
    const { samples, malformed } = parsePrometheusText(c.line);
    if (c.want === null) {
      assert.deepEqual({ samples, malformed }, { samples: [], malformed: 1 }, c.name);
    } else {
      assert.equal(malformed, 0, c.name);
      assert.deepEqual(samples, [c.want], c.name);
    }
  }
});

test('parsePrometheusText: OpenMetrics # EOF and other comments are not samples; malformed lines are counted, the rest kept', () => {
  const page = '# TYPE a gauge\n# UNIT a bytes\na 1\nthis is not a sample\nb{x="1"} 2\n# a free comment\nc{bad} 3\n\n   \n# EOF\n';
  const { samples, malformed } = parsePrometheusText(page);
  assert.deepEqual(samples.map((s) => `${s.name}=${s.value}`), ['a=1', 'b=2']);
  assert.equal(malformed, 2);
  assert.deepEqual(parsePrometheusText(''), { samples: [], malformed: 0 });
  assert.deepEqual(parsePrometheusText('# EOF\n'), { samples: [], malformed: 0 });
});

test('parseLabels stops after the closing brace and says where', () => {
  assert.deepEqual(parseLabels('{a="1",b="2"} 5', 1), { labels: { a: '1', b: '2' }, end: 13 });
  assert.deepEqual(parseLabels('x{}', 2), { labels: {}, end: 3 });
  assert.equal(parseLabels('{a="1"', 1), null);
  assert.equal(parseLabels('{a="1\\', 1), null);
});

test('parseMetricSelector: valid selectors', () => {
  const cases: Array<{ text: string; want: MetricSelector }> = [
    { text: 'http_requests_in_flight', want: { text: 'http_requests_in_flight', name: 'http_requests_in_flight', labels: {} } },
    { text: '  up  ', want: { text: 'up', name: 'up', labels: {} } },
    { text: 'job:rate:5m', want: { text: 'job:rate:5m', name: 'job:rate:5m', labels: {} } },
    { text: 'node_memory_MemAvailable_bytes{instance="db"}', want: { text: 'node_memory_MemAvailable_bytes{instance="db"}', name: 'node_memory_MemAvailable_bytes', labels: { instance: 'db' } } },
    { text: 'http_requests_total{code="500",method="GET"}', want: { text: 'http_requests_total{code="500",method="GET"}', name: 'http_requests_total', labels: { code: '500', method: 'GET' } } },
    { text: 'm{path="a \\"b\\" \\\\ c"}', want: { text: 'm{path="a \\"b\\" \\\\ c"}', name: 'm', labels: { path: 'a "b" \\ c' } } },
    { text: 'm{}', want: { text: 'm{}', name: 'm', labels: {} } },
  ];
  for (const c of cases) assert.deepEqual(parseMetricSelector(c.text), c.want, c.text);
});

test('parseMetricSelector: a bad selector is one line naming --monitor-metric and how to write it', () => {
  const cases: Array<{ text: string; says: RegExp }> = [
    { text: '', says: /is not a metric name/ },
    { text: '9lives', says: /is not a metric name/ },
    { text: 'my-metric', says: /is not a metric name/ },
    { text: 'two words', says: /is not a metric name/ },
    { text: '{job="x"}', says: /is not a metric name/ },
    { text: 'm{a="1"', says: /has malformed labels/ },
    { text: 'm{a=1}', says: /has malformed labels/ },
    { text: 'm{a="1"}x', says: /has malformed labels/ },
    { text: 'm{a="1"}}', says: /has malformed labels/ },
    { text: 'm{="1"}', says: /has malformed labels/ },
  ];
  for (const c of cases) {
    const r = parseMetricSelector(c.text);
    assert.equal(typeof r, 'string', c.text);
    const line = r as string;
    assert.ok(line.startsWith(`--monitor-metric "${c.text}" `), line);
    assert.match(line, c.says, c.text);
    assert.match(line, /e\.g\. --monitor-metric 'http_requests_total\{code="500"\}'$/, c.text);
    assert.ok(!line.includes('\n'), `one line: ${line}`);
  }
});

test('selectValue sums the series a selector matches; null when none does', () => {
  const { samples } = parsePrometheusText([
    'http_requests_total{method="GET",code="200"} 100',
    'http_requests_total{method="GET",code="500"} 5',
    'http_requests_total{method="POST",code="500"} 2',
    'http_requests_total_created{method="GET",code="200"} 1700000000',
    'in_flight 3',
    'weird{v="x"} NaN',
  ].join('\n'));
  const cases: Array<{ sel: string; want: number | null }> = [
    { sel: 'http_requests_total', want: 107 },
    { sel: 'http_requests_total{code="500"}', want: 7 },
    { sel: 'http_requests_total{code="500",method="POST"}', want: 2 },
    { sel: 'http_requests_total{method="GET"}', want: 105 },
    { sel: 'http_requests_total{code="404"}', want: null },
    { sel: 'http_requests_total{zone="eu"}', want: null },
    { sel: 'in_flight', want: 3 },
    { sel: 'in_flight{a="b"}', want: null },
    { sel: 'missing', want: null },
    { sel: 'http_requests', want: null },
    { sel: 'weird', want: Number.NaN },
  ];
  for (const c of cases) {
    const selector = parseMetricSelector(c.sel);
    assert.ok(typeof selector !== 'string', selector as string);
    assert.deepEqual(selectValue(samples, selector), c.want, c.sel);
  }
  assert.equal(selectValue([], { name: 'x', labels: {} }), null);
});
