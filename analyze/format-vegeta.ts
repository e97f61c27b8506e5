/**
 * Vegeta's JSON and text reports (`vegeta report -type=json|text`) for a brood run, so CI checks
 * written for Vegeta (`jq '.latencies."99th" < 500000000'`) work on brood's runs. Field names, order,
 * units and number formats are Vegeta's (lib/metrics.go, lib/reporters.go); the numbers are brood's:
 *
 * - success: requests brood did not count as failed (status ≥ 400, no response, or failed by the
 *   task); Vegeta counts status 200–399, the same for plain HTTP.
 * - 50th…99th: the HDR histogram's values (3 significant digits, clamped into [min, max], as brood's
 *   own reports), where Vegeta estimates them with a t-digest.
 * - earliest, latest, end, duration and wait: brood's wall clock has 1 ms resolution, so they are
 *   whole milliseconds; times are printed in UTC.
 * - errors: brood's failure texts ("HTTP 404", "ECONNREFUSED"), distinct, in order of first sight.
 *
 * Only brood's run JSON holds all of it: a CSV-only run, or a JSON from a brood that did not yet
 * keep status codes, send times and request bytes, is refused with a line saying what is missing.
 */
import { PERCENTILES, type EntrySummary } from '../src/stats/types.js';
import { AnalyzeError } from './analyze-error.js';
import { GO_ZERO_TIME, goDuration, goFixed, goJsonNumber, goJsonString, goRoundDuration, goTabwriter, rfc3339Nano } from './go-text.js';
import type { LoadedRun } from './loaded-run.js';

/** Vegeta's Metrics; durations in integer ns, times in integer epoch ms (null: no request, Go's zero time). */
export interface VegetaMetrics {
  latencies: { total: number; mean: number; p50: number; p90: number; p95: number; p99: number; max: number; min: number };
  bytesIn: { total: number; mean: number };
  bytesOut: { total: number; mean: number };
  earliestMs: number | null;
  latestMs: number | null;
  endMs: number | null;
  durationNs: number;
  waitNs: number;
  requests: number;
  rate: number;
  throughput: number;
  success: number;
  /** Code strings to counts, sorted as Go sorts strings (both reports list them so). */
  statusCodes: Array<[string, number]>;
  errors: string[];
}

/** Latency buckets of `--hist` with `--format vegeta`: [lower bound ns, count], Vegeta's "buckets". */
export type VegetaBuckets = ReadonlyArray<readonly [number, number]>;

/** The run's JSON file, for messages. */
export function runJsonFile(run: LoadedRun): string {
  if (run.source === 'vegeta') return run.files[0] ?? run.label;
  return run.files.find((f) => f.endsWith('.json')) ?? `${run.label}.json`;
}

/** Refuses a run read from CSV files: only brood's JSON has what Vegeta's reports need. */
export function requireRunJson(run: LoadedRun, option: string): void {
  if (run.source === 'csv') {
    throw new AnalyzeError('BAD_USAGE', `${run.label}: ${option} needs the run's .json written by brood (its CSV files, and Locust's, have no status codes, send times, request bytes or latency histogram)`);
  }
}

const msToNs = (ms: number | null | undefined): number => (ms === null || ms === undefined ? 0 : Math.round(ms * 1e6));
const percentileNs = (s: EntrySummary, q: (typeof PERCENTILES)[number]): number => msToNs(s.percentilesMs[PERCENTILES.indexOf(q)]);
/** Go's Duration.Seconds(): whole seconds plus the rest, so the float rounds as Go's does. */
const seconds = (ns: number): number => Math.trunc(ns / 1e9) + (ns % 1e9) / 1e9;

/** What Vegeta's Metrics hold for the run's Aggregated row; throws AnalyzeError when the run lacks a field. */
export function vegetaMetrics(run: LoadedRun, option: string): VegetaMetrics {
  requireRunJson(run, option);
  const s = run.aggregated.summary;
  const n = s.numRequests;
  const times = n === 0 ? null : sendTimes(run, option);
  const codes = n === 0 ? [] : statusCodes(run, option);
  const success = n - s.numFailures;
  const durationNs = times === null ? 0 : (times.latest - times.earliest) * 1e6;
  const waitNs = times === null ? 0 : (times.end - times.latest) * 1e6;
  // As lib/metrics.go Close(): over one request (no duration) the rates are the plain counts.
  const secs = seconds(durationNs);
  const total = msToNs(s.totalResponseTimeMs);
  return {
    latencies: {
      total, mean: n === 0 ? 0 : Math.trunc(total / n),
      p50: percentileNs(s, 0.5), p90: percentileNs(s, 0.9), p95: percentileNs(s, 0.95), p99: percentileNs(s, 0.99),
      max: msToNs(s.maxResponseTimeMs), min: msToNs(s.minResponseTimeMs),
    },
    bytesIn: { total: s.totalContentLength, mean: n === 0 ? 0 : s.totalContentLength / n },
    bytesOut: { total: s.requestBytes ?? 0, mean: n === 0 ? 0 : (s.requestBytes ?? 0) / n },
    earliestMs: times?.earliest ?? null, latestMs: times?.latest ?? null, endMs: times?.end ?? null,
    durationNs, waitNs, requests: n,
    rate: n === 0 ? 0 : secs > 0 ? n / secs : n,
    throughput: n === 0 ? 0 : secs > 0 ? success / seconds(durationNs + waitNs) : success,
    success: n === 0 ? 0 : success / n,
    statusCodes: codes, errors: distinctErrors(run),
  };
}

