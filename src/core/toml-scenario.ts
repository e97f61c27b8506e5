import type { ArrivalPatternSpec } from './arrival-pattern.js';
import { checkArrivalTable, MAX_ARRIVAL_RATE } from './arrival-spec-check.js';
import { MAX_DURATION_SEC } from './duration.js';
import { ConfigError, ConfigErrors } from './errors.js';
import type { OpenPoolLimits } from './open-pool-limits.js';
import { checkNumber, describeValue, type NumberRule } from './value-rules.js';

/**
 * Scenario files in the seed's TOML format (name, description, [duration], [arrival],
 * [operations], [data], [data.embedding_distribution], [validation]). Validation is strict and
 * complete: every unknown key, wrong type and out-of-range value is reported, each naming its
 * table and key, and its line when the caller can find it (rule 8).
 */
export interface TomlScenario {
  /** The file as messages name it. */
  file: string;
  name: string;
  description: string;
  durationSec: number | null;
  /** Null when the file has no [arrival]: --target-rate must then give the rate (resolve-test.ts). */
  arrival: ArrivalPatternSpec | null;
  /** [arrival] max_users / pre_allocated_users (brood's keys beside the seed's; null where absent). */
  pool: OpenPoolLimits;
  operations: Record<OperationName, number>;
  data: {
    numNodes: number;
    embeddingDim: number;
    memorySpaces: number;
    distribution: { type: 'uniform' | 'clustered' | 'normal'; numClusters: number; stdDev: number };
  };
  validation: { p99Ms: number | null; throughputOpsSec: number | null; maxErrorRate: number | null };
}

export const OPERATION_NAMES = ['store', 'recall', 'embedding_search', 'pattern_completion', 'consolidation'] as const;
export type OperationName = (typeof OPERATION_NAMES)[number];

/**
 * The bounds of [data] (README "Scenario files" documents them). The shipped scenarios use
 * 100 000 nodes, 768 dimensions, 1 to 4 spaces and 50 clusters: each bound leaves room for real
 * workloads and refuses what would only make brood the bottleneck. embedding_dim: the largest
 * common embedding models have 4096 dimensions (the demo server's own limit); one vector of 16 384
 * is ~170 kB of JSON per request. memory_spaces: each space keeps its own stats rows
 * (two HDR histograms of ~95 kB per operation), so 100 spaces may hold ~100 MB.
 */
export const DATA_LIMITS = {
  numNodes: 1_000_000_000,
  embeddingDim: { min: 32, max: 16_384 },
  memorySpaces: 100,
  numClusters: 100_000,
  stdDev: 100,
} as const;

/** Where a problem is (its table path and key, for the line) and what it says ("[arrival] rate must be …"). */
export interface TomlProblem {
  path: readonly string[];
  message: string;
}

type Table = Record<string, unknown>;
/** A key's value check: a range, a string, one line of text (a name: not empty), or its own reader (the [arrival] table). */
type Rule = NumberRule | 'string' | 'line' | 'name' | 'read';
type Schema = { [key: string]: Rule | Schema };

const WEIGHT: NumberRule = { min: 0, max: 1_000_000 };

const SCHEMA: Schema = {
  // The name and description go on one console line each (--list-scenarios, the run's header).
  name: 'name',
  description: 'line',
  duration: { total_seconds: { min: 0, above: true, max: MAX_DURATION_SEC } },
  arrival: 'read',
  operations: Object.fromEntries(OPERATION_NAMES.map((o) => [`${o}_weight`, WEIGHT])),
  data: {
    num_nodes: { min: 1, max: DATA_LIMITS.numNodes, whole: true },
    embedding_dim: { ...DATA_LIMITS.embeddingDim, whole: true },
    memory_spaces: { min: 1, max: DATA_LIMITS.memorySpaces, whole: true },
    embedding_distribution: {
      type: 'string',
      num_clusters: { min: 1, max: DATA_LIMITS.numClusters, whole: true },
      std_dev: { min: 0, max: DATA_LIMITS.stdDev },
    },
  },
  validation: {
    expected_p99_latency_ms: { min: 0, above: true, max: 3_600_000 },
    expected_throughput_ops_sec: { min: 0, above: true, max: MAX_ARRIVAL_RATE },
    max_error_rate: { min: 0, max: 1 },
  },
};

const DISTRIBUTIONS = ['uniform', 'clustered', 'normal'] as const;
const MAX_TEXT = 500;

/** "[data.embedding_distribution] type" for a key; "[arrival]" for a table; "name" at the top. */
function where(path: readonly string[]): string {
  if (path.length === 0) return 'the file';
  const last = path[path.length - 1] ?? '';
  return path.length === 1 ? last : `[${path.slice(0, -1).join('.')}] ${last}`;
}

const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

function checkValue(value: unknown, rule: Exclude<Rule, 'read'>, path: string[], problems: TomlProblem[]): void {
  const shown = where(path);
  if (typeof rule === 'string') {
    if (typeof value !== 'string') problems.push({ path, message: `${shown} must be a string, got ${describeValue(value)}` });
    else if (rule !== 'string' && (value.length > MAX_TEXT || /[\r\n]/.test(value) || (rule === 'name' && value.trim() === ''))) {
      problems.push({ path, message: `${shown} must be one line of ${rule === 'name' ? 1 : 0} to ${MAX_TEXT} characters` });
    }
    return;
  }
  const problem = checkNumber(path[path.length - 1] ?? '', value, rule);
  // checkNumber's message starts with the bare key; the table goes before it.
  if (problem) problems.push({ path, message: `${shown}${problem.message.slice(problem.key.length)}` });
}

