/**
 * Resource targets on analysis (issue 23): judged on the run's `worst` source as the runner judges
 * them, missed (measured null) on a run nothing watched; the memory scenario takes the soak limits
 * on a watched run; the rebuilt HTML report gets the resources and their readings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyzeRun } from '../../../analyze/analysis-report.js';
import { DEFAULT_BASELINE_OPTIONS } from '../../../analyze/baseline-compare.js';
import type { LoadedRun } from '../../../analyze/loaded-run.js';
import { reportInput } from '../../../analyze/report-data.js';
import { loadRun } from '../../../analyze/run-loader.js';
import { targetsForRun, targetsFromSpec, type TargetSource } from '../../../analyze/target-source.js';
import { SOAK_TARGETS, scenarioTargets } from '../../../scenarios/scenario-targets.js';
import { REPO_ROOT } from '../../helpers/cli.js';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'analyze');
const RESOURCE_TARGETS: TargetSource = {
  origin: 'test',
  targets: [
    { metric: 'memory_growth_mb_per_min', comparator: '<', threshold: 10 },
    { metric: 'cpu_percent_p95', comparator: '<', threshold: 80 },
    { metric: 'rss_mb', comparator: '<', threshold: 80 },
  ],
};
const analyze = (run: LoadedRun, targets: TargetSource) => analyzeRun(run, { targets, baseline: null, baselineOptions: DEFAULT_BASELINE_OPTIONS });

test("resource targets are judged on the worst watched source's figures", () => {
  const leak = analyze(loadRun(join(FIXTURES, 'resources', 'leak')), RESOURCE_TARGETS);
  assert.deepEqual(leak.targets?.results.map((t) => [t.metric, t.measured, t.met]), [
    ['memory_growth_mb_per_min', 115.832, false],
    ['cpu_percent_p95', 5.762, true],
    ['rss_mb', 83.797, false],
  ]);
  assert.equal(leak.passed, false);
  const flat = analyze(loadRun(join(FIXTURES, 'resources', 'flat')), RESOURCE_TARGETS);
  assert.deepEqual(flat.targets?.results.map((t) => t.met), [true, true, true]);
});

test('a resource target on a run nothing watched is missed, measured null, and the notes say why', () => {
  const report = analyze(loadRun(join(FIXTURES, 'step_stats.csv')), RESOURCE_TARGETS);
  assert.deepEqual(report.targets?.results.map((t) => [t.measured, t.met]), [[null, false], [null, false], [null, false]]);
  assert.ok(report.notes.some((n) => /No server resources in this run/.test(n)), report.notes.join(' | '));
  assert.equal(report.resources, undefined, 'no resources key: the JSON of such a run is as before');
});

test('the memory scenario takes the soak limits on a run that watched a server, as the runner does', () => {
  const watched = loadRun(join(FIXTURES, 'resources', 'leak'));
  const memory = targetsForRun(watched, targetsFromSpec('memory'));
  assert.deepEqual(memory?.targets, [...scenarioTargets('memory'), ...SOAK_TARGETS]);
  assert.match(memory?.origin ?? '', /soak limits/);
  const unwatched = loadRun(join(FIXTURES, 'step_stats.csv'));
  assert.deepEqual(targetsForRun(unwatched, targetsFromSpec('memory'))?.targets, scenarioTargets('memory'));
  assert.deepEqual(targetsForRun(watched, targetsFromSpec('api'))?.targets, scenarioTargets('api'));
  const demoOnly = { ...watched, resources: { ...watched.resources, summary: { ...watched.resources?.summary, sources: [{ name: 'demo server' }] } } } as unknown as LoadedRun;
  assert.deepEqual(targetsForRun(demoOnly, targetsFromSpec('memory'))?.targets, scenarioTargets('memory'), 'the demo server alone grows by design');
});

test("the rebuilt HTML report's data: the summary, the CSV's readings and judged resource targets", () => {
  const run = loadRun(join(FIXTURES, 'resources', 'leak'));
  const input = reportInput(run, RESOURCE_TARGETS, 0);
  assert.equal(input.resources?.samples.length, 24);
  assert.deepEqual(input.resources?.sources, ['pid 19159 (node)', 'http://127.0.0.1:46365/metrics']);
  assert.deepEqual(input.resources?.metricNames, ['leaky_kept_chunks']);
  assert.equal(input.resources?.summary.worst.memory_growth_mb_per_min, 115.832);
  assert.deepEqual(input.targets.map((t) => t.met), [false, true, false]);
  assert.equal(reportInput(loadRun(join(FIXTURES, 'step_stats.csv')), null, 0).resources, null);
});
