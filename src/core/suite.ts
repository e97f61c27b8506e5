/**
 * Suite files (`run-load-tests suite FILE`, issue 22): the seed's `make load-test`, several
 * `vegeta attack` levels of one targets file run one after another, each with its own rate,
 * duration and pass/fail targets. Validation is strict and complete, as for TOML scenarios
 * (toml-scenario.ts): every unknown key, wrong type, missing key and duplicate run name is reported
 * at once, each naming its key and, where the caller can find it, its line (rule 8).
 */
import { MAX_DURATION_SEC, parseDuration } from './duration.js';
import { ConfigError, ConfigErrors } from './errors.js';
import type { ConfigErrorCode } from './error-codes.js';
import { validateTargets } from './target-check.js';
import type { Target } from './targets.js';
import { describeValue } from './value-rules.js';
import { MAX_VEGETA_RATE, parseVegetaRate } from './vegeta-rate.js';

export interface SuiteRun {
  name: string;
  /** Arrivals per second (one target each, as `vegeta attack -rate`). */
  rate: number;
  durationSec: number;
  /** Pass/fail targets, checked as a test file's are; [] for none. */
  targets: Target[];
}

export interface Suite {
  /** The file as messages name it. */
  file: string;
  /** An identifier ([A-Za-z0-9_-]): output files are named after it. */
  name: string;
  description: string;
  /** The Vegeta targets file as written, relative to the suite file's directory. */
  targets: string;
  targetsFormat: 'http' | 'json';
  runs: SuiteRun[];
}

/** A key's place in the parsed document: ['run', 1, 'target', 0, 'metric'] (array elements by index). */
export type SuitePath = ReadonlyArray<string | number>;

interface SuiteProblem {
  path: SuitePath;
  message: string;
  code: ConfigErrorCode;
}

type Table = Record<string, unknown>;

const TOP_KEYS = ['name', 'description', 'targets', 'targets_format', 'run'];
const RUN_KEYS = ['name', 'rate', 'duration', 'target'];
const TARGET_KEYS = ['label', 'metric', 'comparator', 'threshold', 'endpoints'];
const NAME = /^[A-Za-z0-9_-]{1,64}$/;
const NAME_RULE = '1 to 64 letters, digits, dashes or underscores (it names the output files)';
const MAX_TEXT = 500;

const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** Collects a file's problems, each with the path that finds its line. */
class Problems {
  readonly list: SuiteProblem[] = [];

  add(path: SuitePath, message: string, code: ConfigErrorCode = 'BAD_SUITE'): void {
    this.list.push({ path, message, code });
  }

  /** Runs a reader that throws ConfigError (parseDuration, parseVegetaRate); its message is the problem. */
  attempt<T>(path: SuitePath, read: () => T): T | null {
    try {
      return read();
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      this.add(path, e.message);
      return null;
    }
  }

  unknownKeys(table: Table, known: readonly string[], path: SuitePath, where: string): void {
    for (const key of Object.keys(table)) {
      if (!known.includes(key)) this.add([...path, key], `unknown key ${where}${key} (known: ${known.join(', ')})`);
    }
  }

  /** One line of text, or null (a problem said) when it is not one. */
  text(table: Table, key: string, path: SuitePath, where: string, rule: 'name' | 'line'): string | null {
    const v = table[key];
    if (typeof v !== 'string') {
      this.add([...path, key], v === undefined ? `${where}${key} is required` : `${where}${key} must be a string, got ${describeValue(v)}`);
      return null;
    }
    if (rule === 'name' && !NAME.test(v)) this.add([...path, key], `${where}${key} ${describeValue(v)} must be ${NAME_RULE}`);
    else if (rule === 'line' && (v.trim() === '' || v.length > MAX_TEXT || /[\r\n]/.test(v))) this.add([...path, key], `${where}${key} must be one line of 1 to ${MAX_TEXT} characters`);
    else return v;
    return null;
  }
}

/** `rate = 50`, `rate = "50"` or Vegeta's `rate = "50/1s"`: arrivals per second. */
function readRate(value: unknown, path: SuitePath, where: string, p: Problems): number | null {
  if (value === undefined) {
    p.add(path, `${where}rate is required: arrivals per second (50) or Vegeta's "50/1s"`);
    return null;
  }
  // "50" is 50 per second, as --target-rate 50 is; "50/1s" is Vegeta's spelling.
  if (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)) return readRate(Number(value), path, where, p);
  if (typeof value === 'string') return p.attempt(path, () => parseVegetaRate(value, `${where}rate`));
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_VEGETA_RATE) {
    p.add(path, `${where}rate must be a number > 0 and at most ${MAX_VEGETA_RATE} (arrivals per second) or Vegeta's "N/PERIOD" ("50/1s"), got ${describeValue(value)}`);
    return null;
  }
  return value;
}

/** `duration = "30s"` (-t's spelling: 90, 30s, 10m, 1h30m) or a number of seconds. */
function readDuration(value: unknown, path: SuitePath, where: string, p: Problems): number | null {
  if (value === undefined) {
    p.add(path, `${where}duration is required, e.g. duration = "30s"`);
    return null;
  }
  if (typeof value === 'string') return p.attempt(path, () => parseDuration(value, `${where}duration`));
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_DURATION_SEC) {
    p.add(path, `${where}duration must be a duration such as "30s" or "2m", or seconds > 0 and at most ${MAX_DURATION_SEC}, got ${describeValue(value)}`);
    return null;
  }
  return value;
}

