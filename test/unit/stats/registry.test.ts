import { performance } from 'node:perf_hooks';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LatencyHistogram } from '../../../src/stats/histogram.js';
import { StatsRegistry } from '../../../src/stats/registry.js';
import { AGGREGATED_NAME, PERCENTILES, type StatsSnapshot } from '../../../src/stats/types.js';

const START = 1_700_000_000_000;
const p = (q: number): number => PERCENTILES.indexOf(q as (typeof PERCENTILES)[number]);

/** A fake wall clock that counts its readings. */
function fakeClock(startMs = START): { now: () => number; set: (ms: number) => void; reads: () => number } {
  let t = startMs;
  let reads = 0;
  return {
    now: () => {
      reads++;
      return t;
    },
    set: (ms) => {
      t = ms;
    },
    reads: () => reads,
  };
}

describe('StatsRegistry', () => {
  it('sorts entries by (name, method) like Locust, then gives the Aggregated row', () => {
    const r = new StatsRegistry(fakeClock().now);
    const keys: Array<[string, string]> = [['GET', '/b'], ['POST', '/a'], ['GET', '/a'], ['DELETE', '/a'], ['GET', 'Z'], ['GET', 'a']];
    for (const [m, n] of keys) r.recordSuccess(m, n, 1, 0);
    const { entries, aggregated } = r.summaries(START);
    assert.deepEqual(
      entries.map((e) => `${e.method} ${e.name}`),
      ['DELETE /a', 'GET /a', 'POST /a', 'GET /b', 'GET Z', 'GET a'],
    );
    assert.equal(aggregated.method, '');
    assert.equal(aggregated.name, AGGREGATED_NAME);
    assert.equal(aggregated.numRequests, 6);
  });

  it('keeps the Aggregated row as its own histogram over every request, not a combination of rows', () => {
    const r = new StatsRegistry(fakeClock().now);
    const all = new LatencyHistogram();
    for (let i = 0; i < 60; i++) {
      r.recordSuccess('GET', '/fast', 1, 0);
      all.record(1000);
    }
    for (let i = 0; i < 40; i++) {
      r.recordSuccess('GET', '/slow', 200 + i, 0);
      all.record((200 + i) * 1000);
    }
    const { aggregated, entries } = r.summaries(START);
    assert.equal(aggregated.percentilesMs[p(0.5)], 1, 'median of all requests (an average of the rows\' medians would be ~110)');
    for (const q of [0.75, 0.9, 0.99]) {
      assert.equal(aggregated.percentilesMs[p(q)], all.valueAtPercentile(q * 100) / 1000);
    }
    assert.equal(aggregated.percentilesMs[p(1)], 239);
    assert.equal(aggregated.numRequests, entries.reduce((n, e) => n + e.numRequests, 0));
    assert.equal(aggregated.minResponseTimeMs, 1);
  });

  it('reads the clock exactly once per recorded request', () => {
    const clock = fakeClock();
    const r = new StatsRegistry(clock.now);
    const before = clock.reads();
    r.recordSuccess('GET', '/', 1, 0);
    r.recordFailure('GET', '/', 1, 0, 'HTTP 500');
    assert.equal(clock.reads() - before, 2);
  });

  it('records failures in the request stats and in the failure groups with first/last seen', () => {
    const clock = fakeClock();
    const r = new StatsRegistry(clock.now);
    r.recordSuccess('GET', '/x', 2, 10);
    clock.set(START + 1000);
    r.recordFailure('GET', '/x', 4, 0, 'HTTP 500');
    clock.set(START + 3000);
    r.recordFailure('GET', '/x', 6, 0, 'HTTP 500');
    r.recordFailure('POST', '/x', 8, 0, 'ECONNREFUSED');
    const x = r.summaries(START + 3000).entries.find((e) => e.method === 'GET');
    assert.equal(x?.numRequests, 3);
    assert.equal(x?.numFailures, 2);
    assert.equal(x?.totalResponseTimeMs, 12);
    assert.deepEqual(r.failures(), [
      { method: 'GET', name: '/x', error: 'HTTP 500', occurrences: 2, firstSeenWallMs: START + 1000, lastSeenWallMs: START + 3000 },
      { method: 'POST', name: '/x', error: 'ECONNREFUSED', occurrences: 1, firstSeenWallMs: START + 3000, lastSeenWallMs: START + 3000 },
    ]);
  });

  it('rolls intervals: rows for the interval that ended, interval data reset, totals kept', () => {
    const clock = fakeClock();
    const r = new StatsRegistry(clock.now);
    for (let i = 0; i < 20; i++) r.recordSuccess('GET', '/a', 1.5, 0); // below 2.048 ms HDR buckets are exact
    r.recordFailure('GET', '/b', 1.75, 0, 'boom');
    clock.set(START + 2000);
    const first = r.rollInterval(1_700_000_002, 10);
    assert.equal(first.aggregated.rps, 21 / 2);
    assert.equal(first.aggregated.failPerSec, 1 / 2);
    assert.equal(first.aggregated.intervalPercentilesMs[p(0.5)], 1.5);
    assert.equal(first.aggregated.intervalPercentilesMs[p(1)], 1.75);
    assert.deepEqual(first.entries.map((e) => e.total.name), ['/a', '/b']);
    assert.equal(first.aggregated.userCount, 10);

    for (let i = 0; i < 5; i++) r.recordSuccess('GET', '/a', 3, 0);
    clock.set(START + 3000);
    const second = r.rollInterval(1_700_000_003, 12);
    assert.equal(second.aggregated.rps, 5);
    assert.equal(second.aggregated.failPerSec, 0);
    assert.deepEqual(second.aggregated.intervalPercentilesMs, PERCENTILES.map(() => 3));
    assert.equal(second.aggregated.total.numRequests, 26);
    assert.equal(second.aggregated.total.numFailures, 1);
    assert.equal(second.aggregated.total.maxResponseTimeMs, 3);
    assert.equal(second.aggregated.total.percentilesMs[p(0.5)], 1.5);
    const b = second.entries.find((e) => e.total.name === '/b');
    assert.deepEqual(b?.intervalPercentilesMs, PERCENTILES.map(() => null));
    assert.equal(b?.total.numRequests, 1);
  });

  it('groups exceptions and custom metrics', () => {
    const r = new StatsRegistry(fakeClock().now);
    const err = new Error('task blew up');
    r.recordException(err);
    r.recordException(err, 'worker-2');
    r.recordMetric('concepts_found', 12);
    r.recordMetric('concepts_found', 8);
    assert.equal(r.exceptions().length, 1);
    assert.equal(r.exceptions()[0]?.count, 2);
    assert.deepEqual(r.exceptions()[0]?.nodes, ['local', 'worker-2']);
    assert.equal(r.metricSummaries()[0]?.mean, 10);
  });

  it('merges snapshots from two registries into exactly what one registry recording everything holds', () => {
    const clock = fakeClock();
    const single = new StatsRegistry(clock.now);
    const workers = [new StatsRegistry(clock.now), new StatsRegistry(clock.now)];
    const merged = new StatsRegistry(clock.now);
    const endpoints: Array<[string, string]> = [['GET', '/a'], ['POST', '/b'], ['GET', '/c?id=[id]']];
    const boom = new Error('synthetic');
    for (let i = 0; i < 3000; i++) {
      clock.set(START + i * 7); // ~21 s of traffic
      const [method, name] = endpoints[i % 3] ?? ['GET', '/'];
      const ms = 0.125 * ((i * 7919) % 4000) + 0.5; // dyadic values: float sums are exact in any order
      const worker = workers[(i * 31) % 7 < 3 ? 0 : 1];
      for (const r of [single, worker]) {
        if (r === undefined) continue;
        if (i % 11 === 0) r.recordFailure(method, name, ms, 0, i % 22 === 0 ? 'HTTP 500' : 'timeout after 30000 ms');
        else r.recordSuccess(method, name, ms, 100 + (i % 50));
        if (i % 97 === 0) r.recordException(boom);
        r.recordMetric('query_time_ms', ms);
        if (i % 5 === 0) r.recordMetric('concepts_found', i % 13);
      }
    }
    clock.set(START + 21_500);
    for (const w of workers) merged.mergeSnapshot(JSON.parse(JSON.stringify(w.snapshot())) as StatsSnapshot);
    const now = START + 21_500;
    assert.deepEqual(merged.summaries(now), single.summaries(now));
    assert.deepEqual(merged.failures(), single.failures());
    assert.deepEqual(merged.exceptions(), single.exceptions());
    assert.deepEqual(merged.metricSummaries(), single.metricSummaries());
    assert.deepEqual(merged.snapshot(), single.snapshot());
    assert.ok(single.summaries(now).aggregated.currentRps > 100, 'current rates are compared too, not zero on both sides');
  });

  it('treats a merged snapshot as new requests of the current interval (worker deltas), and reset() zeroes a worker', () => {
    const clock = fakeClock();
    const main = new StatsRegistry(clock.now);
    const worker = new StatsRegistry(clock.now);
    for (let i = 0; i < 10; i++) worker.recordSuccess('GET', '/', 20, 0);
    main.mergeSnapshot(worker.snapshot());
    worker.reset();
    assert.equal(worker.summaries(START).aggregated.numRequests, 0);
    assert.equal(worker.snapshot().entries[0]?.numRequests, 0);
    clock.set(START + 1000);
    const row = main.rollInterval(1_700_000_001, 1);
    assert.equal(row.aggregated.rps, 10);
    assert.equal(row.aggregated.intervalPercentilesMs[p(0.5)], 20);
    worker.recordSuccess('GET', '/', 40, 0);
    main.mergeSnapshot(worker.snapshot());
    assert.equal(main.summaries(START + 1000).aggregated.numRequests, 11);
    assert.equal(main.rollInterval(1_700_000_002, 1).aggregated.intervalPercentilesMs[p(1)], 40);
  });
  it('rolls custom metrics per interval: each interval has its own values, run totals keep all, merged worker values count in the interval they arrive in', () => {
    const clock = fakeClock();
    const main = new StatsRegistry(clock.now);
    main.recordMetric('found', 2);
    main.recordMetric('found', 4);
    main.recordMetric('other', -1);
    const first = main.rollInterval(1_700_000_001, 1);
    assert.deepEqual(first.metrics.map((m) => [m.name, m.count, m.mean, m.min, m.max]), [['found', 2, 3, 2, 4], ['other', 1, -1, -1, -1]]);
    main.recordMetric('found', 10);
    const worker = new StatsRegistry(clock.now);
    worker.recordMetric('found', 20);
    main.mergeSnapshot(worker.snapshot());
    const second = main.rollInterval(1_700_000_002, 1);
    // Only `found` was recorded in this interval: `other` has no row; `found` has this interval's two values alone.
    assert.deepEqual(second.metrics.map((m) => [m.name, m.count, m.mean, m.min, m.max]), [['found', 2, 15, 10, 20]]);
    assert.deepEqual(main.rollInterval(1_700_000_003, 1).metrics, []);
    assert.deepEqual(main.metricSummaries().map((m) => [m.name, m.count, m.sum]), [['found', 4, 36], ['other', 1, -1]]);
  });
  it('resetStats (--reset-stats) starts the totals again from that moment; exceptions and the history interval stay', () => {
    const clock = fakeClock();
    const r = new StatsRegistry(clock.now);
    for (let i = 0; i < 50; i++) r.recordSuccess('GET', '/a', 1000, 10);
    r.recordFailure('GET', '/a', 5, 0, 'HTTP 500');
    r.recordException(new Error('task bug'));
    r.recordMetric('found', 3);
    clock.set(START + 10_000);
    const before = r.rollInterval(10, 4);
    assert.equal(before.aggregated.total.numRequests, 51, 'the interval at the reset holds everything before it');
    r.resetStats(START + 10_000);
    assert.equal(r.startWallMs, START + 10_000);
    r.recordSuccess('GET', '/a', 2, 0);
    clock.set(START + 11_000);
    r.recordSuccess('GET', '/b', 4, 0);
    const { entries, aggregated } = r.summaries(START + 12_000);
    assert.equal(aggregated.numRequests, 2);
    assert.equal(aggregated.numFailures, 0);
    assert.equal(aggregated.maxResponseTimeMs, 4, 'the 1 s requests before the reset are gone from the percentiles and max');
    assert.equal(entries.find((e) => e.name === '/a')?.numRequests, 1);
    assert.equal(entries.find((e) => e.name === '/b')?.numRequests, 1, 'an entry made after the reset counts too');
    // "Current" rates never count the seconds before the reset: 2 requests over its 2 whole seconds (not 10).
    assert.equal(aggregated.currentRps, 1);
    assert.deepEqual(r.failures(), []);
    assert.equal(r.exceptions().length, 1, 'exceptions are kept, as in Locust');
    assert.deepEqual(r.metricSummaries(), [], 'a metric recorded only before the reset has no values');
    r.recordMetric('found', 7);
    assert.deepEqual(r.metricSummaries().map((m) => [m.name, m.count, m.max]), [['found', 1, 7]]);
    assert.equal(r.rollInterval(12, 4).aggregated.total.numRequests, 2);
  });

  describe('requests dated by the reading that ended them (endMs)', () => {
    it('dates a request at its end reading on the wall clock, without reading the clock per request', () => {
      const clock = fakeClock();
      const r = new StatsRegistry(clock.now);
      const before = clock.reads();
      const end = performance.now() + 250; // a request that ended 250 ms after the registry was made
      r.recordSuccess('GET', '/a', 40, 10, 200, 0, end);
      r.recordFailure('GET', '/a', 60, 0, 'HTTP 500', 500, 0, end + 100);
      assert.equal(clock.reads(), before, 'no clock reading for a request that brings its end reading');
      const a = r.summaries(START).entries[0]!;
      // The offset was taken when the registry was made: a few ms of this test's own time at most.
      assert.ok(a.firstRequestWallMs! >= START + 250 && a.firstRequestWallMs! < START + 300, String(a.firstRequestWallMs));
      assert.ok(Math.abs(a.lastRequestWallMs! - a.firstRequestWallMs! - 100) < 1e-6, 'the two keep the gap between their end readings');
      assert.ok(Math.abs(a.firstStartWallMs! - (a.firstRequestWallMs! - 40)) < 1e-6, 'sent = ended less the response time');
      assert.equal(r.failures()[0]!.error, 'HTTP 500');
    });

    it('follows a step of the wall clock at the next interval roll, snapshot or reset', () => {
      for (const step of ['rollInterval', 'snapshot', 'reset'] as const) {
        const clock = fakeClock();
        const r = new StatsRegistry(clock.now);
        clock.set(START + 3_600_000); // the system clock was set an hour ahead
        if (step === 'rollInterval') r.rollInterval(1, 1);
        else if (step === 'snapshot') r.snapshot();
        else r.reset();
        r.recordSuccess('GET', '/a', 1, 0, 200, 0, performance.now());
        const wall = r.summaries(START + 3_600_000).entries[0]!.lastRequestWallMs!;
        assert.ok(wall >= START + 3_600_000 && wall < START + 3_600_050, `${step}: ${wall}`);
      }
    });

    it('reads the clock when no end reading is given (NaN), as before', () => {
      const clock = fakeClock();
      const r = new StatsRegistry(clock.now);
      clock.set(START + 5000);
      r.recordSuccess('GET', '/a', 1, 0);
      r.recordSuccess('GET', '/a', 1, 0, 200, 0, Number.NaN);
      assert.equal(r.summaries(START + 5000).entries[0]!.lastRequestWallMs, START + 5000);
    });
  });
});
