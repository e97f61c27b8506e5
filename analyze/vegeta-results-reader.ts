/**
 * Vegeta's results, as `vegeta encode --to json` (one object per line) and `--to csv` (12 columns)
 * write them (tsenart/vegeta lib/results.go), read into what brood's own files give the analyzer:
 * one stats row per method and URL path, exact counts, HDR percentiles, status codes, failures
 * grouped by error, and a history per second of completion time, so the summary, targets, a
 * baseline comparison, `--format vegeta` and `analyze-results report` work on a Vegeta attack.
 *
 * A request succeeded as Vegeta says: a status 200-399 and no error. Its failure is its error, or
 * "HTTP <code>". A line that is not a result is one error naming the file and line.
 */
import { openSync, readSync, closeSync } from 'node:fs';
import { StatsRegistry } from '../src/stats/registry.js';
import type { EndpointPoint } from '../src/report/run-info.js';
import type { EntrySummary, HistoryPoint } from '../src/stats/types.js';
import { AnalyzeError } from './analyze-error.js';
import { parseCsv } from './csv-parse.js';
import type { JsonRunParts } from './json-run-reader.js';
import type { EndpointStats, RunMeta } from './loaded-run.js';
import { readTextFile } from './read-text-file.js';

/** One of Vegeta's results, times in epoch ms (µs kept as fractions). */
export interface VegetaResult {
  startMs: number;
  latencyMs: number;
  code: number;
  bytesOut: number;
  bytesIn: number;
  error: string;
  method: string;
  url: string;
}

const CSV_COLUMNS = 12;
const SNIFF_BYTES = 64 * 1024;

/** Which of Vegeta's encodings the file holds, from its first line; null when it is not Vegeta results. */
export function vegetaResultsFormat(path: string): 'json' | 'csv' | null {
  let head: string;
  try {
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.alloc(SNIFF_BYTES);
      head = buf.subarray(0, readSync(fd, buf, 0, SNIFF_BYTES, 0)).toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
  const first = head.split('\n', 1)[0]?.trim() ?? '';
  if (first.startsWith('{')) {
    // A brood run's JSON is one pretty-printed object: its first line is "{" alone.
    try {
      const o = JSON.parse(first) as Record<string, unknown>;
      return 'latency' in o && 'code' in o && 'timestamp' in o ? 'json' : null;
    } catch {
      return null;
    }
  }
  // Vegeta's CSV has no header: its first cell is a timestamp in ns.
  return /^\d{10,},\d+,\d+,/.test(first) ? 'csv' : null;
}

/** Reads a results file of either encoding. */
export function readVegetaResults(path: string, format: 'json' | 'csv'): JsonRunParts {
  const text = readTextFile(path);
  const results = format === 'json' ? jsonResults(text, path) : csvResults(text, path);
  if (results.length === 0) throw new AnalyzeError('NOT_RESULT_FILE', `${path}: no results in the file (expected vegeta encode --to ${format} output)`);
  return runParts(results, path);
}

function jsonResults(text: string, file: string): VegetaResult[] {
  const out: VegetaResult[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const at = `${file}:${i + 1}`;
    let o: Record<string, unknown>;
    try {
      const v: unknown = JSON.parse(line);
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
      o = v as Record<string, unknown>;
    } catch (e) {
      throw new AnalyzeError('BAD_JSON', `${at}: not a Vegeta result (${e instanceof Error ? e.message : String(e)}): expected one JSON object per line, as vegeta encode --to json writes`);
    }
    const startMs = typeof o['timestamp'] === 'string' ? rfc3339Ms(o['timestamp']) : Number.NaN;
    if (!Number.isFinite(startMs)) throw new AnalyzeError('BAD_JSON', `${at}: "timestamp" must be an RFC 3339 time, got ${JSON.stringify(o['timestamp'])}`);
    out.push({
      startMs,
      latencyMs: count(o['latency'], 'latency', at) / 1e6,
      code: count(o['code'], 'code', at),
      bytesOut: count(o['bytes_out'] ?? 0, 'bytes_out', at),
      bytesIn: count(o['bytes_in'] ?? 0, 'bytes_in', at),
      error: typeof o['error'] === 'string' ? o['error'] : '',
      method: typeof o['method'] === 'string' ? o['method'] : '',
      url: typeof o['url'] === 'string' ? o['url'] : '',
    });
  });
  return out;
}

function count(v: unknown, key: string, at: string): number {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  throw new AnalyzeError('BAD_JSON', `${at}: "${key}" must be a whole number ≥ 0, got ${JSON.stringify(v)}`);
}

/** RFC 3339 with up to nanoseconds (Go's time.RFC3339Nano) → epoch ms, the µs kept as a fraction. */
function rfc3339Ms(text: string): number {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (m === null) return Number.NaN;
  const whole = Date.parse(`${m[1] ?? ''}${m[3] ?? ''}`);
  const fraction = m[2] === undefined ? 0 : Number(`0.${m[2]}`) * 1000;
  return whole + fraction;
}

