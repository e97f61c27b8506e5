import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { startTargetServer, type TargetServer } from '../helpers/target-server.js';

/**
 * Issue 17, item 8: options that one of them silently ignored, and outputs that overwrote each
 * other or landed as hidden files. Each refused run: exit 2, one line, no stack, and nothing in the
 * working directory (a fresh one per case, so a stray file or directory shows).
 */
const fixture = (f: string): string => join(REPO_ROOT, 'test', 'fixtures', f);
const PLAIN = ['-f', fixture('plain-tasks.js')];
// Unreachable: a refusal that did not happen ends at the probe with another message, never a run.
const NOWHERE = ['-H', 'http://127.0.0.1:9'];

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function freshDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'brood-refused-'));
  dirs.push(d);
  return d;
}

function assertRefused(r: { code: number | null; stderr: string; stdout: string }, message: RegExp): void {
  assert.equal(r.code, 2, `exit code; stderr: ${r.stderr}`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line: ${JSON.stringify(r.stderr)}`);
  assert.match(lines[0] ?? '', message);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.doesNotMatch(r.stdout, /brood \d+\.\d+\.\d+:/, 'the run never started');
}

const cases: Array<{ name: string; args: string[]; message: RegExp }> = [
  { name: '--target-rate with --shape step (ran the open model with the shape\'s 10 minutes)', args: [...PLAIN, '--target-rate', '10', '--shape', 'step'], message: /^error: --shape step and --target-rate cannot be combined: .*choose one$/ },
  { name: '--target-rate with -u', args: [...PLAIN, '--target-rate', '10', '-u', '5'], message: /^error: -u\/--users does not apply to an open-model run \(--target-rate\): .*bound it with --max-users$/ },
  { name: 'a TOML scenario by name with -u', args: ['--scenario', 'mixed_balanced', '-u', '5'], message: /^error: -u\/--users does not apply to an open-model run \(--scenario mixed_balanced\)/ },
  { name: 'a TOML scenario by path with -r', args: ['--scenario', join(REPO_ROOT, 'scenarios', 'toml', 'mixed_balanced.toml'), '-r', '5'], message: /^error: -r\/--spawn-rate does not apply to an open-model run \(--scenario .*mixed_balanced\.toml\)/ },
  { name: 'a TOML scenario with --arrival', args: ['--scenario', 'mixed_balanced', '--arrival', 'constant'], message: /^error: --arrival constant does not apply: --scenario mixed_balanced brings its own arrival pattern \(poisson\); --target-rate rescales it$/ },
  { name: '--step-users without --shape', args: [...PLAIN, '--step-users', '5'], message: /^error: --step-users applies to --shape step only: no --shape is given$/ },
  { name: '--step-time without --shape', args: [...PLAIN, '--step-time', '5s'], message: /^error: --step-time applies to --shape step or spike only: no --shape is given$/ },
  { name: '--step-users with --shape spike', args: [...PLAIN, '--shape', 'spike', '--step-users', '5'], message: /^error: --step-users applies to --shape step only: --shape spike has fixed levels/ },
  { name: '-u with a test file\'s own LoadShape', args: ['-f', fixture('with-shape.mjs'), '-u', '5'], message: /^error: -u\/--users does not apply with the load shape TwoUsers \(exported by .*with-shape\.mjs\): its tick\(\) sets the user count/ },
  { name: 'a test file exporting two LoadShape classes', args: ['-f', fixture('two-shapes.mjs')], message: /^error: .*two-shapes\.mjs exports 2 LoadShape classes \(Burst, Steady\) and brood runs one: pick one with --shape Burst$/ },
  { name: '--shape naming no exported class', args: ['-f', fixture('two-shapes.mjs'), '--shape', 'Nope'], message: /^error: unknown shape "Nope": use step, spike, a file exporting a LoadShape, or a LoadShape class of .*two-shapes\.mjs \(Burst, Steady\)$/ },
  { name: '--shape FILE exporting two LoadShape classes', args: [...PLAIN, '--shape', fixture('two-shapes.mjs')], message: /^error: .*two-shapes\.mjs exports 2 LoadShape classes \(Burst, Steady\) and brood runs one: export only one/ },
  { name: '--shape ""', args: [...PLAIN, '--shape', ''], message: /^error: unknown shape "": use step, spike/ },
  { name: '--html and --json on one file', args: [...PLAIN, '--html', 'x', '--json', 'x'], message: /^error: --html and --json would write the same file x: give each output its own path$/ },
  { name: '--json on a CSV of --csv', args: [...PLAIN, '--csv', 'run', '--json', 'run_stats.csv'], message: /^error: the stats CSV of --csv run and --json would write the same file run_stats\.csv/ },
  { name: '--logfile on the default HTML of --csv', args: [...PLAIN, '--csv', 'run', '--logfile', './run.html'], message: /^error: the HTML report and --logfile would write the same file/ },
  { name: '--record-trace on --json', args: [...PLAIN, '--json', 'r.json', '--record-trace', 'sub/../r.json'], message: /^error: --json and --record-trace would write the same file r\.json/ },
  { name: '--csv "" (hidden _stats.csv, .html in the working directory)', args: [...PLAIN, '--csv', ''], message: /^error: --csv "" is empty: give a path prefix/ },
  { name: '--csv DIR/ (hidden files in DIR)', args: [...PLAIN, '--csv', 'out/'], message: /^error: --csv "out\/" has no file-name part \(it would write hidden files such as out\/_stats\.csv\): give a prefix such as out\/run$/ },
  { name: '--html ""', args: [...PLAIN, '--html', ''], message: /^error: --html "" is empty: give a file path/ },
  { name: '--json ""', args: [...PLAIN, '--json', ''], message: /^error: --json "" is empty: give a file path/ },
  { name: '--logfile ""', args: [...PLAIN, '--logfile', ''], message: /^error: --logfile "" is empty: give a file path/ },
  { name: '--results-dir ""', args: [...PLAIN, '--results-dir', ''], message: /^error: --results-dir "" is empty: give a directory/ },
  { name: '--record-trace "" (recorded nothing)', args: [...PLAIN, '--record-trace', ''], message: /^error: --record-trace "" is empty: give a file path/ },
  { name: '--seed "" (was seed 0)', args: [...PLAIN, '--seed', ''], message: /^error: --seed "" must be a whole number from 0 to 4294967295$/ },
  { name: '--seed 0x10 (was seed 16)', args: [...PLAIN, '--seed', '0x10'], message: /^error: --seed "0x10" must be a whole number from 0 to 4294967295$/ },
  { name: '--seed past 2^32-1', args: [...PLAIN, '--seed', '4294967296'], message: /^error: --seed "4294967296" must be a whole number/ },
];

describe('combinations refused: exit 2, one line, nothing written', { concurrency: 4 }, () => {
  for (const c of cases) {
    test(c.name, async () => {
      const cwd = freshDir();
      const r = await runCli([...c.args, ...NOWHERE, '-t', '2s'], { cwd, timeoutMs: 20_000 });
      assertRefused(r, c.message);
      assert.deepEqual(readdirSync(cwd), [], 'no file or directory in the working directory');
    });
  }
});

test('outputs compared through symlinks: --html on a link to the --json file is refused, the link left alone', async () => {
  const cwd = freshDir();
  symlinkSync(join(cwd, 'r.json'), join(cwd, 'link.html'));
  const r = await runCli([...PLAIN, ...NOWHERE, '--json', 'r.json', '--html', 'link.html'], { cwd, timeoutMs: 20_000 });
  assertRefused(r, /^error: --html and --json would write the same file /);
  assert.deepEqual(readdirSync(cwd), ['link.html']);
});

describe('combinations honoured together', () => {
  let target: TargetServer;
  after(async () => target?.close());

  test('--shape NAME picks one of the LoadShape classes a test file exports', async () => {
    target = await startTargetServer();
    const cwd = freshDir();
    const r = await runCli(['-f', fixture('two-shapes.mjs'), '--shape', 'Burst', '-H', target.url, '--json', 'r.json', '--only-summary'], { cwd, timeoutMs: 30_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /, shape Burst /);
    const json = JSON.parse(readFileSync(join(cwd, 'r.json'), 'utf8')) as { run: { stop_reason: string } };
    assert.equal(json.run.stop_reason, 'Burst ended the run');
  });

  test('--shape step with -u (cap), -r, --step-users, --step-time and -t: every one applies', async () => {
    target ??= await startTargetServer();
    const cwd = freshDir();
    const r = await runCli([...PLAIN, '--shape', 'step', '-u', '3', '-r', '20', '--step-users', '2', '--step-time', '1s', '-t', '2.5s', '-H', target.url, '--csv', 'run'], { cwd, timeoutMs: 30_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /shape step \(StepLoadShape\) for 2\.5s/);
    assert.match(r.stdout, /Run ended after 2\.\d s/, 'ended by -t');
    // 2 users per 1 s step, capped at -u 3: the history shows 2, then 3, never 4.
    const rows = readFileSync(join(cwd, 'run_stats_history.csv'), 'utf8').trim().split('\n');
    const column = (rows[0] ?? '').split(',').indexOf('User Count');
    const counts = new Set(rows.slice(1).map((row) => Number(row.split(',')[column])));
    assert.ok(counts.has(2) && counts.has(3), `user counts ${[...counts].join(', ')}`);
    assert.ok(Math.max(...counts) === 3, `capped at 3: ${[...counts].join(', ')}`);
  });
});
