import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitLine, type LineFit } from '../../../src/monitor/least-squares.js';
import { BYTES_PER_MB, type ResourceSample, type SourceInfo } from '../../../src/monitor/resource-sample.js';
import { GROWTH_ALERT_MB_PER_MIN, GROWTH_LIMIT_MB_PER_MIN, MIN_FIT_POINTS, nearestRank, summarizeResources, warmUpSec } from '../../../src/monitor/resource-summary.js';

const close = (a: number, b: number, eps = 1e-9): boolean => Math.abs(a - b) <= eps;

test('fitLine: exact slope, intercept and r² on known lines', () => {
  const cases: Array<{ name: string; xs: number[]; ys: number[]; want: LineFit | null }> = [
    { name: 'y = 2x + 1', xs: [0, 1, 2, 3], ys: [1, 3, 5, 7], want: { slope: 2, intercept: 1, r2: 1, points: 4 } },
    { name: 'y = -0.5x + 10', xs: [2, 4, 6, 8, 10], ys: [9, 8, 7, 6, 5], want: { slope: -0.5, intercept: 10, r2: 1, points: 5 } },
    { name: 'flat line: r² 1, not 0/0', xs: [0, 1, 2, 3], ys: [5, 5, 5, 5], want: { slope: 0, intercept: 5, r2: 1, points: 4 } },
    { name: 'two points', xs: [1, 3], ys: [10, 20], want: { slope: 5, intercept: 5, r2: 1, points: 2 } },
    // (0,0) (1,1) (2,0) (3,1): sxy 1, sxx 5, syy 1 → slope 0.2, intercept 0.5 − 0.2 × 1.5, r² 1 / 5.
    { name: 'zigzag', xs: [0, 1, 2, 3], ys: [0, 1, 0, 1], want: { slope: 0.2, intercept: 0.2, r2: 0.2, points: 4 } },
    // Symmetric V: no linear trend at all.
    { name: 'V shape: r² 0', xs: [-2, -1, 0, 1, 2], ys: [2, 1, 0, 1, 2], want: { slope: 0, intercept: 1.2, r2: 0, points: 5 } },
    { name: 'extra ys beyond xs ignored', xs: [0, 1], ys: [0, 2, 100], want: { slope: 2, intercept: 0, r2: 1, points: 2 } },
    { name: 'one point', xs: [1], ys: [1], want: null },
    { name: 'no points', xs: [], ys: [], want: null },
    { name: 'all x equal', xs: [3, 3, 3], ys: [1, 2, 3], want: null },
  ];
  for (const c of cases) {
    const got = fitLine(c.xs, c.ys);
    if (c.want === null) {
      assert.equal(got, null, c.name);
      continue;
    }
    assert.ok(got !== null, c.name);
    assert.equal(got.points, c.want.points, c.name);
    for (const k of ['slope', 'intercept', 'r2'] as const) assert.ok(close(got[k], c.want[k]), `${c.name}: ${k} ${got[k]} ≠ ${c.want[k]}`);
  }
});

test('warmUpSec: the given warm-up, else 20 % of the span, at most 60 s', () => {
  const cases: Array<{ given: number | null; span: number; ramp?: number | null; want: number }> = [
    { given: null, span: 10, want: 2 },
    { given: null, span: 8.5, want: 1.7 },
    { given: null, span: 100, want: 20 },
    { given: null, span: 300, want: 60 },
    { given: null, span: 3600, want: 60 },
    { given: null, span: 0, want: 0 },
    { given: 5, span: 3600, want: 5 },
    { given: 0, span: 100, want: 0 },
    { given: 120, span: 100, want: 120 },
    // The end of the ramp, when later than the share: memory taken while users arrive is load.
    { given: null, span: 100, ramp: 45, want: 45 },
    { given: null, span: 100, ramp: 12.34, want: 20 },
    { given: null, span: 3600, ramp: 300, want: 300 },
    { given: null, span: 30, ramp: 7.25, want: 7.3 },
    { given: null, span: 30, ramp: null, want: 6 },
    { given: 5, span: 100, ramp: 45, want: 5 },
  ];
  for (const c of cases) assert.equal(warmUpSec(c.given, c.span, c.ramp), c.want, `given ${c.given}, span ${c.span}, ramp ${c.ramp}`);
});

