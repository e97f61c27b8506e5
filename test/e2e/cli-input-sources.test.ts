/**
 * Bad input from files and variables (issue 17 items 6, 7 and its TOML part): each refused with
 * exit 2 and one stderr line naming the problem and where it is (FILE:LINE and key, the variable,
 * the TOML file, table and key, or the flag that named a directory), no stack trace, and no file
 * written. Each case runs in its own temporary folder, which is also the run's working directory
 * and HOME, so result files would land there and no ~/.brood.conf of the machine interferes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliResult } from '../helpers/cli.js';

const TOML = (arrival: string, extra = ''): string =>
  `name = "t"\n[duration]\ntotal_seconds = 2\n[arrival]\n${arrival}\n[operations]\nstore_weight = 1.0\n${extra}`;

interface Case {
  name: string;
  args: string[];
  /** 'dir' makes a folder; any other string is a file's text. */
  files?: Record<string, string | Buffer>;
  env?: Record<string, string>;
  line: RegExp;
}

/** Every path under `dir`, relative (what a refused run must not add to). */
function tree(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const rel = `${prefix}${e.name}`;
    return e.isDirectory() ? [rel, ...tree(join(dir, e.name), `${rel}/`)] : [rel];
  });
}

async function run(c: Case): Promise<{ result: CliResult; created: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'brood-input-sources-'));
  try {
    for (const [name, content] of Object.entries(c.files ?? {})) {
      if (content === 'dir') mkdirSync(join(dir, name));
      else writeFileSync(join(dir, name), content);
    }
    const before = new Set(tree(dir));
    const result = await runCli(c.args, { cwd: dir, env: { HOME: dir, ...c.env }, timeoutMs: 30_000 });
    return { result, created: tree(dir).filter((p) => !before.has(p)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const H = ['-H', 'http://127.0.0.1:9'];
const MODULE = 'export class Reader {}\n';

const CASES: Case[] = [
  // Config files and variables: the source, not a flag nobody typed.
  { name: 'users = abc in --config', args: ['--config', 'bad.conf', '--scenario', 'quick', ...H], files: { 'bad.conf': 'users = abc\n' }, line: /^error: bad\.conf:1: users "abc" must be a positive whole number$/ },
  { name: 'run-time = forever on line 3', args: ['--config', 'bad.conf', '--scenario', 'quick', ...H], files: { 'bad.conf': '# CI\n[brood]\nrun-time = forever\n' }, line: /^error: bad\.conf:3: run-time "forever" is not a duration/ },
  { name: './brood.conf read by default', args: ['--scenario', 'quick', ...H], files: { 'brood.conf': 'spawn-rate = -3\n' }, line: /^error: brood\.conf:1: spawn-rate "-3" must be a positive number$/ },
  { name: '~/.brood.conf read by default', args: ['--scenario', 'quick', ...H], files: { '.brood.conf': 'max-redirects = many\n' }, line: /^error: \.brood\.conf:1: max-redirects "many" must be a whole number from 0 to 1000$/ },
  { name: 'BROOD_USERS=abc', args: ['--scenario', 'quick', ...H], env: { BROOD_USERS: 'abc' }, line: /^error: BROOD_USERS "abc" must be a positive whole number$/ },
  { name: 'BROOD_HOST not a URL', args: ['--scenario', 'quick'], env: { BROOD_HOST: 'notaurl' }, line: /^error: BROOD_HOST "notaurl" is not a URL/ },
  { name: 'BROOD_REQUEST_TIMEOUT=0', args: ['--scenario', 'quick', ...H], env: { BROOD_REQUEST_TIMEOUT: '0' }, line: /^error: BROOD_REQUEST_TIMEOUT "0" must be a positive number of seconds/ },
  { name: 'a binary --config', args: ['--config', 'bin.conf', '--scenario', 'quick', ...H], files: { 'bin.conf': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3, 0xff, 0xfe, 10, 0, 0]) }, line: /^error: bin\.conf is not a text config file \(binary data or not UTF-8 at line 1\)$/ },
  { name: '--config a directory (was exit 3, EISDIR)', args: ['--config', 'adir', '--scenario', 'quick', ...H], files: { adir: 'dir' }, line: /^error: --config adir is a directory, not a config file$/ },
  // Directories where a file belongs (was "not found").
  { name: '-f a directory', args: ['-f', 'adir', ...H], files: { adir: 'dir' }, line: /^error: -f adir is a directory, not a test file/ },
  { name: 'BROOD_FILE a directory', args: H, files: { adir: 'dir' }, env: { BROOD_FILE: 'adir' }, line: /^error: BROOD_FILE adir is a directory, not a test file/ },
  { name: '--scenario x.toml a directory', args: ['--scenario', 'x.toml', ...H], files: { 'x.toml': 'dir' }, line: /^error: --scenario x\.toml is a directory, not a scenario file$/ },
  { name: 'replay --trace a directory', args: ['replay', '--trace', 'adir', ...H], files: { adir: 'dir' }, line: /^error: --trace adir is a directory, not a trace file$/ },
  // TOML scenarios: FILE:LINE: [table] key.
  { name: 'TOML rate = 0 (ran at 0 ops/s, exit 1)', args: ['--scenario', 's.toml', ...H], files: { 's.toml': TOML('pattern = "constant"\nrate = 0') }, line: /^error: s\.toml:6: \[arrival\] rate must be a number > 0 and at most 1000000, got 0$/ },
  { name: 'TOML ramp over = 0 (was "over must be a number >= 5e-324")', args: ['--scenario', 's.toml', ...H], files: { 's.toml': TOML('pattern = "ramp"\nfrom = 1.0\nto = 10.0\nover = 0') }, line: /^error: s\.toml:8: \[arrival\] over must be a number > 0/ },
  { name: 'TOML embedding_dim absurd (ran a minute past -t)', args: ['--scenario', 's.toml', ...H], files: { 's.toml': TOML('pattern = "constant"\nrate = 10.0', '[data]\nembedding_dim = 100_000_000\n') }, line: /^error: s\.toml:10: \[data\] embedding_dim must be a whole number from 32 to \d+, got 100000000$/ },
  { name: 'TOML memory_spaces absurd', args: ['--scenario', 's.toml', ...H], files: { 's.toml': TOML('pattern = "constant"\nrate = 10.0', '[data]\nmemory_spaces = 1_000_000\n') }, line: /^error: s\.toml:10: \[data\] memory_spaces must be a whole number from 1 to 100/ },
  { name: 'TOML rate = nan', args: ['--scenario', 's.toml', ...H], files: { 's.toml': TOML('pattern = "poisson"\nmean_rate = nan') }, line: /^error: s\.toml:6: \[arrival\] mean_rate must be a number > 0 .*got nan$/ },
  { name: 'TOML without [arrival] or --target-rate (ran at 100/s)', args: ['--scenario', 's.toml', ...H], files: { 's.toml': 'name = "t"\n[operations]\nstore_weight = 1.0\n' }, line: /^error: s\.toml: \[arrival\] is missing: add one .* or give --target-rate$/ },
  { name: 'a binary TOML', args: ['--scenario', 'b.toml', ...H], files: { 'b.toml': Buffer.from([0, 1, 2, 0xff, 0xfe, 10]) }, line: /^error: b\.toml is not a text scenario file/ },
  // A test file's `arrival`: the same checks as [arrival].
  { name: 'a module arrival at rate 0', args: ['-f', 'u.mjs', ...H], files: { 'u.mjs': `${MODULE}export const arrival = { pattern: 'constant', rate: 0 };\n` }, line: /^error: u\.mjs: "arrival" rate must be a number > 0/ },
];

for (const c of CASES) {
  test(`refused with one line naming its source: ${c.name}`, { timeout: 40_000 }, async () => {
    const { result, created } = await run(c);
    const lines = result.stderr.split('\n').filter((l) => l.trim() !== '');
    assert.equal(result.code, 2, result.stderr + result.stdout);
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0] ?? '', c.line);
    assert.doesNotMatch(result.stderr, /^\s+at .+:\d+:\d+\)?$/m, 'no stack trace');
    assert.deepEqual(created, [], 'a refused run writes nothing');
  });
}

