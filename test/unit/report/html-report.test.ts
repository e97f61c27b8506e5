import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { renderHtmlReport, reportTemplatePath } from '../../../src/report/html-report.js';
import type { HtmlReportInput } from '../../../src/report/html-report.js';
import { entry, historyPoint, runInfo } from './report-fixtures.js';

const XSS = '<script>alert(1)</script>';

function hostileInput(): HtmlReportInput {
  const e = entry('GET', `/search?q=${XSS}`, 10, 5, { numFailures: 2 });
  const aggregated = entry('', 'Aggregated', 10, 5, { numFailures: 2 });
  return {
    run: runInfo({ command: `run-load-tests -H "http://x/${XSS}"`, scenario: `"><img src=x onerror=alert(1)>`, userClasses: [XSS] }),
    entries: [e],
    aggregated,
    failures: [{ method: 'GET', name: e.name, error: `HTTP 500: ${XSS}`, occurrences: 2, firstSeenWallMs: 0, lastSeenWallMs: 1000 }],
    exceptions: [{ message: `Error: ${XSS}`, traceback: `Error: ${XSS}\n    at task (<anonymous>)`, count: 1, nodes: ['local'] }],
    metrics: [{ name: XSS, count: 1, sum: 1, mean: 1, min: 1, max: 1, p50: 1, p95: 1, p99: 1 }],
    targets: [{ label: XSS, metric: 'p95', comparator: '<', threshold: 100, unit: 'ms', endpoints: [XSS], measured: 5, met: true }],
    history: [1, 2, 3, 4].map((t) => historyPoint(1_700_000_000 + t, aggregated, { userCount: t * 2, rps: t, failPerSec: t / 10 })),
  };
}

test('the template is found beside the sources from the compiled module', () => {
  assert.ok(existsSync(reportTemplatePath()), reportTemplatePath());
});

test('untrusted strings are HTML-escaped everywhere: no injected markup survives', () => {
  const html = renderHtmlReport(hostileInput());
  assert.equal(html.includes(XSS), false, 'raw <script>alert(1)</script> found');
  assert.equal(html.includes('<img src=x'), false);
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  // Exactly one script element: brood's own table sorter.
  assert.equal(html.match(/<script/g)?.length, 1);
});

test('the report makes no network request: no external URL, CSP allows only its own script', () => {
  const html = renderHtmlReport(hostileInput());
  // Only real tags count: escaped text such as '&lt;img src=x' is harmless and has no '<'.
  const tags = html.match(/<[a-zA-Z][^>]*>/g) ?? [];
  const urls = tags.flatMap((tag) => [...tag.matchAll(/\s(?:src|href|action|xlink:href)\s*=\s*["']?([^"'\s>]+)/gi)].map((m) => m[1]));
  assert.deepEqual(urls, [], `attributes loading URLs: ${urls.join(', ')}`);
  assert.doesNotMatch(html, /@import|url\(|<link\b|<iframe\b/i);
  const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
  const hash = createHash('sha256').update(script).digest('base64');
  assert.ok(html.includes(`script-src 'sha256-${hash}'`), 'CSP hash does not match the inline script');
  assert.match(html, /default-src 'none'/);
});

test('contains metadata, tables and charts drawn from the history', () => {
  const html = renderHtmlReport(hostileInput());
  for (const section of ['id="run"', 'id="targets"', 'id="stats"', 'id="percentiles"', 'id="failures"', 'id="exceptions"', 'id="custom-metrics"', 'id="charts"']) {
    assert.ok(html.includes(section), section);
  }
  const charts = [...html.matchAll(/<svg [^>]*class="chart"[^>]*data-points="(\d+)"/g)].map((m) => Number(m[1]));
  assert.deepEqual(charts, [8, 12, 4]);
  assert.equal(html.match(/<polyline /g)?.length, 6);
  assert.ok(html.includes('http://127.0.0.1:8080'));
  assert.ok(html.includes('PASS'));
});

test('an empty run still renders, with "no data" charts', () => {
  const input = { ...hostileInput(), entries: [], failures: [], exceptions: [], metrics: [], targets: [], history: [], aggregated: entry('', 'Aggregated', 0, 0) };
  const html = renderHtmlReport(input);
  assert.equal(html.match(/no data/g)?.length, 3);
  assert.ok(html.includes('No failures.'));
});
