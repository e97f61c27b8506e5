/**
 * Where a run's files go. Default: results/load_test_<YYYYmmdd_HHMMSS> + suffix, as the seed;
 * --csv PREFIX puts the CSVs at PREFIX_stats.csv… (as Locust), --html/--json/--logfile name those files,
 * --results-dir moves the default prefix. Resolution is pure; checkWritable touches the disk.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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
  /** Runs that watch the system under test (--monitor-*, the demo server): its RSS, CPU, threads, files per second. */
  resources: string;
  html: string;
  json: string;
  log: string;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** "20240102_030405" for a local time of 2024-01-02 03:04:05: the stamp of default file names. */
export function runStamp(now: Date): string {
  const date = `${now.getFullYear()}${pad2(now.getMonth() + 1)}${pad2(now.getDate())}`;
  const time = `${pad2(now.getHours())}${pad2(now.getMinutes())}${pad2(now.getSeconds())}`;
  return `${date}_${time}`;
}

/** "load_test_20240102_030405" for a local time of 2024-01-02 03:04:05. */
export function defaultRunName(now: Date): string {
  return `load_test_${runStamp(now)}`;
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
    resources: `${csvPrefix}_resources.csv`,
    html: options.html ?? `${runPrefix}.html`,
    json: options.json ?? `${runPrefix}.json`,
    log: options.logfile ?? `${runPrefix}.log`,
  };
}

/** Every file path of the run, in a stable order. */
export function allOutputFiles(paths: OutputPaths): string[] {
  return [
    paths.stats, paths.statsHistory, paths.failures, paths.exceptions, paths.customMetrics,
    paths.operations, paths.resources, paths.html, paths.json, paths.log,
  ];
}

function reason(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === undefined ? err.message : code;
  }
  return String(err);
}

/** The deepest directory of `dir`'s path that exists (`dir` itself when it does), or the error that stops the walk. */
function deepestExisting(dir: string): { dir: string } | { error: string } {
  let d = resolve(dir);
  for (;;) {
    try {
      if (statSync(d).isDirectory()) return { dir: d };
      return { error: 'ENOTDIR' };
    } catch (err: unknown) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') return { error: reason(err) };
    }
    const parent = dirname(d);
    if (parent === d) return { error: 'ENOENT' };
    d = parent;
  }
}

/** Whether a file can be created in the existing directory `dir`: null, or the error code. */
function probeWrite(dir: string): string | null {
  // access(W_OK) says yes to root on a read-only mount; creating a file is the real test.
  const probe = join(dir, `.brood-write-check-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    closeSync(openSync(probe, 'wx'));
    rmSync(probe, { force: true });
    return null;
  } catch (err: unknown) {
    return reason(err);
  }
}

/**
 * Why files cannot go to `dir`, or null. Creates nothing: a directory that does not exist yet is
 * judged by its deepest existing ancestor (a file can be made there, so the directory can be too).
 */
function directoryProblem(dir: string, d: OutputDirectory): string | null {
  // A directory reached through a symlink is named with the link: the user typed the link, not its target.
  const shown = d.viaLink === null ? dir : `${dir} (where symlink ${d.viaLink} points)`;
  const flags = flagsText(d);
  const existing = deepestExisting(dir);
  if ('error' in existing) return `cannot create results directory ${shown} (${existing.error}): choose another with ${flags} or fix the path`;
  const failed = probeWrite(existing.dir);
  if (failed === null) return null;
  return existing.dir === resolve(dir)
    ? `cannot write to results directory ${shown} (${failed}): choose another with ${flags} or fix its permissions`
    : `cannot create results directory ${shown} (${failed}): choose another with ${flags} or fix the path`;
}

/** A directory the run writes into: the symlink that led there (null: none), and the flags that sent files there. */
interface OutputDirectory {
  viaLink: string | null;
  flags: Set<string>;
}

/**
 * Which option put `file` where it is, for the hint of a directory problem ("choose another with
 * --csv"): without one, the default place under --results-dir.
 */
export type OutputFlagOf = (file: string) => string;

const RESULTS_DIR_FLAG: OutputFlagOf = () => '--results-dir';

/** "--csv", or "--csv and --json" when several options sent files to one directory. */
function flagsText(d: OutputDirectory): string {
  return [...d.flags].join(' and ');
}

/**
 * The directories the run's files (and `extra` files) go to, after following symlinks, each with
 * the symlink that led there (null: the file's own directory); and each unusable file's problem.
 */
function outputDirectories(paths: OutputPaths, extra: readonly string[], flagOf: OutputFlagOf): { dirs: Map<string, OutputDirectory>; problems: string[] } {
  const problems: string[] = [];
  const dirs = new Map<string, OutputDirectory>();
  for (const file of [...allOutputFiles(paths), ...extra]) {
    const problem = outputFileProblem(file);
    if (problem !== null) {
      problems.push(problem);
      continue;
    }
    const real = realOutputPath(file);
    const dir = dirname(real);
    let d = dirs.get(dir);
    if (d === undefined) dirs.set(dir, (d = { viaLink: real === file ? null : file, flags: new Set() }));
    else if (real === file) d.viaLink = null;
    d.flags.add(flagOf(file));
  }
  return { dirs, problems };
}

/**
 * Checks, before the run, that its files can be written: each path must be new or (a symlink to) a
 * regular file, and its directory writable or creatable. `extra` names other files the run will
 * write (--record-trace). Returns one line per problem (empty = all fine), so the CLI can report
 * them all at once. Creates nothing (a probe file is made and removed at once): a run refused
 * later, for any reason, must leave no directory behind; createOutputDirectories makes them once
 * every check has passed.
 */
export function checkWritable(paths: OutputPaths, extra: readonly string[] = [], flagOf: OutputFlagOf = RESULTS_DIR_FLAG): string[] {
  const { dirs, problems } = outputDirectories(paths, extra, flagOf);
  for (const [dir, d] of dirs) {
    const problem = directoryProblem(dir, d);
    if (problem !== null) problems.push(problem);
  }
  return problems;
}

/**
 * Makes the output directories, just before the run starts. Returns one line per problem; on any,
 * the directories it made are removed again (a directory that is no longer empty is someone else's
 * by now and is left alone).
 */
export function createOutputDirectories(paths: OutputPaths, extra: readonly string[] = [], flagOf: OutputFlagOf = RESULTS_DIR_FLAG): string[] {
  const { dirs, problems } = outputDirectories(paths, extra, flagOf);
  const created: string[] = [];
  for (const [dir, d] of dirs) {
    try {
      created.push(...makeDirectories(dir));
    } catch (err: unknown) {
      problems.push(`cannot create results directory ${dir} (${reason(err)}): choose another with ${flagsText(d)} or fix the path`);
    }
  }
  if (problems.length > 0) {
    for (const d of created.reverse()) {
      try {
        rmdirSync(d);
      } catch {
        // not empty, or gone: nothing to undo
      }
    }
  }
  return problems;
}