test('valid but unusual: a TOML ramp from 0 with std_dev 0 runs; no [arrival] runs with --target-rate', { timeout: 60_000 }, async () => {
  const toml = TOML('pattern = "ramp"\nfrom = 0\nto = 20.0\nover = 1', '[data]\nembedding_dim = 32\n[data.embedding_distribution]\ntype = "clustered"\nnum_clusters = 1\nstd_dev = 0\n');
  const ramp = await run({ name: 'ramp', args: ['--scenario', 's.toml', '-t', '2s', '--only-summary', '--csv', 'out/run'], files: { 's.toml': toml.replace('store_weight = 1.0', 'store_weight = 1.0\nembedding_search_weight = 1.0') }, line: /./ });
  assert.ok(ramp.result.code === 0 || ramp.result.code === 1, ramp.result.stderr);
  assert.match(ramp.result.stdout, /open model: ramp arrivals/);
  assert.match(ramp.result.stdout, /MemoryWorkloadUser\.embedding_search\s+[1-9]/, 'searches were sent');
  assert.ok(ramp.created.includes('out/run.json'), ramp.created.join(', '));
  const noArrival = await run({ name: 'no arrival', args: ['--scenario', 's.toml', '--target-rate', '10', '-t', '1s', '--only-summary', '--csv', 'out/run'], files: { 's.toml': 'name = "t"\n[operations]\nstore_weight = 1.0\n' }, line: /./ });
  assert.ok(noArrival.result.code === 0 || noArrival.result.code === 1, noArrival.result.stderr);
  assert.match(noArrival.result.stdout, /open model: constant arrivals, mean 10 ops\/s/);
});
