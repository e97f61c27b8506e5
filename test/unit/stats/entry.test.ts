import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatsEntry } from '../../../src/stats/entry.js';
import { LatencyHistogram } from '../../../src/stats/histogram.js';
import { PERCENTILES } from '../../../src/stats/types.js';

const START = 1_700_000_000_000;
const p = (q: number): number => PERCENTILES.indexOf(q as (typeof PERCENTILES)[number]);

describe('StatsEntry', () => {
  it('reports null percentiles, min, max and times before any request', () => {
    const s = new StatsEntry('GET', '/', START).summary(START + 5000);
    assert.equal(s.numRequests, 0);
    assert.equal(s.minResponseTimeMs, null);
    assert.equal(s.maxResponseTimeMs, null);
    assert.equal(s.firstRequestWallMs, null);
    assert.equal(s.lastRequestWallMs, null);
    assert.deepEqual(s.percentilesMs, PERCENTILES.map(() => null));
    assert.equal(s.currentRps, 0);
  });

  it('keeps exact counts, sum, min, max and content length (not histogram-rounded)', () => {
    const e = new StatsEntry('GET', '/', START);
    const times = [1.2345, 0.987654, 33.3333333, 7.0000001];
    times.forEach((t, i) => e.record(t, 100 + i, i === 2, START + i));
    const s = e.summary(START + 10);
    assert.equal(s.numRequests, 4);
    assert.equal(s.numFailures, 1);
    assert.equal(s.totalResponseTimeMs, 1.2345 + 0.987654 + 33.3333333 + 7.0000001);
    assert.equal(s.minResponseTimeMs, 0.987654);
    assert.equal(s.maxResponseTimeMs, 33.3333333);
    assert.equal(s.totalContentLength, 406);
    assert.equal(s.firstRequestWallMs, START);
    assert.equal(s.lastRequestWallMs, START + 3);
    assert.equal(s.percentilesMs[p(1)], 33.3333333, '100% is the exact max');
  });

  it('gives p50 ≈ 50 ms and p99 ≈ 99 ms within 0.1% for 10 000 values uniform over 1..100 ms', () => {
    const e = new StatsEntry('GET', '/', START);
    for (let i = 0; i < 10_000; i++) e.record((i % 100) + 1, 0, false, START);
    const pct = e.summary(START).percentilesMs;
    const cases: Array<[q: number, ms: number]> = [[0.5, 50], [0.66, 66], [0.75, 75], [0.9, 90], [0.95, 95], [0.99, 99], [1, 100]];
    for (const [q, ms] of cases) {
      const v = pct[p(q)];
      assert.ok(v !== null && v !== undefined && Math.abs(v - ms) <= ms * 0.001, `${q}: ${v} vs ${ms}`);
    }
  });

  it('never reports a percentile above the exact max (HDR rounds up within its bucket)', () => {
    const e = new StatsEntry('GET', '/', START);
    for (let i = 0; i < 3; i++) e.record(10, 0, false, START);
    assert.deepEqual(e.summary(START).percentilesMs, PERCENTILES.map(() => 10));
  });

  it('counts failed requests in the request count and in the percentiles, like Locust', () => {
    const e = new StatsEntry('GET', '/', START);
    for (let i = 0; i < 10; i++) e.record(1, 0, false, START);
    for (let i = 0; i < 90; i++) e.record(500, 0, true, START);
    const s = e.summary(START);
    assert.equal(s.numRequests, 100);
    assert.equal(s.numFailures, 90);
    assert.equal(s.percentilesMs[p(0.5)], 500);
  });

  it('records a response slower than 1 h at 1 h in the histogram but keeps the exact max', () => {
    const e = new StatsEntry('GET', '/slow', START);
    e.record(1, 0, false, START);
    e.record(7_200_000, 0, false, START);
    const s = e.summary(START);
    assert.equal(s.maxResponseTimeMs, 7_200_000);
    assert.equal(s.percentilesMs[p(1)], 7_200_000);
    assert.equal(s.percentilesMs[p(0.5)], 1);
    const p99 = s.percentilesMs[p(0.99)];
    assert.ok(p99 !== null && p99 !== undefined && Math.abs(p99 - 3_600_000) <= 3600, `p99 ${p99} ≈ 1 h (clamped)`);
  });

  it('computes current requests/s and failures/s from the ring over the last 10 whole seconds', () => {
    const e = new StatsEntry('GET', '/', START);
    for (let s = 0; s < 30; s++) {
      for (let k = 0; k < 20; k++) e.record(1, 0, k < 4, START + s * 1000 + k * 10);
    }
    const at30 = e.summary(START + 30_000);
    assert.equal(at30.currentRps, 20);
    assert.equal(at30.currentFailPerSec, 4);
    assert.equal(e.summary(START + 35_000).currentRps, 10, 'five idle seconds halve the rate');
  });

  it('rolls an interval: the row covers only its requests, totals keep everything', () => {
    const e = new StatsEntry('GET', '/', START);
    for (let i = 0; i < 10; i++) e.record(100, 0, i < 2, START + 100);
    const first = e.rollInterval(1_700_000_001, 7, 2, START + 2000);
    assert.equal(first.timestamp, 1_700_000_001);
    assert.equal(first.userCount, 7);
    assert.equal(first.rps, 5);
    assert.equal(first.failPerSec, 1);
    assert.equal(first.intervalPercentilesMs[p(0.5)], 100);
    assert.equal(first.total.numRequests, 10);

    for (let i = 0; i < 30; i++) e.record(5, 0, false, START + 2100);
    const second = e.rollInterval(1_700_000_002, 7, 1, START + 3000);
    assert.equal(second.rps, 30);
    assert.equal(second.failPerSec, 0);
    assert.deepEqual(second.intervalPercentilesMs, PERCENTILES.map(() => 5), 'the 100 ms requests belong to the previous interval');
    assert.equal(second.total.numRequests, 40);
    assert.equal(second.total.numFailures, 2);
    assert.equal(second.total.maxResponseTimeMs, 100);
    assert.equal(second.total.percentilesMs[p(0.8)], 100, 'cumulative percentiles still include the first interval');

    const idle = e.rollInterval(1_700_000_003, 7, 1, START + 4000);
    assert.equal(idle.rps, 0);
    assert.deepEqual(idle.intervalPercentilesMs, PERCENTILES.map(() => null));
    assert.equal(idle.total.numRequests, 40);
  });

  it('gives the same cumulative percentiles whether or not intervals were rolled', () => {
    const rolled = new StatsEntry('GET', '/', START);
    const plain = new StatsEntry('GET', '/', START);
    for (let i = 1; i <= 3000; i++) {
      rolled.record(i / 16, 0, false, START);
      plain.record(i / 16, 0, false, START);
      if (i % 700 === 0) rolled.rollInterval(0, 0, 1, START);
    }
    assert.deepEqual(rolled.summary(START), plain.summary(START));
  });

  it('shares a scratch histogram without entries disturbing each other', () => {
    const scratch = new LatencyHistogram();
    const shared = [new StatsEntry('GET', '/a', START, scratch), new StatsEntry('GET', '/b', START, scratch)];
    const alone = [new StatsEntry('GET', '/a', START), new StatsEntry('GET', '/b', START)];
    const feed = (entries: StatsEntry[]): void => {
      entries[0]?.record(1, 0, false, START);
      entries[1]?.record(900, 0, false, START);
      entries.forEach((e) => e.rollInterval(0, 0, 1, START));
      entries[0]?.record(2, 0, false, START);
      entries[1]?.record(800, 0, false, START);
    };
    feed(shared);
    feed(alone);
    const a = shared[0]?.summary(START);
    const b = shared[1]?.summary(START);
    assert.deepEqual(a, alone[0]?.summary(START));
    assert.deepEqual(b, alone[1]?.summary(START));
    assert.equal(a?.percentilesMs[p(1)], 2);
    assert.equal(b?.percentilesMs[p(1)], 900);
  });

  it('resets to empty', () => {
    const e = new StatsEntry('GET', '/', START);
    e.record(3, 10, true, START);
    e.reset();
    assert.deepEqual(e.summary(START + 5000), new StatsEntry('GET', '/', START).summary(START + 5000));
  });
});
