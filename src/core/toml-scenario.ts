import type { ArrivalPatternSpec } from './arrival-pattern.js';
import { ConfigError, ConfigErrors } from './errors.js';
import { readPoolLimits, type OpenPoolLimits } from './open-pool-limits.js';

/**
 * Scenario files in the seed's TOML format (name, description, [duration], [arrival],
 * [operations], [data], [data.embedding_distribution], [validation]). Validation is strict and
 * complete: every unknown key and wrong type is reported, each naming its key (rule 8).
 */
export interface TomlScenario {
  name: string;
  description: string;
  durationSec: number | null;
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

/** 'read': a known key whose value its own reader checks (so one mistake is one message). */
type Kind = 'string' | 'number' | 'integer' | 'read';
type Schema = { [key: string]: Kind | Schema };

const ARRIVAL_KEYS: Record<ArrivalPatternSpec['pattern'], string[]> = {
  constant: ['rate'],
  poisson: ['mean_rate'],
  bursty: ['mean_rate', 'burst_factor', 'burst_probability'],
  periodic: ['base_rate', 'amplitude', 'period_secs'],
  periodic_burst: ['base_rate', 'burst_rate', 'burst_duration_sec', 'burst_period_sec'],
  ramp: ['from', 'to', 'over'],
};

const SCHEMA: Schema = {
  name: 'string',
  description: 'string',
  duration: { total_seconds: 'number' },
  arrival: {
    pattern: 'string', rate: 'number', mean_rate: 'number', lambda: 'number', burst_factor: 'number', burst_probability: 'number',
    base_rate: 'number', amplitude: 'number', period_secs: 'number', burst_rate: 'number', burst_duration_sec: 'number',
    burst_period_sec: 'number', from: 'number', to: 'number', over: 'number', max_users: 'read', pre_allocated_users: 'read',
  },
  operations: Object.fromEntries(OPERATION_NAMES.map((o) => [`${o}_weight`, 'number'])) as Schema,
  data: {
    num_nodes: 'integer', embedding_dim: 'integer', memory_spaces: 'integer',
    embedding_distribution: { type: 'string', num_clusters: 'integer', std_dev: 'number' },
  },
  validation: { expected_p99_latency_ms: 'number', expected_throughput_ops_sec: 'number', max_error_rate: 'number' },
};

function where(path: string[]): string {
  if (path.length <= 1) return path[0] ?? '';
  return `[${path.slice(0, -1).join('.')}] ${path[path.length - 1]}`;
}

function check(value: unknown, schema: Schema, path: string[], problems: string[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`[${path.join('.')}] must be a table`);
    return;
  }
  for (const [key, v] of Object.entries(value)) {
    const rule = schema[key];
    const here = [...path, key];
    if (rule === undefined) {
      problems.push(`unknown key ${where(here)}`);
    } else if (typeof rule === 'object') {
      check(v, rule, here, problems);
    } else if (rule === 'read') {
      continue;
    } else if (rule === 'string' ? typeof v !== 'string' : typeof v !== 'number' || !Number.isFinite(v) || (rule === 'integer' && !Number.isInteger(v))) {
      problems.push(`${where(here)} must be ${rule === 'integer' ? 'a whole number' : `a ${rule}`}, got ${JSON.stringify(v)}`);
    }
  }
}

type Table = Record<string, unknown>;
const table = (doc: Table, key: string): Table => (doc[key] && typeof doc[key] === 'object' ? (doc[key] as Table) : {});
const num = (t: Table, key: string): number | null => (typeof t[key] === 'number' ? (t[key] as number) : null);

function readArrival(doc: Table, problems: string[]): ArrivalPatternSpec | null {
  if (doc.arrival === undefined) return null;
  const a = { ...table(doc, 'arrival') };
  if (a.lambda !== undefined && a.mean_rate === undefined) a.mean_rate = a.lambda; // the seed writes both
  const pattern = a.pattern as ArrivalPatternSpec['pattern'];
  const needed = ARRIVAL_KEYS[pattern];
  if (!needed) {
    problems.push(`[arrival] pattern must be one of ${Object.keys(ARRIVAL_KEYS).join(', ')}, got ${JSON.stringify(a.pattern)}`);
    return null;
  }
  for (const k of needed) if (typeof a[k] !== 'number') problems.push(`[arrival] ${k} is required for pattern "${pattern}"`);
  const spec: Record<string, unknown> = { pattern };
  for (const k of needed) spec[k] = a[k];
  return spec as unknown as ArrivalPatternSpec;
}

/** Validates a parsed TOML document. `file` prefixes every problem so the user knows where. */
export function parseTomlScenario(doc: unknown, file: string): TomlScenario {
  const problems: string[] = [];
  check(doc, SCHEMA, [], problems);
  const d = (doc ?? {}) as Table;
  const arrival = readArrival(d, problems);
  const pool = readPoolLimits(table(d, 'arrival'), '[arrival]', problems);
  const ops = table(d, 'operations');
  const operations = Object.fromEntries(OPERATION_NAMES.map((o) => [o, num(ops, `${o}_weight`) ?? 0])) as Record<OperationName, number>;
  if (Object.values(operations).some((w) => w < 0)) problems.push('[operations] weights must be >= 0');
  if (!Object.values(operations).some((w) => w > 0)) problems.push('[operations] needs at least one *_weight > 0');
  const data = table(d, 'data');
  const dist = table(data, 'embedding_distribution');
  const distType = (dist.type ?? 'uniform') as string;
  if (!['uniform', 'clustered', 'normal'].includes(distType)) problems.push(`[data.embedding_distribution] type must be uniform, clustered or normal, got ${JSON.stringify(distType)}`);
  const total = num(table(d, 'duration'), 'total_seconds');
  if (total !== null && total <= 0) problems.push('[duration] total_seconds must be > 0');
  const maxErr = num(table(d, 'validation'), 'max_error_rate');
  if (maxErr !== null && (maxErr < 0 || maxErr > 1)) problems.push('[validation] max_error_rate must be a fraction from 0 to 1');
  for (const [k, min] of [['num_nodes', 1], ['embedding_dim', 32], ['memory_spaces', 1]] as const) {
    const v = num(data, k);
    if (v !== null && v < min) problems.push(`[data] ${k} must be >= ${min}`);
  }
  if (problems.length > 0) throw new ConfigErrors(problems.map((p) => new ConfigError('BAD_INPUT', `${file}: ${p}`)));
  const v = table(d, 'validation');
  return {
    name: typeof d.name === 'string' ? d.name : file,
    description: typeof d.description === 'string' ? d.description : '',
    durationSec: total,
    arrival,
    pool,
    operations,
    data: {
      numNodes: num(data, 'num_nodes') ?? 100_000,
      embeddingDim: num(data, 'embedding_dim') ?? 768,
      memorySpaces: num(data, 'memory_spaces') ?? 1,
      distribution: { type: distType as 'uniform' | 'clustered' | 'normal', numClusters: num(dist, 'num_clusters') ?? 10, stdDev: num(dist, 'std_dev') ?? 0.1 },
    },
    validation: { p99Ms: num(v, 'expected_p99_latency_ms'), throughputOpsSec: num(v, 'expected_throughput_ops_sec'), maxErrorRate: maxErr },
  };
}
