/**
 * `run-load-tests suite` (issue 22): the seed's `make load-test`. The shipped suite's four levels
 * run in order against one built-in demo server, each with its own files, then one table and its
 * JSON; the exit code is the worst run's; --only picks runs; -H sends every target's path to that
 * host; Ctrl-C stops the run in progress and the suite; bad suites are one line, exit 2.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';

const dir = mkdtempSync(join(tmpdir(), 'brood-suite-e2e-'));
const servers: RecordingServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

interface SuiteJsonRun {
  name: string;
  status: string;
  rate: number;
  duration_secs: number;
  exit_code: number | null;
  json: string | null;
  requests: number | null;
  targets_missed: number | null;
}

interface SuiteJson {
  suite: string;
  exit_code: number;
  interrupted: boolean;
  runs: SuiteJsonRun[];
}

/** The one summary JSON a suite wrote into `results` (its name: <suite>_<stamp>.json). */
function summaryIn(results: string): SuiteJson {
  const files = readdirSync(results).filter((f) => /^[\w-]+_\d{8}_\d{6}\.json$/.test(f));
  assert.equal(files.length, 1, readdirSync(results).join(' '));
  return JSON.parse(readFileSync(join(results, files[0] as string), 'utf8')) as SuiteJson;
}

/** The summary table's run lines: name, rate, duration, …, exit. */
function tableRows(stdout: string): string[][] {
  const lines = stdout.split('\n');
  const header = lines.findIndex((l) => l.startsWith('Run  '));
  assert.ok(header > 0, stdout.slice(-2000));
  const end = lines.findIndex((l, i) => i > header && (l.startsWith('Exit code') || l.startsWith('  ')));
  return lines.slice(header + 1, end).map((l) => l.trim().split(/\s{2,}/));
}

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

test('the shipped suite at -t 2s against the demo server: four runs in order, each with its files, one table, the worst exit code', { timeout: 60_000 }, async () => {
  const results = join(dir, 'shipped');
  const r = await runCli(['suite', 'vegeta-api', '-t', '2s', '--only-summary', '--results-dir', results], { timeoutMs: 50_000 });
  assert.equal(r.code, 0, r.stderr + r.stdout.slice(-3000));
  assert.equal(r.stderr, '');
  assert.equal(r.stdout.match(/started the built-in demo server/g)?.length, 1, 'one demo server for every run');
  const starts = ['light', 'medium', 'heavy', 'stress'].map((n, i) => r.stdout.indexOf(`run ${i + 1} of 4: ${n},`));
  assert.ok(starts.every((at, i) => at >= 0 && (i === 0 || at > (starts[i - 1] ?? 0))), `in order: ${starts.join(', ')}`);
  const rows = tableRows(r.stdout);
  assert.deepEqual(rows.map((c) => [c[0], c[1], c[2]]), [['light', '10', '2s of 30s'], ['medium', '50', '2s of 1m00s'], ['heavy', '100', '2s of 1m00s'], ['stress', '200', '2s of 2m00s']]);
  const summary = summaryIn(results);
  assert.equal(summary.suite, 'vegeta-api');
  assert.equal(summary.exit_code, 0);
  for (const run of summary.runs) {
    assert.equal(run.status, 'ran');
    assert.ok(run.json !== null && existsSync(run.json), `${run.name}: ${run.json}`);
    assert.match(run.json ?? '', new RegExp(`vegeta-api_\\d{8}_\\d{6}_${run.name}\\.json$`));
    assert.ok(existsSync((run.json ?? '').replace(/\.json$/, '_stats.csv')));
    // The table's figures are the run's own file's.
    const own = JSON.parse(readFileSync(run.json ?? '', 'utf8')) as { summary: { total_operations: number } };
    assert.equal(run.requests, own.summary.total_operations);
    assert.ok((run.requests ?? 0) >= run.rate * 2 * 0.9, `${run.name}: ${run.requests} requests at ${run.rate}/s for 2 s`);
  }
  assert.equal(summary.runs.find((x) => x.name === 'heavy')?.targets_missed, 0);
});

