import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { renderHtmlReport, reportTemplatePath } from '../../../src/report/html-report.js';
import type { HtmlReportInput } from '../../../src/report/html-report.js';
import { OVERLOAD_SENTENCE } from '../../../src/report/report-charts.js';
import type { EndpointPoint } from '../../../src/report/run-info.js';
import type { HistoryPoint } from '../../../src/stats/types.js';
import { entry, historyPoint, runInfo } from './report-fixtures.js';

const XSS = '<script>alert(1)</script>';
const T0 = 1_700_000_000;

function endpointPoints(n: number, rps: number): EndpointPoint[] {
  return Array.from({ length: n }, (_, i) => ({ timestamp: T0 + i + 1, rps, failPerSec: rps / 10, p50Ms: 5, p95Ms: 9, p99Ms: 12 }));
}

function hostileInput(): HtmlReportInput {
  const e = entry('GET', `/search?q=${XSS}`, 10, 5, { numFailures: 2 });
  const aggregated = entry('', 'Aggregated', 10, 5, { numFailures: 2 });
  return {
    run: runInfo({
      command: `run-load-tests -H "http://x/${XSS}"`, scenario: `"><img src=x onerror=alert(1)>`, userClasses: [XSS],
      startWallMs: T0 * 1000, endWallMs: (T0 + 4) * 1000, stopReason: `breaking point: step 2 at 4 users (${XSS})`, breakingPoint: `step 2 at 4 users (${XSS})`,
    }),
    entries: [e],
    aggregated,
    failures: [{ method: 'GET', name: e.name, error: `HTTP 500: ${XSS}`, occurrences: 2, firstSeenWallMs: 0, lastSeenWallMs: 1000 }],
    exceptions: [{ message: `Error: ${XSS}`, traceback: `Error: ${XSS}\n    at task (<anonymous>)`, count: 1, nodes: ['local'] }],
    metrics: [{ name: XSS, count: 1, sum: 1, mean: 1, min: 1, max: 1, p50: 1, p95: 1, p99: 1 }],
    targets: [{ label: XSS, metric: 'p95', comparator: '<', threshold: 100, unit: 'ms', endpoints: [XSS], measured: 5, met: true }],
    history: [1, 2, 3, 4].map((t) => historyPoint(T0 + t, aggregated, { userCount: t * 2, rps: t, failPerSec: t / 10 })),
    endpointHistory: { [`GET /search?q=${XSS}`]: endpointPoints(4, 2), [`POST ${XSS}`]: endpointPoints(4, 1) },
    // Recorded in two of the four intervals; a metric with no interval point gets no chart.
    metricHistory: {
      [XSS]: [
        { timestamp: T0 + 1, count: 2, mean: 1, p50: 1, p95: 1, max: 1 },
        { timestamp: T0 + 2, count: 0, mean: null, p50: null, p95: null, max: null },
        { timestamp: T0 + 3, count: 1, mean: 4, p50: 4, p95: 4, max: 4 },
      ],
      unrecorded: [],
    },
    stages: [{ startSec: 0, label: `step 1 ${XSS}`, users: 2 }, { startSec: 2, label: 'step 2', users: 4 }],
  };
}

