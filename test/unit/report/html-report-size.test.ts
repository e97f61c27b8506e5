import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderHtmlReport, type HtmlReportInput } from '../../../src/report/html-report.js';
import type { EndpointPoint } from '../../../src/report/run-info.js';
import type { EntrySummary, HistoryPoint } from '../../../src/stats/types.js';
import { entry, runInfo } from './report-fixtures.js';

const T0 = 1_700_000_000;
const HOUR = 3600;

/** A deterministic wiggle, so paths are not straight lines that compress to nothing. */
function noise(i: number, k: number): number {
  return Math.abs(Math.sin(i * 12.9898 + k * 78.233) * 43758.5453) % 1;
}

/**
 * The budget case: a 1-hour run, 50 endpoints with long hostile-ish names, 3 600 history
 * points and 1 800 points per endpoint (what run-outputs keeps), every value varying.
 */
export function oneHourFiftyEndpoints(): HtmlReportInput {
  const names = Array.from({ length: 50 }, (_, k) => `/api/v2/resource-${k}/items/[id]/details?expand=<b>${k}</b>`);
  const entries: EntrySummary[] = names.map((n, k) => entry(k % 2 ? 'POST' : 'GET', n, 100_000 + k, 12.345 + k, { numFailures: k * 7 }));
  const aggregated = entry('', 'Aggregated', 5_000_000, 40.125, { numFailures: 8_575 });
  const history: HistoryPoint[] = Array.from({ length: HOUR }, (_, i) => ({
    timestamp: T0 + i + 1, userCount: Math.min(1000, Math.floor(i / 60) * 100 + 100), rps: 1300 + 200 * noise(i, 1),
    failPerSec: 3 * noise(i, 2), intervalPercentilesMs: Array.from({ length: 11 }, (_, q) => 10 + q * 20 * noise(i, q + 3)), total: aggregated,
    ...(i > 1800 && i < 1900 ? { generatorOverloaded: true } : {}),
  }));
  const endpointHistory: Record<string, EndpointPoint[]> = {};
  entries.forEach((e, k) => {
    // What run-outputs keeps of an hour: 1 800 points, every other second (BoundedTimeline).
    endpointHistory[`${e.method} ${e.name}`] = Array.from({ length: 1800 }, (_, j) => {
      const i = 2 * j;
      return { timestamp: T0 + i + 1, rps: 26 * noise(i, k), failPerSec: 0.5 * noise(i, k + 1), p50Ms: 8 + 3 * noise(i, k + 2), p95Ms: 30 + 40 * noise(i, k + 3), p99Ms: 90 + 200 * noise(i, k + 4) };
    });
  });
  return {
    run: runInfo({ startWallMs: T0 * 1000, endWallMs: (T0 + HOUR) * 1000, durationSecs: HOUR, runTimeLimitSecs: HOUR, shape: 'step (StepLoadShape)' }),
    entries, aggregated, history, endpointHistory,
    failures: entries.slice(0, 20).map((e, k) => ({ method: e.method, name: e.name, error: `HTTP 50${k % 4}: upstream said <oops> ${'x'.repeat(80)}`, occurrences: 100 + k, firstSeenWallMs: T0 * 1000, lastSeenWallMs: (T0 + HOUR) * 1000 })),
    exceptions: [{ message: 'Error: boom', traceback: `Error: boom\n${'    at task (file:///users/x.ts:1:1)\n'.repeat(20)}`, count: 3, nodes: ['local'] }],
    metrics: ['concepts_found', 'query_time_ms', 'sync_operations'].map((name) => ({ name, count: 9000, sum: 123456.5, mean: 13.7, min: 0, max: 412, p50: 11, p95: 40, p99: 120 })),
    targets: [],
    stages: Array.from({ length: 10 }, (_, s) => ({ startSec: s * 360, label: `step ${s + 1}`, users: (s + 1) * 100 })),
  };
}

test('a 1-hour, 50-endpoint report stays under 2 MB with every endpoint charted', () => {
  const started = performance.now();
  const html = renderHtmlReport(oneHourFiftyEndpoints());
  const ms = performance.now() - started;
  const bytes = Buffer.byteLength(html);
  assert.ok(bytes < 2 * 1024 * 1024, `${bytes} bytes`);
  assert.equal(html.match(/class="endpoint-panel/g)?.length, 50);
  // Per-endpoint series are merged to at most 300 points, the overview to about one per pixel.
  const perSeries = [...html.matchAll(/<path class="line"[^>]*data-points="(\d+)"/g)].map((m) => Number(m[1]));
  assert.equal(perSeries.length, 6 + 50 * 5);
  assert.ok(perSeries.slice(0, 6).every((n) => n > 700 && n <= 840), `overview points: ${perSeries.slice(0, 6).join(',')}`);
  assert.ok(perSeries.slice(6).every((n) => n === 300), 'endpoint series downsampled to 300 points');
  assert.equal(html.match(/<rect class="band" /g)?.length, 3 + 50 * 2, 'the overloaded stretch is shaded on every chart');
  assert.ok(ms < 5000, `rendered in ${Math.round(ms)} ms`);
  process.stdout.write(`# 1 h × 50 endpoints: ${(bytes / 1024).toFixed(0)} KiB, rendered in ${Math.round(ms)} ms\n`);
});