test('a missed target: the suite exits 1 and still runs every run after it', { timeout: 60_000 }, async () => {
  write('health.txt', 'GET http://localhost:8000/health\n');
  const suite = write('strict.toml', [
    'name = "strict"', 'targets = "health.txt"',
    '[[run]]', 'name = "impossible"', 'rate = 20', 'duration = "1s"',
    '[[run.target]]', 'metric = "p99"', 'comparator = "<"', 'threshold = 0.001',
    '[[run]]', 'name = "fine"', 'rate = "20/1s"', 'duration = "1s"',
  ].join('\n'));
  const results = join(dir, 'strict');
  const r = await runCli(['suite', suite, '--only-summary', '--results-dir', results], { timeoutMs: 50_000 });
  assert.equal(r.code, 1, r.stderr + r.stdout.slice(-3000));
  const summary = summaryIn(results);
  assert.deepEqual(summary.runs.map((x) => [x.name, x.status, x.exit_code, x.targets_missed]), [['impossible', 'ran', 1, 1], ['fine', 'ran', 0, 0]]);
  assert.deepEqual(tableRows(r.stdout).map((c) => [c[0], c[2], c.at(-1)]), [['impossible', '1s', '1'], ['fine', '1s', '0']]);
  assert.match(r.stdout, /^Exit code 1 \(worst: impossible\)$/m);
});

test('--only medium runs that one run alone', { timeout: 60_000 }, async () => {
  const prefix = join(dir, 'only', 'ci');
  const r = await runCli(['suite', 'vegeta-api', '--only', 'medium', '-t', '1s', '--only-summary', '--csv', prefix], { timeoutMs: 50_000 });
  assert.equal(r.code, 0, r.stderr + r.stdout.slice(-3000));
  assert.deepEqual(tableRows(r.stdout).map((c) => c[0]), ['medium']);
  const summary = JSON.parse(readFileSync(`${prefix}.json`, 'utf8')) as SuiteJson;
  assert.deepEqual(summary.runs.map((x) => [x.name, x.json]), [['medium', `${prefix}_medium.json`]]);
  assert.ok(existsSync(`${prefix}_medium_stats.csv`));
  assert.ok(!existsSync(`${prefix}_light.json`));
});

test('-H: every target\'s path and query go to that host, each run\'s requests counted there; --only runs in the file\'s order', { timeout: 60_000 }, async () => {
  const srv = await startRecordingServer();
  servers.push(srv);
  const results = join(dir, 'host');
  const r = await runCli(['suite', 'vegeta-api', '-H', srv.url, '--only', 'heavy', '--only', 'light', '-t', '1s', '--only-summary', '--results-dir', results], { timeoutMs: 50_000 });
  assert.equal(r.code, 0, r.stderr + r.stdout.slice(-3000));
  assert.doesNotMatch(r.stdout, /demo server/);
  const summary = summaryIn(results);
  assert.deepEqual(summary.runs.map((x) => x.name), ['light', 'heavy']);
  const sent = srv.requests;
  assert.equal(sent.length, summary.runs.reduce((n, x) => n + (x.requests ?? 0), 0), 'every request of the runs arrived here');
  assert.deepEqual([...new Set(sent.map((q) => `${q.method} ${q.url}`))].sort(), [
    'GET /entities?per_page=20', 'GET /health', 'GET /recall?q=alice&limit=5', 'GET /stats', 'POST /learn', 'POST /recall',
  ]);
  const learn = sent.find((q) => q.url === '/learn');
  assert.equal(learn?.body.toString(), readFileSync(join(REPO_ROOT, 'scenarios/suites/targets/bodies/learn.json'), 'utf8'));
  assert.equal(learn?.headers['content-type'], 'application/json');
});