test('nearestRank: a measured value, not an interpolation', () => {
  const oneTo20 = Array.from({ length: 20 }, (_, i) => 20 - i);
  const cases: Array<{ values: number[]; q: number; want: number }> = [
    { values: oneTo20, q: 0.95, want: 19 },
    { values: oneTo20, q: 0.5, want: 10 },
    { values: oneTo20, q: 1, want: 20 },
    { values: oneTo20, q: 0, want: 1 },
    { values: Array.from({ length: 100 }, (_, i) => i + 1), q: 0.95, want: 95 },
    { values: [7], q: 0.95, want: 7 },
    { values: [1, 100], q: 0.95, want: 100 },
    { values: [3, 1, 2], q: 0.5, want: 2 },
  ];
  for (const c of cases) assert.equal(nearestRank(c.values, c.q), c.want, `${c.values.length} values, q ${c.q}`);
  assert.ok(Number.isNaN(nearestRank([], 0.95)));
});

const PID: SourceInfo = { name: 'pid 4242 (node)', kind: 'pid' };
const URL_SOURCE: SourceInfo = { name: 'http://127.0.0.1:9100/metrics', kind: 'url' };

/** One reading a second from t = 1 to t = n of a source whose RSS follows `mb(t)` MB. */
function series(n: number, mb: (t: number) => number, extra: Partial<ResourceSample> & { users?: (t: number) => number } = {}): ResourceSample[] {
  const { users, ...rest } = extra;
  return Array.from({ length: n }, (_, i) => {
    const t = i + 1;
    return { timestamp: 1_700_000_000 + t, elapsedSec: t, userCount: users?.(t) ?? 10, source: 0, rssBytes: mb(t) * BYTES_PER_MB, cpuPercent: null, threads: 8, openFiles: 20, metrics: [], gap: null, ...rest };
  });
}

test('summarizeResources: the growth verdict by the 10 and 50 MB/min limits', () => {
  assert.equal(GROWTH_LIMIT_MB_PER_MIN, 10);
  assert.equal(GROWTH_ALERT_MB_PER_MIN, 50);
  const cases: Array<{ name: string; mbPerMin: number; verdict: string; reason: RegExp }> = [
    { name: '60 MB/min: a leak', mbPerMin: 60, verdict: 'leak', reason: /^RSS grew 60\.0 MB\/min over 25 readings after the 6 s warm-up \(r² 1\.00\) with the user count flat at 10: above the 50 MB\/min alert level, a leak is likely$/ },
    { name: 'just over 50', mbPerMin: 50.5, verdict: 'leak', reason: /alert level/ },
    { name: 'exactly 50: growing', mbPerMin: 50, verdict: 'growing', reason: /above the 10 MB\/min soak limit/ },
    { name: '20 MB/min: growing', mbPerMin: 20, verdict: 'growing', reason: /^RSS grew 20\.0 MB\/min .*: above the 10 MB\/min soak limit$/ },
    { name: 'exactly 10: growing', mbPerMin: 10, verdict: 'growing', reason: /soak limit/ },
    { name: '2 MB/min: flat', mbPerMin: 2, verdict: 'flat', reason: /^RSS changed 2\.0 MB\/min .*: under the 10 MB\/min soak limit$/ },
    { name: 'zero', mbPerMin: 0, verdict: 'flat', reason: /under the 10 MB\/min soak limit/ },
    { name: 'shrinking: flat', mbPerMin: -30, verdict: 'flat', reason: /^RSS changed -30\.0 MB\/min/ },
  ];
  for (const c of cases) {
    // 30 readings 1 s apart and a 6 s warm-up: the fit has t = 6 … 30, 25 readings.
    const samples = series(30, (t) => 100 + (c.mbPerMin * t) / 60);
    const r = summarizeResources([PID], samples, [], 6);
    const s = r.sources[0];
    assert.ok(s !== undefined);
    assert.equal(s.growth_verdict, c.verdict, c.name);
    assert.ok(s.memory_growth_mb_per_min !== null && close(s.memory_growth_mb_per_min, c.mbPerMin, 1e-3), `${c.name}: ${s.memory_growth_mb_per_min}`);
    assert.equal(s.fit?.r2, 1, c.name);
    assert.ok(close(s.fit?.intercept_mb ?? NaN, 100, 1e-3), `${c.name}: intercept ${s.fit?.intercept_mb}`);
    assert.match(s.growth_reason, c.reason, c.name);
  }
});

