/**
 * Pure functions over the plain-JSON StatsSnapshot (rule 9): the one shape that workers send, writers
 * read and analyze/ loads. Histograms travel as HdrHistogram compressed base64 (see histogram.ts).
 */
import { StatsEntry } from './entry.js';
import { StatsRegistry } from './registry.js';
import type { EntrySnapshot, EntrySummary, StatsSnapshot } from './types.js';

/**
 * EntrySummary of a saved entry: percentiles from its histogram, 100% the exact max, current rates from
 * its per-second counts when present. `startWallMs` (the run start) bounds the current-rate window;
 * it defaults to the entry's first request.
 */
export function summaryFromSnapshot(entry: EntrySnapshot, nowWallMs: number, startWallMs?: number): EntrySummary {
  return StatsEntry.fromSnapshot(entry, startWallMs ?? entry.firstRequestWallMs ?? nowWallMs).summary(nowWallMs);
}

/** Adds several snapshots (e.g. one per worker, each since its last reset): same result as one registry. */
export function mergeSnapshots(snapshots: readonly StatsSnapshot[]): StatsSnapshot {
  const first = snapshots[0];
  if (first === undefined) throw new RangeError('mergeSnapshots needs at least one snapshot');
  const startWallMs = Math.min(...snapshots.map((s) => s.startWallMs));
  const takenWallMs = Math.max(...snapshots.map((s) => s.takenWallMs));
  const registry = new StatsRegistry(() => takenWallMs, {
    startWallMs,
    maxFailureGroups: Number.MAX_SAFE_INTEGER,
    maxExceptionGroups: Number.MAX_SAFE_INTEGER,
    maxMetricNames: Number.MAX_SAFE_INTEGER,
  });
  for (const s of snapshots) registry.mergeSnapshot(s);
  return registry.snapshot();
}

/** JSON text of a snapshot. */
export function serializeSnapshot(s: StatsSnapshot): string {
  return JSON.stringify(s);
}

/**
 * Checks untrusted JSON (a file, a worker message) and returns it as a StatsSnapshot; throws one Error
 * listing every problem found.
 */
export function parseSnapshot(value: unknown): StatsSnapshot {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  const problems: string[] = [];
  const root = asRecord(parsed, 'snapshot', problems);
  if (root !== undefined) checkRoot(root, problems);
  if (problems.length > 0) {
    throw new Error(`invalid stats snapshot (${problems.length} problem(s)): ${problems.slice(0, 20).join('; ')}`);
  }
  return parsed as StatsSnapshot;
}

type Json = Record<string, unknown>;

function checkRoot(root: Json, problems: string[]): void {
  if (root['version'] !== 1) problems.push(`version must be 1, got ${JSON.stringify(root['version'])}`);
  number(root, 'startWallMs', 'snapshot', problems);
  number(root, 'takenWallMs', 'snapshot', problems);
  const agg = asRecord(root['aggregated'], 'aggregated', problems);
  if (agg !== undefined) checkEntry(agg, 'aggregated', problems);
  eachRecord(root, 'entries', problems, (e, at) => checkEntry(e, at, problems));
  eachRecord(root, 'failures', problems, (f, at) => {
    for (const k of ['method', 'name', 'error']) string(f, k, at, problems);
    for (const k of ['occurrences', 'firstSeenWallMs', 'lastSeenWallMs']) number(f, k, at, problems);
  });
  eachRecord(root, 'exceptions', problems, (e, at) => {
    string(e, 'message', at, problems);
    string(e, 'traceback', at, problems);
    number(e, 'count', at, problems);
    if (!Array.isArray(e['nodes']) || !e['nodes'].every((n) => typeof n === 'string')) problems.push(`${at}.nodes must be an array of strings`);
  });
  eachRecord(root, 'metrics', problems, (m, at) => {
    string(m, 'name', at, problems);
    string(m, 'histogram', at, problems);
    for (const k of ['count', 'sum']) number(m, k, at, problems);
    for (const k of ['min', 'max']) nullableNumber(m, k, at, problems);
  });
}

function checkEntry(e: Json, at: string, problems: string[]): void {
  for (const k of ['method', 'name', 'histogram']) string(e, k, at, problems);
  for (const k of ['numRequests', 'numFailures', 'totalResponseTimeMs', 'totalContentLength']) number(e, k, at, problems);
  for (const k of ['minResponseTimeMs', 'maxResponseTimeMs', 'firstRequestWallMs', 'lastRequestWallMs']) nullableNumber(e, k, at, problems);
  for (const k of ['requestBytes', 'firstStartWallMs', 'lastStartWallMs']) if (e[k] !== undefined) number(e, k, at, problems);
  const codes = e['statusCodes'];
  if (codes !== undefined) {
    const c = asRecord(codes, `${at}.statusCodes`, problems);
    if (c !== undefined && !Object.entries(c).every(([k, n]) => /^\d{1,3}$/.test(k) && typeof n === 'number' && Number.isInteger(n) && n >= 0)) {
      problems.push(`${at}.statusCodes must map status codes ("200") to counts`);
    }
  }
  const recent = e['recent'];
  if (recent === undefined) return;
  const r = asRecord(recent, `${at}.recent`, problems);
  if (r === undefined) return;
  for (const k of ['seconds', 'requests', 'failures']) {
    const arr = r[k];
    if (!Array.isArray(arr) || !arr.every((x) => typeof x === 'number')) problems.push(`${at}.recent.${k} must be an array of numbers`);
  }
}

function asRecord(v: unknown, at: string, problems: string[]): Json | undefined {
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Json;
  problems.push(`${at} must be an object`);
  return undefined;
}

function eachRecord(root: Json, key: string, problems: string[], check: (item: Json, at: string) => void): void {
  const arr = root[key];
  if (!Array.isArray(arr)) {
    problems.push(`${key} must be an array`);
    return;
  }
  arr.forEach((item: unknown, i) => {
    const rec = asRecord(item, `${key}[${i}]`, problems);
    if (rec !== undefined) check(rec, `${key}[${i}]`);
  });
}

function string(o: Json, key: string, at: string, problems: string[]): void {
  if (typeof o[key] !== 'string') problems.push(`${at}.${key} must be a string`);
}

function number(o: Json, key: string, at: string, problems: string[]): void {
  if (typeof o[key] !== 'number' || !Number.isFinite(o[key])) problems.push(`${at}.${key} must be a finite number`);
}

function nullableNumber(o: Json, key: string, at: string, problems: string[]): void {
  if (o[key] !== null) number(o, key, at, problems);
}
