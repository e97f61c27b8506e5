/**
 * Start-up (issue 5, target 6: `--help` under 300 ms, bench/startup.ts): what the CLI loads before
 * it knows it will run a test. `--help` and a bad option load commander and the option checks, not
 * the public API with every protocol's client (undici, @grpc/grpc-js, ws…), which made `--help`
 * take ~300 ms instead of ~100. A module loader hook (node:module register) lists every module the
 * process loads through the ESM loader.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'brood-startup-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const hooks = join(dir, 'hooks.mjs');
writeFileSync(hooks, `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(process.env.BROOD_TEST_LOADED, url + '\\n');
  return next(url, context);
}
`);
const register = join(dir, 'register.mjs');
writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);

/** Runs the CLI with the hook; returns its exit code and the modules it loaded. */
async function loadedBy(name: string, args: readonly string[]): Promise<{ code: number | null; stderr: string; loaded: string[] }> {
  const list = join(dir, `${name}.txt`);
  const r = await runCli(args, { env: { NODE_OPTIONS: `--import=${pathToFileURL(register).href}`, BROOD_TEST_LOADED: list }, timeoutMs: 30_000 });
  const loaded = existsSync(list) ? readFileSync(list, 'utf8').trim().split('\n') : [];
  return { code: r.code, stderr: r.stderr, loaded };
}

// What a run needs and a usage answer does not: the public API, the protocol clients and runner,
// and their packages (the option checks' own small modules under http/ or report/ are fine).
const HEAVY = [
  /\/dist\/src\/index\.js$/,
  /\/dist\/src\/(grpc|ws|runner|stats)\//,
  /\/dist\/src\/http\/(client|dispatchers|cookie-jar)\.js$/,
  /\/dist\/src\/loading\/resolve-test\.js$/,
  /node_modules\/(undici|@grpc|ws|ioredis|hdr-histogram-js|tough-cookie|ejs|csv-stringify)\//,
];

function heavyIn(loaded: readonly string[]): string[] {
  return loaded.filter((u) => HEAVY.some((re) => re.test(u)));
}

test('--help loads the option parser, not the public API or any protocol client', async () => {
  const r = await loadedBy('help', ['--help']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.loaded.some((u) => u.includes('/dist/src/cli/main.js')), `the hook saw the CLI load: ${r.loaded.length} modules`);
  assert.deepEqual(heavyIn(r.loaded), []);
});

test('a bad option is refused (exit 2) before the public API or any protocol client is loaded', async () => {
  const r = await loadedBy('bad', ['-u', 'many', '-t', '1s']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /^error: .*users/im);
  assert.deepEqual(heavyIn(r.loaded), []);
});

test('a run loads them (the check above can see them), but not the broker client a run without one never uses', async () => {
  const r = await loadedBy('run', ['--scenario', 'memory', '-u', '1', '-r', '1', '-t', '1s', '--only-summary', '--csv', join(dir, 'run')]);
  // Exit 1: the scenario's pass/fail targets, which a one-user second need not meet; the run ran.
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  assert.ok(existsSync(join(dir, 'run_stats.csv')), 'the run wrote its stats');
  assert.ok(heavyIn(r.loaded).some((u) => u.includes('/dist/src/http/')), 'the HTTP client was loaded for a run');
  // The broker's client is for --master and --worker runs only.
  assert.deepEqual(r.loaded.filter((u) => /node_modules\/ioredis\/|\/dist\/src\/(broker\/broker-connection|runner\/remote\/remote-(master|run|worker))\.js$/.test(u)), []);
});
