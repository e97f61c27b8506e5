import { basename, sep } from 'node:path';
import { ConfigError, ConfigErrors } from '../core/errors.js';
import { OUTPUT_LABELS, outputCollisions } from '../report/output-collisions.js';
import { checkWritable, createOutputDirectories, resolveOutputPaths, type OutputFlagOf, type OutputPaths } from '../report/output-paths.js';

interface OutputOptions {
  csvPrefix: string | null;
  html: string | null;
  json: string | null;
  logfile: string | null;
  resultsDir: string | null;
  recordTrace?: string | null;
  /**
   * The flag the user set the CSV prefix with, when a command made the prefix itself (a suite's or
   * capacity's --results-dir, a web UI's later run): what a directory problem's hint names.
   */
  prefixFlag?: '--csv' | '--results-dir';
}

/**
 * The run's output paths, checked before anything starts: an empty or directory-like value, two
 * outputs on one file, or a place that cannot be written is a configuration error (exit 2, one
 * line per problem), not a run that loses its files. Nothing is created here (runJob makes the
 * directories once every other check has passed too).
 */
export function writableOutputPaths(o: OutputOptions): OutputPaths {
  const shapeProblems = outputOptionProblems(o);
  if (shapeProblems.length > 0) throw new ConfigErrors(shapeProblems.map((m) => new ConfigError('BAD_ARGUMENT', m)));
  const paths = resolveOutputPaths({
    csvPrefix: o.csvPrefix ?? undefined,
    html: o.html ?? undefined,
    json: o.json ?? undefined,
    logfile: o.logfile ?? undefined,
    resultsDir: o.resultsDir ?? undefined,
    now: new Date(),
  });
  const clashes = outputCollisions(labelledOutputs(paths, o));
  if (clashes.length > 0) throw new ConfigErrors(clashes.map((m) => new ConfigError('BAD_ARGUMENT', m)));
  const unwritable = checkWritable(paths, o.recordTrace ? [o.recordTrace] : [], outputFlagOf(paths, o));
  if (unwritable.length > 0) throw new ConfigErrors(unwritable.map((m) => new ConfigError('OUTPUT_NOT_WRITABLE', m)));
  return paths;
}

/** Makes the run's directories, after every check passed; a failure (a race since the check) is exit 2 and undone. */
export function createRunDirectories(paths: OutputPaths, o: OutputOptions): void {
  const problems = createOutputDirectories(paths, o.recordTrace ? [o.recordTrace] : [], outputFlagOf(paths, o));
  if (problems.length > 0) throw new ConfigErrors(problems.map((m) => new ConfigError('OUTPUT_NOT_WRITABLE', m)));
}

/**
 * The option that put each file where it is, for a directory problem's hint: `--csv /proc/x` must
 * not be told to choose another --results-dir. The JSON, HTML and log follow --csv's prefix when
 * no --results-dir is given (resolveOutputPaths).
 */
function outputFlagOf(paths: OutputPaths, o: OutputOptions): OutputFlagOf {
  const csvFlag = o.prefixFlag ?? (o.csvPrefix !== null ? '--csv' : '--results-dir');
  const prefixFlag = o.prefixFlag ?? runPrefixFlag(o);
  const flags = new Map<string, string>([
    [paths.html, o.html !== null ? '--html' : prefixFlag],
    [paths.json, o.json !== null ? '--json' : prefixFlag],
    [paths.log, o.logfile !== null ? '--logfile' : prefixFlag],
    ...(o.recordTrace ? [[o.recordTrace, '--record-trace'] as [string, string]] : []),
  ]);
  return (file) => flags.get(file) ?? csvFlag;
}

/** The option the run's prefix (its JSON, HTML and log without their own flags) came from: --csv alone, else --results-dir. */
export function runPrefixFlag(o: Pick<OutputOptions, 'csvPrefix' | 'resultsDir'>): '--csv' | '--results-dir' {
  return o.csvPrefix !== null && o.resultsDir === null ? '--csv' : '--results-dir';
}

function endsInSeparator(p: string): boolean {
  return p.endsWith('/') || p.endsWith(sep);
}

/**
 * Values that are no path: `--csv ''` wrote hidden `_stats.csv`, `.html`, … into the working
 * directory, `--csv results/` the same into results/, `--results-dir ''` scattered the files into
 * the working directory and `--record-trace ''` recorded nothing, all without a word.
 */
function outputOptionProblems(o: OutputOptions): string[] {
  const problems: string[] = [];
  const prefix = o.csvPrefix;
  if (prefix === '') problems.push('--csv "" is empty: give a path prefix, e.g. --csv results/run (files results/run_stats.csv, …)');
  else if (prefix !== null && (endsInSeparator(prefix) || ['.', '..'].includes(basename(prefix)))) {
    const dir = endsInSeparator(prefix) ? prefix : `${prefix}/`;
    problems.push(`--csv "${prefix}" has no file-name part (it would write hidden files such as ${prefix}_stats.csv): give a prefix such as ${dir}run`);
  }
  for (const [flag, value] of [['--html', o.html], ['--json', o.json], ['--logfile', o.logfile], ['--record-trace', o.recordTrace ?? null]] as const) {
    if (value === '') problems.push(`${flag} "" is empty: give a file path, e.g. ${flag} ${flag === '--record-trace' ? 'trace.jsonl' : `results/run.${flag === '--logfile' ? 'log' : flag.slice(2)}`}`);
    else if (value !== null && endsInSeparator(value)) problems.push(`${flag} "${value}" names a directory: give a file path, e.g. ${flag} ${value}run.${flag === '--record-trace' ? 'jsonl' : flag === '--logfile' ? 'log' : flag.slice(2)}`);
  }
  if (o.resultsDir === '') problems.push('--results-dir "" is empty: give a directory, e.g. --results-dir results (the default)');
  return problems;
}

/** Every file of the run with what the user called it: the flag that named it, or the output it is. */
function labelledOutputs(paths: OutputPaths, o: OutputOptions): Array<{ label: string; path: string }> {
  const csv = (key: keyof typeof OUTPUT_LABELS): string => (o.csvPrefix !== null ? `${OUTPUT_LABELS[key]} of --csv ${o.csvPrefix}` : OUTPUT_LABELS[key]);
  return [
    ...(['stats', 'statsHistory', 'failures', 'exceptions', 'customMetrics', 'operations'] as const).map((key) => ({ label: csv(key), path: paths[key] })),
    { label: o.html !== null ? '--html' : OUTPUT_LABELS.html, path: paths.html },
    { label: o.json !== null ? '--json' : OUTPUT_LABELS.json, path: paths.json },
    { label: o.logfile !== null ? '--logfile' : OUTPUT_LABELS.log, path: paths.log },
    ...(o.recordTrace ? [{ label: '--record-trace', path: o.recordTrace }] : []),
  ];
}