test('summarizeResources: above 50 MB/min while the user count moved is "growing", not a leak', () => {
  const cases: Array<{ name: string; users: (t: number) => number; verdict: string; reason: RegExp }> = [
    { name: 'users ramping during the fit', users: (t) => Math.min(t, 20), verdict: 'growing', reason: /^RSS grew 60\.0 MB\/min over 25 readings after the 6 s warm-up \(r² 1\.00\) while the user count went from 6 to 20: above the 10 MB\/min soak limit, but memory may follow the load; judge a leak at a flat user count$/ },
    { name: 'users flat after the warm-up', users: (t) => Math.min(t, 6), verdict: 'leak', reason: /with the user count flat at 6: above the 50 MB\/min alert level/ },
    { name: 'flat but for the wind-down row', users: (t) => (t === 30 ? 0 : 8), verdict: 'leak', reason: /with the user count flat at 8/ },
  ];
  for (const c of cases) {
    const s = summarizeResources([PID], series(30, (t) => 100 + t, { users: c.users }), [], 6).sources[0];
    assert.equal(s?.growth_verdict, c.verdict, c.name);
    assert.match(s?.growth_reason ?? '', c.reason, c.name);
  }
});

test('summarizeResources: the ramp end pushes the default warm-up out, not an explicit one', () => {
  const samples = series(30, (t) => 100 + t);
  assert.equal(summarizeResources([PID], samples, [], null, 15).warm_up_sec, 15);
  assert.equal(summarizeResources([PID], samples, [], null, 15).sources[0]?.fit?.from_sec, 15);
  assert.equal(summarizeResources([PID], samples, [], null, 2).warm_up_sec, 6);
  assert.equal(summarizeResources([PID], samples, [], 3, 15).warm_up_sec, 3);
  // A ramp that ends near the end of the run leaves too few readings to judge.
  assert.equal(summarizeResources([PID], samples, [], null, 27).sources[0]?.growth_verdict, 'unknown');
});

test('summarizeResources: the rss, cpu, threads and open-files figures of one source', () => {
  const samples = series(20, (t) => 100 + t, { users: () => 5 }).map((s, i) => ({ ...s, cpuPercent: i + 1, threads: i === 3 ? 30 : 8 + (i % 2), openFiles: 20 + i }));
  const s = summarizeResources([PID], samples, [], null).sources[0];
  assert.ok(s !== undefined);
  assert.equal(s.name, PID.name);
  assert.equal(s.kind, 'pid');
  assert.equal(s.samples, 20);
  assert.equal(s.gaps, 0);
  assert.deepEqual(s.rss_mb, { start: 101, peak: 120, end: 120 });
  // cpu 1..20: mean 10.5, nearest-rank p95 is the 19th value.
  assert.deepEqual(s.cpu_percent, { mean: 10.5, p95: 19, max: 20 });
  assert.deepEqual(s.threads, { start: 8, max: 30, end: 9 });
  assert.deepEqual(s.open_files, { start: 20, max: 39, end: 39 });
  assert.deepEqual(s.users_during_fit, { min: 5, max: 5 });
  assert.deepEqual(s.metrics, {}, 'a PID has no scraped series');
});

