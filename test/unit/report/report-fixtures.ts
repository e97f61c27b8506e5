/** Builders for report tests: plain data, no runner or network. */
import { fileURLToPath } from 'node:url';
import type { EntrySummary, HistoryPoint, StatsSnapshot } from '../../../src/stats/types.js';
import type { RunInfo } from '../../../src/report/run-info.js';

/**
 * Locust's reference output in test/fixtures/locust-reference (copied from the shared reference
 * material: see its README). The compiled test runs from dist/test/unit/report/, so the repo root
 * is four levels up.
 */
export function referencePath(name: string): string {
  return fileURLToPath(new URL(`../../../../test/fixtures/locust-reference/${name}`, import.meta.url));
}

/** An entry with `n` requests all taking `ms` (percentiles all `ms`), or an empty one for n = 0. */
export function entry(method: string, name: string, n: number, ms: number, overrides: Partial<EntrySummary> = {}): EntrySummary {
  return {
    method,
    name,
    numRequests: n,
    numFailures: 0,
    totalResponseTimeMs: n * ms,
    minResponseTimeMs: n === 0 ? null : ms,
    maxResponseTimeMs: n === 0 ? null : ms,
    totalContentLength: n * 10,
    percentilesMs: Array.from({ length: 11 }, () => (n === 0 ? null : ms)),
    firstRequestWallMs: n === 0 ? null : 1_000,
    lastRequestWallMs: n === 0 ? null : 11_000,
    currentRps: 0,
    currentFailPerSec: 0,
    ...overrides,
  };
}

export function historyPoint(timestamp: number, total: EntrySummary, overrides: Partial<HistoryPoint> = {}): HistoryPoint {
  return {
    timestamp,
    userCount: 10,
    rps: 12.5,
    failPerSec: 0.25,
    intervalPercentilesMs: total.percentilesMs.slice(),
    total,
    ...overrides,
  };
}

export function runInfo(overrides: Partial<RunInfo> = {}): RunInfo {
  return {
    broodVersion: '0.1.0',
    command: 'run-load-tests -f users/reader.ts -u 10 -t 10s',
    scenario: null,
    testFile: 'users/reader.ts',
    host: 'http://127.0.0.1:8080',
    users: 10,
    spawnRate: 5,
    shape: null,
    seed: 42,
    userClasses: ['Reader'],
    startWallMs: 0,
    endWallMs: 10_000,
    durationSecs: 10,
    stopReason: 'time limit reached',
    breakingPoint: null,
    runTimeLimitSecs: 10,
    nodeVersion: 'v20.18.0',
    ...overrides,
  };
}

export function emptySnapshot(): StatsSnapshot {
  const agg = {
    method: '', name: 'Aggregated', numRequests: 0, numFailures: 0, totalResponseTimeMs: 0,
    minResponseTimeMs: null, maxResponseTimeMs: null, totalContentLength: 0,
    firstRequestWallMs: null, lastRequestWallMs: null, histogram: '',
  };
  return { version: 1, startWallMs: 0, takenWallMs: 10_000, entries: [], aggregated: agg, failures: [], exceptions: [], metrics: [] };
}

/** Splits CSV text into records of fields (RFC 4180, CRLF record ends), for checking round trips. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { record.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { record.push(field); records.push(record); record = []; field = ''; i++; }
    else field += c;
  }
  if (field !== '' || record.length > 0) throw new Error(`unterminated record: ${JSON.stringify(record)} ${JSON.stringify(field)}`);
  return records;
}
