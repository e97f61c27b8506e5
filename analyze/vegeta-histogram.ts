/**
 * Vegeta's latency-distribution reports from a brood run's HDR histogram (the Aggregated row,
 * integer µs at 3 significant digits): `vegeta report -type='hist[0,2ms,4ms]'` (lib/histogram.go,
 * NewHistogramReporter) and `-type=hdrplot` (NewHDRHistogramPlotReporter), same layout and numbers
 * format. Vegeta sorts each exact latency; brood has the histogram, so:
 *
 * - a request lands in the hist bucket its recorded µs falls in. Where a bucket edge cuts through one
 *   of the histogram's ranges (past 2.048 ms they are wider than 1 µs: 64 µs around 100 ms), the
 *   requests in that range are counted at the histogram's value for them (its highest, as percentiles
 *   are), and `unresolved` says how many, so the caller can say so;
 * - hdrplot's values are the histogram's percentiles clamped into the exact [min, max], with the exact
 *   min at 0 and max at 1, where Vegeta's come from a t-digest.
 */
import { EncodedCounts } from '../src/stats/hdr-encoding.js';
import { LatencyHistogram } from '../src/stats/histogram.js';
import { AnalyzeError } from './analyze-error.js';
import { requireRunJson, runJsonFile } from './format-vegeta.js';
import { goDuration, goFixed, goParseDuration, goTabwriter } from './go-text.js';
import type { LoadedRun } from './loaded-run.js';

/**
 * `--hist` buckets: "0,2ms,4ms" or Vegeta's "[0,2ms,4ms]", Go durations, in ns. As Vegeta does, a
 * first bucket above 0 gets [0, first) added; unlike Vegeta, edges must rise (Vegeta would misfile).
 */
export function parseHistBuckets(spec: string): number[] {
  const inner = /^\s*\[(.*)\]\s*$/s.exec(spec)?.[1] ?? spec;
  const edges = inner.split(',').map((part) => {
    const ns = goParseDuration(part.trim());
    if (ns === null || ns < 0) {
      throw new AnalyzeError('BAD_USAGE', `--hist "${spec}": "${part.trim()}" is not a duration ≥ 0: give edges as 0,2ms,4ms (units ns, us, ms, s, m, h)`);
    }
    return ns;
  });
  const falling = edges.findIndex((e, i) => i > 0 && e <= (edges[i - 1] ?? 0));
  if (falling !== -1) throw new AnalyzeError('BAD_USAGE', `--hist "${spec}": bucket edges must rise, but ${goDuration(edges[falling] ?? 0)} follows ${goDuration(edges[falling - 1] ?? 0)}`);
  return (edges[0] ?? 0) > 0 ? [0, ...edges] : edges;
}

/** Counts per bucket, and how many requests sat in a histogram range that a bucket edge cuts. */
export interface HistCounts {
  buckets: number[];
  counts: number[];
  total: number;
  unresolved: number;
}

/** The value range [lowest, lowest + size) of each non-zero count of an encoded HDR histogram, from its header (HdrHistogram's layout). */
function forEachRange(encoded: string, fn: (lowest: number, size: number, count: number) => void): void {
  const counts = EncodedCounts.fromBase64(encoded);
  const { significantDigits, lowestTrackableValue } = counts.header;
  const subBucketHalfCount = 2 ** (Math.max(Math.ceil(Math.log2(2 * 10 ** significantDigits)), 1) - 1);
  const unitMagnitude = Math.floor(Math.log2(lowestTrackableValue));
  counts.forEachCount((index, count) => {
    const bucket = Math.floor(index / subBucketHalfCount) - 1;
    const subBucket = (index % subBucketHalfCount) + (bucket < 0 ? 0 : subBucketHalfCount);
    const size = 2 ** (Math.max(bucket, 0) + unitMagnitude);
    fn(subBucket * size, size, count);
  });
}

/** Counts the run's requests into `buckets` (ns edges, ascending) as Vegeta's Histogram.Add does: [edge, next edge). */
export function histCounts(run: LoadedRun, buckets: readonly number[]): HistCounts {
  const encoded = aggregatedHistogram(run, '--hist');
  const bucketOf = (ns: number): number => {
    let i = 0;
    while (i < buckets.length - 1 && !(ns >= (buckets[i] ?? 0) && ns < (buckets[i + 1] ?? 0))) i++;
    return i;
  };
  const counts = buckets.map(() => 0);
  let total = 0;
  let unresolved = 0;
  forEachRange(encoded, (lowest, size, count) => {
    const highest = lowest + size - 1;
    const at = bucketOf(highest * 1000);
    if (bucketOf(lowest * 1000) !== at) unresolved += count;
    counts[at] = (counts[at] ?? 0) + count;
    total += count;
  });
  return { buckets: [...buckets], counts, total, unresolved };
}