test('summarizeResources: fewer than 5 readings after the warm-up is "unknown", with the reason', () => {
  assert.equal(MIN_FIT_POINTS, 5);
  const cases: Array<{ name: string; samples: ResourceSample[]; warmUp: number | null; reason: string }> = [
    { name: '4 after an explicit warm-up', samples: series(10, (t) => 100 + t), warmUp: 7, reason: '4 memory readings after the 7 s warm-up (at least 5 are needed)' },
    { name: '1 after', samples: series(10, (t) => 100 + t), warmUp: 10, reason: '1 memory reading after the 10 s warm-up (at least 5 are needed)' },
    { name: 'none after', samples: series(10, (t) => 100 + t), warmUp: 30, reason: '0 memory readings after the 30 s warm-up (at least 5 are needed)' },
    { name: 'no RSS at all', samples: series(10, () => 0, { rssBytes: null }), warmUp: null, reason: 'no memory readings' },
    { name: 'only gaps', samples: series(10, () => 0, { rssBytes: null, gap: 'process 4242 is gone' }), warmUp: null, reason: 'no memory readings' },
  ];
  for (const c of cases) {
    const s = summarizeResources([PID], c.samples, [], c.warmUp).sources[0];
    assert.ok(s !== undefined);
    assert.equal(s.growth_verdict, 'unknown', c.name);
    assert.equal(s.growth_reason, c.reason, c.name);
    assert.equal(s.memory_growth_mb_per_min, null, c.name);
    assert.equal(s.fit, null, c.name);
    assert.equal(s.users_during_fit, null, c.name);
  }
  // Exactly 5 after the warm-up: a slope is claimed.
  const five = summarizeResources([PID], series(10, (t) => 100 + t / 3), [], 6).sources[0];
  assert.equal(five?.growth_verdict, 'growing');
  assert.equal(five?.fit?.points, 5);
});

test('summarizeResources: the warm-up, default and explicit, keeps early readings out of the fit', () => {
  // A start-up burst of 500 MB in the first seconds, then a flat line: fitted with the burst it is a
  // leak; after the warm-up it is flat.
  const mb = (t: number): number => (t <= 4 ? 100 + 125 * t : 600);
  const cases: Array<{ name: string; n: number; given: number | null; warmUp: number; from: number; points: number; verdict: string }> = [
    { name: 'default: 20 % of 30 s', n: 30, given: null, warmUp: 6, from: 6, points: 25, verdict: 'flat' },
    { name: 'default: 20 % of 40 s', n: 40, given: null, warmUp: 8, from: 8, points: 33, verdict: 'flat' },
    { name: 'default capped at 60 s', n: 400, given: null, warmUp: 60, from: 60, points: 341, verdict: 'flat' },
    { name: 'explicit 10 s', n: 30, given: 10, warmUp: 10, from: 10, points: 21, verdict: 'flat' },
    { name: 'explicit 0 s: the burst is fitted', n: 30, given: 0, warmUp: 0, from: 1, points: 30, verdict: 'leak' },
    { name: 'explicit 2.5 s: starts at the first reading at or after it', n: 30, given: 2.5, warmUp: 2.5, from: 3, points: 28, verdict: 'leak' },
  ];
  for (const c of cases) {
    const r = summarizeResources([PID], series(c.n, mb), [], c.given);
    assert.equal(r.warm_up_sec, c.warmUp, c.name);
    const s = r.sources[0];
    assert.equal(s?.fit?.from_sec, c.from, c.name);
    assert.equal(s?.fit?.to_sec, c.n, c.name);
    assert.equal(s?.fit?.points, c.points, c.name);
    assert.equal(s?.growth_verdict, c.verdict, c.name);
    assert.match(s?.growth_reason ?? '', new RegExp(`after the ${c.warmUp} s warm-up`), c.name);
  }
});

