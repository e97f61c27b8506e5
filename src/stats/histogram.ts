/**
 * The only importer of hdr-histogram-js (STYLE.md layout): a thin wrapper that records non-negative
 * integers (response times in µs, or custom metric values × 1000), clamps what is out of range instead of
 * throwing, and encodes to the compressed base64 that snapshots carry.
 *
 * Bucket type: plain Int32 counts (bitBucketSize 32), chosen by measurement. bench/stats-histogram.ts,
 * 1 000 000 log-normal latencies, each measurement in a fresh worker, median of 5 (Node 20.20, this 2-core box):
 *
 *   variant                ns/record   footprint after 1M values   empty
 *   Int32                       96.9              95 232 B         95 232 B
 *   packed                     748.4              39 064 B            320 B
 *   WebAssembly Int32           26.0     (in wasm linear memory)
 *   WebAssembly packed         132.8     (in wasm linear memory)
 *   this wrapper (Int32)       101.1              95 232 B
 *   this wrapper, session 16    17.0              95 232 B   (record() indexes the counts itself)
 *
 * Packed is 7.7× slower per record: ruled out on the hot path. WebAssembly was ~70 ns faster, but it needs
 * an init step, and every histogram — including each one decoded while merging worker snapshots every
 * second — must be destroy()ed by hand or its linear memory leaks (it never shrinks). Not worth it: the
 * entries record each request into ONE histogram each (see entry.ts), and record() finds the bucket
 * with Math.clz32 instead of hdr-histogram-js's Math.log2/Math.pow, so the whole hot path is ~100 ns per
 * request (bench/stats-record.ts; ~320 ns before), ~0.5 % of a core at 50 000 req/s. Cost of Int32: 95 KB per
 * histogram (2 per entry + 1 shared scratch), e.g. ~2 MB for 10 endpoints; custom metrics use a wider
 * range at 128 KB each.
 */
import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';
import { EncodedCounts } from './hdr-encoding.js';

/** Highest latency tracked: one hour in microseconds. Slower responses are recorded as one hour. */
export const LATENCY_HIGHEST_US = 3_600_000_000;
/** Highest custom-metric value tracked, in thousandths: metric values up to 1e9 (128 KB per metric). */
export const METRIC_HIGHEST_VALUE = 1_000_000_000_000;
/** Three significant digits: every recorded value is kept within 0.1 %. */
export const SIGNIFICANT_DIGITS = 3;

const BUCKET_TYPE = 32;

/** These are public on hdr-histogram-js's JsHistogram, not on its Histogram interface. */
type IndexedHistogram = Histogram & { countsArrayIndex(value: number): number; getCountAtIndex(index: number): number; countsArrayLength: number };

/** hdr-histogram-js's JsHistogram internals that addSameLayout() reads and writes (checked at run time). */
type CountedHistogram = IndexedHistogram & {
  _counts?: unknown;
  unitMagnitude: number;
  subBucketCount: number;
  subBucketHalfCount: number;
  subBucketHalfCountMagnitude: number;
  maxValue: number;
  minNonZeroValue: number;
  startTimeStampMsec: number;
  endTimeStampMsec: number;
  setTotalCount(count: number): void;
  updatedMaxValue(value: number): void;
  updateMinNonZeroValue(value: number): void;
};

/**
 * Whether record() may index `h`'s counts itself: Uint32 counts (bitBucketSize 32) and a lowest
 * discernible value of 1 (unit magnitude 0), which every histogram brood builds has; a decoded one
 * from elsewhere may not, and then goes through hdr-histogram-js's recordValue().
 */
function fastIndexing(h: CountedHistogram): boolean {
  return h._counts instanceof Uint32Array && h.unitMagnitude === 0 && h._counts.length === h.countsArrayLength && Number.isInteger(h.subBucketHalfCountMagnitude);
}

/**
 * hdr-histogram-js's add() reads and writes every bucket (~23 500 here) through two method calls
 * each; the per-second roll and every summary add histograms, which cost ~1 % of a core at full
 * load (bench/throughput.ts profile). Two histograms of the same layout with bitBucketSize 32
 * (hdr-histogram-js keeps those counts in a Uint32Array) are added here as arrays, only up to
 * `from`'s highest recorded bucket; totals, max, min and timestamps are updated as its add() does.
 * Returns false (nothing done) for any other pair.
 */
