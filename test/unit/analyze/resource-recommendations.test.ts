/**
 * The server-resource recommendations (issue 23) on made-up readings, summarized as the runner
 * summarizes them: each fires on its evidence and cites it, and none fires on a healthy run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyzeRun } from '../../../analyze/analysis-report.js';
import { DEFAULT_BASELINE_OPTIONS } from '../../../analyze/baseline-compare.js';
import type { LoadedResources } from '../../../analyze/loaded-run.js';
import type { Recommendation } from '../../../analyze/recommendation.js';
import { resourceRecommendations } from '../../../analyze/resource-recommendations.js';
import { loadRun } from '../../../analyze/run-loader.js';
import { BYTES_PER_MB, type ResourceSample, type SourceInfo } from '../../../src/monitor/resource-sample.js';
import { summarizeResources } from '../../../src/monitor/resource-summary.js';
import { REPO_ROOT } from '../../helpers/cli.js';

/** One reading a second for `seconds`: each field a function of the second (1-based). */
interface Reading {
  users: (t: number) => number;
  rssMb?: (t: number) => number;
  cpu?: (t: number) => number;
  openFiles?: (t: number) => number;
  gap?: (t: number) => string | null;
}

function readings(source: number, seconds: number, r: Reading): ResourceSample[] {
  return Array.from({ length: seconds }, (_, i) => {
    const t = i + 1;
    const gap = r.gap?.(t) ?? null;
    return {
      timestamp: 1_700_000_000 + t, elapsedSec: t, userCount: r.users(t), source,
      rssBytes: gap === null ? (r.rssMb?.(t) ?? 100) * BYTES_PER_MB : null,
      cpuPercent: gap === null ? (r.cpu?.(t) ?? 20) : null,
      threads: gap === null ? 11 : null,
      openFiles: gap === null ? (r.openFiles?.(t) ?? 30) : null,
      metrics: [],
      gap,
    };
  });
}

const PID: SourceInfo = { name: 'pid 42 (node)', kind: 'pid' };
const URL: SourceInfo = { name: 'http://api:9100/metrics', kind: 'url' };

/** What the loader gives: the summary and, unless `jsonOnly`, the readings. */
function loaded(sources: readonly SourceInfo[], samples: readonly ResourceSample[], jsonOnly = false): LoadedResources {
  return {
    origin: jsonOnly ? 'run.json' : 'run_resources.csv', recomputed: !jsonOnly,
    summary: summarizeResources(sources, samples, [], null),
    samples: jsonOnly ? [] : samples, sources: sources.map((s) => s.name), metricNames: [],
  };
}

const only = (recs: readonly Recommendation[], rule: Recommendation['rule']): Recommendation => {
  const found = recs.filter((r) => r.rule === rule);
  assert.equal(found.length, 1, JSON.stringify(recs, null, 1));
  return found[0] as Recommendation;
};

const STEPS = (t: number): number => 100 * Math.ceil(t / 10);

const CASES: ReadonlyArray<{ name: string; resources: LoadedResources; rule: Recommendation['rule']; severity: Recommendation['severity']; title: string; evidence: RegExp }> = [
  {
    name: 'RSS growing at a flat user count',
    resources: loaded([PID], readings(0, 60, { users: () => 50, rssMb: (t) => 100 + t / 2 })),
    rule: 'memory-growth', severity: 'medium',
    title: 'RSS grew 30 MB/min while the user count was flat: a leak is likely',
    evidence: /^pid 42 \(node\): RSS 100\.5 → 130 MB \(peak 130 MB\); \+30 MB\/min over 49 readings from 12 s to 60 s \(r² 1, warm-up 12 s\) with 50 users$/,
  },
  {
    name: 'RSS growing while users are added',
    resources: loaded([PID], readings(0, 60, { users: (t) => 10 * t, rssMb: (t) => 100 + t * 1.5 })),
    rule: 'memory-growth', severity: 'medium',
    title: 'RSS grew 90 MB/min while the user count rose from 120 to 600: memory may follow load',
    evidence: /with 120–600 users$/,
  },
  {
    name: 'CPU at the limit from a user-count step (one spike before it does not count)',
    resources: loaded([PID], readings(0, 40, { users: STEPS, cpu: (t) => (t === 15 ? 95 : [30, 55, 85, 95][Math.ceil(t / 10) - 1] ?? 0) })),
    rule: 'cpu-limit', severity: 'medium',
    title: 'CPU above 80 % from 300 users: the capacity limit is CPU',
    evidence: /^pid 42 \(node\): 85 %, 85 %, 85 % in 3 readings in a row from 21 s at 300 users; CPU mean 67\.3 %, p95 95 %, max 95 % over the run$/,
  },
  {
    name: 'the same run from its JSON alone: no readings say from when',
    resources: loaded([PID], readings(0, 40, { users: STEPS, cpu: (t) => [30, 55, 85, 95][Math.ceil(t / 10) - 1] ?? 0 }), true),
    rule: 'cpu-limit', severity: 'medium',
    title: 'CPU p95 was 95 %: near the capacity limit',
    evidence: /the user count where it began is unknown/,
  },
  {
    name: 'open files climbing',
    resources: loaded([PID], readings(0, 30, { users: () => 20, openFiles: (t) => 20 + 4 * t })),
    rule: 'descriptor-leak', severity: 'medium',
    title: 'Open files rose from 24 to 140: a file descriptor leak is possible',
    evidence: /24 open files at the start, 140 at most, 140 at the end \(30 readings\)/,
  },
  {
    name: 'the server stopped answering for a while',
    resources: loaded([PID], readings(0, 40, { users: () => 20, gap: (t) => (t >= 31 && t <= 35 ? 'process 42 is gone' : null) })),
    rule: 'monitor-gap', severity: 'high',
    title: 'The server stopped answering at 31 s (5 readings missing): check whether it crashed or was restarted',
    evidence: /^pid 42 \(node\): "process 42 is gone" at 31 s with 20 users, answering again at 36 s; 5 of 40 readings missing$/,
  },
];

