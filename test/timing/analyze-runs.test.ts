/**
 * analyze-results on real brood runs produced here: a fast and a slow run of the same test (targets,
 * baseline regression, formats), a run whose latency grows, a run against a closed port.
 */
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, type CliResult } from '../helpers/cli.js';
import { startTargetServer, type TargetServer } from '../helpers/target-server.js';

const ANALYZE = fileURLToPath(new URL('../../../bin/analyze-results.js', import.meta.url));
const analyze = (args: string[]): Promise<CliResult> => runCli(args, { bin: ANALYZE, timeoutMs: 20_000 });
const dir = mkdtempSync(join(tmpdir(), 'brood-analyze-'));
const servers: TargetServer[] = [];
const prefix = { fast: join(dir, 'fast'), slow: join(dir, 'slow'), growing: join(dir, 'growing'), refused: join(dir, 'refused') };

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address !== null ? address.port : 1;
}

function run(host: string, out: string, seconds: number, extra: string[] = []): Promise<CliResult> {
  return runCli(['-f', 'test/fixtures/analyze/steady-user.mjs', '-H', host, '-u', '4', '-r', '100', '-t', `${seconds}s`, '--csv', out, '--only-summary', ...extra]);
}

before(async () => {
  const fast = await startTargetServer({ delayMs: 2 });
  const slow = await startTargetServer({ delayMs: (req) => (req.url === '/slow' ? 150 : 2) });
  // Latency grows by 30 ms every second from the first request on.
  let started: number | null = null;
  const growing = await startTargetServer({ delayMs: () => 2 + Math.floor((Date.now() - (started ??= Date.now())) / 1000) * 30 });
  servers.push(fast, slow, growing);
  const port = await closedPort();
  const results = await Promise.all([
    run(fast.url, prefix.fast, 2), run(slow.url, prefix.slow, 2),
    run(`http://127.0.0.1:${port}`, prefix.refused, 2, ['--continue-on-unreachable']),
  ]);
  // Alone, so that start-up contention with the other runs does not blur its first seconds.
  results.push(await run(growing.url, prefix.growing, 6));
  for (const r of results) assert.ok(r.code === 0 || r.code === 1, `run finished: ${r.stderr}`);
});
after(async () => Promise.all(servers.map((s) => s.close())));

function targetsFile(name: string, threshold: number): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify([{ metric: 'p95', comparator: '<', threshold }, { metric: 'error_rate', comparator: '<', threshold: 0.01 }]));
  return file;
}

test('a run meeting its targets exits 0 and prints every section with the run\'s own numbers', async () => {
  const r = await analyze([`${prefix.fast}_stats.csv`, '--targets', targetsFile('ok.json', 10_000)]);
  assert.equal(r.code, 0, r.stderr);
  for (const section of ['Overall summary', 'Endpoint breakdown', 'Most requested', 'Slowest (P95)', 'Performance against targets', 'Recommendations']) {
    assert.match(r.stdout, new RegExp(section.replace(/[()]/g, '\\$&')));
  }
  const json = JSON.parse(readFileSync(`${prefix.fast}.json`, 'utf8')) as { summary: { total_operations: number } };
  assert.match(r.stdout, new RegExp(`Requests: ${json.summary.total_operations} `));
  assert.match(r.stdout, /P95 latency\s+Aggregated\s+< 10000 ms\s+[\d.]+ ms\s+PASS/);
});

test('a missed target exits 1 and shows the measured value against the threshold', async () => {
  const r = await analyze([prefix.fast, '--targets', targetsFile('tight.json', 0.001)]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /P95 latency\s+Aggregated\s+< 0\.001 ms\s+[\d.]+ ms\s+FAIL/);
  assert.match(r.stdout, /FAIL: 1 target\(s\) missed/);
});

test('--baseline flags the slower run endpoint by endpoint with before/after numbers; a run against itself passes', async () => {
  const r = await analyze([`${prefix.slow}_stats.csv`, '--baseline', `${prefix.fast}_stats.csv`]);
  assert.equal(r.code, 1, r.stderr);
  const line = /^GET \/slow\s+\d+ → \d+\s+([\d.]+) ms → ([\d.]+) ms \(\+[\d.]+%\).*REGRESSION$/m.exec(r.stdout);
  assert.ok(line, r.stdout);
  assert.ok(Number(line[2]) >= 150 && Number(line[2]) > Number(line[1]), `P95 before/after: ${line[0]}`);
  const same = await analyze([prefix.fast, '--baseline', prefix.fast]);
  assert.equal(same.code, 0, same.stdout);
  assert.match(same.stdout, /0 regression\(s\) flagged/);
});

test('--format json parses and --format markdown prints pipe tables', async () => {
  const j = await analyze([prefix.slow, '--format', 'json', '--baseline', prefix.fast]);
  const report = JSON.parse(j.stdout) as { summary: { requests: number; p95Ms: number }; passed: boolean; baseline: { regressions: number } };
  assert.ok(report.summary.requests > 0);
  assert.equal(report.passed, false);
  assert.ok(report.baseline.regressions >= 1);
  const m = await analyze([prefix.fast, '--format', 'markdown']);
  assert.equal(m.code, 0);
  assert.match(m.stdout, /^## Endpoint breakdown$/m);
  assert.match(m.stdout, /^\| Endpoint \| Requests \| Failures \|.*\|$/m);
  assert.match(m.stdout, /^\| --- \| ---: \|/m);
  assert.match(m.stdout, /^\| GET \/fast \| \d+ \|/m);
});

test('a run whose latency grows gets a growing-latency recommendation citing the numbers', async () => {
  const r = await analyze([prefix.growing, '--format', 'json']);
  const report = JSON.parse(r.stdout) as { recommendations: Array<{ rule: string; title: string; evidence: string }> };
  const growing = report.recommendations.filter((x) => x.rule === 'growing-latency');
  assert.ok(growing.length > 0, JSON.stringify(report.recommendations));
  assert.match(growing[0]?.evidence ?? '', /median interval P95 [\d.]+ ms in seconds \d+–\d+ → [\d.]+ ms/);
});

test('a run against a closed port gets the connection-errors recommendation with ECONNREFUSED counts', async () => {
  const r = await analyze([prefix.refused]);
  assert.equal(r.code, 0, 'no targets: failures alone do not fail the analysis');
  assert.match(r.stdout, /\[high\] \d+ of \d+ failures \(100%\) are connection errors/);
  assert.match(r.stdout, /GET \/fast: ECONNREFUSED ×\d+/);
  assert.match(r.stdout, /server was down, restarting or refusing connections/);
});
