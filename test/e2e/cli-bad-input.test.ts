import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

const cases: Array<{ args: string[]; message: RegExp }> = [
  { args: ['-f', 'test/fixtures/plain-tasks.js', '-t', '10x'], message: /--time "10x" is not a duration/ },
  { args: ['-f', 'test/fixtures/plain-tasks.js', '-t', '-5m'], message: /--time "-5m" is not a duration/ },
  { args: ['-f', 'test/fixtures/plain-tasks.js', '-u', '0'], message: /--users "0" must be a positive whole number/ },
  { args: ['-f', 'test/fixtures/plain-tasks.js', '-u', 'many'], message: /--users "many" must be a positive whole number/ },
  { args: ['-f', 'test/fixtures/plain-tasks.js', '-r', '-3'], message: /--spawn-rate "-3" must be a positive number/ },
  { args: ['-f', 'test/fixtures/plain-tasks.js', '-H', 'ftp://example'], message: /--host "ftp:\/\/example" must be an http/ },
  { args: ['-f', 'test/fixtures/plain-tasks.js', '-H', 'not a url'], message: /--host "not a url" is not a URL/ },
  { args: ['-f', 'test/fixtures/missing.ts'], message: /test file not found: test\/fixtures\/missing\.ts/ },
  { args: ['-f', 'test/fixtures/syntax-error.ts'], message: /^error: test\/fixtures\/syntax-error\.ts:4:\d+: syntax error/ },
  { args: ['-f', 'test/fixtures/syntax-error.mjs'], message: /^error: test\/fixtures\/syntax-error\.mjs:5: syntax error/ },
  { args: ['-f', 'test/fixtures/no-users.mjs'], message: /exports no user class/ },
  { args: ['-f', 'test/fixtures/bad-import.mjs'], message: /bad-import\.mjs:1: import failed: cannot find 'this-package-does-not-exist'$/ },
  { args: ['-f', 'test/fixtures/throws-on-load.mjs'], message: /throws-on-load\.mjs:2: error while loading: TypeError/ },
  { args: ['-f', 'test/fixtures/imports/missing-export.mjs'], message: /^error: test\/fixtures\/imports\/missing-export\.mjs:3: import failed: '\.\/helper\.mjs' has no export named 'absent'$/ },
  { args: ['-f', 'test/fixtures/imports/missing-export.ts'], message: /^error: test\/fixtures\/imports\/missing-export\.ts:3: import failed: '\.\/helper\.mjs' has no export named 'absent'$/ },
  { args: ['-f', 'test/fixtures/imports/nested.mjs'], message: /^error: test\/fixtures\/imports\/nested-helper\.mjs:3: import failed: cannot find '\.\/no-such-file\.mjs'$/ },
  { args: ['--bogus-flag'], message: /unknown option '--bogus-flag'/ },
  { args: ['-f', 'test/fixtures/plain-tasks.js', '-t', '2s', '-H', 'http://127.0.0.1:9'], message: /cannot reach http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\): is the server running/ },
  { args: ['-f', 'test/fixtures/plain-tasks.js', '--connection-pool', 'huge'], message: /--connection-pool "huge" is not a mode/ },
  { args: ['-f', 'test/fixtures/plain-tasks.js', '--config', 'test/fixtures/missing.conf'], message: /^error: config file not found: test\/fixtures\/missing\.conf$/ },
  { args: ['-f', 'test/fixtures/plain-tasks.js', '--exit-code-on-error', '256'], message: /--exit-code-on-error "256" must be a whole number from 0 to 255/ },
  { args: ['-f', 'test/fixtures/plain-tasks.js', '--exit-code-on-error', 'no'], message: /--exit-code-on-error "no" must be a whole number from 0 to 255/ },
];