/**
 * validateTargets says "<where> target #N: metric must be …": the key it is about is the first
 * word when it is a key; otherwise it is the threshold ("p99 < -1 can never be met").
 */
function targetProblemKey(message: string): { index: number; key: string } | null {
  const m = / target #(\d+): (\S+)/.exec(message);
  if (m === null) return null;
  const key = TARGET_KEYS.includes(m[2] ?? '') ? (m[2] as string) : 'threshold';
  return { index: Number(m[1]) - 1, key };
}

/** `[[run.target]]` tables: their keys here, their values by validateTargets (the rules a test file's targets follow). */
function readTargets(value: unknown, path: SuitePath, where: string, p: Problems): Target[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    p.add(path, `${where}target must be [[run.target]] tables (an array), got ${describeValue(value)}`);
    return [];
  }
  const tables = value.filter(isTable);
  value.forEach((t, j) => {
    if (!isTable(t)) p.add([...path, j], `${where}target #${j + 1} must be a table, got ${describeValue(t)}`);
    else p.unknownKeys(t, TARGET_KEYS, [...path, j], `${where}target #${j + 1} `);
    if (isTable(t) && t.label !== undefined) p.text(t, 'label', [...path, j], `${where}target #${j + 1} `, 'line');
  });
  if (tables.length !== value.length) return [];
  const problems = validateTargets(tables, where.trimEnd());
  for (const e of problems) {
    const at = targetProblemKey(e.message);
    p.add(at === null ? path : [...path, at.index, at.key], e.message, e.code);
  }
  if (problems.length > 0) return [];
  return tables.map((t) => ({
    ...(typeof t.label === 'string' ? { label: t.label } : {}),
    metric: t.metric as Target['metric'],
    comparator: t.comparator as Target['comparator'],
    threshold: t.threshold as number,
    ...(Array.isArray(t.endpoints) ? { endpoints: [...(t.endpoints as string[])] } : {}),
  }));
}

/** One `[[run]]`: its name (unique among the runs before it), rate, duration and targets. */
function readRun(value: unknown, i: number, seen: Map<string, number>, p: Problems): SuiteRun | null {
  const path = ['run', i];
  if (!isTable(value)) {
    p.add(path, `[[run]] #${i + 1} must be a table, got ${describeValue(value)}`);
    return null;
  }
  const named = typeof value.name === 'string' && NAME.test(value.name) ? value.name : null;
  const where = named === null ? `[[run]] #${i + 1} ` : `[[run]] "${named}" `;
  p.unknownKeys(value, RUN_KEYS, path, where);
  const name = p.text(value, 'name', path, where, 'name');
  if (name !== null && seen.has(name)) p.add([...path, 'name'], `${where}name is used by [[run]] #${(seen.get(name) ?? 0) + 1} too: each run needs its own name`);
  else if (name !== null) seen.set(name, i);
  const rate = readRate(value.rate, [...path, 'rate'], where, p);
  const durationSec = readDuration(value.duration, [...path, 'duration'], where, p);
  const targets = readTargets(value.target, [...path, 'target'], where, p);
  if (name === null || rate === null || durationSec === null) return null;
  return { name, rate, durationSec, targets };
}

function readRuns(doc: Table, p: Problems): SuiteRun[] {
  const runs = doc.run;
  if (runs === undefined) {
    p.add([], 'the file has no [[run]] table: add at least one, e.g. [[run]] with name = "light", rate = 10, duration = "30s"');
    return [];
  }
  if (!Array.isArray(runs)) {
    p.add(['run'], `run must be [[run]] tables (an array, double brackets), got ${describeValue(runs)}`);
    return [];
  }
  if (runs.length === 0) p.add(['run'], 'run is empty: add at least one [[run]] table');
  const seen = new Map<string, number>();
  return runs.map((r, i) => readRun(r, i, seen, p)).filter((r): r is SuiteRun => r !== null);
}

/**
 * Validates a parsed suite document. Every problem is one line starting with `file` and, where
 * `lineOf` finds the key (or its table), its line: "api.toml:9: [[run]] "heavy" rate …".
 */
export function parseSuite(doc: unknown, file: string, lineOf: (path: SuitePath) => number | null = () => null): Suite {
  const p = new Problems();
  const d = isTable(doc) ? doc : {};
  if (!isTable(doc)) p.add([], `the file must be a table of keys, got ${describeValue(doc)}`);
  p.unknownKeys(d, TOP_KEYS, [], '');
  const name = p.text(d, 'name', [], '', 'name');
  const description = d.description === undefined ? '' : p.text(d, 'description', [], '', 'line');
  const targets = p.text(d, 'targets', [], '', 'line');
  const format = d.targets_format ?? 'http';
  if (format !== 'http' && format !== 'json') p.add(['targets_format'], `targets_format must be "http" (Vegeta's default) or "json", got ${describeValue(format)}`);
  const runs = readRuns(d, p);
  if (p.list.length > 0) {
    // In the file's order, as the user reads it; what has no line comes last.
    const located = p.list.map((x) => ({ ...x, line: lineOf(x.path) })).sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
    throw new ConfigErrors(located.map((x) => new ConfigError(x.code, `${file}${x.line === null ? '' : `:${x.line}`}: ${x.message}`)));
  }
  return {
    file,
    name: name as string,
    description: description ?? '',
    targets: targets as string,
    targetsFormat: format === 'json' ? 'json' : 'http',
    runs,
  };
}
