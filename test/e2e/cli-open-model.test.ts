import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

test('a shipped TOML scenario runs open-model against the demo server; latency per operation in the JSON', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'brood-toml-'));
  const r = await runCli(['--scenario', 'mixed_balanced', '--target-rate', '200', '-t', '4s', '--window', '2s', '--csv', join(dir, 'run'), '--seed', '3', '--target-p99', '2000']);
  assert.equal(r.code, 0, r.stderr + r.stdout.slice(-2000));
  assert.match(r.stdout, /open model: poisson arrivals, mean 200 ops\/s/);
  assert.match(r.stdout, /Operations \(latency in ms from each scheduled start/);
  assert.match(r.stdout, /^Results: .*run_custom_metrics\.csv, .*run_operations\.csv, .*run\.json/m);
  const json = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { latency: Record<string, { count: number }>; open_model: { pattern: { pattern: string; mean_rate: number } } };
  for (const op of ['store', 'recall', 'embedding_search', 'overall']) assert.ok((json.latency[op]?.count ?? 0) > 0, `latency.${op}`);
  assert.deepEqual(json.open_model.pattern, { pattern: 'poisson', mean_rate: 200 });
  // The HTML report shows latency from the scheduled start beside service time, per operation.
  const html = readFileSync(join(dir, 'run.html'), 'utf8');
  assert.match(html, /<h2>Operations \(open model\)<\/h2>/);
  for (const op of ['MemoryWorkloadUser.store', 'MemoryWorkloadUser.recall', 'MemoryWorkloadUser.embedding_search', 'service p99']) assert.ok(html.includes(op), op);
});

test('multi_tenant keeps per-tenant stats (X-Memory-Space)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'brood-toml-'));
  const r = await runCli(['--scenario', 'multi_tenant', '--target-rate', '200', '-t', '3s', '--csv', join(dir, 'run'), '--target-p99', '2000']);
  assert.equal(r.code, 0, r.stderr);
  const stats = readFileSync(join(dir, 'run_stats.csv'), 'utf8');
  for (const space of ['space-0', 'space-1', 'space-2', 'space-3']) assert.match(stats, new RegExp(`POST,/learn \\[${space}\\]`));
});

test('bad scenario files: TOML syntax error with file:line:col, unknown key named; exit 2, one line each', async () => {
  const syntax = await runCli(['--scenario', 'test/fixtures/toml/syntax-error.toml', '-t', '1s']);
  assert.equal(syntax.code, 2);
  assert.match(syntax.stderr.trim(), /^error: test\/fixtures\/toml\/syntax-error\.toml:3:\d+: TOML syntax error/);
  const unknown = await runCli(['--scenario', 'test/fixtures/toml/unknown-key.toml', '-t', '1s']);
  assert.equal(unknown.code, 2);
  assert.equal(unknown.stderr.trim(), 'error: test/fixtures/toml/unknown-key.toml:8: unknown key [validation] expected_p99_latency (known: expected_p99_latency_ms, expected_throughput_ops_sec, max_error_rate)');
  const flags = await runCli(['-f', 'test/fixtures/plain-tasks.js', '--max-users', '10', '-t', '1s']);
  assert.equal(flags.code, 2);
  assert.match(flags.stderr, /need --target-rate, a TOML --scenario or a test file exporting `arrival`/);
});

test('a test file exporting `arrival` runs open-model with its pattern', async () => {
  const { startTargetServer } = await import('../helpers/target-server.js');
  const target = await startTargetServer();
  try {
    const dir = mkdtempSync(join(tmpdir(), 'brood-arrival-'));
    const r = await runCli(['-f', 'test/fixtures/open-model.mjs', '-H', target.url, '-t', '3s', '--csv', join(dir, 'run'), '--target-p99', '2000']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /open model: ramp arrivals/);
    // ramp 20→100 over 2 s (120 arrivals), then 100/s for 1 s: about 220 requests.
    assert.ok(Math.abs(target.total() - 220) <= 5, `requests ${target.total()}`);
  } finally {
    await target.close();
  }
});
