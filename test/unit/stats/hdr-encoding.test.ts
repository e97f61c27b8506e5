import { test } from 'node:test';
import assert from 'node:assert/strict';
import { build, encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import { LatencyHistogram, LATENCY_HIGHEST_US, METRIC_HIGHEST_VALUE } from '../../../src/stats/histogram.js';
import { EncodedCounts } from '../../../src/stats/hdr-encoding.js';
import { Rng } from '../../../src/core/rng.js';

/** A histogram of `n` log-spread values (and a few at the edges), seeded. */
function filled(seed: number, n: number, highest: number): LatencyHistogram {
  const rng = new Rng(seed);
  const h = new LatencyHistogram(highest);
  for (let i = 0; i < n; i++) h.record(Math.exp(rng.next() * Math.log(highest)));
  h.record(0);
  h.record(1);
  h.record(highest);
  return h;
}

/** The old way: decode into a histogram, then add it. */
function slowAdd(into: LatencyHistogram, base64: string): void {
  into.add(LatencyHistogram.decode(base64, into.highestValue));
}

test('adding an encoded histogram bucket by bucket equals decoding it and adding the histogram (latencies and metric ranges)', () => {
  for (const highest of [LATENCY_HIGHEST_US, METRIC_HIGHEST_VALUE]) {
    for (const [seed, n] of [[1, 0], [2, 1], [3, 1000], [4, 100_000]] as const) {
      const a = filled(seed, n, highest);
      const b = filled(seed + 100, n, highest);
      const fast = new LatencyHistogram(highest);
      const slow = new LatencyHistogram(highest);
      for (const h of [a, b]) {
        fast.addEncoded(h.encode());
        slowAdd(slow, h.encode());
      }
      assert.equal(fast.totalCount, slow.totalCount);
      assert.equal(fast.encode(), slow.encode(), `highest ${highest}, ${n} values`);
      for (const p of [0, 50, 90, 99, 99.9, 100]) assert.equal(fast.valueAtPercentile(p), slow.valueAtPercentile(p));
    }
  }
});

test('an encoding of another layout (2 significant digits) is added through a full decode, with the same result', () => {
  const other = build({ bitBucketSize: 32, lowestDiscernibleValue: 1, highestTrackableValue: 1_000_000, numberOfSignificantValueDigits: 2, useWebAssembly: false });
  for (let v = 1; v < 1_000_000; v = Math.ceil(v * 1.3)) other.recordValue(v);
  const base64 = encodeIntoCompressedBase64(other);
  assert.equal(EncodedCounts.fromBase64(base64).header.significantDigits, 2);
  const fast = new LatencyHistogram();
  const slow = new LatencyHistogram();
  fast.addEncoded(base64);
  slowAdd(slow, base64);
  assert.equal(fast.encode(), slow.encode());
});

test('the header and non-zero counts come back as written; bad input is an Error', () => {
  const h = new LatencyHistogram();
  h.record(5);
  h.record(5);
  h.record(1_000_000);
  const counts = EncodedCounts.fromBase64(h.encode());
  assert.deepEqual(counts.header, { significantDigits: 3, lowestTrackableValue: 1, highestTrackableValue: LATENCY_HIGHEST_US });
  const seen: number[] = [];
  counts.forEachCount((_i, c) => seen.push(c));
  assert.deepEqual(seen, [2, 1]);
  assert.throws(() => EncodedCounts.fromBase64('aGVsbG8='), /not an HdrHistogram/);
});