function addSameLayout(into: CountedHistogram, from: CountedHistogram): boolean {
  const dst = into._counts;
  const src = from._counts;
  if (!(dst instanceof Uint32Array) || !(src instanceof Uint32Array) || dst.length !== src.length) return false;
  if (into.unitMagnitude !== from.unitMagnitude || into.subBucketCount !== from.subBucketCount) return false;
  const last = Math.min(from.countsArrayIndex(from.maxValue), src.length - 1);
  let added = 0;
  for (let i = 0; i <= last; i++) {
    const c = src[i] as number;
    if (c !== 0) {
      dst[i] = (dst[i] as number) + c;
      added += c;
    }
  }
  into.setTotalCount(into.totalCount + added);
  into.updatedMaxValue(Math.max(into.maxValue, from.maxValue));
  into.updateMinNonZeroValue(Math.min(into.minNonZeroValue, from.minNonZeroValue));
  into.startTimeStampMsec = Math.min(into.startTimeStampMsec, from.startTimeStampMsec);
  into.endTimeStampMsec = Math.max(into.endTimeStampMsec, from.endTimeStampMsec);
  return true;
}

function newHdr(highestValue: number): Histogram {
  return build({
    bitBucketSize: BUCKET_TYPE,
    autoResize: false,
    lowestDiscernibleValue: 1,
    highestTrackableValue: highestValue,
    numberOfSignificantValueDigits: SIGNIFICANT_DIGITS,
    useWebAssembly: false,
  });
}

/**
 * An HDR histogram of non-negative integers from 1 to `highestValue` at 3 significant digits.
 * Named for its main use (latencies in µs); custom metrics use it with METRIC_HIGHEST_VALUE.
 */
export class LatencyHistogram {
  readonly highestValue: number;
  private readonly hdr: Histogram;
  private clamped = 0;
  /** The counts array and index constants when record() can write it directly (see fastIndexing()), else null. */
  private readonly counts: Uint32Array | null;
  private readonly halfCountMagnitude: number;
  private readonly halfCount: number;

  constructor(highestValue: number = LATENCY_HIGHEST_US, hdr?: Histogram) {
    if (!Number.isSafeInteger(highestValue) || highestValue < 2) {
      throw new RangeError(`histogram highest value must be an integer >= 2, got ${highestValue}`);
    }
    this.highestValue = highestValue;
    this.hdr = hdr ?? newHdr(highestValue);
    const h = this.hdr as CountedHistogram;
    this.counts = fastIndexing(h) ? (h._counts as Uint32Array) : null;
    this.halfCountMagnitude = h.subBucketHalfCountMagnitude;
    this.halfCount = h.subBucketHalfCount;
  }

  /** Decodes `encode()` output. Throws if the text is not a histogram or holds values above `highestValue`. */
  static decode(base64: string, highestValue: number = LATENCY_HIGHEST_US): LatencyHistogram {
    const hdr = decodeFromCompressedBase64(base64, BUCKET_TYPE, false, highestValue);
    if (hdr.highestTrackableValue > highestValue) {
      throw new RangeError(
        `encoded histogram tracks values up to ${hdr.highestTrackableValue}, above this histogram's ${highestValue}`,
      );
    }
    return new LatencyHistogram(highestValue, hdr);
  }

  /**
   * Hot path: records one value. Non-integers are rounded, values above `highestValue` are recorded as
   * `highestValue`, negative and NaN values as 0; both are counted in `clampedCount`, never thrown.
   */
  record(value: number): void {
    let v = Math.round(value);
    if (v > this.highestValue) {
      v = this.highestValue;
      this.clamped++;
    } else if (!(v >= 0)) {
      v = 0;
      this.clamped++;
    }
    const counts = this.counts;
    if (counts === null || v > 0xffffffff) {
      this.hdr.recordValue(v);
      return;
    }
    // hdr-histogram-js's recordValue() finds the bucket with Math.log2 and Math.pow (~95 ns, twice per
    // request); for a 32-bit value the same index is a count of leading zeros and a shift (~15 ns).
    // The unit test checks every result against recordValue() itself, powers of two and their neighbours included.
    const bucket = Math.max(31 - Math.clz32(v) - this.halfCountMagnitude, 0);
    const index = ((bucket + 1) << this.halfCountMagnitude) + (v >>> bucket) - this.halfCount;
    counts[index] = (counts[index] as number) + 1;
    const h = this.hdr as CountedHistogram;
    if (v > h.maxValue) h.updatedMaxValue(v);
    if (v < h.minNonZeroValue && v !== 0) h.updateMinNonZeroValue(v);
    h.setTotalCount(h.totalCount + 1);
  }

