import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { readCsvFile } from '../helpers/reliability.js';
import { startTargetServer, type TargetServer } from '../helpers/target-server.js';

const servers: TargetServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

function assertOneLineExit2(r: { code: number | null; stderr: string }, message: RegExp): void {
  assert.equal(r.code, 2, `exit code; stderr: ${r.stderr}`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line: ${JSON.stringify(r.stderr)}`);
  assert.match(lines[0] ?? '', message);
  assert.doesNotMatch(r.stderr, /\n\s+at |\x1b|\r/, 'no stack trace, no control characters');
}

// Cases cli-bad-input.test.ts does not cover yet.
const fileUnder = join(mkdtempSync(join(tmpdir(), 'brood-bad-')), 'a-regular-file');
writeFileSync(fileUnder, 'not a directory');
const cases: Array<{ name: string; args: string[]; message: RegExp }> = [
  { name: 'unknown scenario lists the known ones', args: ['--scenario', 'nope'], message: /^error: unknown scenario "nope": known scenarios are quick, memory, search, federation, api/ },
  { name: 'spawn rate 0', args: ['-f', 'test/fixtures/plain-tasks.js', '-r', '0'], message: /--spawn-rate "0" must be a positive number/ },
  { name: 'fractional users', args: ['-f', 'test/fixtures/plain-tasks.js', '-u', '1.5'], message: /--users "1.5" must be a positive whole number/ },
  { name: 'bad stop timeout', args: ['-f', 'test/fixtures/plain-tasks.js', '--stop-timeout', '10x'], message: /--stop-timeout "10x" is not a duration/ },
  { name: 'request timeout 0', args: ['-f', 'test/fixtures/plain-tasks.js', '--request-timeout', '0'], message: /--request-timeout "0" must be a positive number/ },
  { name: 'results dir under a regular file (ENOTDIR; chmod does not stop root)', args: ['-f', 'test/fixtures/plain-tasks.js', '--results-dir', join(fileUnder, 'sub')], message: /cannot create results directory .*a-regular-file\/sub \(ENOTDIR\): choose another with --results-dir or fix the path$/m },
  { name: '--csv under a regular file', args: ['-f', 'test/fixtures/plain-tasks.js', '--csv', join(fileUnder, 'x', 'run')], message: /cannot create results directory .*a-regular-file\/x \(ENOTDIR\): choose another with --csv or fix the path$/m },
  // The hint names the flag that sent the files there, not --results-dir, which the user never gave.
  { name: '--csv into /proc names --csv', args: ['-f', 'test/fixtures/plain-tasks.js', '--csv', '/proc/brood-run'], message: /^error: cannot write to results directory \/proc \(\w+\): choose another with --csv or fix its permissions$/m },
  { name: '--html under a regular file names --html', args: ['-f', 'test/fixtures/plain-tasks.js', '--html', join(fileUnder, 'r.html')], message: /cannot create results directory .*a-regular-file \(ENOTDIR\): choose another with --html or fix the path$/m },
  { name: '--csv and --json into one bad directory name both', args: ['-f', 'test/fixtures/plain-tasks.js', '--csv', join(fileUnder, 'run'), '--json', join(fileUnder, 'run.json')], message: /a-regular-file \(ENOTDIR\): choose another with --csv and --json or fix the path$/m },
  // Node's recursive mkdir spins for ever under /proc: this used to hang at 100% CPU.
  { name: 'results dir under /proc', args: ['-f', 'test/fixtures/plain-tasks.js', '--results-dir', '/proc/brood-results'], message: /cannot create results directory \/proc\/brood-results \(ENOENT\)/ },
];

describe('bad input: one line, exit 2, no stack, no files', { concurrency: 4 }, () => {
  for (const c of cases) {
    test(c.name, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'brood-bad-'));
      const args = c.args.includes('--results-dir') || c.args.includes('--csv') ? c.args : [...c.args, '--results-dir', dir];
      const r = await runCli([...args, '-H', 'http://127.0.0.1:9'], { timeoutMs: 15_000 });
      assertOneLineExit2(r, c.message);
      assert.deepEqual(readdirSync(dir), [], 'no output files');
    });
  }
});

for (const shape of [
  // A later tick: the line says when the run stopped, and that what it did is kept.
  { file: 'garbage-shape.mjs', message: /^error: run stopped at 2\.\d s by its load shape: GarbageShape\.tick\(\) returned \{"users":"lots","spawnRate":-1\}: users must be an integer >= 0 \(the results up to then are written\)$/ },
  { file: 'throwing-shape.mjs', message: /^error: run stopped at [12]\.\d s by its load shape: load shape ThrowingShape\.tick\(\d+\) threw: shape exploded second line \(the results up to then are written\)$/ },
]) {
  test(`a shape that ${shape.file.startsWith('garbage') ? 'returns garbage' : 'throws (multi-line, ESC)'} mid-run: one line, exit 2, the files are whole`, async () => {
    const target = await startTargetServer();
    servers.push(target);
    const dir = mkdtempSync(join(tmpdir(), 'brood-shape-'));
    const prefix = join(dir, 'run');
    const r = await runCli(['-f', `test/fixtures/reliability/${shape.file}`, '-H', target.url, '-t', '20s', '--csv', prefix, '--json', join(dir, 'r.json'), '--html', join(dir, 'r.html')]);
    assertOneLineExit2(r, shape.message);
    assert.match(r.stdout, /Run ended after .*: load shape error/);
    for (const f of ['_stats.csv', '_stats_history.csv', '_failures.csv', '_exceptions.csv', '_custom_metrics.csv']) readCsvFile(prefix + f);
    const json = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { run: { stop_reason: string }; summary: { total_operations: number } };
    assert.equal(json.run.stop_reason, 'load shape error');
    assert.equal(json.summary.total_operations, target.total(), 'the users it ran are all counted');
    assert.ok(target.total() > 0);
    assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.tmp-')), [], 'no temporary files left');
  });
}
