import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';

const FILE = 'test/fixtures/lifecycle/custom-options.mjs';
const servers: RecordingServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

test('a test file\'s own options are in --help when the file is given', async () => {
  const r = await runCli(['-f', FILE, '--help']);
  assert.equal(r.code, 0, r.stderr);
  // Help text wraps at the terminal's width (and its column moves with the longest flag): read it as one line.
  const help = r.stdout.replace(/\s+/g, ' ');
  assert.match(help, /--my-argument <value> what the users send \(test file option, default x\)/);
  assert.match(help, /--page-size <n> items per page \(test file option, default 10\)/);
  assert.match(help, /--dry ask for a dry run \(test file option\)/);
});

for (const processes of [1, 2]) {
  test(`declared options reach users from flags, brood.conf and BROOD_* variables, typed (--processes ${processes})`, async (t) => {
    const srv = await startRecordingServer();
    servers.push(srv);
    const dir = mkdtempSync(join(tmpdir(), 'brood-opts-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'brood.conf'), 'my-argument = from-conf\n');
    const query = (): string => srv.requests[0]?.url ?? '';
    const flags = await runCli(['-f', FILE, '-H', srv.url, '-t', '1s', '--processes', String(processes), '--my-argument', 'hello world', '--page-size', '3', '--dry', '--results-dir', dir]);
    assert.equal(flags.code, 0, flags.stderr);
    assert.equal(query(), '/read?arg=hello+world&size=3&dry=true&users=1');
    srv.requests.length = 0;
    const sources = await runCli(['-f', FILE, '-H', srv.url, '-t', '1s', '--processes', String(processes), '--config', join(dir, 'brood.conf'), '--results-dir', dir], { env: { BROOD_PAGE_SIZE: '7' } });
    assert.equal(sources.code, 0, sources.stderr);
    assert.equal(query(), '/read?arg=from-conf&size=7&dry=false&users=1');
  });
}

test('declared options are checked; undeclared ones are still refused', async () => {
  const badNumber = await runCli(['-f', FILE, '--page-size', 'ten']);
  assert.equal(badNumber.code, 2);
  assert.match(badNumber.stderr.trim(), /^error: --page-size "ten" must be a whole number$/);
  const typo = await runCli(['-f', FILE, '--my-argumnet', 'x']);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /unknown option '--my-argumnet'/);
  const bad = await runCli(['-f', 'test/fixtures/lifecycle/custom-options-bad.mjs', '-t', '1s']);
  assert.equal(bad.code, 2);
  const lines = bad.stderr.trim().split('\n');
  assert.deepEqual(lines, [
    "error: test/fixtures/lifecycle/custom-options-bad.mjs: options['users']: --users is one of run-load-tests' own options: choose another name",
    "error: test/fixtures/lifecycle/custom-options-bad.mjs: options['size']: type must be one of string, number, integer, boolean",
    "error: test/fixtures/lifecycle/custom-options-bad.mjs: options['colour']: unknown key 'helpp' (known: type, default, help, choices)",
  ]);
});