function csvResults(text: string, file: string): VegetaResult[] {
  return parseCsv(text, file).map(({ line, cells }) => {
    const at = `${file}:${line}`;
    if (cells.length !== CSV_COLUMNS) {
      throw new AnalyzeError('BAD_CSV', `${at}: ${cells.length} columns, expected Vegeta's ${CSV_COLUMNS} (timestamp, code, latency, bytes out, bytes in, error, body, attack, seq, method, url, headers)`);
    }
    const [ts = '', code = '', latency = '', out = '', bytesIn = '', error = '', , , , method = '', url = ''] = cells;
    const whole = (cell: string, what: string): bigint => {
      if (!/^\d+$/.test(cell)) throw new AnalyzeError('BAD_CSV', `${at}: ${what} must be a whole number ≥ 0, got ${JSON.stringify(cell)}`);
      return BigInt(cell);
    };
    // Nanoseconds since the epoch pass 2^53: divided as integers first, so the µs stay exact.
    const startNs = whole(ts, 'the timestamp (ns)');
    return {
      startMs: Number(startNs / 1000n) / 1000,
      latencyMs: Number(whole(latency, 'the latency (ns)')) / 1e6,
      code: Number(whole(code, 'the status code')),
      bytesOut: Number(whole(out, 'bytes out')),
      bytesIn: Number(whole(bytesIn, 'bytes in')),
      error,
      method,
      url,
    };
  });
}

/** The stats, failures and history of the results, as a brood run would have recorded them. */
function runParts(results: VegetaResult[], file: string): JsonRunParts {
  results.sort((a, b) => a.startMs + a.latencyMs - (b.startMs + b.latencyMs));
  // A loop, not Math.min(...): a million results would overflow the call's argument list.
  let start = Number.POSITIVE_INFINITY;
  for (const r of results) if (r.startMs < start) start = r.startMs;
  let now = start;
  const registry = new StatsRegistry(() => now, { startWallMs: start });
  const history: HistoryPoint[] = [];
  const endpointHistory: Record<string, EndpointPoint[]> = {};
  let second = Math.floor(start / 1000);
  const roll = (): void => {
    now = (second + 1) * 1000;
    const rows = registry.rollInterval(second, 0);
    history.push(rows.aggregated);
    for (const p of rows.entries) {
      const q = p.intervalPercentilesMs;
      (endpointHistory[`${p.total.method} ${p.total.name}`] ??= []).push({ timestamp: p.timestamp, rps: p.rps, failPerSec: p.failPerSec, p50Ms: q[0] ?? null, p95Ms: q[5] ?? null, p99Ms: q[7] ?? null });
    }
  };
  for (const r of results) {
    const end = r.startMs + r.latencyMs;
    while (Math.floor(end / 1000) > second) {
      roll();
      second++;
    }
    now = end;
    const { method, name } = rowOf(r);
    const failed = r.error !== '' || r.code < 200 || r.code >= 400;
    if (failed) registry.recordFailure(method, name, r.latencyMs, r.bytesIn, r.error !== '' ? r.error : `HTTP ${r.code}`, r.code, r.bytesOut);
    else registry.recordSuccess(method, name, r.latencyMs, r.bytesIn, r.code, r.bytesOut);
  }
  const endMs = now;
  roll();
  const { entries, aggregated } = registry.summaries(endMs);
  const durationSecs = (endMs - start) / 1000;
  return {
    aggregatedHistogram: registry.snapshot().aggregated.histogram,
    meta: meta(file, results, start, endMs, durationSecs),
    entries: entries.map((e) => endpointStats(e, durationSecs)),
    aggregated: endpointStats(aggregated, durationSecs),
    history,
    endpointHistory,
    metricHistory: {},
    failures: registry.failures().map((f) => ({ ...f })),
    exceptions: [],
    metrics: [],
    stages: [],
    declaredTargets: [],
  };
}

/** Rows by method and URL path, as brood names its own (the query left out: one endpoint, one row). */
function rowOf(r: VegetaResult): { method: string; name: string } {
  let name = r.url;
  try {
    name = new URL(r.url).pathname;
  } catch {
    // Older encodings have no URL: the whole attack is one row.
    name = r.url === '' ? '(no url)' : r.url;
  }
  return { method: r.method === '' ? 'HTTP' : r.method, name };
}

function endpointStats(summary: EntrySummary, durationSecs: number): EndpointStats {
  const rate = (n: number): number => (durationSecs > 0 ? n / durationSecs : 0);
  return { summary, rps: rate(summary.numRequests), failPerSec: rate(summary.numFailures) };
}

function meta(file: string, results: readonly VegetaResult[], start: number, end: number, durationSecs: number): RunMeta {
  let host: string | null = null;
  try {
    host = new URL(results[0]?.url ?? '').origin;
  } catch {
    host = null;
  }
  return {
    scenario: null, testFile: file, host, command: null, users: null, spawnRate: null, shape: null, seed: null,
    userClasses: [], startWallMs: start, endWallMs: end, durationSecs, stopReason: null, breakingPoint: null,
    statsResetWallMs: null, runTimeLimitSecs: null, broodVersion: null, nodeVersion: null,
  };
}
