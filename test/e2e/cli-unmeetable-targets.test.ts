import { describe, test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { startTargetServer, type TargetServer } from '../helpers/target-server.js';

/**
 * Issue 17, item 9: targets no run can meet, "no errors allowed" that failed clean runs, runs too
 * short for a throughput window, capacity steps that overwrote each other, and refused runs that
 * left directories (or, for a shape broken from its first tick, every result file) behind.
 */
const fixture = (f: string): string => join(REPO_ROOT, 'test', 'fixtures', f);
const NOWHERE = ['-H', 'http://127.0.0.1:9'];

const dirs: string[] = [];
let target: TargetServer;
before(async () => {
  target = await startTargetServer();
});
after(async () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  await target.close();
});
function freshDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'brood-targets-'));
  dirs.push(d);
  return d;
}

function assertRefused(r: { code: number | null; stderr: string }, message: RegExp): void {
  assert.equal(r.code, 2, `exit code; stderr: ${r.stderr}`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line: ${JSON.stringify(r.stderr)}`);
  assert.match(lines[0] ?? '', message);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
}

const refused: Array<{ name: string; args: string[]; message: RegExp }> = [
  { name: 'a test file target that can never be met (p95 < 0)', args: ['-f', fixture('targets/unmeetable.mjs')], message: /^error: .*unmeetable\.mjs target #1: p95 < 0 can never be met: nothing is below 0$/ },
  { name: 'a TOML [validation] P99 of 0 ms', args: ['--scenario', fixture('targets/zero-p99.toml')], message: /^error: .*zero-p99\.toml(:\d+)?: \[validation\] expected_p99_latency_ms must be .*> 0/ },
  { name: '--target-p99 0', args: ['--scenario', 'mixed_balanced', '--target-p99', '0'], message: /^error: --target-p99 "0" must be a positive number$/ },
  { name: '--max-error-rate -0.1', args: ['--scenario', 'mixed_balanced', '--max-error-rate', '-0.1'], message: /^error: --max-error-rate "-0.1" must be a fraction from 0 to 1/ },
  { name: 'a LoadShape whose first tick returns garbage: refused before any file', args: ['-f', fixture('reliability/first-tick-garbage.mjs')], message: /^error: BrokenFromTheStart\.tick\(\) returned \{"users":-1,"spawnRate":5\}: users must be an integer >= 0 \(its first tick: the run was not started\)$/ },
  { name: 'an unreachable host leaves no results/ behind', args: ['-f', fixture('plain-tasks.js'), '-t', '2s'], message: /^error: cannot reach http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\)/ },
  { name: 'an unreachable host leaves no --csv directory behind', args: ['-f', fixture('plain-tasks.js'), '--csv', 'deep/er/run'], message: /^error: cannot reach http:\/\/127\.0\.0\.1:9/ },
  { name: 'a tag filter that leaves no task leaves no results/ behind', args: ['-f', fixture('plain-tasks.js'), '--tags', 'no-such-tag'], message: /^error: .*--tags/ },
  { name: '--reset-stats with an open model leaves no --results-dir behind', args: ['--scenario', 'mixed_balanced', '--reset-stats', '--results-dir', 'out/new'], message: /^error: --reset-stats applies to runs with a user count/ },
  { name: 'capacity --step finer than its rates (capacity_1.json twice)', args: ['capacity', '--scenario', 'mixed_balanced', '--start', '1', '--step', '0.0001', '--max', '1.01', '--target-p99', '100'], message: /^error: --step 0\.0001 is finer than the 0\.001 ops\/s that rates are kept to: 1 would be tried twice/ },
  { name: 'capacity --rates with a rate twice', args: ['capacity', '--scenario', 'mixed_balanced', '--rates', '10,20,10', '--target-p99', '100'], message: /^error: --rates "10,20,10" lists 10 twice/ },
  { name: 'capacity with more steps than a search tries (was cut at 1000 silently)', args: ['capacity', '--scenario', 'mixed_balanced', '--start', '1', '--step', '1', '--max', '5000', '--target-p99', '100'], message: /^error: --start 1 --step 1 --max 5000 makes 5000 steps: a search tries at most 1000/ },
  { name: 'capacity --results-dir ""', args: ['capacity', '--scenario', 'mixed_balanced', '--rates', '10', '--target-p99', '100', '--results-dir', ''], message: /^error: --results-dir "" is empty/ },
  { name: 'capacity with a test file\'s LoadShape', args: ['capacity', '-f', fixture('with-shape.mjs'), '--rates', '10', '--target-p99', '100'], message: /^error: TwoUsers \(exported by .*with-shape\.mjs\) and capacity \(a search over arrival rates\) cannot be combined/ },
];

describe('refused before anything starts: exit 2, one line, nothing in the working directory', { concurrency: 4 }, () => {
  for (const c of refused) {
    test(c.name, async () => {
      const cwd = freshDir();
      const r = await runCli([...c.args, ...NOWHERE], { cwd, timeoutMs: 20_000 });
      assertRefused(r, c.message);
      assert.equal(r.stdout, '', 'nothing started, nothing printed');
      assert.deepEqual(readdirSync(cwd), [], 'no file or directory');
    });
  }
});

test('capacity: an unreachable target is one line without the run command\'s --continue-on-unreachable (no capacity flag), nothing written', async () => {
  const cwd = freshDir();
  const r = await runCli(['capacity', '--scenario', 'mixed_balanced', '--rates', '10', '--target-p99', '100', ...NOWHERE], { cwd, timeoutMs: 20_000 });
  assertRefused(r, /^error: cannot reach http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\): is the server running\? \(capacity needs a reachable target; without -H it searches the built-in demo server\)$/);
  assert.doesNotMatch(r.stderr, /continue-on-unreachable/);
  assert.deepEqual(readdirSync(cwd), []);
  const flag = await runCli(['capacity', '--scenario', 'mixed_balanced', '--rates', '10', '--continue-on-unreachable'], { cwd, timeoutMs: 20_000 });
  assertRefused(flag, /unknown option '--continue-on-unreachable'/);
});

describe('"no errors allowed" passes a clean run', { concurrency: 3 }, () => {
  test('--max-error-rate 0: judged as error rate <= 0, a clean run exits 0', async () => {
    const cwd = freshDir();
    const r = await runCli(['-f', fixture('open-model.mjs'), '-H', target.url, '-t', '2s', '--max-error-rate', '0', '--only-summary'], { cwd, timeoutMs: 30_000 });
    assert.equal(r.code, 0, r.stderr + r.stdout.slice(-1500));
    assert.match(r.stdout, /Operation error rate\s+Aggregated <= 0%\s+0%\s+PASS/);
  });

  test('TOML [validation] max_error_rate = 0: a clean run exits 0', async () => {
    const cwd = freshDir();
    const r = await runCli(['--scenario', fixture('targets/no-errors-allowed.toml'), '-H', target.url, '--only-summary'], { cwd, timeoutMs: 30_000 });
    assert.equal(r.code, 0, r.stderr + r.stdout.slice(-1500));
    assert.match(r.stdout, /Operation error rate\s+Aggregated <= 0%\s+0%\s+PASS/);
  });

  test('a test file target error_rate <= 0: a clean run exits 0', async () => {
    const cwd = freshDir();
    const r = await runCli(['-f', fixture('targets/no-errors-allowed.mjs'), '-H', target.url, '-t', '1s', '--only-summary'], { cwd, timeoutMs: 30_000 });
    assert.equal(r.code, 0, r.stderr + r.stdout.slice(-1500));
    assert.match(r.stdout, /All 1 targets met/);
  });
});

describe('a run shorter than one throughput window is judged as a whole, not failed', { concurrency: 2 }, () => {
  test('a replay of a two-record trace (0.1 s)', async () => {
    const cwd = freshDir();
    writeFileSync(join(cwd, 't.jsonl'), '{"t":0,"method":"GET","path":"/a"}\n{"t":0.1,"method":"GET","path":"/b"}\n');
    const r = await runCli(['replay', '--trace', 't.jsonl', '-H', target.url, '--json', 'r.json', '--only-summary'], { cwd, timeoutMs: 30_000 });
    assert.equal(r.code, 0, r.stderr + r.stdout.slice(-1500));
    assert.match(r.stdout, /Throughput vs scheduled, whole run \(0\.\d s, under one 60 s window\)\s+Aggregated >= 95%\s+100%\s+PASS/);
    const json = JSON.parse(readFileSync(join(cwd, 'r.json'), 'utf8')) as { open_model: { windows: unknown[] } };
    assert.equal(json.open_model.windows.length, 1, 'its one window is the whole run');
  });

  test('an open-model run ended by -i after 3 arrivals', async () => {
    const cwd = freshDir();
    const r = await runCli(['-f', fixture('open-model.mjs'), '-H', target.url, '-i', '3', '--only-summary'], { cwd, timeoutMs: 30_000 });
    assert.equal(r.code, 0, r.stderr + r.stdout.slice(-1500));
    assert.match(r.stdout, /Run ended after 0\.\d s: 3 arrivals \(--iterations\) done/);
    assert.match(r.stdout, /Throughput vs scheduled, whole run .*PASS/);
  });
});
