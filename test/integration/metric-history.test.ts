/**
 * Custom metrics over time: each history interval holds the values recorded in it alone, every
 * value lands in exactly one interval (also from worker threads), and the report draws them.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/cli.js';
import { startTargetServer, type TargetServer } from '../helpers/target-server.js';

const ANALYZE = fileURLToPath(new URL('../../../bin/analyze-results.js', import.meta.url));
const servers: TargetServer[] = [];
after(async () => {
  for (const s of servers) await s.close();
});

interface MetricPointJson { timestamp: number; count: number; mean: number | null; p50: number | null; p95: number | null; max: number | null }
interface RunJson {
  custom_metrics: Array<{ name: string; count: number; sum: number; min: number | null; max: number | null }>;
  metric_history: Record<string, MetricPointJson[]>;
  history: Array<{ timestamp: number }>;
}

for (const processes of [1, 2]) {
  test(`custom metrics per interval (--processes ${processes}): counts add up to the run's, values stay within the run's range, a metric that stops stops its timeline`, { timeout: 60_000 }, async () => {
    const target = await startTargetServer();
    servers.push(target);
    const dir = mkdtempSync(join(tmpdir(), 'brood-metric-history-'));
    const r = await runCli(['-f', 'test/fixtures/metric-user.mjs', '-H', target.url, '-u', '4', '-r', '100', '-t', '4s', '--seed', '2',
      '--processes', String(processes), '--csv', join(dir, 'run'), '--only-summary']);
    assert.equal(r.code, 0, r.stderr || r.stdout);
    const json = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunJson;
    const items = json.custom_metrics.find((m) => m.name === 'items');
    const early = json.custom_metrics.find((m) => m.name === 'early');
    assert.ok(items && early, JSON.stringify(json.custom_metrics));
    const itemPoints = json.metric_history['items'] ?? [];
    const earlyPoints = json.metric_history['early'] ?? [];
    assert.ok(itemPoints.length >= 4, `a point per interval of a 4 s run: ${itemPoints.length}`);
    assert.equal(itemPoints.length, json.history.length, 'recorded from the first interval on: one point per interval');
    assert.equal(itemPoints.reduce((n, p) => n + p.count, 0), items.count, 'every value is in exactly one interval');
    assert.equal(earlyPoints.reduce((n, p) => n + p.count, 0), early.count);
    const historyTimes = new Set(json.history.map((h) => h.timestamp));
    for (const [i, p] of itemPoints.entries()) {
      assert.ok(historyTimes.has(p.timestamp), `point ${p.timestamp} is a history interval`);
      if (i > 0) assert.ok(p.timestamp > (itemPoints[i - 1]?.timestamp ?? Infinity), 'ascending');
      if (p.count === 0) {
        assert.deepEqual([p.mean, p.p50, p.p95, p.max], [null, null, null, null], 'an interval without values is empty');
        continue;
      }
      assert.ok(p.mean !== null && p.mean >= 1 && p.mean <= 10, `mean ${p.mean}`);
      assert.ok(p.max !== null && p.max <= 10 && (p.p95 ?? 0) <= p.max, JSON.stringify(p));
    }
    assert.ok(itemPoints.filter((p) => p.count > 0).length >= 3, 'recorded in every interval while users ran');
    // `early` is recorded in the first second only: from then on its intervals are empty, one point each like `items`.
    const earlyRecorded = earlyPoints.filter((p) => p.count > 0);
    // Its first second may straddle an interval boundary (two intervals), never more; later ones are empty.
    assert.ok(earlyRecorded.length >= 1 && earlyRecorded.length <= 2 && earlyRecorded.length < earlyPoints.length - 1, `early ${earlyRecorded.length} of ${earlyPoints.length} points, items ${itemPoints.length}`);
    assert.ok(earlyRecorded.every((p) => p.mean === 5 && p.max === 5));
    assert.deepEqual(earlyPoints.map((p) => p.timestamp), itemPoints.slice(itemPoints.length - earlyPoints.length).map((p) => p.timestamp));
    assert.ok(earlyPoints.slice(earlyRecorded.length).every((p) => p.count === 0 && p.mean === null), 'after its last value: empty points');
    const html = readFileSync(join(dir, 'run.html'), 'utf8');
    const charts = /<div class="chart-grid" id="metric-charts">[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';
    assert.match(charts, /early over time/);
    assert.match(charts, /items over time/);
    if (processes === 1) {
      // `analyze-results report` rebuilds the page from the JSON with the same over-time charts.
      const rebuilt = await runCli(['report', join(dir, 'run.json'), '--output', join(dir, 'rebuilt.html')], { bin: ANALYZE, timeoutMs: 20_000 });
      assert.equal(rebuilt.code, 0, rebuilt.stderr);
      const again = /<div class="chart-grid" id="metric-charts">[\s\S]*?<\/div>/.exec(readFileSync(join(dir, 'rebuilt.html'), 'utf8'))?.[0] ?? '';
      assert.equal(again, charts);
    }
  });
}