test('summarizeResources: gaps are counted and left out of the fit and the figures', () => {
  // 20 MB/min, with t = 12..15 gaps; a gap row carries no RSS. Default warm-up 20 % of 30 = 6 s.
  const samples = series(30, (t) => 100 + (20 * t) / 60).map((s) =>
    s.elapsedSec >= 12 && s.elapsedSec <= 15 ? { ...s, rssBytes: null, cpuPercent: null, threads: null, openFiles: null, gap: 'process 4242 is gone' } : { ...s, cpuPercent: 50 });
  const s = summarizeResources([PID], samples, [], null).sources[0];
  assert.ok(s !== undefined);
  assert.equal(s.samples, 30);
  assert.equal(s.gaps, 4);
  assert.equal(s.fit?.points, 25 - 4);
  assert.ok(close(s.memory_growth_mb_per_min ?? NaN, 20, 1e-3));
  assert.equal(s.growth_verdict, 'growing');
  assert.deepEqual(s.cpu_percent, { mean: 50, p95: 50, max: 50 });
});

test('summarizeResources: the wind-down row with 0 users is left out of users_during_fit only', () => {
  const samples = series(30, (t) => 100 + t / 60, { users: (t) => (t === 30 ? 0 : t < 10 ? t : 10) });
  const s = summarizeResources([PID], samples, [], 5).sources[0];
  assert.ok(s !== undefined);
  assert.deepEqual(s.users_during_fit, { min: 5, max: 10 });
  assert.equal(s.fit?.points, 26, 'the row still counts in the fit');
  assert.equal(s.fit?.to_sec, 30);
  // Only trailing zero rows: a run whose users dropped to 0 and came back keeps the 0.
  const dip = series(30, () => 100, { users: (t) => (t === 20 ? 0 : 10) });
  assert.deepEqual(summarizeResources([PID], dip, [], 5).sources[0]?.users_during_fit, { min: 0, max: 10 });
});

test('summarizeResources: two sources, each its own figures, and the worst of them', () => {
  const a = series(30, (t) => 100 + (60 * t) / 60).map((s) => ({ ...s, cpuPercent: 40 }));
  const b = series(30, (t) => 500 + (2 * t) / 60)
    .map((s, i) => ({ ...s, source: 1, threads: null, cpuPercent: i + 1, metrics: [i, i % 2 === 0 ? null : 7] }));
  const r = summarizeResources([PID, URL_SOURCE], [...a, ...b], ['in_flight', 'errors'], null);
  assert.equal(r.sources.length, 2);
  assert.deepEqual(r.sources.map((s) => s.growth_verdict), ['leak', 'flat']);
  assert.deepEqual(r.sources.map((s) => s.samples), [30, 30]);
  assert.equal(r.sources[1]?.threads, null);
  assert.deepEqual(r.sources[1]?.metrics, { in_flight: { first: 0, last: 29, min: 0, max: 29 }, errors: { first: 7, last: 7, min: 7, max: 7 } });
  assert.deepEqual(r.sources[1]?.cpu_percent, { mean: 15.5, p95: 29, max: 30 });
  assert.ok(close(r.worst.memory_growth_mb_per_min ?? NaN, 60, 1e-3));
  assert.equal(r.worst.cpu_percent, 40, 'the highest mean');
  assert.equal(r.worst.cpu_percent_p95, 40);
  assert.ok(close(r.worst.rss_mb ?? NaN, 500 + 1, 1e-3), `peak ${r.worst.rss_mb}`);
});

test('summarizeResources: no samples at all', () => {
  const r = summarizeResources([PID], [], [], null);
  assert.equal(r.warm_up_sec, 0);
  assert.deepEqual(r.worst, { memory_growth_mb_per_min: null, cpu_percent: null, cpu_percent_p95: null, rss_mb: null });
  const s = r.sources[0];
  assert.equal(s?.growth_verdict, 'unknown');
  assert.equal(s?.rss_mb, null);
  assert.equal(s?.cpu_percent, null);
  assert.equal(s?.threads, null);
});