function scripts(html: string): string[] {
  return [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
}

test('the template is found beside the sources from the compiled module', () => {
  assert.ok(existsSync(reportTemplatePath()), reportTemplatePath());
});

test('untrusted strings are HTML-escaped everywhere: no injected markup survives', () => {
  const html = renderHtmlReport(hostileInput());
  assert.equal(html.includes(XSS), false, 'raw <script>alert(1)</script> found');
  assert.equal(html.includes('<img src=x'), false);
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  // Only brood's own two scripts (table sorter, endpoint selector), none from the data.
  assert.equal(html.match(/<script/gi)?.length, 2);
  assert.equal(scripts(html).some((s) => s.includes('alert')), false);
  // Hostile endpoint names reach the selector and the chart titles only as text.
  assert.match(html, /<option value="0">GET \/search\?q=&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/option>/);
  assert.match(html, /<h3 class="endpoint-name">POST &lt;script&gt;alert\(1\)&lt;\/script&gt;<\/h3>/);
});

test('the report makes no network request: no external URL, CSP allows exactly its own scripts', () => {
  const html = renderHtmlReport(hostileInput());
  // Only real tags count: escaped text such as '&lt;img src=x' is harmless and has no '<'.
  const tags = html.match(/<[a-zA-Z][^>]*>/g) ?? [];
  const urls = tags.flatMap((tag) => [...tag.matchAll(/\s(?:src|href|action|xlink:href|srcset|poster|data)\s*=\s*["']?([^"'\s>]+)/gi)].map((m) => m[1] ?? ''));
  // In-page links (#charts) load nothing; anything else would.
  assert.deepEqual(urls.filter((u) => !u.startsWith('#')), [], `attributes loading URLs: ${urls.join(', ')}`);
  assert.doesNotMatch(html, /@import|url\(|<link\b|<iframe\b|<img\b|<object\b|<embed\b/i);
  const hashes = scripts(html).map((s) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`);
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
  assert.match(csp, /^default-src 'none';/);
  assert.equal(/script-src ([^;]+);/.exec(csp)?.[1], hashes.join(' '), 'CSP hashes do not match the inline scripts');
});

test('contains every section, the command line, the overview charts and the per-endpoint charts', () => {
  const html = renderHtmlReport(hostileInput());
  for (const section of ['id="summary"', 'id="run"', 'id="targets"', 'id="stats"', 'id="percentiles"', 'id="failures"', 'id="exceptions"', 'id="custom-metrics"', 'id="charts"', 'id="endpoint-charts"']) {
    assert.ok(html.includes(section), section);
  }
  assert.ok(html.includes('<pre class="command"><code>run-load-tests -H &#34;http://x/&lt;script&gt;'));
  for (const label of ['Time limit', 'Stop reason', 'Node.js', 'Spawn rate', 'Seed']) assert.ok(html.includes(`<dt>${label}</dt>`), label);
  const charts = [...html.matchAll(/<svg [^>]*class="chart"[^>]*data-points="(\d+)"/g)].map((m) => Number(m[1]));
  // Overview: rps+fail (8), p50/p95/p99 (12), users (4); then two endpoints × (8, 12); then the metric's mean/p95/max (3 × 2).
  assert.deepEqual(charts, [8, 12, 4, 8, 12, 8, 12, 6]);
  assert.equal(html.match(/<path class="line"/g)?.length, 6 + 2 * 5 + 3);
  const metricCharts = /<div class="chart-grid" id="metric-charts">[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';
  assert.match(metricCharts, /class="chart-title">&lt;script&gt;alert\(1\)&lt;\/script&gt; over time<\/text>/, 'no unit, no empty parentheses');
  assert.equal(metricCharts.match(/<svg /g)?.length, 1, 'one chart: the metric with points');
  // The empty interval between its two values is a gap: each line restarts (a second move) after it.
  for (const d of [...metricCharts.matchAll(/<path class="line"[^>]* d="([^"]+)"/g)].map((m) => m[1] ?? '')) assert.equal(d.match(/[Mm]/g)?.length, 2, d);
  assert.equal(html.match(/class="endpoint-panel" data-endpoint="\d+" hidden/g)?.length, 1, 'all but the first panel hidden');
  assert.match(html, /<a class="endpoint-link" href="#endpoint-charts" data-endpoint="0">/);
  assert.ok(html.includes('http://127.0.0.1:8080'));
  assert.ok(html.includes('PASS'));
  assert.match(html, /<details><summary>at task \(&lt;anonymous&gt;\) \(2 lines\)<\/summary>/);
  assert.match(html, /<svg [^>]*class="range"/, 'a distribution chart per custom metric');
});

test('stages are marked on every chart and a breaking point gets a callout', () => {
  const html = renderHtmlReport(hostileInput());
  assert.equal(html.match(/<line class="marker"/g)?.length, 2 * 8);
  assert.match(html, /class="marker-label"[^>]*>step 2<tspan[^>]*>4 users<\/tspan>/);
  assert.match(html, /<div class="callout" id="breaking-point"><strong>Breaking point found.<\/strong> step 2 at 4 users \(&lt;script&gt;/);
  const plain = renderHtmlReport({ ...hostileInput(), stages: [], run: runInfo({ stopReason: 'time limit reached' }) });
  assert.doesNotMatch(plain, /class="marker"|id="breaking-point"/);
});

test('a --reset-stats run says when in the run table, rates its Requests/s tile over the span after it and marks it on every chart', () => {
  const input = hostileInput();
  const run = { ...input.run, durationSecs: 4, statsResetWallMs: (T0 + 2) * 1000 };
  const html = renderHtmlReport({ ...input, stages: [], run });
  assert.ok(html.includes('<dt>Statistics reset</dt><dd>00:00:02 into the run (--reset-stats): the figures and tables cover the 00:00:02 after it; the charts cover the whole run</dd>'));
  // 10 requests over the 2 s after the reset, not the run's 4 s.
  assert.ok(html.includes('<div class="label">Requests/s</div><div class="value">5.0</div>'));
  assert.equal(html.match(/<line class="marker"/g)?.length, 8, 'one marker on each of the 8 charts');
  assert.match(html, /class="marker-label"[^>]*>stats reset<tspan[^>]*>tables from here<\/tspan>/);
  const plain = renderHtmlReport({ ...input, stages: [], run: { ...input.run, durationSecs: 4 } });
  assert.doesNotMatch(plain, /Statistics reset|class="marker"/);
  assert.ok(plain.includes('<div class="label">Requests/s</div><div class="value">2.5</div>'));
});

test('intervals where the generator was overloaded are shaded, with the sentence saying what that means', () => {
  const input = hostileInput();
  const flag = (p: HistoryPoint, i: number): HistoryPoint =>
    i === 1 || i === 2 ? { ...p, generatorOverloaded: true, generatorCpu: 0.91 + i / 100, loopDelayP99Ms: 20 * i } : { ...p, generatorCpu: 0.2, loopDelayP99Ms: 1 };
  const history = input.history.map(flag);
  const html = renderHtmlReport({ ...input, history });
  const note = `${OVERLOAD_SENTENCE} 2 of 4 intervals (worst: CPU 93%, event-loop delay p99 40 ms).`;
  assert.ok(html.includes(`<div class="callout note" id="overload-note">${note.replace("'", '&#39;')}</div>`));
  assert.ok(html.includes('<title>generator overloaded: CPU 93%, event-loop delay p99 40 ms</title>'));
  // One band (intervals 2 and 3 merge) on each of the 8 charts (the custom metric's too).
  assert.equal(html.match(/<rect class="band" /g)?.length, 8);
  assert.doesNotMatch(renderHtmlReport(input), /overload-note|<rect class="band" /);
});

test('an empty run still renders, with "no data" charts', () => {
  const input = { ...hostileInput(), entries: [], failures: [], exceptions: [], metrics: [], targets: [], history: [], endpointHistory: {}, stages: [], aggregated: entry('', 'Aggregated', 0, 0) };
  const html = renderHtmlReport(input);
  assert.equal(html.match(/no data/g)?.length, 3);
  assert.ok(html.includes('No failures.'));
  assert.ok(html.includes('No per-endpoint timeline was recorded'));
});
