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
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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
writeFileSync(
  register,
  `import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
register(${JSON.stringify(pathToFileURL(hooks).href)});
const cache = createRequire(import.meta.url).cache;
process.on('exit', () => appendFileSync(process.env.BROOD_TEST_REQUIRED, Object.keys(cache).join('\\n') + '\\n'));
`,
);

/** Runs the CLI with the hook; returns its exit code and the modules it loaded. */
async function loadedBy(name: string, args: readonly string[]): Promise<{ code: number | null; stderr: string; loaded: string[]; required: string[] }> {
  const list = join(dir, `${name}.txt`);
  const requiredList = join(dir, `${name}-required.txt`);
  const env = { NODE_OPTIONS: `--import=${pathToFileURL(register).href}`, BROOD_TEST_LOADED: list, BROOD_TEST_REQUIRED: requiredList };
  const r = await runCli(args, { env, timeoutMs: 30_000 });
  const lines = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : []);
  return { code: r.code, stderr: r.stderr, loaded: lines(list), required: lines(requiredList) };
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

test('an HTTP run loads them (the check above can see them), but not the broker client nor the gRPC and WebSocket packages it never uses', async (t) => {
  // A target of the test's own: the built-in demo server serves WebSockets and gRPC itself.
  const server = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const r = await loadedBy('run', ['-f', 'test/fixtures/plain-tasks.js', '-H', host, '-u', '1', '-r', '1', '-t', '1s', '--only-summary', '--csv', join(dir, 'run')]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(existsSync(join(dir, 'run_stats.csv')), 'the run wrote its stats');
  assert.ok(heavyIn(r.loaded).some((u) => u.includes('/dist/src/http/')), 'the HTTP client was loaded for a run');
  // The broker's client is for --master and --worker runs only.
  assert.deepEqual(r.loaded.filter((u) => /node_modules\/ioredis\/|\/dist\/src\/(broker\/broker-connection|runner\/remote\/remote-(master|run|worker))\.js$/.test(u)), []);
  // gRPC's and WebSocket's packages load when a class of theirs is checked (core/lazy-package.ts):
  // an HTTP run has none. They are CommonJS, required on first use: read from require's cache.
  assert.ok(r.required.some((p) => p.includes('node_modules/undici/')), 'the require cache is read');
  assert.deepEqual(r.required.filter((p) => /node_modules\/(@grpc|ws|protobufjs)\//.test(p)), []);
});
