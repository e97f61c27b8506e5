/**
 * Finds and loads one run from what the user typed: a `…_stats.csv` (or any other file of the
 * run), a `….json`, or the run prefix itself. brood's JSON, when present, gives the stats (exact
 * percentiles from the snapshot) and run info; the CSVs give everything else and are still checked.
 */
import { existsSync, statSync } from 'node:fs';
import { summarizeResources } from '../src/monitor/resource-summary.js';
import { AnalyzeError } from './analyze-error.js';
import { readHistoryCsv } from './history-csv-reader.js';
import { readJsonRun, type JsonRunParts } from './json-run-reader.js';
import type { LoadedResources, LoadedRun, RunMeta } from './loaded-run.js';
import { readResourcesCsv } from './resources-csv-reader.js';
import { readExceptionsCsv, readFailuresCsv, readMetricsCsv } from './side-csv-readers.js';
import { readStatsCsv } from './stats-csv-reader.js';
import { readVegetaResults, vegetaResultsFormat } from './vegeta-results-reader.js';

const SUFFIXES = ['_stats_history.csv', '_stats.csv', '_failures.csv', '_exceptions.csv', '_custom_metrics.csv', '_resources.csv', '.json', '.html', '.log'];

export interface RunFiles {
  prefix: string;
  stats: string | null;
  history: string | null;
  failures: string | null;
  exceptions: string | null;
  metrics: string | null;
  /** brood's PREFIX_resources.csv: the watched server's readings (issue 23). */
  resources: string | null;
  json: string | null;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The run prefix of an input: the path minus a known suffix, or the path itself. */
export function runPrefix(input: string): string {
  const suffix = SUFFIXES.find((s) => input.endsWith(s));
  return suffix === undefined ? input : input.slice(0, -suffix.length);
}

/** The files of the run named by `input`; throws when the input itself is missing or names no run. */
export function findRunFiles(input: string): RunFiles {
  const namedFile = SUFFIXES.some((s) => input.endsWith(s));
  if (namedFile && !isFile(input)) {
    throw new AnalyzeError('FILE_UNREADABLE', `cannot read ${input}: ${existsSync(input) ? 'is a directory' : 'no such file'}`);
  }
  const prefix = runPrefix(input);
  const at = (suffix: string): string | null => (isFile(`${prefix}${suffix}`) ? `${prefix}${suffix}` : null);
  const files: RunFiles = {
    prefix, stats: at('_stats.csv'), history: at('_stats_history.csv'), failures: at('_failures.csv'),
    exceptions: at('_exceptions.csv'), metrics: at('_custom_metrics.csv'), resources: at('_resources.csv'), json: at('.json'),
  };
  if (files.stats === null && files.json === null) {
    throw new AnalyzeError('NO_RUN', `no run at ${input}: expected ${prefix}_stats.csv or ${prefix}.json`);
  }
  return files;
}

function emptyMeta(): RunMeta {
  return {
    scenario: null, testFile: null, host: null, command: null, users: null, spawnRate: null, shape: null, seed: null,
    userClasses: [], startWallMs: null, endWallMs: null, durationSecs: null, stopReason: null, breakingPoint: null, statsResetWallMs: null, runTimeLimitSecs: null,
    broodVersion: null, nodeVersion: null,
  };
}

/** A run from CSV files only (Locust's, or brood's without its JSON). */
function csvParts(files: RunFiles & { stats: string }): JsonRunParts {
  const { entries, aggregated } = readStatsCsv(files.stats);
  const history = files.history === null ? { aggregated: [], endpoints: {} } : readHistoryCsv(files.history);
  const meta = emptyMeta();
  // Locust's stats.csv has no duration: its Requests/s is requests ÷ (last request − start).
  meta.durationSecs = aggregated.rps > 0 ? aggregated.summary.numRequests / aggregated.rps : null;
  const first = history.aggregated[0];
  const last = history.aggregated.at(-1);
  if (first !== undefined && last !== undefined) {
    meta.startWallMs = first.timestamp * 1000;
    meta.endWallMs = last.timestamp * 1000;
    meta.users = Math.max(...history.aggregated.map((p) => p.userCount));
  }
  return {
    meta, entries, aggregated, history: history.aggregated, endpointHistory: history.endpoints, metricHistory: {},
    failures: [], exceptions: [], metrics: [], stages: [], declaredTargets: [],
  };
}

/**
 * The server's resources: the JSON's summary when it has one (it knows the run's --monitor-warm-up),
 * else the summary recomputed from the CSV; the readings always come from the CSV. The CSV is read,
 * and checked, whenever it is there.
 */
function runResources(csvFile: string | null, fromJson: LoadedResources | null): LoadedResources | null {
  if (csvFile === null) return fromJson;
  const csv = readResourcesCsv(csvFile);
  const readings = { samples: csv.samples, sources: csv.sources.map((s) => s.name), metricNames: csv.metricNames };
  if (fromJson !== null) return { ...fromJson, ...readings };
  return { origin: csvFile, recomputed: true, summary: summarizeResources(csv.sources, csv.samples, csv.metricNames, null), ...readings };
}

/** Loads every file of the run named by `input` (see findRunFiles), or a file of Vegeta's results. */
export function loadRun(input: string): LoadedRun {
  const vegeta = isFile(input) ? vegetaResultsFormat(input) : null;
  if (vegeta !== null) return { label: input, source: 'vegeta', files: [input], ...readVegetaResults(input, vegeta) };
  const files = findRunFiles(input);
  const read: string[] = [];
  const csv = files.stats === null ? null : csvParts({ ...files, stats: files.stats });
  if (files.stats !== null) read.push(files.stats);
  if (files.history !== null && csv !== null) read.push(files.history);
  const json = files.json === null ? null : readJsonRun(files.json);
  if (files.json !== null) read.push(files.json);
  const parts = json ?? csv;
  if (parts === null) throw new AnalyzeError('NO_RUN', `no run at ${input}`);
  // The CSV history has every column; the JSON one lacks the totals' min/max.
  if (json !== null && csv !== null && csv.history.length > 0) parts.history = csv.history;
  if (json !== null && csv !== null && Object.keys(json.endpointHistory).length === 0) parts.endpointHistory = csv.endpointHistory;
  if (json === null) {
    if (files.failures !== null) { parts.failures = readFailuresCsv(files.failures); read.push(files.failures); }
    if (files.exceptions !== null) { parts.exceptions = readExceptionsCsv(files.exceptions); read.push(files.exceptions); }
    if (files.metrics !== null) { parts.metrics = readMetricsCsv(files.metrics); read.push(files.metrics); }
  }
  parts.resources = runResources(files.resources, json?.resources ?? null);
  if (files.resources !== null) read.push(files.resources);
  return { label: files.prefix, source: json === null ? 'csv' : 'brood-json', files: read, ...parts };
}