for (const c of CASES) {
  test(`resource recommendation: ${c.name}`, () => {
    const rec = only(resourceRecommendations(c.resources), c.rule);
    assert.equal(rec.title, c.title);
    assert.equal(rec.severity, c.severity);
    assert.match(rec.evidence, c.evidence);
    assert.ok(rec.advice.length > 0);
  });
}

test('nothing fires on a healthy run: flat RSS, CPU 40 %, steady open files, no gaps', () => {
  const healthy = loaded([PID, URL], [...readings(0, 60, { users: () => 50, rssMb: (t) => 100 + (t % 3), cpu: () => 40 }), ...readings(1, 60, { users: () => 50, cpu: () => 40 })]);
  assert.deepEqual(resourceRecommendations(healthy), []);
  assert.deepEqual(resourceRecommendations(null), []);
});

test('below each threshold nothing fires', () => {
  const cases: Array<[string, LoadedResources]> = [
    ['growth under 10 MB/min', loaded([PID], readings(0, 60, { users: () => 50, rssMb: (t) => 100 + t / 10 }))],
    ['CPU ≥ 80 % for only two readings in a row', loaded([PID], readings(0, 40, { users: () => 50, cpu: (t) => (t % 3 === 0 ? 20 : 90) }))],
    ['open files tripled but only +40', loaded([PID], readings(0, 30, { users: () => 20, openFiles: (t) => (t < 15 ? 20 : 60) }))],
    ['open files +80 but not doubled', loaded([PID], readings(0, 30, { users: () => 20, openFiles: (t) => (t < 15 ? 100 : 180) }))],
  ];
  for (const [name, resources] of cases) assert.deepEqual(resourceRecommendations(resources).map((r) => r.title), [], name);
});

test('two sources watching one server: the rule speaks once, of the stronger evidence, naming the other', () => {
  const both = loaded([PID, URL], [
    ...readings(0, 60, { users: () => 50, rssMb: (t) => 100 + t / 2 }),
    ...readings(1, 60, { users: () => 50, rssMb: (t) => 100 + t }),
  ]);
  const rec = only(resourceRecommendations(both), 'memory-growth');
  assert.equal(rec.title, 'RSS grew 60 MB/min while the user count was flat: a leak is likely');
  assert.match(rec.evidence, /^http:\/\/api:9100\/metrics: .*; also pid 42 \(node\): \+30 MB\/min$/);
  assert.equal(rec.severity, 'high', 'above the 50 MB/min alert level');
});

test("the recorded runs: the leaking server's run gets the leak recommendation, the flat one none", () => {
  const options = { targets: null, baseline: null, baselineOptions: DEFAULT_BASELINE_OPTIONS };
  const dir = join(REPO_ROOT, 'test', 'fixtures', 'analyze', 'resources');
  const leak = analyzeRun(loadRun(join(dir, 'leak')), options);
  assert.equal(only(leak.recommendations, 'memory-growth').title, 'RSS grew 115.8 MB/min while the user count was flat: a leak is likely');
  const flat = analyzeRun(loadRun(join(dir, 'flat')), options);
  const rules = new Set<string>(['memory-growth', 'cpu-limit', 'descriptor-leak', 'monitor-gap']);
  assert.deepEqual(flat.recommendations.filter((r) => rules.has(r.rule)), []);
});
