import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { startTargetServer, type TargetServer } from '../helpers/target-server.js';

const servers: TargetServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

interface Json {
  summary: { total_operations: number; total_failures: number };
  exceptions: Array<{ count: number; nodes: string[] }>;
}

test('--processes 2: users run in worker threads, stats merged exactly (counts equal what the server received)', { timeout: 60_000 }, async () => {
  const target = await startTargetServer({ status: (req) => (req.url === '/nope' ? 404 : 200) });
  servers.push(target);
  const dir = mkdtempSync(join(tmpdir(), 'brood-proc-'));
  const r = await runCli(['-f', 'test/fixtures/reader.ts', '-H', target.url, '-u', '6', '-r', '100', '-t', '3s', '--processes', '2', '--csv', join(dir, 'run'), '--only-summary']);
  assert.equal(r.code, 1, `failures and exceptions → exit 1: ${r.stderr}`);
  const json = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as Json;
  assert.equal(json.summary.total_operations, target.total());
  assert.equal(json.summary.total_failures, target.counts.get('GET /nope'));
  const csv = readFileSync(join(dir, 'run_stats.csv'), 'utf8');
  assert.match(csv, new RegExp(`,Aggregated,${target.total()},`));
  // The class mix is decided by the main thread, as in one process: Reader (weight 3) and Checker.
  assert.ok((target.counts.get('GET /recall') ?? 0) > 0 && (target.counts.get('GET /stats') ?? 0) > 0);
});

test('--processes is checked: a bad count or an open-model run is a one-line error, exit 2', async () => {
  const bad = await runCli(['-f', 'test/fixtures/plain-tasks.js', '--processes', '0', '-t', '1s']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr.trim(), /^error: --processes "0" must be auto or a whole number from 1 to 256$/);
  const open = await runCli(['-f', 'test/fixtures/plain-tasks.js', '--processes', '2', '--target-rate', '10', '-t', '1s']);
  assert.equal(open.code, 2);
  assert.match(open.stderr, /--processes works with closed-model runs for now/);
});

test('--processes 2: both workers host users; exceptions say which worker they came from', { timeout: 60_000 }, async () => {
  const target = await startTargetServer();
  servers.push(target);
  const dir = mkdtempSync(join(tmpdir(), 'brood-proc-'));
  const r = await runCli(['-f', 'test/fixtures/every-user-throws.mjs', '-H', target.url, '-u', '4', '-r', '100', '-t', '2s', '--processes', '2', '--csv', join(dir, 'run'), '--only-summary']);
  assert.equal(r.code, 1, r.stderr);
  const json = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as Json;
  assert.equal(json.summary.total_operations, target.total());
  assert.deepEqual([...new Set(json.exceptions.flatMap((e) => e.nodes))].sort(), ['worker-0', 'worker-1']);
  const thrown = json.exceptions.reduce((n, e) => n + e.count, 0);
  assert.ok(Math.abs(thrown - Math.floor(target.total() / 3)) <= 4, `a third of the tasks threw: ${thrown} of ${target.total()}`);
});
