import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { startTargetServer, type TargetServer } from '../helpers/target-server.js';

// --reset-stats (Locust's flag): the totals start again at the first interval after the ramp.
const servers: TargetServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

interface ResetJson {
  run: { stats_reset_at: string | null; stats_reset_after_secs: number | null; stats_reset_history_timestamp: number | null; duration_secs: number; start_wall_ms: number; end_wall_ms: number };
  summary: { total_operations: number; total_failures: number; duration_secs: number; throughput_ops_sec: number };
  history: Array<{ timestamp: number; total_requests: number }>;
}

const aggregatedCells = (prefix: string): string[] =>
  (readFileSync(`${prefix}_stats.csv`, 'utf8').split('\r\n').find((l) => l.startsWith(',Aggregated,')) ?? '').split(',');

for (const processes of ['1', '2']) {
  test(`--reset-stats (--processes ${processes}): the ramp is in the history only; before + after = what the server got`, async () => {
    const target = await startTargetServer({ status: (req) => (req.url === '/admin' ? 500 : 200) });
    servers.push(target);
    const dir = mkdtempSync(join(tmpdir(), 'brood-reset-'));
    const prefix = join(dir, 'run');
    const r = await runCli(['-f', 'test/fixtures/plain-tasks.mjs', '-H', target.url, '-u', '4', '-r', '2', '-t', '5s', '--reset-stats', '--processes', processes, '--csv', prefix, '--only-summary']);
    assert.equal(r.code, 1, `failures with no targets → 1; ${r.stderr}`);
    assert.match(r.stdout, /^Statistics reset at [\d.]+ s with 4 users running \(--reset-stats\)/m);
    const json = JSON.parse(readFileSync(`${prefix}.json`, 'utf8')) as ResetJson;
    const resetAfter = json.run.stats_reset_after_secs ?? Number.NaN;
    // Users start at 0, 0.5, 1 and 1.5 s: the reset comes at the next interval boundary.
    assert.ok(resetAfter >= 1.5 && resetAfter < 3.2, `reset ${resetAfter} s into the run`);
    const resetSec = Math.floor(Date.parse(json.run.stats_reset_at ?? '') / 1000);
    const rows = readFileSync(`${prefix}_stats_history.csv`, 'utf8').trim().split('\r\n').slice(1).map((l) => l.split(','));
    // The row written at the reset holds everything before it. Its timestamp is the reset's second,
    // or the next one: a history timer that fired late and then on time rolls twice within one
    // second, and the second roll takes the next second's timestamp (a history never repeats one).
    const resetRowSec = json.run.stats_reset_history_timestamp ?? Number.NaN;
    assert.ok(resetRowSec === resetSec || resetRowSec === resetSec + 1, `reset row at ${resetRowSec}, reset at ${resetSec}`);
    const resetRow = rows.findIndex((c) => Number(c[0]) === resetRowSec);
    assert.ok(resetRow >= 0, `a history row at ${resetRowSec}`);
    const before = Number(rows[resetRow]?.[17]);
    const cells = aggregatedCells(prefix);
    const after = Number(cells[2]);
    assert.ok(before > 0 && after > 0, `requests before (${before}) and after (${after}) the reset`);
    // Exact: every request the server answered is either in the history row at the reset or in the totals after it.
    assert.equal(before + after, target.total(), 'nothing lost or counted twice at the reset');
    assert.equal(Number(rows.at(-1)?.[17]), after, 'the last history row totals the run since the reset');
    assert.equal(json.summary.total_operations, after);
    // Failures started again too: the failures CSV holds only those after the reset.
    const failures = readFileSync(`${prefix}_failures.csv`, 'utf8').trim().split('\r\n').slice(1)
      .reduce((sum, l) => sum + Number(l.split(',')[3]), 0);
    assert.equal(failures, Number(cells[3]));
    assert.equal(json.summary.total_failures, failures);
    // Rates and throughput are over the span the totals cover, not the whole run.
    // The wall-clock start is the run's start (after the workers are up), as its duration counts it:
    // with --processes 2 it used to be taken before the workers started, and every offset from it was long.
    const wallSecs = (json.run.end_wall_ms - json.run.start_wall_ms) / 1000;
    assert.ok(Math.abs(wallSecs - json.run.duration_secs) < 0.1, `start→end ${wallSecs} s on the wall clock, duration ${json.run.duration_secs} s`);
    const span = json.run.duration_secs - resetAfter;
    assert.ok(Math.abs(json.summary.duration_secs - span) < 1e-6, `summary span ${json.summary.duration_secs} vs ${span}`);
    assert.ok(Math.abs(json.summary.throughput_ops_sec - after / span) < 1e-6);
    const csvRps = Number(cells[9]);
    // Locust's Requests/s runs from the reset to the last request: never longer than the span after
    // the reset (the whole run would be ≥ 1.5 s longer), and shorter only by the stop at the end,
    // which a loaded machine (three test files at once, two workers) can stretch past a second.
    assert.ok(csvRps > after / (span + 0.05) && csvRps < after / Math.max(0.5, span - 1.5), `Requests/s ${csvRps} over ~${span.toFixed(2)} s after the reset, not the whole run`);
    assert.match(readFileSync(`${prefix}.html`, 'utf8'), /Statistics reset/);
    // The analyzer says so and rates over the same span.
    const analysis = await runCli([`${prefix}.json`, '--format', 'json'], { bin: join(REPO_ROOT, 'bin', 'analyze-results.js') });
    const report = JSON.parse(analysis.stdout) as { summary: { requests: number; durationSecs: number }; notes: string[] };
    assert.equal(report.summary.requests, after);
    assert.ok(Math.abs(report.summary.durationSecs - span) < 1e-3, `analyzer span ${report.summary.durationSecs}`);
    assert.ok(report.notes.some((n) => n.startsWith('Statistics reset ')), report.notes.join(' | '));
    // A report rebuilt from the JSON judges a throughput target over the same span: met over it, missed over the whole run.
    writeFileSync(join(dir, 'targets.json'), JSON.stringify([{ metric: 'rps', comparator: '>', threshold: (0.9 * after) / span }]));
    const rebuilt = await runCli(['report', `${prefix}.json`, '--targets', join(dir, 'targets.json'), '--output', join(dir, 'rebuilt.html')], { bin: join(REPO_ROOT, 'bin', 'analyze-results.js') });
    assert.equal(rebuilt.code, 0, rebuilt.stderr);
    assert.match(readFileSync(join(dir, 'rebuilt.html'), 'utf8'), /<td class="PASS">PASS<\/td>/);
  });
}

test('--reset-stats: a run that ends before its ramp does never resets; an open-model run refuses the flag', async () => {
  const target = await startTargetServer();
  servers.push(target);
  const dir = mkdtempSync(join(tmpdir(), 'brood-reset-'));
  const r = await runCli(['-f', 'test/fixtures/plain-tasks.mjs', '-H', target.url, '-u', '20', '-r', '2', '-t', '2s', '--reset-stats', '--csv', join(dir, 'run'), '--only-summary']);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /Statistics reset/);
  const json = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as ResetJson;
  assert.equal(json.run.stats_reset_at, null);
  assert.equal(json.summary.total_operations, target.total());
  const open = await runCli(['-f', 'test/fixtures/open-model.mjs', '-H', target.url, '-t', '1s', '--reset-stats', '--results-dir', dir]);
  assert.equal(open.code, 2);
  assert.equal(open.stderr, 'error: --reset-stats applies to runs with a user count: an open-model run has no ramp to leave out (its --window judges each window on its own)\n');
});
