import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { liveView, type LiveSources } from '../../../../src/runner/job/job-live.js';
import { StatsRegistry } from '../../../../src/stats/registry.js';

const START = 1_700_000_000_000;

function sources(stats: StatsRegistry, nowWallMs: number): LiveSources {
  return {
    phase: 'running',
    elapsedSec: (nowWallMs - START) / 1000,
    runTimeSec: null,
    userCount: 0,
    target: null,
    classCounts: {},
    workers: null,
    stats,
    outputs: { timeline: [], endpointHistory: () => ({}) },
    targets: [{ label: 'Throughput', metric: 'rps', comparator: '>=', threshold: 4 }],
    statsDurationSec: (nowWallMs - START) / 1000,
    statsStartWallMs: START,
    resources: null,
  };
}

describe('liveView', () => {
  it('judges a rate target over the Requests/s window (start to the last request), as the final verdict does', () => {
    let wall = START;
    const stats = new StatsRegistry(() => wall, { startWallMs: START });
    // 10 requests over the first 2 s, then nothing (the users stopped sending): 5 req/s in the window.
    for (let i = 1; i <= 10; i++) {
      wall = START + i * 200;
      stats.recordSuccess('GET', '/a', 1, 0);
    }
    const now = START + 10_000;
    const [target] = liveView(sources(stats, now), now).targets;
    assert.ok(target);
    assert.equal(target.measured, 5, 'requests over the 2 s to the last request, not over the 10 s since the start');
    assert.equal(target.met, true);
  });

  it('judges a resource target on the monitor\'s figures so far, as the final verdict does; missed when nothing is watched', () => {
    const stats = new StatsRegistry(() => START, { startWallMs: START });
    const cpu = { label: 'CPU', metric: 'cpu_percent' as const, comparator: '<=' as const, threshold: 50 };
    const watched = { ...sources(stats, START + 3000), targets: [cpu], resources: { memory_growth_mb_per_min: null, cpu_percent: 30, cpu_percent_p95: 40, rss_mb: 80 } };
    const [met] = liveView(watched, START + 3000).targets;
    assert.equal(met?.measured, 30);
    assert.equal(met?.met, true);
    const [missed] = liveView({ ...watched, resources: null }, START + 3000).targets;
    assert.equal(missed?.measured, null);
    assert.equal(missed?.met, false);
  });

  it('reads 0 req/s before any request, and the target is not met', () => {
    const stats = new StatsRegistry(() => START, { startWallMs: START });
    const [target] = liveView(sources(stats, START + 3000), START + 3000).targets;
    assert.equal(target?.measured, 0);
    assert.equal(target?.met, false);
  });
});
