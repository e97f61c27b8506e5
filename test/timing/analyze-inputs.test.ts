/**
 * analyze-results on Locust's reference files, on malformed input (exit 2, one line), the capacity
 * curve (synthetic runs with a known knee, and real runs against a saturating demo server) and the
 * report subcommand.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT, runCli, type CliResult } from '../helpers/cli.js';

const ANALYZE = fileURLToPath(new URL('../../../bin/analyze-results.js', import.meta.url));
const analyze = (args: string[]): Promise<CliResult> => runCli(args, { bin: ANALYZE, timeoutMs: 20_000 });
const LOCUST = join(REPO_ROOT, 'test', 'fixtures', 'locust-reference', 'locust-2.12-sample');
const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'analyze');
const dir = mkdtempSync(join(tmpdir(), 'brood-analyze-in-'));
const children: ChildProcess[] = [];
after(() => children.forEach((c) => c.kill()));

test("Locust 2.12's reference CSVs: summary from the file, rps from Requests/s, exit 0 without targets", async () => {
  const r = await analyze([join(LOCUST, 'run_stats.csv')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Requests: 505 {3}Failures: 65 {3}Error rate: 12\.87%/);
  assert.match(r.stdout, /Throughput: 36\.12 req\/s/);
  assert.match(r.stdout, /P50 2 ms {3}P95 4 ms {3}P99 19 ms/);
  assert.match(r.stdout, /GET refused\s+100%\s+31\s+31/);
});

test("Locust's run against the quick scenario's targets fails on its error rate (exit 1)", async () => {
  const r = await analyze([join(LOCUST, 'run_stats.csv'), '--targets', 'quick']);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /Error rate\s+Aggregated\s+< 1%\s+12\.871%\s+FAIL/);
  assert.match(r.stdout, /P95 latency\s+Aggregated\s+< 200 ms\s+4 ms\s+PASS/);
});

function assertOneLineError(r: CliResult, pattern: RegExp): void {
  assert.equal(r.code, 2, `exit 2; stdout: ${r.stdout}`);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0] ?? '', /^error: /);
  assert.match(lines[0] ?? '', pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
}

test('malformed input exits 2 with one line naming the file and what is wrong', async () => {
  const stats = readFileSync(join(LOCUST, 'run_stats.csv'), 'utf8');
  const wrong = join(dir, 'wrong_stats.csv');
  writeFileSync(wrong, stats.replace('Request Count', 'Requests'));
  assertOneLineError(await analyze([wrong]), /wrong_stats\.csv: not a Locust\/brood stats CSV \(header lacks "Request Count"\)/);
  const cut = join(dir, 'cut_stats.csv');
  writeFileSync(cut, stats.slice(0, stats.indexOf('GET,home') + 30));
  assertOneLineError(await analyze([cut]), /cut_stats\.csv line 5: \d+ cells where the header has 22/);
  const noAgg = join(dir, 'noagg_stats.csv');
  writeFileSync(noAgg, stats.split('\r\n').slice(0, 3).join('\r\n'));
  assertOneLineError(await analyze([noAgg]), /noagg_stats\.csv: no Aggregated row/);
  const garbage = join(dir, 'garbage_stats.csv');
  writeFileSync(garbage, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0x10, 0x0d, 0x0a]));
  assertOneLineError(await analyze([garbage]), /garbage_stats\.csv: binary data/);
  assertOneLineError(await analyze([join(dir, 'missing_stats.csv')]), /cannot read .*missing_stats\.csv: no such file/);
  const badJson = join(dir, 'bad.json');
  writeFileSync(badJson, '{"snapshot": {"version": 2}}');
  assertOneLineError(await analyze([badJson]), /bad\.json: invalid stats snapshot/);
});

test('bad usage exits 2 with one line', async () => {
  assertOneLineError(await analyze([]), /missing required argument/);
  assertOneLineError(await analyze([join(LOCUST, 'run_stats.csv'), '--format', 'xml']), /--format must be one of text, markdown, json/);
  assertOneLineError(await analyze([join(LOCUST, 'run_stats.csv'), '--regression-threshold', 'ten']), /--regression-threshold must be a number/);
  const targets = join(dir, 'targets.json');
  writeFileSync(targets, JSON.stringify([{ metric: 'p42', comparator: '<', threshold: 1 }]));
  assertOneLineError(await analyze([join(LOCUST, 'run_stats.csv'), '--targets', targets]), /targets\.json target #1: metric must be one of/);
  assertOneLineError(await analyze(['capacity', join(LOCUST, 'run_stats.csv')]), /at least two runs/);
  const help = await analyze(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--baseline <run>/);
});

test('capacity: synthetic runs with a known knee; the HTML chart is self-contained and marks it', async () => {
  const out = join(dir, 'cap.html');
  const inputs = ['u80', 'u10', 'u40', 'u20'].map((u) => join(FIXTURES, 'capacity', `${u}_stats.csv`));
  const r = await analyze(['capacity', ...inputs, '--output', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Knee \(safe operating point\): 390 req\/s with 40 users/);
  assert.match(r.stdout, /u80 at 420 req\/s breaks the rule: P99 120 ms > 20 ms/);
  const html = readFileSync(out, 'utf8');
  assert.match(html, /<svg [^>]*>.*class="knee"/s);
  assert.match(html, /<polyline class="series-P99"/);
  assert.doesNotMatch(html, /<script|src=|href=|url\(/i, 'no script and no external resource');
  const strict = await analyze(['capacity', ...inputs, '--output', out, '--max-p99-rise', '5', '--format', 'json']);
  const curve = JSON.parse(strict.stdout) as { kneeIndex: number; points: Array<{ users: number }> };
  assert.equal(curve.points[curve.kneeIndex]?.users, 20, 'a stricter rule moves the knee down');
});

async function demoServer(): Promise<string> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'dist/src/demo-server/main.js'), '--port', '0', '--latency-ms', '20', '--max-concurrency', '2', '--queue-limit', '1000'], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (d: Buffer) => {
      text += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(text);
      if (m?.[1]) resolve(m[1]);
    });
    child.on('exit', () => reject(new Error(`demo server exited: ${text}`)));
  });
}

test('capacity: real runs at 1, 2 and 12 users against a demo server limited to 2 concurrent requests', async () => {
  const levels = [1, 2, 12];
  const host = await demoServer();
  // One level after another, as a capacity test is run: parallel runs would disturb each other's tails.
  for (const u of levels) {
    const r = await runCli(['-f', 'test/fixtures/analyze/health-user.mjs', '-H', host, '-u', String(u), '-r', '100', '-t', '2s', '--csv', join(dir, `real_u${u}`), '--only-summary']);
    assert.equal(r.code, 0, r.stderr);
  }
  const r = await analyze(['capacity', ...levels.map((u) => join(dir, `real_u${u}.json`)), '--format', 'json', '--output', join(dir, 'real.html')]);
  assert.equal(r.code, 0, r.stderr);
  const curve = JSON.parse(r.stdout) as { kneeIndex: number | null; breakIndex: number | null; points: Array<{ users: number; rps: number; p50Ms: number }>; summary: string };
  // 2 slots × 20 ms: beyond 2 users requests queue, so the 12-user run is past the knee. The P99 of
  // a 2-second run at 2 users may already catch a scheduling hiccup, so the knee is 1 or 2 users.
  const knee = curve.points[curve.kneeIndex ?? -1];
  assert.ok(knee !== undefined && knee.users <= 2, curve.summary);
  assert.ok([2, 12].includes(curve.points[curve.breakIndex ?? -1]?.users ?? -1), curve.summary);
  const [low, , high] = curve.points;
  assert.ok((high?.p50Ms ?? 0) > 3 * (low?.p50Ms ?? Infinity), `the saturated run queues: ${curve.summary}`);
  assert.ok((high?.rps ?? Infinity) < 105, 'throughput is capped near 2 / 20 ms');
});

test('report rebuilds a self-contained HTML report from Locust CSVs, names escaped', async () => {
  const prefix = join(dir, 'locust');
  for (const f of ['stats', 'stats_history', 'failures', 'exceptions']) copyFileSync(join(LOCUST, `run_${f}.csv`), `${prefix}_${f}.csv`);
  const r = await analyze(['report', prefix]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Report: .*locust_report\.html/);
  const html = readFileSync(`${prefix}_report.html`, 'utf8');
  assert.match(html, /\/item\?id=\[id\]/);
  assert.match(html, /ConnectionRefusedError\(111, &#39;Connection refused&#39;\)|ConnectionRefusedError\(111, &#x27;Connection refused&#x27;\)/);
  assert.match(html, /cart \(checked\)/);
  // Locust 2.12 records no failure times: the table says so instead of showing a made-up time.
  const failuresSection = /<section id="failures">[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
  const failureRow = /<tr><td[^>]*>GET<\/td><td[^>]*>\/item\?id=\[id\]<\/td>.*?<\/tr>/.exec(failuresSection)?.[0] ?? '';
  assert.equal((failureRow.match(/<td[^>]*>not recorded<\/td>/g) ?? []).length, 2, failureRow);
  assert.doesNotMatch(html, /(src|href)="https?:/i);
  assert.ok(existsSync(`${prefix}_report.html`));
});