/** Earliest and latest send, last completion, in whole ms (the wall clock's resolution). */
function sendTimes(run: LoadedRun, option: string): { earliest: number; latest: number; end: number } {
  const s = run.aggregated.summary;
  const { firstStartWallMs: first, lastStartWallMs: last, lastRequestWallMs: end } = s;
  const noTimes = first === undefined || last === undefined || end === null;
  const missing = [...(noTimes ? ['send times'] : []), ...(s.requestBytes === undefined ? ['request bytes'] : []), ...(s.statusCodes === undefined ? ['status codes'] : [])];
  if (noTimes || missing.length > 0) {
    throw new AnalyzeError('BAD_JSON', `${runJsonFile(run)}: its Aggregated row has no ${missing.join(', ')} (written by an older brood?): ${option} needs them; rerun the test with this brood`);
  }
  return { earliest: Math.round(first), latest: Math.round(last), end: Math.round(end) };
}

/** Status codes of every request; a run with requests that have none (WebSocket, gRPC, custom rows) is refused. */
function statusCodes(run: LoadedRun, option: string): Array<[string, number]> {
  const s = run.aggregated.summary;
  const codes = Object.entries(s.statusCodes ?? {});
  const counted = codes.reduce((sum, [, c]) => sum + c, 0);
  if (counted !== s.numRequests) {
    throw new AnalyzeError('BAD_USAGE', `${runJsonFile(run)}: ${s.numRequests - counted} of ${s.numRequests} requests have no HTTP status (WebSocket, gRPC or custom rows): ${option} covers runs of HTTP requests only`);
  }
  // Go sorts map keys as byte strings: "99" after "200".
  return codes.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Vegeta's error set: each distinct error once, in the order they first happened. */
function distinctErrors(run: LoadedRun): string[] {
  const byFirstSeen = [...run.failures].sort((a, b) => (a.firstSeenWallMs ?? Infinity) - (b.firstSeenWallMs ?? Infinity));
  return [...new Set(byFirstSeen.map((f) => f.error))];
}

/** `vegeta report -type=json` (with `-buckets` when given): one compact line, as Go's json.Encoder writes it. */
export function formatVegetaJson(m: VegetaMetrics, buckets?: VegetaBuckets): string {
  const l = m.latencies;
  const time = (ms: number | null): string => goJsonString(ms === null ? GO_ZERO_TIME : rfc3339Nano(ms));
  const object = (pairs: ReadonlyArray<readonly [string, string]>): string => `{${pairs.map(([k, v]) => `${goJsonString(k)}:${v}`).join(',')}}`;
  const bytes = (b: { total: number; mean: number }): string => object([['total', String(b.total)], ['mean', goJsonNumber(b.mean)]]);
  const fields: Array<readonly [string, string]> = [
    ['latencies', object([['total', l.total], ['mean', l.mean], ['50th', l.p50], ['90th', l.p90], ['95th', l.p95], ['99th', l.p99], ['max', l.max], ['min', l.min]].map(([k, v]) => [String(k), String(v)] as const))],
    ...(buckets === undefined ? [] : [['buckets', object(buckets.map(([lo, count]) => [String(lo), String(count)] as const))] as const]),
    ['bytes_in', bytes(m.bytesIn)],
    ['bytes_out', bytes(m.bytesOut)],
    ['earliest', time(m.earliestMs)],
    ['latest', time(m.latestMs)],
    ['end', time(m.endMs)],
    ['duration', String(m.durationNs)],
    ['wait', String(m.waitNs)],
    ['requests', String(m.requests)],
    ['rate', goJsonNumber(m.rate)],
    ['throughput', goJsonNumber(m.throughput)],
    ['success', goJsonNumber(m.success)],
    ['status_codes', object(m.statusCodes.map(([code, count]) => [code, String(count)] as const))],
    ['errors', `[${m.errors.map(goJsonString).join(',')}]`],
  ];
  return `${object(fields)}\n`;
}

/** Vegeta's round(): to the next finer unit than the duration's own (1h → minutes, 1s → ms, 1ms → µs). */
function roundToNextUnit(ns: number): number {
  const units = [3_600e9, 60e9, 1e9, 1e6, 1e3];
  const next = [60e9, 1e9, 1e6, 1e3, 1];
  const i = units.findIndex((u) => ns >= u);
  return i === -1 ? ns : goRoundDuration(ns, next[i] ?? 1);
}

/** `vegeta report -type=text`: the same lines and column layout as lib/reporters.go's text reporter. */
export function formatVegetaText(m: VegetaMetrics): string {
  const d = (ns: number): string => goDuration(roundToNextUnit(ns));
  const l = m.latencies;
  const text =
    `Requests\t[total, rate, throughput]\t${m.requests}, ${goFixed(m.rate, 2)}, ${goFixed(m.throughput, 2)}\n` +
    `Duration\t[total, attack, wait]\t${d(m.durationNs + m.waitNs)}, ${d(m.durationNs)}, ${d(m.waitNs)}\n` +
    `Latencies\t[min, mean, 50, 90, 95, 99, max]\t${[l.min, l.mean, l.p50, l.p90, l.p95, l.p99, l.max].map(d).join(', ')}\n` +
    `Bytes In\t[total, mean]\t${m.bytesIn.total}, ${goFixed(m.bytesIn.mean, 2)}\n` +
    `Bytes Out\t[total, mean]\t${m.bytesOut.total}, ${goFixed(m.bytesOut.mean, 2)}\n` +
    `Success\t[ratio]\t${goFixed(m.success * 100, 2)}%\n` +
    `Status Codes\t[code:count]\t${m.statusCodes.map(([code, count]) => `${code}:${count}  `).join('')}` +
    `\nError Set:\n${m.errors.map((e) => `${e}\n`).join('')}`;
  return goTabwriter(text);
}
