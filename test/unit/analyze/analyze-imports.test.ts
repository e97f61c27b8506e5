/**
 * analyze/ reads result files only (STYLE.md): loading analyze-results must not load the runner,
 * the HTTP client, the CLI, the user classes or their libraries (undici, faker). Checked on what
 * Node actually loads, so an import added anywhere in the chain (a scenario's user classes pulled
 * in for its targets, say) is caught, not only a direct one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../../helpers/cli.js';

const PROBE = join(REPO_ROOT, 'test', 'fixtures', 'analyze', 'load-probe.mjs');
const ROOT_URL = pathToFileURL(REPO_ROOT).href;

/** Repo-relative paths (or node:… ids) of every module loaded by importing `module`. */
function loadedBy(module: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'brood-loads-'));
  try {
    const out = join(dir, 'loaded.txt');
    const run = spawnSync(process.execPath, [PROBE, module, out], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 30_000 });
    assert.equal(run.status, 0, run.stderr);
    const urls = readFileSync(out, 'utf8').split('\n').filter((l) => l !== '');
    return [...new Set(urls.map((u) => (u.startsWith(ROOT_URL) ? fileURLToPath(u).slice(REPO_ROOT.length) : u)))];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const FORBIDDEN: ReadonlyArray<[string, RegExp]> = [
  ['undici', /node_modules\/undici\//],
  ['faker', /node_modules\/@faker-js\//],
  ['the runner', /^dist\/src\/runner\//],
  ['the HTTP client', /^dist\/src\/http\//],
  ['the CLI', /^dist\/src\/(cli|loading)\//],
  ['the user classes', /^dist\/users\//],
  ['scenarios/ beyond its target table', /^dist\/scenarios\/(?!scenario-targets\.js$)/],
];

const forbiddenIn = (loaded: readonly string[]): string[] =>
  FORBIDDEN.flatMap(([what, pattern]) => loaded.filter((m) => pattern.test(m)).map((m) => `${what}: ${m}`));

test("analyze-results' entry loads no runner, HTTP client, CLI, user classes, undici or faker", () => {
  const loaded = loadedBy(join(REPO_ROOT, 'dist', 'analyze', 'cli.js'));
  assert.ok(loaded.includes('dist/analyze/cli.js'), 'the probe saw the entry itself');
  assert.ok(loaded.includes('dist/scenarios/scenario-targets.js'), 'scenario targets come from the data module');
  assert.ok(loaded.some((m) => m.includes('node_modules/csv-parse/')), 'the probe sees packages');
  assert.deepEqual(forbiddenIn(loaded), []);
});

test('the same probe sees undici and faker where they are loaded (the check above can fail)', () => {
  const loaded = loadedBy(join(REPO_ROOT, 'dist', 'scenarios', 'index.js'));
  const found = new Set(forbiddenIn(loaded).map((f) => f.slice(0, f.indexOf(':'))));
  for (const what of ['undici', 'faker', 'the HTTP client', 'the user classes']) assert.ok(found.has(what), what);
});