for (const c of cases) {
  test(`bad input ${c.args.join(' ')} → exit 2, one line, no stack, no files`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brood-bad-'));
    const r = await runCli([...c.args, '--results-dir', dir]);
    assert.equal(r.code, 2, `exit code; stderr: ${r.stderr}`);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `one line: ${r.stderr}`);
    assert.match(lines[0] ?? '', c.message);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.deepEqual(readdirSync(dir), [], 'no output files');
  });
}

test('several problems are reported together, one line each', async () => {
  const r = await runCli(['-f', 'test/fixtures/plain-tasks.js', '-u', '0', '-t', 'soon', '-H', 'x']);
  assert.equal(r.code, 2);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 3, r.stderr);
  assert.ok(lines.every((l) => l.startsWith('error: ')));
});

test('--help documents every flag with an example and exits 0', async () => {
  const r = await runCli(['--help']);
  assert.equal(r.code, 0);
  for (const flag of ['-f, --file', '-u, --users', '-r, --spawn-rate', '-t, --time', '-H, --host', '--csv', '--html', '--json', '--headless', '--tags', '--exclude-tags', '--seed', '--stop-timeout', '--shape', '--connection-pool', '--only-summary', '--loglevel', '--results-dir', '--logfile', '--exit-code-on-error', '--reset-stats', '--config', '[user-classes...]', '--web-ui', '--web-host', '--web-port', '--web-auth', '--autostart', '--autoquit', '--web-base-path']) {
    assert.ok(r.stdout.includes(flag), `help mentions ${flag}`);
  }
  assert.match(r.stdout, /Examples:/);
  // The web UI's flags come with a working example each (issue 20).
  assert.match(r.stdout, /--web-ui .*--web-port 9000 --autostart .*--autoquit 30/);
});

test('output paths: a device node made by the test is refused before the run and left a device; a symlink is followed', async (t) => {
  const { execFileSync } = await import('node:child_process');
  const { lstatSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } = await import('node:fs');
  const dir = mkdtempSync(join(tmpdir(), 'brood-outpath-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const device = join(dir, 'null');
  let haveDevice = true;
  try {
    execFileSync('mknod', [device, 'c', '1', '3'], { stdio: 'ignore' });
  } catch {
    haveDevice = false;
    t.diagnostic('mknod needs root: the device half is skipped');
  }
  if (haveDevice) {
    const results = join(dir, 'results');
    const r = await runCli(['-f', 'test/fixtures/plain-tasks.js', '-t', '1s', '--html', device, '--results-dir', results]);
    assert.equal(r.code, 2, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0] ?? '', /^error: output file .*null is a character device, not a regular file: give the path of a file to write$/);
    assert.ok(statSync(device).isCharacterDevice(), 'the device node is still a device');
    assert.throws(() => readdirSync(results), 'nothing written for a refused run');
  }
  // A symlink given as --json: the file it points to is written, the link stays a link.
  writeFileSync(join(dir, 'real.json'), 'placeholder');
  symlinkSync('real.json', join(dir, 'link.json'));
  const r = await runCli(['-f', 'test/fixtures/plain-tasks.js', '-t', '1s', '-u', '1', '--json', join(dir, 'link.json'), '--csv', join(dir, 'run')]);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  assert.ok(lstatSync(join(dir, 'link.json')).isSymbolicLink());
  assert.match(readFileSync(join(dir, 'real.json'), 'utf8'), /"summary"/);
});

test('--record-trace into a missing directory or onto a directory is refused before the run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'brood-trace-'));
  for (const [trace, message] of [[dir, /is a directory/], [join(dir, 'no', 'dir', 'x.jsonl'), null]] as const) {
    const results = join(dir, 'results');
    const r = await runCli(['-f', 'test/fixtures/plain-tasks.js', '-t', '1s', '--record-trace', trace, '--results-dir', results]);
    if (message === null) {
      // A missing directory is created, as for every output file.
      assert.ok(r.code === 0 || r.code === 1, r.stderr);
      continue;
    }
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, message);
  }
});