function check(value: unknown, schema: Schema, path: string[], problems: TomlProblem[]): void {
  if (!isTable(value)) {
    problems.push({ path, message: `${path.length === 0 ? 'the file' : `[${path.join('.')}]`} must be a table, got ${describeValue(value)}` });
    return;
  }
  for (const [key, v] of Object.entries(value)) {
    const rule = schema[key];
    const here = [...path, key];
    if (rule === undefined) problems.push({ path: here, message: `unknown key ${where(here)} (known: ${Object.keys(schema).join(', ')})` });
    else if (rule === 'read') continue;
    else if (typeof rule === 'object' && !('max' in rule)) check(v, rule, here, problems);
    else checkValue(v, rule as Exclude<Rule, 'read'>, here, problems);
  }
}

const table = (doc: Table, key: string): Table => (isTable(doc[key]) ? doc[key] : {});
const num = (t: Table, key: string): number | null => (typeof t[key] === 'number' ? t[key] : null);

function readArrival(doc: Table, problems: TomlProblem[]): { spec: ArrivalPatternSpec | null; pool: OpenPoolLimits } {
  const none = { spec: null, pool: { maxUsers: null, preAllocatedUsers: null } };
  if (doc.arrival === undefined) return none;
  if (!isTable(doc.arrival)) {
    problems.push({ path: ['arrival'], message: `[arrival] must be a table, got ${describeValue(doc.arrival)}` });
    return none;
  }
  const checked = checkArrivalTable(doc.arrival);
  for (const p of checked.problems) {
    problems.push({ path: p.key === '' ? ['arrival'] : ['arrival', p.key], message: `[arrival] ${p.message}` });
  }
  return { spec: checked.spec, pool: checked.pool };
}

/** Rules between keys of the other tables, once each key of the table is in range (one mistake, one message). */
function combined(d: Table, problems: TomlProblem[]): void {
  const clean = (name: string): boolean => !problems.some((p) => p.path[0] === name);
  const ops = table(d, 'operations');
  if (clean('operations') && !OPERATION_NAMES.some((o) => (num(ops, `${o}_weight`) ?? 0) > 0)) {
    problems.push({ path: ['operations'], message: `[operations] needs at least one weight > 0 (${OPERATION_NAMES.map((o) => `${o}_weight`).join(', ')})` });
  }
  const type = table(table(d, 'data'), 'embedding_distribution').type;
  if (typeof type === 'string' && !(DISTRIBUTIONS as readonly string[]).includes(type)) {
    problems.push({ path: ['data', 'embedding_distribution', 'type'], message: `[data.embedding_distribution] type must be one of ${DISTRIBUTIONS.join(', ')}, got ${describeValue(type)}` });
  }
}

/**
 * Validates a parsed TOML document. Every problem is one line starting with `file` and, where
 * `lineOf` finds the key, its line: "arr0.toml:5: [arrival] rate must be a number > 0 …".
 */
export function parseTomlScenario(doc: unknown, file: string, lineOf: (path: readonly string[]) => number | null = () => null): TomlScenario {
  const problems: TomlProblem[] = [];
  check(doc, SCHEMA, [], problems);
  const d = isTable(doc) ? doc : {};
  const arrival = readArrival(d, problems);
  combined(d, problems);
  if (problems.length > 0) {
    // In the file's order, as the user reads it; what has no line comes last.
    const located = problems.map((p) => ({ ...p, line: lineOf(p.path) })).sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
    throw new ConfigErrors(located.map((p) => new ConfigError('BAD_INPUT', `${file}${p.line === null ? '' : `:${p.line}`}: ${p.message}`)));
  }
  const ops = table(d, 'operations');
  const data = table(d, 'data');
  const dist = table(data, 'embedding_distribution');
  const v = table(d, 'validation');
  return {
    file,
    name: typeof d.name === 'string' ? d.name : file,
    description: typeof d.description === 'string' ? d.description : '',
    durationSec: num(table(d, 'duration'), 'total_seconds'),
    arrival: arrival.spec,
    pool: arrival.pool,
    operations: Object.fromEntries(OPERATION_NAMES.map((o) => [o, num(ops, `${o}_weight`) ?? 0])) as Record<OperationName, number>,
    data: {
      numNodes: num(data, 'num_nodes') ?? 100_000,
      embeddingDim: num(data, 'embedding_dim') ?? 768,
      memorySpaces: num(data, 'memory_spaces') ?? 1,
      distribution: {
        type: (typeof dist.type === 'string' ? dist.type : 'uniform') as TomlScenario['data']['distribution']['type'],
        numClusters: num(dist, 'num_clusters') ?? 10,
        stdDev: num(dist, 'std_dev') ?? 0.1,
      },
    },
    validation: { p99Ms: num(v, 'expected_p99_latency_ms'), throughputOpsSec: num(v, 'expected_throughput_ops_sec'), maxErrorRate: num(v, 'max_error_rate') },
  };
}
