import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveOutputPaths } from '../../../../src/report/output-paths.js';
import { RunLog } from '../../../../src/report/run-log.js';
import { StatsRegistry } from '../../../../src/stats/registry.js';
import { RunOutputs } from '../../../../src/runner/job/run-outputs.js';
import { StatsResets } from '../../../../src/runner/job/stats-resets.js';

const START = 1_700_000_000_000;

function setUp(t: { after(fn: () => Promise<void>): void }): { resets: StatsResets; stats: StatsRegistry; outputs: RunOutputs; printed: string[]; log: () => string; csv: () => string } {
  const dir = mkdtempSync(join(tmpdir(), 'brood-resets-'));
  const paths = resolveOutputPaths({ resultsDir: dir, now: new Date(START) });
  let now = START;
  const stats = new StatsRegistry(() => now, { startWallMs: START });
  const outputs = new RunOutputs(paths, stats, false);
  const log = new RunLog(paths.log, { now: () => now });
  t.after(async () => {
    log.close();
    // The interval's CSV rewrites finish off the main thread: removing the directory before they
    // land raced with their temporary files (ENOTEMPTY, seen in CI).
    await outputs.settled();
    rmSync(dir, { recursive: true, force: true });
  });
  const printed: string[] = [];
  const resets = new StatsResets({ stats, outputs, log, print: (line) => printed.push(line), startWallMs: () => START });
  // Two requests before any reset, one history interval written at START + 2 s.
  now = START + 1000;
  stats.recordSuccess('GET', '/a', 10, 1);
  stats.recordSuccess('GET', '/a', 20, 1);
  now = START + 2000;
  outputs.interval(Math.floor(now / 1000), 5, now);
  return { resets, stats, outputs, printed, log: () => readFileSync(paths.log, 'utf8'), csv: () => readFileSync(paths.stats, 'utf8') };
}

test('--reset-stats waits for the ramp, resets at the next interval once, and says so on the console and in the log', (t) => {
  const { resets, stats, printed, log, csv } = setUp(t);
  resets.afterInterval(5, 1_700_000_002, START + 2000);
  assert.equal(resets.atWallMs, null, 'no reset before the ramp ended');
  assert.equal(stats.summaries(START + 2000).aggregated.numRequests, 2);

  resets.rampEnded(true);
  resets.afterInterval(5, 1_700_000_003, START + 3000);
  assert.equal(resets.atWallMs, START + 3000);
  assert.equal(resets.historyRow, 1_700_000_003);
  assert.equal(stats.summaries(START + 3000).aggregated.numRequests, 0);
  assert.match(csv(), /Aggregated,0,0,/, 'the CSVs are rewritten at once');
  assert.deepEqual(printed, ['Statistics reset at 3.0 s with 5 users running (--reset-stats): the summary, CSV totals and targets cover the run from here']);
  assert.match(log(), /INFO Statistics reset at 3\.0 s with 5 users running/);

  // A shape's later targets do not reset again.
  stats.recordSuccess('GET', '/a', 30, 1);
  resets.rampEnded(true);
  resets.afterInterval(5, 1_700_000_004, START + 4000);
  assert.equal(resets.atWallMs, START + 3000);
  assert.equal(stats.summaries(START + 4000).aggregated.numRequests, 1);
});

test('without --reset-stats the ramp\'s end resets nothing', (t) => {
  const { resets, stats } = setUp(t);
  resets.rampEnded(false);
  resets.afterInterval(5, 1_700_000_003, START + 3000);
  assert.equal(resets.atWallMs, null);
  assert.equal(resets.historyRow, null);
  assert.equal(stats.summaries(START + 3000).aggregated.numRequests, 2);
});

test('the web UI\'s reset happens at once, at the last history row written, and is logged only', (t) => {
  const { resets, stats, printed, log } = setUp(t);
  resets.now(START + 2500);
  assert.equal(resets.atWallMs, START + 2500);
  assert.equal(resets.historyRow, 1_700_000_002);
  assert.equal(stats.summaries(START + 2500).aggregated.numRequests, 0);
  assert.deepEqual(printed, []);
  assert.match(log(), /INFO Statistics reset at 2\.5 s from the web UI/);
});
