import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResourceLog, type ReadingMoment } from '../../../src/monitor/resource-log.js';
import type { SourceReading, SourceResult } from '../../../src/monitor/resource-sample.js';

const ok = (cpuSeconds: number | null, extra: Partial<SourceReading> = {}): SourceResult => ({
  ok: true,
  reading: { rssBytes: 50 * 1024 * 1024, cpuSeconds, threads: 7, openFiles: 21, metrics: [], ...extra },
});
const gone = (reason = 'process 4242 is gone'): SourceResult => ({ ok: false, reason });
/** The moment of the reading at `sec` seconds into the run, the monotonic clock starting at 10 000 ms. */
const at = (sec: number, userCount = 10): ReadingMoment => ({ timestamp: 1_700_000_000 + Math.round(sec), elapsedSec: sec, userCount, monotonicMs: 10_000 + sec * 1000 });

test('CPU % is CPU seconds over wall seconds between two readings, a baseline included', () => {
  const cases: Array<{ name: string; cpu: [number, number]; ms: [number, number]; want: number | null }> = [
    { name: 'half a core', cpu: [1, 1.5], ms: [0, 1000], want: 50 },
    { name: 'two cores busy', cpu: [10, 14], ms: [0, 2000], want: 200 },
    { name: 'idle', cpu: [3, 3], ms: [0, 1000], want: 0 },
    { name: 'rounded to 3 decimals', cpu: [0, 0.01], ms: [0, 3000], want: 0.333 },
    { name: 'a counter going backwards: a restarted target, unknown', cpu: [5, 0.2], ms: [0, 1000], want: null },
    { name: 'no wall time between', cpu: [1, 2], ms: [500, 500], want: null },
  ];
  for (const c of cases) {
    const log = new ResourceLog([{ name: 'pid 1', kind: 'pid' }]);
    assert.equal(log.baseline(0, ok(c.cpu[0]), c.ms[0]), null, c.name);
    assert.equal(log.add(0, ok(c.cpu[1]), { ...at(1), monotonicMs: c.ms[1] }), null, c.name);
    assert.equal(log.samples.length, 1, c.name);
    assert.equal(log.samples[0]?.cpuPercent, c.want, c.name);
  }
});

test('the first sample without a baseline has no CPU %; the next has one; a counter going backwards starts afresh', () => {
  const log = new ResourceLog([{ name: 'pid 1', kind: 'pid' }]);
  log.add(0, ok(2), at(1));
  log.add(0, ok(2.5), at(2));
  log.add(0, ok(0.1), at(3));
  log.add(0, ok(0.35), at(4));
  assert.deepEqual(log.samples.map((s) => s.cpuPercent), [null, 50, null, 25]);
});

test('a sample carries the reading, the moment and the source; elapsed rounded to the ms', () => {
  const log = new ResourceLog([{ name: 'a', kind: 'pid' }, { name: 'b', kind: 'url' }]);
  log.add(1, ok(null, { rssBytes: 123, threads: null, openFiles: 4, metrics: [1, null] }), { timestamp: 1_700_000_042, elapsedSec: 2.00049, userCount: 3, monotonicMs: 1 });
  assert.deepEqual(log.samples, [{ timestamp: 1_700_000_042, elapsedSec: 2, userCount: 3, source: 1, rssBytes: 123, cpuPercent: null, threads: null, openFiles: 4, metrics: [1, null], gap: null }]);
});

test('a source that fails 3 times in a row: one gap line, three gap samples, one line when it answers again', () => {
  const log = new ResourceLog([{ name: 'pid 4242 (node)', kind: 'pid' }, { name: 'other', kind: 'url' }]);
  log.baseline(0, ok(1), 10_000);
  log.baseline(1, ok(1), 10_000);
  const lines = [
    log.add(0, ok(1.5), at(1)),
    log.add(1, ok(1.1), at(1)),
    log.add(0, gone(), at(2)),
    log.add(1, ok(1.2), at(2)),
    log.add(0, gone(), at(3)),
    log.add(0, gone('process 4242 is gone (its PID now belongs to another process)'), at(4)),
    log.add(0, ok(3), at(5)),
    log.add(0, ok(3.25), at(6)),
  ].filter((l) => l !== null);
  assert.deepEqual(lines, [
    "monitor: process 4242 is gone at 2 s: recorded as a gap in pid 4242 (node)'s resources",
    'monitor: pid 4242 (node) is answering again at 5 s (no readings for 3 s)',
  ]);
  const mine = log.samples.filter((s) => s.source === 0);
  assert.deepEqual(mine.map((s) => s.gap), [null, 'process 4242 is gone', 'process 4242 is gone', 'process 4242 is gone (its PID now belongs to another process)', null, null]);
  assert.deepEqual(mine.filter((s) => s.gap !== null).map((s) => [s.rssBytes, s.cpuPercent, s.threads, s.openFiles, s.metrics.length]), [[null, null, null, null, 0], [null, null, null, null, 0], [null, null, null, null, 0]]);
  // CPU % after a gap counts from the first reading after it, not from before the gap (that would
  // spread the gap's CPU over it): null at 5 s, then (3.25 − 3) / 1 s.
  assert.deepEqual(mine.map((s) => s.cpuPercent), [50, null, null, null, null, 25]);
  // The other source is untouched by the first's gap.
  assert.deepEqual(log.samples.filter((s) => s.source === 1).map((s) => [s.gap, s.cpuPercent]), [[null, 10], [null, 10]]);
});

test('going away twice says so twice, once each time', () => {
  const log = new ResourceLog([{ name: 'http://127.0.0.1:9/metrics', kind: 'url' }]);
  const results = [ok(1), gone('refused'), gone('refused'), ok(2), ok(3), gone('timeout'), ok(4)];
  const lines = results.map((r, i) => log.add(0, r, at(i + 1))).filter((l) => l !== null);
  assert.deepEqual(lines, [
    "monitor: refused at 2 s: recorded as a gap in http://127.0.0.1:9/metrics's resources",
    'monitor: http://127.0.0.1:9/metrics is answering again at 4 s (no readings for 2 s)',
    "monitor: timeout at 6 s: recorded as a gap in http://127.0.0.1:9/metrics's resources",
    'monitor: http://127.0.0.1:9/metrics is answering again at 7 s (no readings for 1 s)',
  ]);
});

test('a failed baseline is said once, at 0 s; the first good reading says it is back', () => {
  const log = new ResourceLog([{ name: 'pid 7', kind: 'pid' }]);
  assert.equal(log.baseline(0, gone('process 7 is gone'), 10_000), "monitor: process 7 is gone at 0 s: recorded as a gap in pid 7's resources");
  assert.equal(log.add(0, gone('process 7 is gone'), at(1)), null);
  assert.equal(log.add(0, ok(1), at(3)), 'monitor: pid 7 is answering again at 3 s (no readings for 3 s)');
  assert.equal(log.add(0, ok(1.5), at(4)), null);
  assert.deepEqual(log.samples.map((s) => s.cpuPercent), [null, null, 50]);
});

test('a reading without CPU seconds has no CPU % and breaks the chain for the next', () => {
  const log = new ResourceLog([{ name: 'u', kind: 'url' }]);
  log.baseline(0, ok(1), 10_000);
  log.add(0, ok(null), at(1));
  log.add(0, ok(2), at(2));
  log.add(0, ok(2.5), at(3));
  assert.deepEqual(log.samples.map((s) => s.cpuPercent), [null, null, 50]);
});
