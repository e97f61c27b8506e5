import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RecentCounter } from '../../../src/stats/recent-counter.js';

const START_MS = 1_000_000; // second 1000

/** 5 requests and 1 failure in each second 1000..1014. */
function steady(): RecentCounter {
  const c = new RecentCounter();
  for (let s = 1000; s <= 1014; s++) {
    for (let k = 0; k < 5; k++) c.record(s * 1000 + 100 + k, k === 0);
  }
  return c;
}

describe('RecentCounter (current rates from a fixed ring)', () => {
  const cases: Array<{ label: string; nowMs: number; rps: number; fps: number }> = [
    { label: 'inside the first second: no whole second yet', nowMs: 1_000_500, rps: 0, fps: 0 },
    { label: 'three whole seconds since start', nowMs: 1_003_200, rps: 5, fps: 1 },
    { label: 'the last 10 whole seconds', nowMs: 1_015_500, rps: 5, fps: 1 },
    { label: 'half the window idle', nowMs: 1_020_000, rps: 2.5, fps: 0.5 },
    { label: 'long after the last request (stale slots ignored)', nowMs: 1_040_000, rps: 0, fps: 0 },
  ];
  for (const c of cases) {
    it(c.label, () => {
      const counter = steady();
      assert.equal(counter.requestsPerSecond(c.nowMs, START_MS), c.rps);
      assert.equal(counter.failuresPerSecond(c.nowMs, START_MS), c.fps);
    });
  }

  it('counts only the window when a burst is older than 10 s', () => {
    const c = new RecentCounter();
    for (let k = 0; k < 1000; k++) c.record(1_000_100, false); // second 1000
    c.record(1_011_100, false); // second 1011
    assert.equal(c.requestsPerSecond(1_012_000, START_MS), 0.1); // window 1002..1011
  });

  it('merges per-second counts from another counter', () => {
    const a = steady();
    const b = new RecentCounter();
    b.addAll(steady().toJSON());
    b.addAll(steady().toJSON());
    assert.equal(b.requestsPerSecond(1_015_500, START_MS), 2 * a.requestsPerSecond(1_015_500, START_MS));
    assert.deepEqual(a.toJSON().seconds, [1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014]);
  });
});
