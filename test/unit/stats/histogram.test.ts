import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { build, encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import { LATENCY_HIGHEST_US, LatencyHistogram, METRIC_HIGHEST_VALUE } from '../../../src/stats/histogram.js';

const within = (actual: number, expected: number, relative: number): boolean => Math.abs(actual - expected) <= expected * relative;

describe('LatencyHistogram', () => {
  it('gives percentiles of a known distribution within 0.1% (10 000 values uniform over 1..100 ms)', () => {
    const h = new LatencyHistogram();
    for (let i = 0; i < 10_000; i++) h.record(((i % 100) + 1) * 1000);
    assert.equal(h.totalCount, 10_000);
    const cases: Array<[percentile: number, expectedUs: number]> = [
      [50, 50_000], [66, 66_000], [90, 90_000], [99, 99_000], [99.9, 100_000], [100, 100_000],
    ];
    for (const [p, expected] of cases) {
      const v = h.valueAtPercentile(p);
      assert.ok(within(v, expected, 0.001), `p${p} = ${v}, expected ${expected} ± 0.1%`);
    }
  });

  it('clamps values above one hour to one hour and counts them, never throws', () => {
    const h = new LatencyHistogram();
    h.record(5_000_000_000);
    h.record(LATENCY_HIGHEST_US);
    h.record(1000);
    assert.equal(h.totalCount, 3);
    assert.equal(h.clampedCount, 1);
    assert.ok(within(h.valueAtPercentile(100), LATENCY_HIGHEST_US, 0.001));
  });

  it('records negative and NaN values as 0 and counts them as clamped', () => {
    const h = new LatencyHistogram();
    h.record(-5);
    h.record(Number.NaN);
    assert.equal(h.totalCount, 2);
    assert.equal(h.clampedCount, 2);
    assert.equal(h.valueAtPercentile(100), 0);
  });

  it('round-trips through compressed base64', () => {
    const h = new LatencyHistogram();
    for (let v = 1; v < 200_000; v += 7) h.record(v);
    const back = LatencyHistogram.decode(h.encode());
    assert.match(h.encode(), /^[A-Za-z0-9+/=]+$/);
    assert.equal(back.totalCount, h.totalCount);
    for (const p of [0, 10, 50, 90, 99, 99.99, 100]) assert.equal(back.valueAtPercentile(p), h.valueAtPercentile(p));
  });

  it('adds another histogram exactly (same as recording everything into one)', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    const all = new LatencyHistogram();
    for (let i = 1; i <= 5000; i++) {
      (i % 3 === 0 ? a : b).record(i * 37);
      all.record(i * 37);
    }
    a.add(b);
    assert.equal(a.totalCount, all.totalCount);
    for (const p of [1, 25, 50, 75, 95, 99, 99.9, 100]) assert.equal(a.valueAtPercentile(p), all.valueAtPercentile(p));
    const c = new LatencyHistogram();
    c.addEncoded(all.encode());
    assert.equal(c.valueAtPercentile(50), all.valueAtPercentile(50));
  });

  it('adds histograms bucket for bucket: the sum encodes exactly as recording every value into one (both orders, empty sides, the top bucket, 0)', () => {
    let seed = 7;
    const next = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    const all = new LatencyHistogram();
    for (let i = 0; i < 20_000; i++) {
      const v = Math.floor(Math.exp(next() * Math.log(LATENCY_HIGHEST_US)));
      (next() < 0.5 ? a : b).record(v);
      all.record(v);
    }
    for (const v of [0, 1, LATENCY_HIGHEST_US]) {
      b.record(v); // the lowest and the highest bucket come only from the histogram added
      all.record(v);
    }
    const ab = new LatencyHistogram();
    ab.add(a);
    ab.add(b);
    const ba = new LatencyHistogram();
    ba.add(b);
    ba.add(new LatencyHistogram()); // an empty one changes nothing
    ba.add(a);
    for (const sum of [ab, ba]) {
      assert.equal(sum.totalCount, all.totalCount);
      assert.equal(sum.encode(), all.encode());
      for (const p of [0, 0.1, 50, 99.99, 100]) assert.equal(sum.valueAtPercentile(p), all.valueAtPercentile(p));
    }
    // A decoded histogram (same layout) adds the same way, and one of custom-metric range is refused.
    const decoded = new LatencyHistogram();
    decoded.add(LatencyHistogram.decode(a.encode()));
    decoded.add(b);
    assert.equal(decoded.encode(), all.encode());
    const metric = new LatencyHistogram(METRIC_HIGHEST_VALUE);
    metric.record(5);
    assert.throws(() => all.add(metric), /cannot add/);
  });

  it('records every value into the bucket that hdr-histogram-js recordValue() picks (0..5000, each power of two and its neighbours, random values; both ranges)', () => {
    for (const highest of [LATENCY_HIGHEST_US, METRIC_HIGHEST_VALUE]) {
      const ours = new LatencyHistogram(highest);
      const reference = build({ bitBucketSize: 32, autoResize: false, lowestDiscernibleValue: 1, highestTrackableValue: highest, numberOfSignificantValueDigits: 3, useWebAssembly: false });
      const values: number[] = [];
      for (let v = 0; v <= 5000; v++) values.push(v);
      for (let k = 1; 2 ** k <= highest; k++) values.push(2 ** k - 1, 2 ** k, 2 ** k + 1);
      let seed = 11;
      for (let i = 0; i < 50_000; i++) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        values.push(Math.floor(Math.exp((seed / 2 ** 31) * Math.log(highest))));
      }
      values.push(highest, 0xffffffff, 0x100000000);
      for (const v of values) {
        if (v > highest) continue;
        ours.record(v);
        reference.recordValue(v);
        // One value at a time: a wrong bucket shows as the value that went astray.
        if (ours.totalCount % 997 === 0) assert.equal(ours.encode(), encodeIntoCompressedBase64(reference), `after recording ${v}`);
      }
      assert.equal(ours.totalCount, reference.totalCount);
      assert.equal(ours.encode(), encodeIntoCompressedBase64(reference), `highest ${highest}`);
      for (const p of [0, 1, 50, 99, 99.999, 100]) assert.equal(ours.valueAtPercentile(p), reference.getValueAtPercentile(p), `p${p}`);
    }
  });

  it('resets to empty', () => {
    const h = new LatencyHistogram();
    h.record(10);
    h.record(5_000_000_000);
    h.reset();
    assert.equal(h.totalCount, 0);
    assert.equal(h.clampedCount, 0);
    assert.equal(h.valueAtPercentile(50), 0);
  });

  it('rejects text that is not a histogram, and a histogram with a wider range than this one', () => {
    assert.throws(() => LatencyHistogram.decode('bm90IGEgaGlzdG9ncmFt'));
    const wide = new LatencyHistogram(METRIC_HIGHEST_VALUE);
    wide.record(METRIC_HIGHEST_VALUE);
    assert.throws(() => LatencyHistogram.decode(wide.encode(), LATENCY_HIGHEST_US), /above this histogram/);
  });

  it('serves as a value histogram with a larger range for custom metrics', () => {
    const h = new LatencyHistogram(METRIC_HIGHEST_VALUE);
    h.record(500_000_000_000);
    assert.equal(h.clampedCount, 0);
    assert.ok(within(h.valueAtPercentile(100), 500_000_000_000, 0.001));
  });
});
