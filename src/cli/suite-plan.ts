/**
 * Everything `run-load-tests suite` checks before its first run starts: the suite file and its
 * targets, the flags, --only's names, and every run's output files (and the summary's), so a
 * mistake is one line and exit 2 with nothing sent and nothing written, never a failure at run 3.
 */
import { join } from 'node:path';
import { ConfigError, ConfigErrors } from '../core/errors.js';
import type { SuiteRun } from '../core/suite.js';
import { loadSuite, suitePath, type LoadedSuite } from '../loading/load-suite.js';
import { outputCollisions } from '../report/output-collisions.js';
import { allOutputFiles, checkWritable, DEFAULT_RESULTS_DIR, runStamp, type OutputPaths } from '../report/output-paths.js';
import { outputFileProblem } from '../report/output-target.js';
import { validateRunOptions, type RunConfig } from './run-config.js';
import { writableOutputPaths } from './writable-output-paths.js';

/** The suite command's options as typed. */
export interface RawSuiteOptions {
  host?: string;
  time?: string;
  only?: string[];
  csv?: string;
  resultsDir?: string;
  json?: string;
  requestTimeout?: string;
  loglevel?: string;
  onlySummary?: boolean;
  continueOnUnreachable?: boolean;
}

/** One run as it will go: its length after -t, its configuration and its files. */
export interface PlannedRun {
  run: SuiteRun;
  durationSec: number;
  config: RunConfig;
  paths: OutputPaths;
}

export interface SuitePlan {
  suite: LoadedSuite;
  /** The runs to go, in the suite file's order (--only picks among them). */
  runs: PlannedRun[];
  /** -t: the longest any run may last; null when not given. */
  capSec: number | null;
  /** The flags every run shares: -H (null: the built-in demo server), timeouts, log level. */
  base: RunConfig;
  /** Where the suite's summary JSON goes. */
  summaryJson: string;
}

/** --only light,heavy --only stress → the runs named, in the file's order; an unknown name is an error naming the runs there are. */
function selectRuns(runs: readonly SuiteRun[], only: readonly string[] | undefined, suite: string): SuiteRun[] {
  if (only === undefined) return [...runs];
  const names = only.flatMap((o) => o.split(',')).map((n) => n.trim());
  const known = runs.map((r) => r.name);
  const problems = names.filter((n, i) => !known.includes(n) && names.indexOf(n) === i).map((n) => new ConfigError(
    'BAD_ARGUMENT',
    n === '' ? `--only "${only.join(',')}" has an empty name: give run names, e.g. --only ${known[0] ?? 'light'}` : `--only "${n}" is not a run of suite ${suite}: its runs are ${known.join(', ')} (names are case-sensitive)`,
  ));
  if (problems.length > 0) throw new ConfigErrors(problems);
  return runs.filter((r) => names.includes(r.name));
}

/** The prefix every file of this suite invocation starts with: --csv PREFIX, or DIR/<suite>_<stamp>. */
function suitePrefix(raw: RawSuiteOptions, suite: string, now: Date): string {
  if (raw.csv !== undefined && raw.resultsDir !== undefined) {
    throw new ConfigError('BAD_ARGUMENT', `--csv ${raw.csv} names every file of the suite (PREFIX_<run>_stats.csv, PREFIX_<run>.json, …, PREFIX.json): give --csv or --results-dir, not both`);
  }
  if (raw.resultsDir === '') throw new ConfigError('BAD_ARGUMENT', '--results-dir "" is empty: give a directory, e.g. --results-dir results (the default)');
  return raw.csv ?? join(raw.resultsDir ?? DEFAULT_RESULTS_DIR, `${suite}_${runStamp(now)}`);
}

/** The summary JSON: a file of its own, on no run's file, in a place it can be written. */
/** `flag`: the option that put the summary where it is; `prefixFlag`: the runs' files'. */
function checkSummaryPath(path: string, runs: readonly PlannedRun[], flag: '--json' | '--csv' | '--results-dir', prefixFlag: '--csv' | '--results-dir'): void {
  const label = flag === '--json' ? '--json' : 'the suite summary';
  if (path === '') throw new ConfigError('BAD_ARGUMENT', '--json "" is empty: give a file path, e.g. --json results/suite.json');
  const problem = outputFileProblem(path);
  if (problem !== null) throw new ConfigError('BAD_ARGUMENT', problem);
  const outputs = [{ label, path }, ...runs.flatMap((p) => allOutputFiles(p.paths).map((file) => ({ label: `a file of run ${p.run.name}`, path: file })))];
  const clashes = outputCollisions(outputs);
  if (clashes.length > 0) throw new ConfigErrors(clashes.map((m) => new ConfigError('BAD_ARGUMENT', m)));
  const first = runs[0];
  // The first run's own places passed already (writableOutputPaths): what is left is the summary's.
  const unwritable = first === undefined ? [] : checkWritable(first.paths, [path], (file) => (file === path ? flag : prefixFlag));
  if (unwritable.length > 0) throw new ConfigErrors(unwritable.map((m) => new ConfigError('OUTPUT_NOT_WRITABLE', m)));
}

/** Reads the suite and checks every input, in the order a user meets them; nothing is started or written. */
export function planSuite(name: string, raw: RawSuiteOptions, now: Date): SuitePlan {
  const suite = loadSuite(suitePath(name));
  const base = validateRunOptions({
    host: raw.host, time: raw.time, requestTimeout: raw.requestTimeout, loglevel: raw.loglevel,
    onlySummary: raw.onlySummary, continueOnUnreachable: raw.continueOnUnreachable,
    // Each run sets its own rate: this one only makes the configuration an open-model one.
    targetRate: '1',
  });
  const selected = selectRuns(suite.runs, raw.only, suite.name);
  const prefix = suitePrefix(raw, suite.name, now);
  const capSec = base.runTimeSec;
  // The runs' prefixes are the suite's: a place that cannot be written is the user's --csv or --results-dir.
  const prefixFlag = raw.csv !== undefined ? '--csv' : '--results-dir';
  const runs = selected.map((run): PlannedRun => {
    const durationSec = capSec === null ? run.durationSec : Math.min(run.durationSec, capSec);
    const files = { csvPrefix: `${prefix}_${run.name}`, html: null, json: null, logfile: null, resultsDir: null };
    const config: RunConfig = { ...base, ...files, runTimeSec: durationSec, arrival: base.arrival === null ? null : { ...base.arrival, rate: run.rate } };
    return { run, durationSec, config, paths: writableOutputPaths({ ...files, prefixFlag }) };
  });
  const summaryJson = raw.json ?? `${prefix}.json`;
  checkSummaryPath(summaryJson, runs, raw.json !== undefined ? '--json' : prefixFlag, prefixFlag);
  return { suite, runs, capSec, base, summaryJson };
}
