/**
 * analyze-results on Vegeta's own results (issue 22): `vegeta encode --to json` and `--to csv`
 * files (test/fixtures/vegeta-results/, five known results) give the summary and endpoint
 * breakdown, targets, a baseline comparison, Vegeta's report and brood's HTML report; a bad line is
 * one error naming it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../helpers/cli.js';

const ANALYZE = join(REPO_ROOT, 'bin', 'analyze-results.js');
const JSONL = 'test/fixtures/vegeta-results/results.jsonl';
const CSV = 'test/fixtures/vegeta-results/results.csv';
const dir = mkdtempSync(join(tmpdir(), 'brood-vegeta-results-e2e-'));
const analyze = (args: string[]) => runCli(args, { bin: ANALYZE, timeoutMs: 30_000 });

test('the summary and endpoint breakdown of Vegeta results, by method and path', { timeout: 30_000 }, async () => {
  const r = await analyze([JSONL, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { run: { source: string }; summary: { requests: number; failures: number; exactPercentiles: boolean } };
  assert.equal(report.run.source, 'vegeta');
  assert.deepEqual([report.summary.requests, report.summary.failures], [5, 2]);
  assert.equal(report.summary.exactPercentiles, true, 'every request is in the HDR histogram, as in a brood run');
  const text = await analyze([CSV]);
  assert.match(text.stdout, /Run: .*results\.csv \(Vegeta results, HDR percentiles of every request\)/);
  assert.match(text.stdout, /^GET \/a\s+3\s+1\s+33\.33%/m);
});

test('--format vegeta on Vegeta results gives back what Vegeta would report of them', { timeout: 30_000 }, async () => {
  for (const file of [JSONL, CSV]) {
    const r = await analyze([file, '--format', 'vegeta']);
    assert.equal(r.code, 0, r.stderr);
    const m = JSON.parse(r.stdout) as { requests: number; success: number; status_codes: Record<string, number>; bytes_in: { total: number }; bytes_out: { total: number }; latencies: { min: number; max: number; total: number }; earliest: string; errors: string[] };
    assert.equal(m.requests, 5);
    assert.equal(m.success, 0.6);
    assert.deepEqual(m.status_codes, { '0': 1, '200': 2, '302': 1, '500': 1 });
    assert.deepEqual([m.bytes_in.total, m.bytes_out.total], [207, 12]);
    assert.deepEqual([m.latencies.min, m.latencies.max, m.latencies.total], [1_500_000, 30_000_000, 66_500_000]);
    assert.equal(m.earliest, '2026-01-02T03:04:05Z');
    assert.deepEqual([...m.errors].sort(), ['500 Internal Server Error', 'dial tcp 127.0.0.1:8000: connect: connection refused']);
  }
});

test('targets, a baseline either way round, and brood\'s HTML report from Vegeta results', { timeout: 30_000 }, async () => {
  const targets = join(dir, 'targets.json');
  writeFileSync(targets, JSON.stringify([{ metric: 'p99', comparator: '<', threshold: 10 }]));
  const missed = await analyze([JSONL, '--targets', targets]);
  assert.equal(missed.code, 1, 'P99 30 ms misses < 10 ms');
  const same = await analyze([JSONL, '--baseline', CSV]);
  assert.equal(same.code, 0, `the same results in both encodings: no regression; ${same.stdout}`);
  const html = join(dir, 'vegeta.html');
  const built = await analyze(['report', CSV, '--output', html]);
  assert.equal(built.code, 0, built.stderr);
  const page = readFileSync(html, 'utf8');
  assert.match(page, /POST<\/td><td class="name">\/b<\/td><td>500: 1<\/td>/);
});

test('a line that is not a Vegeta result: one error naming file and line, exit 2', { timeout: 30_000 }, async () => {
  const bad = join(dir, 'bad.jsonl');
  writeFileSync(bad, `${readFileSync(join(REPO_ROOT, JSONL), 'utf8').split('\n')[0]}\n{"code":200,"timestamp":"2026-01-02T03:04:05Z","latency":-1}\n`);
  const r = await analyze([bad]);
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /bad\.jsonl:2: "latency" must be a whole number ≥ 0/);
});

test('a brood run compared with Vegeta results of the same endpoints, either way round', { timeout: 60_000 }, async () => {
  const { startRecordingServer } = await import('../helpers/recording-server.js');
  const srv = await startRecordingServer();
  try {
    const targets = join(dir, 'same.txt');
    writeFileSync(targets, `GET ${srv.url}/a?q=1\n\nGET ${srv.url}/c\n`);
    const prefix = join(dir, 'brood');
    const run = await runCli(['--targets', targets, '--target-rate', '20', '-t', '1s', '--csv', prefix, '--only-summary'], { timeoutMs: 30_000 });
    assert.equal(run.code, 0, run.stderr);
    for (const [after, before] of [[`${prefix}.json`, JSONL], [CSV, `${prefix}.json`]]) {
      const r = await analyze([after as string, '--baseline', before as string, '--min-requests', '1']);
      assert.ok(r.code === 0 || r.code === 1, r.stderr);
      // A brood run is named by its prefix, a results file by its path.
      assert.match(r.stdout, before === JSONL ? /Comparison with baseline .*results\.jsonl/ : /Comparison with baseline .*\/brood\b/);
      // Rows by method and path on both sides: brood's GET /a and Vegeta's GET /a are one endpoint.
      assert.match(r.stdout, /^GET \/a\s+\d+ → \d+/m, r.stdout);
    }
  } finally {
    await srv.close();
  }
});
