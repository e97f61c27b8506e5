/**
 * Where a run's files go. Default: results/load_test_<YYYYmmdd_HHMMSS> + suffix, as the seed;
 * --csv PREFIX puts the CSVs at PREFIX_stats.csv… (as Locust), --html/--json/--logfile name those files,
 * --results-dir moves the default prefix. Resolution is pure; checkWritable touches the disk.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeDirectories } from './make-directories.js';
import { outputFileProblem, realOutputPath } from './output-target.js';

export const DEFAULT_RESULTS_DIR = 'results';

export interface OutputPathOptions {
  csvPrefix?: string;
  html?: string;
  json?: string;
  /** --logfile: the log's own path (Locust's flag). */
  logfile?: string;
  resultsDir?: string;
  /** The run's start, for the default name (local time, as the user's clock reads). */
  now: Date;
}

export interface OutputPaths {
  /** Prefix of the non-CSV defaults and the log: <resultsDir>/load_test_<stamp>. */
  runPrefix: string;
  /** Prefix of the CSV files: --csv PREFIX or runPrefix. */
  csvPrefix: string;
  stats: string;
  statsHistory: string;
  failures: string;
  exceptions: string;
  customMetrics: string;
  /** Open-model runs only: latency from the scheduled start and service time per operation. */
  operations: string;
  html: string;
  json: string;
  log: string;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** "load_test_20240102_030405" for a local time of 2024-01-02 03:04:05. */
export function defaultRunName(now: Date): string {
  const date = `${now.getFullYear()}${pad2(now.getMonth() + 1)}${pad2(now.getDate())}`;
  const time = `${pad2(now.getHours())}${pad2(now.getMinutes())}${pad2(now.getSeconds())}`;
  return `load_test_${date}_${time}`;
}

export function resolveOutputPaths(options: OutputPathOptions): OutputPaths {
  // With --csv PREFIX (and no --results-dir) the whole run lives at PREFIX: a user who points the
  // CSVs somewhere does not expect the JSON, HTML and log to land in ./results instead.
  const runPrefix =
    options.csvPrefix !== undefined && options.resultsDir === undefined
      ? options.csvPrefix
      : join(options.resultsDir ?? DEFAULT_RESULTS_DIR, defaultRunName(options.now));
  const csvPrefix = options.csvPrefix ?? runPrefix;
  return {
    runPrefix,
    csvPrefix,
    stats: `${csvPrefix}_stats.csv`,
    statsHistory: `${csvPrefix}_stats_history.csv`,
    failures: `${csvPrefix}_failures.csv`,
    exceptions: `${csvPrefix}_exceptions.csv`,
    customMetrics: `${csvPrefix}_custom_metrics.csv`,
    operations: `${csvPrefix}_operations.csv`,
    html: options.html ?? `${runPrefix}.html`,
    json: options.json ?? `${runPrefix}.json`,
    log: options.logfile ?? `${runPrefix}.log`,
  };
}

/** Every file path of the run, in a stable order. */
export function allOutputFiles(paths: OutputPaths): string[] {
  return [
    paths.stats, paths.statsHistory, paths.failures, paths.exceptions, paths.customMetrics,
    paths.operations, paths.html, paths.json, paths.log,
  ];
}

function reason(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === undefined ? err.message : code;
  }
  return String(err);
}

function probeDirectory(dir: string, created: string[]): string | null {
  try {
    created.push(...makeDirectories(dir));
  } catch (err: unknown) {
    return `cannot create results directory ${dir} (${reason(err)}): choose another with --results-dir or fix the path`;
  }
  // access(W_OK) says yes to root on a read-only mount; creating a file is the real test.
  const probe = join(dir, `.brood-write-check-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    closeSync(openSync(probe, 'wx'));
    rmSync(probe, { force: true });
    return null;
  } catch (err: unknown) {
    return `cannot write to results directory ${dir} (${reason(err)}): choose another with --results-dir or fix its permissions`;
  }
}

/**
 * Creates the output directories and checks that files can be written there, before the run
 * starts: each path must be new or (a symlink to) a regular file, and its directory writable.
 * `extra` names other files the run will write (--record-trace). Returns one line per problem
 * (empty = all fine), so the CLI can report them all at once; a refused run leaves no directory
 * it created behind.
 */
export function checkWritable(paths: OutputPaths, extra: readonly string[] = []): string[] {
  const problems: string[] = [];
  const dirs = new Set<string>();
  for (const file of [...allOutputFiles(paths), ...extra]) {
    const problem = outputFileProblem(file);
    if (problem !== null) {
      problems.push(problem);
      continue;
    }
    dirs.add(dirname(realOutputPath(file)));
  }
  const created: string[] = [];
  for (const dir of dirs) {
    const problem = probeDirectory(dir, created);
    if (problem !== null) problems.push(problem);
  }
  if (problems.length > 0) {
    for (const d of created.reverse()) {
      try {
        rmdirSync(d); // empty: only ours (a non-empty one is someone else's by now, left alone)
      } catch {
        // nothing to undo
      }
    }
  }
  return problems;
}