  /** Adds every count of `other` into this histogram. */
  add(other: LatencyHistogram): void {
    if (other.hdr.totalCount === 0) return;
    if (other.highestValue > this.highestValue) {
      throw new RangeError(`cannot add a histogram tracking up to ${other.highestValue} into one tracking up to ${this.highestValue}`);
    }
    if (!addSameLayout(this.hdr as CountedHistogram, other.hdr as CountedHistogram)) this.hdr.add(other.hdr);
    this.clamped += other.clamped;
  }

  /**
   * Decodes `base64` and adds it. An encoding with this histogram's layout (brood's own: same lowest
   * value and digits, a highest value no higher) is added bucket by bucket straight from its bytes
   * (hdr-encoding.ts): no histogram is built. Anything else goes through a full decode.
   */
  addEncoded(base64: string): void {
    const counts = EncodedCounts.fromBase64(base64);
    const h = counts.header;
    const sameLayout = h.significantDigits === SIGNIFICANT_DIGITS && h.lowestTrackableValue === 1 && h.highestTrackableValue <= this.highestValue;
    if (!sameLayout) {
      this.add(LatencyHistogram.decode(base64, this.highestValue));
      return;
    }
    const hdr = this.hdr as Histogram & { valueFromIndex(index: number): number };
    counts.forEachCount((index, count) => hdr.recordValueWithCount(hdr.valueFromIndex(index), count));
  }

  reset(): void {
    this.hdr.reset();
    this.clamped = 0;
  }

  /** Compressed base64 (HdrHistogram V2 compressed encoding), readable by any HdrHistogram implementation. */
  encode(): string {
    return encodeIntoCompressedBase64(this.hdr);
  }

  /**
   * Value at `percentile` (0..100): the highest value equivalent (within 3 significant digits) to the value
   * that `percentile` % of the recorded values are at or below. 0 when empty.
   */
  valueAtPercentile(percentile: number): number {
    return this.hdr.totalCount === 0 ? 0 : this.hdr.getValueAtPercentile(percentile);
  }

  /**
   * For each of `limits` (ascending), how many recorded values are at or below it, as HDR resolves
   * them: a value counts under a limit when it lies in the limit's bucket or a lower one, so a value
   * up to 0.1 % above a limit may count under it (never one further off). Cumulative, so the counts
   * are a Prometheus histogram's `_bucket` series; one walk over the buckets up to the last limit.
   */
  countsAtOrBelow(limits: readonly number[]): number[] {
    const hdr = this.hdr as IndexedHistogram;
    const total = hdr.totalCount;
    let index = 0;
    let cumulative = 0;
    return this.limitIndices(limits).map((last) => {
      const end = Math.min(last, hdr.countsArrayLength - 1);
      // Past the last recorded value nothing is left to add: typical latencies stop the walk early.
      for (; index <= end && cumulative < total; index++) cumulative += hdr.getCountAtIndex(index);
      return cumulative;
    });
  }

  /** The last bucket index at or below each limit (-1 below 0, +Infinity past 2^53); throws unless the limits ascend. */
  private limitIndices(limits: readonly number[]): number[] {
    const hdr = this.hdr as IndexedHistogram;
    let previous = Number.NEGATIVE_INFINITY;
    return limits.map((limit) => {
      if (!(limit >= previous)) throw new RangeError(`histogram limits must be ascending numbers, got ${limit} after ${previous}`);
      previous = limit;
      if (limit < 0) return -1;
      // Index math is pure arithmetic, valid past this histogram's range (an encoded one may be wider).
      return limit > Number.MAX_SAFE_INTEGER ? Number.POSITIVE_INFINITY : hdr.countsArrayIndex(Math.floor(limit));
    });
  }

  get totalCount(): number {
    return this.hdr.totalCount;
  }

  /** How many recorded values were out of range and clamped (not carried by `encode()`). */
  get clampedCount(): number {
    return this.clamped;
  }

  get estimatedFootprintBytes(): number {
    return this.hdr.estimatedFootprintInBytes;
  }
}
