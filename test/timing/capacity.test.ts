import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoServer, type RunningDemoServer } from '../../src/demo-server/server.js';
import { capacityRates, judgeStep } from '../../src/core/capacity-plan.js';
import { runCli } from '../helpers/cli.js';

let server: RunningDemoServer | null = null;
after(async () => server?.close());

test('capacity search finds the knee of a demo server throttled to a known capacity, within one step', { timeout: 90_000 }, async () => {
  // 2 concurrent slots × 10 ms per request → at most 200 requests/s. Timers only ever fire late, so a slow
  // machine's real capacity is below 200/s: the knee may show one step early (150) but never two.
  server = await startDemoServer({ latencyMs: 10, maxConcurrency: 2, queueLimit: 5000, seed: 1 });
  const dir = mkdtempSync(join(tmpdir(), 'brood-capacity-'));
  const r = await runCli(['capacity', '--scenario', 'mixed_balanced', '--start', '50', '--step', '50', '--max', '400', '--duration', '3', '--cooldown', '0.5', '--target-p99', '100', '-H', server.url, '--results-dir', dir]);
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(readFileSync(join(dir, 'capacity_summary.json'), 'utf8')) as { breakingPoint: number | null; lastSafeRate: number | null; steps: Array<{ rate: number }> };
  assert.ok([150, 200, 250].includes(summary.breakingPoint ?? 0), `breaking point ${summary.breakingPoint}\n${r.stdout}`);
  assert.equal(summary.lastSafeRate, (summary.breakingPoint ?? 0) - 50);
  assert.ok(summary.steps.length < 8, 'the search stopped at the breaking point');
  for (const s of summary.steps) assert.ok(existsSync(join(dir, `capacity_${s.rate}.json`)), `capacity_${s.rate}.json`);
  assert.match(r.stdout, new RegExp(`Breaking point: ${summary.breakingPoint} ops/s .*last safe rate: ${summary.lastSafeRate} ops/s`));
});

test('capacity planning is pure and checks its input', () => {
  assert.deepEqual(capacityRates({ start: 100, step: 50, max: 250 }), [100, 150, 200, 250]);
  assert.deepEqual(capacityRates({ rates: '10000, 15000,20000' }), [10000, 15000, 20000]);
  assert.throws(() => capacityRates({ rates: '1,x' }), /--rates "1,x" must be positive numbers/);
  assert.throws(() => capacityRates({ start: 1 }), /give --rates/);
  const base = { rate: 100, scheduledRate: 100, achievedRate: 99, p50Ms: 1, p95Ms: 2, p99Ms: 5, errorRate: 0, dropped: 0 };
  const limits = { p99Ms: 10, maxErrorRate: 0.01 };
  assert.equal(judgeStep(base, limits), null);
  assert.match(judgeStep({ ...base, p99Ms: 11 }, limits) ?? '', /P99 11\.0 ms > 10 ms/);
  assert.match(judgeStep({ ...base, errorRate: 0.02 }, limits) ?? '', /errors 2\.00% > 1\.00%/);
  assert.match(judgeStep({ ...base, achievedRate: 90 }, limits) ?? '', /achieved 90 ops\/s < 95%/);
});

test('capacity: bad input is one line and exit 2', async () => {
  const r = await runCli(['capacity', '--scenario', 'mixed_balanced', '--rates', '1,x']);
  assert.equal(r.code, 2);
  assert.match(r.stderr.trim(), /^error: --rates "1,x" must be positive numbers/);
  const noTarget = await runCli(['capacity', '-f', 'test/fixtures/plain-tasks.js', '--rates', '10', '-H', 'http://127.0.0.1:9']);
  assert.equal(noTarget.code, 2);
  assert.match(noTarget.stderr, /--target-p99 is required/);
  // A pool clash is said before the search starts (no header line, no demo server).
  const clash = await runCli(['capacity', '-f', 'test/fixtures/open-two-classes.mjs', '--rates', '10', '--target-p99', '100', '--max-users', '5', '--pre-allocated-users', '6']);
  assert.equal(clash.code, 2);
  assert.equal(clash.stdout, '');
  assert.match(clash.stderr.trim(), /^error: --pre-allocated-users 6 is more than the pool may hold \(--max-users 5\)$/);
});
