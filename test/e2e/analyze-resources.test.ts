/**
 * analyze-results on runs that watched the server (issue 23), from the recorded runs in
 * test/fixtures/analyze/resources/: the "Server resources" section and the leak recommendation,
 * `resources` in --format json, resource targets judged, the CSV alone recomputed, a bad CSV line
 * refused with FILE:LINE, and the rebuilt HTML report's resources section.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../helpers/cli.js';

const ANALYZE = join(REPO_ROOT, 'bin', 'analyze-results.js');
const LEAK = 'test/fixtures/analyze/resources/leak';
const FLAT = 'test/fixtures/analyze/resources/flat';
const dir = mkdtempSync(join(tmpdir(), 'brood-analyze-resources-e2e-'));
const analyze = (args: string[]) => runCli(args, { bin: ANALYZE, timeoutMs: 30_000 });
after(() => rmSync(dir, { recursive: true, force: true }));

test('text and markdown: the Server resources section and the leak recommendation', { timeout: 30_000 }, async () => {
  const leak = await analyze([LEAK]);
  assert.equal(leak.code, 0, leak.stderr);
  assert.match(leak.stdout, /^Server resources\n={16}\nFrom test\/fixtures\/analyze\/resources\/leak\.json; RSS growth is fitted after the 2\.4 s warm-up\./m);
  assert.match(leak.stdout, /^pid 19159 \(node\)\s+57\.2 → 83\.8 \(peak 83\.8\)\s+\+115\.8\s+leak likely\s+0\.99\s+4\.3 \/ 5\.8 \/ 5\.8\s+none$/m);
  assert.match(leak.stdout, /^http:\/\/127\.0\.0\.1:46365\/metrics: leaky_kept_chunks 54 → 163 \(min 54, max 163\)$/m);
  assert.match(leak.stdout, /\[high\] RSS grew 115\.8 MB\/min while the user count was flat: a leak is likely/);
  const flat = await analyze([FLAT]);
  assert.match(flat.stdout, /^pid 19705 \(node\)\s+46\.2 → 50\.8 \(peak 51\.9\)\s+-9\.3\s+flat\s/m);
  assert.match(flat.stdout, /Nothing to recommend/);
  const md = await analyze([LEAK, '--format', 'markdown']);
  assert.match(md.stdout, /^## Server resources$/m);
  assert.match(md.stdout, /^\| pid 19159 \(node\) \| 57\.2 → 83\.8 \(peak 83\.8\) \| \+115\.8 \| leak likely \|/m);
});

test('--format json carries the resources block; a run that watched nothing has none', { timeout: 30_000 }, async () => {
  const r = await analyze([LEAK, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { resources: { origin: string; warm_up_sec: number; sources: Array<{ name: string; growth_verdict: string }>; worst: Record<string, number> } };
  const fromRun = (JSON.parse(readFileSync(join(REPO_ROOT, `${LEAK}.json`), 'utf8')) as { resources: object }).resources;
  assert.deepEqual(report.resources, { origin: `${LEAK}.json`, ...fromRun });
  const none = await analyze(['test/fixtures/analyze/step_stats.csv', '--format', 'json']);
  assert.equal('resources' in (JSON.parse(none.stdout) as object), false);
});

test('resource targets from a file are judged: the leak misses, the flat run passes', { timeout: 30_000 }, async () => {
  const targets = join(dir, 'soak.json');
  writeFileSync(targets, JSON.stringify([
    { metric: 'memory_growth_mb_per_min', comparator: '<', threshold: 10 },
    { metric: 'cpu_percent', comparator: '<', threshold: 80 },
  ]));
  const leak = await analyze([LEAK, '--targets', targets]);
  assert.equal(leak.code, 1, leak.stdout);
  assert.match(leak.stdout, /^Server memory growth\s.*< 10 MB\/min\s+115\.83 MB\/min\s+FAIL$/m);
  assert.match(leak.stdout, /^Server CPU \(mean\)\s.*PASS$/m);
  assert.match(leak.stdout, /FAIL: 1 target\(s\) missed/);
  const flat = await analyze([FLAT, '--targets', targets]);
  assert.equal(flat.code, 0, flat.stdout);
  const unwatched = await analyze(['test/fixtures/analyze/step_stats.csv', '--targets', targets]);
  assert.equal(unwatched.code, 1);
  assert.match(unwatched.stdout, /No server resources in this run/);
});

test('the CSVs alone: resources recomputed from PREFIX_resources.csv, with the same verdict', { timeout: 30_000 }, async () => {
  const csvOnly = join(dir, 'csv-only');
  for (const suffix of ['_stats.csv', '_stats_history.csv', '_resources.csv']) copyFileSync(join(REPO_ROOT, `${LEAK}${suffix}`), `${csvOnly}${suffix}`);
  const r = await analyze([`${csvOnly}_resources.csv`]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Recomputed from .*csv-only_resources\.csv; RSS growth is fitted after the 2\.4 s warm-up \(the default/);
  assert.match(r.stdout, /RSS grew 11\d\.\d MB\/min while the user count was flat: a leak is likely/);
});

test('a malformed line of the resources CSV: one error naming FILE:LINE, exit 2', { timeout: 30_000 }, async () => {
  const bad = join(dir, 'bad');
  for (const suffix of ['.json', '_stats.csv', '_stats_history.csv']) copyFileSync(join(REPO_ROOT, `${LEAK}${suffix}`), `${bad}${suffix}`);
  const lines = readFileSync(join(REPO_ROOT, `${LEAK}_resources.csv`), 'utf8').split('\n');
  assert.match(lines[5] ?? '', /^1796303406,3\.022,5,pid 19159 \(node\),66\.691,5\.1,/);
  lines[5] = (lines[5] ?? '').replace(',5.1,', ',five,');
  writeFileSync(`${bad}_resources.csv`, lines.join('\n'));
  const r = await analyze([bad]);
  assert.equal(r.code, 2, r.stdout);
  assert.equal(r.stderr, `error: ${bad}_resources.csv:6: column "CPU %": "five" is not a number\n`);
  assert.equal(r.stdout, '');
});

test('analyze-results report: the rebuilt HTML report has the server resources', { timeout: 30_000 }, async () => {
  const html = join(dir, 'leak.html');
  const r = await analyze(['report', LEAK, '--output', html]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(readFileSync(html, 'utf8'), /<section id="resources">/);
});