function aggregatedHistogram(run: LoadedRun, option: string): string {
  requireRunJson(run, option);
  if (run.aggregatedHistogram === undefined) throw new AnalyzeError('BAD_JSON', `${runJsonFile(run)}: no latency histogram in its Aggregated row: ${option} needs it`);
  if (run.aggregated.summary.numRequests === 0) throw new AnalyzeError('NO_REQUESTS', `${run.label}: no requests, so no latency distribution for ${option}`);
  return run.aggregatedHistogram;
}

/** `vegeta report -type=hist[…]`: bucket, count, share and a bar of up to 75 #. */
export function formatHist(h: HistCounts): string {
  const lines = h.counts.map((count, i) => {
    const ratio = count / h.total;
    const lo = goDuration(h.buckets[i] ?? 0);
    const hi = i + 1 < h.buckets.length ? goDuration(h.buckets[i + 1] ?? 0) : '+Inf';
    return `[${lo},\t${hi}]\t${count}\t${goFixed(ratio * 100, 2)}%\t${'#'.repeat(Math.trunc(ratio * 75))}\n`;
  });
  return goTabwriter(`Bucket\t\t#\t%\tHistogram\n${lines.join('')}`);
}

/** The quantiles Vegeta's hdrplot prints (lib/reporters.go `logarithmic`), 0 to 1. */
const HDRPLOT_QUANTILES = [
  0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.775, 0.8, 0.825, 0.85, 0.875, 0.8875, 0.9, 0.9125, 0.925, 0.9375,
  0.94375, 0.95, 0.95625, 0.9625, 0.96875, 0.971875, 0.975, 0.978125, 0.98125, 0.984375, 0.985938, 0.9875, 0.989062, 0.990625,
  0.992188, 0.992969, 0.99375, 0.994531, 0.995313, 0.996094, 0.996484, 0.996875, 0.997266, 0.997656, 0.998047, 0.998242, 0.998437,
  0.998633, 0.998828, 0.999023, 0.999121, 0.999219, 0.999316, 0.999414, 0.999512, 0.999561, 0.999609, 0.999658, 0.999707, 0.999756,
  0.99978, 0.999805, 0.999829, 0.999854, 0.999878, 0.99989, 0.999902, 0.999915, 0.999927, 0.999939, 0.999945, 0.999951, 0.999957,
  0.999963, 0.999969, 0.999973, 0.999976, 0.999979, 0.999982, 0.999985, 0.999986, 0.999988, 0.999989, 0.999991, 0.999992, 0.999993,
  0.999994, 0.999995, 0.999996, 0.999997, 0.999998, 0.999999, 1,
] as const;

/** `vegeta report -type=hdrplot`, plottable by HdrHistogram's plotFiles.html. */
export function formatHdrPlot(run: LoadedRun): string {
  const hdr = LatencyHistogram.decode(aggregatedHistogram(run, '--format hdrplot'));
  const s = run.aggregated.summary;
  const minNs = Math.round((s.minResponseTimeMs ?? 0) * 1e6);
  const maxNs = Math.round((s.maxResponseTimeMs ?? 0) * 1e6);
  const quantileNs = (q: number): number => (q === 0 ? minNs : q === 1 ? maxNs : Math.min(maxNs, Math.max(minNs, hdr.valueAtPercentile(q * 100) * 1000)));
  return hdrPlotText(quantileNs, s.numRequests);
}

/** hdrplot's text for latencies whose quantile q (0 to 1) is `quantileNs(q)` ns, over `total` requests. */
export function hdrPlotText(quantileNs: (q: number) => number, total: number): string {
  const rows = HDRPLOT_QUANTILES.map((q) => {
    const ns = quantileNs(q);
    // Go's milliseconds(): whole ms plus the rest, so the float rounds as Vegeta's does.
    const ms = Math.trunc(ns / 1e6) + (ns % 1e6) / 1e6;
    const oneBy = q < 1 ? 1 / (1 - q) : 10_000_000;
    return `${goFixed(ms, 6)}\t${goFixed(q, 6)}\t${Math.trunc(q * total + 0.5)}\t${goFixed(oneBy, 6)}\n`;
  });
  return goTabwriter(`Value(ms)\tPercentile\tTotalCount\t1/(1-Percentile)\n${rows.join('')}`);
}