test('Ctrl-C stops the run in progress (its files written) and the suite: no run starts after it', { timeout: 60_000 }, async () => {
  const results = join(dir, 'interrupted');
  let sent = false;
  const r = await runCli(['suite', 'vegeta-api', '--only-summary', '--results-dir', results], {
    timeoutMs: 50_000,
    onStdout: (text, child) => {
      if (!sent && /run 1 of 4: light[^\n]*\nbrood /.test(text)) {
        sent = true;
        setTimeout(() => child.kill('SIGINT'), 700);
      }
    },
  });
  assert.ok(sent, r.stdout);
  assert.doesNotMatch(r.stdout, /run 2 of 4/);
  const summary = summaryIn(results);
  assert.equal(summary.interrupted, true);
  assert.deepEqual(summary.runs.map((x) => [x.name, x.status]), [['light', 'ran'], ['medium', 'not run'], ['heavy', 'not run'], ['stress', 'not run']]);
  assert.ok(existsSync(summary.runs[0]?.json ?? ''), 'the stopped run\'s files are written');
  assert.equal(r.code, summary.runs[0]?.exit_code, 'the exit code is the stopped run\'s');
});

test('bad suites and flags: one line, exit 2, nothing sent or written', { timeout: 60_000 }, async () => {
  const srv = await startRecordingServer();
  servers.push(srv);
  const bad = write('bad.toml', 'name = "bad"\ntargets = "health.txt"\n[[run]]\nname = "a"\nrate = 10\nduration = "1s"\nduraton = "1s"\n');
  const noTargets = write('no-targets.toml', 'name = "x"\ntargets = "gone.txt"\n[[run]]\nname = "a"\nrate = 1\nduration = 1\n');
  const results = join(dir, 'refused');
  const out = ['--results-dir', results];
  const cases: Array<[string[], RegExp]> = [
    [['suite', bad, ...out], /^error: .*bad\.toml:7: unknown key \[\[run\]\] "a" duraton \(known: name, rate, duration, target\)$/],
    [['suite', noTargets, ...out], /^error: .*no-targets\.toml:2: targets "gone\.txt" not found/],
    [['suite', join(dir, 'missing.toml'), ...out], /^error: suite file not found: .*missing\.toml$/],
    [['suite', 'nope', ...out], /^error: suite "nope" is neither a \.toml file nor a shipped suite \(shipped: vegeta-api\)$/],
    [['suite'], /^error: missing required argument 'suite'$/],
    [['suite', 'vegeta-api', '--only', 'hevy', ...out], /^error: --only "hevy" is not a run of suite vegeta-api: its runs are light, medium, heavy, stress/],
    [['suite', 'vegeta-api', '--csv', join(results, 'x'), ...out], /^error: --csv .* names every file of the suite .*: give --csv or --results-dir, not both$/],
    [['suite', 'vegeta-api', '-t', '0', ...out], /^error: --time "0" is not a duration/],
    [['suite', 'vegeta-api', '-H', 'http://127.0.0.1:1', ...out], /^error: cannot reach http:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\)/],
    [['suite', 'vegeta-api', '-H', srv.url, '--json', dir, ...out], /^error: output file .* is a directory/],
    // A place that cannot be written is named with the flag that chose it.
    [['suite', 'vegeta-api', '-H', srv.url, '--csv', '/proc/brood-suite'], /^error: cannot write to results directory \/proc \(\w+\): choose another with --csv or fix its permissions$/],
    [['suite', 'vegeta-api', '-H', srv.url, '--results-dir', '/proc/brood-suite'], /^error: cannot create results directory \/proc\/brood-suite \(\w+\): choose another with --results-dir or fix the path$/],
    [['suite', 'vegeta-api', '-H', srv.url, '--json', '/proc/brood-suite.json', ...out], /^error: cannot write to results directory \/proc \(\w+\): choose another with --json or fix its permissions$/],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(args, { timeoutMs: 30_000 });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}${r.stdout}`);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(lines[0] ?? '', message);
  }
  assert.equal(srv.requests.length, 0);
  assert.ok(!existsSync(results), 'a refused suite leaves no results directory');
});
