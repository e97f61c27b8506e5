import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliResult } from '../helpers/cli.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';

const servers: RecordingServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

/** Runs the exit-code fixture for 1.5 s against a server that answers /page and 404s the rest. */
async function run(t: { after(fn: () => void): void }, env: Record<string, string>, extra: readonly string[] = []): Promise<{ r: CliResult; log: string }> {
  const srv = await startRecordingServer((req, res) => {
    res.writeHead(req.url === '/page' ? 200 : 404, { 'content-type': 'text/plain' });
    res.end('x');
  });
  servers.push(srv);
  const dir = mkdtempSync(join(tmpdir(), 'brood-exit-code-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const r = await runCli(['-f', 'test/fixtures/lifecycle/exit-code.mjs', '-H', srv.url, '-u', '2', '-r', '100', '-t', '1.5s', '--only-summary', '--csv', join(dir, 'run'), '--logfile', join(dir, 'run.log'), ...extra], { env });
  return { r, log: readFileSync(join(dir, 'run.log'), 'utf8') };
}

test("Locust's closing check: environment.stats.total.fail_ratio over 1 % sets environment.process_exit_code = 1 where the run itself would pass", async (t) => {
  const { r, log } = await run(t, { EXIT_PATH: '/missing' }, ['--exit-code-on-error', '0']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^Test failed due to failure ratio > 1%$/m);
  assert.match(r.stdout, /^Exit code 1: set by the test \(environment\.process_exit_code\), where the run's verdict was 0$/m);
  assert.match(log, /Exit code 1: set by the test/);
});

test('the checks read the real figures (requests, a row by name and method, the 95th percentile) and 0 is an exit code too', async (t) => {
  const { r } = await run(t, {});
  assert.equal(r.code, 0, r.stderr);
  const m = /^passed: (\d+) requests, (\d+) of \/page$/m.exec(r.stdout);
  assert.ok(m !== null && Number(m[1]) > 10 && m[1] === m[2], r.stdout);
  const failing = await run(t, { EXIT_PATH: '/missing', EXIT_CHECK: 'pass' });
  assert.equal(failing.r.code, 0, 'the test said 0: every request failed, and it passes as Locust would');
  assert.match(failing.r.stdout, /^Exit code 0: set by the test \(environment\.process_exit_code\), where the run's verdict was 1$/m);
});

test('a quitting listener that throws (a misspelt stats field) exits 2 with its error in one line, instead of passing unseen', async (t) => {
  const { r } = await run(t, { EXIT_CHECK: 'throw' });
  assert.equal(r.code, 2, r.stdout);
  assert.match(r.stdout, /^error: a quitting listener threw TypeError: environment\.stats\.total has no 'fail_ration' \(brood has: method, name, get_response_time_percentile, num_requests, num_failures, fail_ratio, /m);
  assert.match(r.stdout, /^Exit code 2: a quitting listener threw, where the run's verdict was 0$/m);
  const bad = await run(t, { EXIT_CHECK: 'bad' });
  assert.equal(bad.r.code, 2);
  assert.match(bad.r.stdout, /^error: a quitting listener threw TypeError: environment\.process_exit_code must be a whole number from 0 to 255, or null \(got "one"\)$/m);
});

test('an async quitting listener is waited for: what it decides after a wait is the exit code, and its rejection exits 2', async (t) => {
  const { r } = await run(t, { EXIT_CHECK: 'async' });
  assert.equal(r.code, 4, r.stdout);
  assert.match(r.stdout, /^async listener done$/m);
  const rejected = await run(t, { EXIT_CHECK: 'async-throw' });
  assert.equal(rejected.r.code, 2, rejected.r.stdout);
  assert.match(rejected.r.stdout, /^error: a quitting listener threw Error: the report server did not answer$/m);
});

test("a closing check walks Locust's dicts: environment.stats.entries.items() and environment.stats.errors.values() read the run's rows and failure groups", async (t) => {
  const { r } = await run(t, { EXIT_PATH: '/missing', EXIT_CHECK: 'entries' });
  assert.equal(r.code, 1, r.stderr);
  const row = /^row GET \/missing (\d+)$/m.exec(r.stdout);
  const error = /^error GET \/missing HTTP 404 (\d+)$/m.exec(r.stdout);
  assert.ok(row !== null && error !== null, r.stdout);
  assert.ok(Number(row[1]) > 5 && row[1] === error[1], `every request a 404: ${row[1]} rows, ${error[1]} occurrences`);
  assert.doesNotMatch(r.stdout, /^row (?!GET \/missing)/m, 'no other row (the Aggregated one is stats.total)');
});
