import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkWritable, createOutputDirectories, defaultRunName, resolveOutputPaths } from '../../../src/report/output-paths.js';

const NOW = new Date(2024, 0, 2, 3, 4, 5); // local time, so the test holds in every time zone

test('default names follow the seed: results/load_test_<YYYYmmdd_HHMMSS> + suffix', () => {
  assert.equal(defaultRunName(NOW), 'load_test_20240102_030405');
  assert.deepEqual(resolveOutputPaths({ now: NOW }), {
    runPrefix: join('results', 'load_test_20240102_030405'),
    csvPrefix: join('results', 'load_test_20240102_030405'),
    stats: join('results', 'load_test_20240102_030405_stats.csv'),
    statsHistory: join('results', 'load_test_20240102_030405_stats_history.csv'),
    failures: join('results', 'load_test_20240102_030405_failures.csv'),
    exceptions: join('results', 'load_test_20240102_030405_exceptions.csv'),
    customMetrics: join('results', 'load_test_20240102_030405_custom_metrics.csv'),
    operations: join('results', 'load_test_20240102_030405_operations.csv'),
    resources: join('results', 'load_test_20240102_030405_resources.csv'),
    html: join('results', 'load_test_20240102_030405.html'),
    json: join('results', 'load_test_20240102_030405.json'),
    log: join('results', 'load_test_20240102_030405.log'),
  });
});

test('--csv, --html, --json and --results-dir override', () => {
  const p = resolveOutputPaths({ now: NOW, csvPrefix: 'out/run', html: 'r.html', json: 'x/r.json', resultsDir: 'elsewhere' });
  assert.equal(p.stats, 'out/run_stats.csv');
  assert.equal(p.statsHistory, 'out/run_stats_history.csv');
  assert.equal(p.failures, 'out/run_failures.csv');
  assert.equal(p.exceptions, 'out/run_exceptions.csv');
  assert.equal(p.customMetrics, 'out/run_custom_metrics.csv');
  assert.equal(p.resources, 'out/run_resources.csv');
  assert.equal(p.operations, 'out/run_operations.csv');
  assert.equal(p.html, 'r.html');
  assert.equal(p.json, 'x/r.json');
  assert.equal(p.log, join('elsewhere', 'load_test_20240102_030405.log'));
  assert.equal(resolveOutputPaths({ now: NOW, resultsDir: 'elsewhere' }).html, join('elsewhere', 'load_test_20240102_030405.html'));
  // --logfile (Locust's flag) names the log alone; the other files stay where they were.
  const logged = resolveOutputPaths({ now: NOW, csvPrefix: 'out/run', logfile: 'logs/brood.log' });
  assert.equal(logged.log, 'logs/brood.log');
  assert.equal(logged.json, 'out/run.json');
});

test('checkWritable creates nothing (a run refused later leaves no directory); createOutputDirectories makes them, with no probe file left', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'brood-paths-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const paths = resolveOutputPaths({ now: NOW, resultsDir: join(dir, 'a', 'b') });
  assert.deepEqual(checkWritable(paths), []);
  assert.deepEqual(readdirSync(dir), [], 'no directory and no probe file after the check');
  assert.deepEqual(createOutputDirectories(paths, [join(dir, 'traces', 't.jsonl')]), []);
  assert.deepEqual(readdirSync(join(dir, 'a', 'b')), []);
  assert.deepEqual(readdirSync(join(dir, 'traces')), [], 'the --record-trace directory too');
});

test('checkWritable judges a missing directory by its deepest existing ancestor', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'brood-paths-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'file'), 'x');
  const under = checkWritable(resolveOutputPaths({ now: NOW, resultsDir: join(dir, 'file', 'x', 'y') }));
  assert.equal(under.length, 1, under.join('\n'));
  assert.match(under[0] ?? '', /^cannot create results directory .*file[/\\]x[/\\]y \(ENOTDIR\)/);
  assert.deepEqual(readdirSync(dir), ['file']);
});

test('createOutputDirectories undoes what it made when one directory cannot be made', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'brood-paths-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'file'), 'x');
  const paths = resolveOutputPaths({ now: NOW, resultsDir: join(dir, 'new', 'deeper'), html: join(dir, 'file', 'sub', 'r.html') });
  assert.equal(createOutputDirectories(paths).length, 1);
  assert.deepEqual(readdirSync(dir), ['file'], 'new/deeper removed again');
});

test('checkWritable reports each unusable path in one line', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'brood-paths-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'file'), 'x');
  mkdirSync(join(dir, 'adir'));
  const paths = resolveOutputPaths({ now: NOW, resultsDir: join(dir, 'file', 'sub'), html: join(dir, 'adir') });
  const problems = checkWritable(paths);
  assert.equal(problems.length, 2, problems.join('\n'));
  assert.match(problems[0] ?? '', /adir is a directory/);
  assert.match(problems[1] ?? '', /^cannot create results directory .*file[/\\]sub \(ENOTDIR\)/);
  for (const p of problems) assert.doesNotMatch(p, /\n/);
});

test('--csv PREFIX alone keeps the whole run (JSON, HTML, log) beside the CSVs', () => {
  const p = resolveOutputPaths({ now: NOW, csvPrefix: join('out', 'run') });
  assert.equal(p.log, join('out', 'run') + '.log');
  assert.equal(p.json, join('out', 'run') + '.json');
  assert.equal(p.html, join('out', 'run') + '.html');
  assert.equal(p.stats, join('out', 'run') + '_stats.csv');
});

test('a refused set of paths leaves no directory behind', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'brood-paths-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'adir'));
  const paths = resolveOutputPaths({ now: NOW, resultsDir: join(dir, 'new', 'deeper'), html: join(dir, 'adir') });
  assert.equal(checkWritable(paths).length, 1);
  assert.deepEqual(readdirSync(dir), ['adir'], 'new/deeper never made');
});
