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
  { args: ['-f', 'test/fixtures/bad-import.mjs'], message: /bad-import\.mjs: import failed: .*this-package-does-not-exist/ },
  { args: ['-f', 'test/fixtures/throws-on-load.mjs'], message: /throws-on-load\.mjs:2: error while loading: TypeError/ },
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
  for (const flag of ['-f, --file', '-u, --users', '-r, --spawn-rate', '-t, --time', '-H, --host', '--csv', '--html', '--json', '--headless', '--tags', '--exclude-tags', '--seed', '--stop-timeout', '--shape', '--connection-pool', '--only-summary', '--loglevel', '--results-dir', '--logfile', '--exit-code-on-error', '--reset-stats', '--config', '[user-classes...]']) {
    assert.ok(r.stdout.includes(flag), `help mentions ${flag}`);
  }
  assert.match(r.stdout, /Examples:/);
});
