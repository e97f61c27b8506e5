/**
 * The `resources` block of brood's run JSON (a ResourcesSummary, src/monitor/resource-summary.ts),
 * checked field by field: the file is untrusted input. A wrong field throws an Error naming its
 * path in the block ("resources.sources[0].rss_mb.peak"); readJsonRun adds the file.
 */
import type { GrowthVerdict, ResourcesSummary, SourceSummary } from '../src/monitor/resource-summary.js';

type Json = Record<string, unknown>;

const VERDICTS: readonly GrowthVerdict[] = ['leak', 'growing', 'flat', 'unknown'];

function object(v: unknown, at: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`"${at}" must be an object`);
  return v as Json;
}

function number(o: Json, key: string, at: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`"${at}.${key}" must be a number`);
  return v;
}

function numberOrNull(o: Json, key: string, at: string): number | null {
  return o[key] === null ? null : number(o, key, at);
}

function text(o: Json, key: string, at: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new Error(`"${at}.${key}" must be a string`);
  return v;
}

/** `o[key]`: null, or an object of the named numbers. */
function figures<K extends string>(o: Json, key: string, at: string, names: readonly K[]): Record<K, number> | null {
  if (o[key] === null) return null;
  const inner = object(o[key], `${at}.${key}`);
  return Object.fromEntries(names.map((n) => [n, number(inner, n, `${at}.${key}`)])) as Record<K, number>;
}

function metrics(o: Json, at: string): SourceSummary['metrics'] {
  const all = object(o['metrics'], `${at}.metrics`);
  return Object.fromEntries(Object.keys(all).map((name) => [name, figures(all, name, `${at}.metrics`, ['first', 'last', 'min', 'max'] as const)]));
}

function sourceSummary(v: unknown, at: string): SourceSummary {
  const o = object(v, at);
  const kind = o['kind'];
  if (kind !== 'pid' && kind !== 'url') throw new Error(`"${at}.kind" must be "pid" or "url"`);
  const verdict = o['growth_verdict'];
  if (!VERDICTS.includes(verdict as GrowthVerdict)) throw new Error(`"${at}.growth_verdict" must be one of ${VERDICTS.join(', ')}`);
  return {
    name: text(o, 'name', at),
    kind,
    samples: number(o, 'samples', at),
    gaps: number(o, 'gaps', at),
    rss_mb: figures(o, 'rss_mb', at, ['start', 'peak', 'end'] as const),
    memory_growth_mb_per_min: numberOrNull(o, 'memory_growth_mb_per_min', at),
    fit: figures(o, 'fit', at, ['from_sec', 'to_sec', 'points', 'intercept_mb', 'r2'] as const),
    growth_verdict: verdict as GrowthVerdict,
    growth_reason: text(o, 'growth_reason', at),
    users_during_fit: figures(o, 'users_during_fit', at, ['min', 'max'] as const),
    cpu_percent: figures(o, 'cpu_percent', at, ['mean', 'p95', 'max'] as const),
    threads: figures(o, 'threads', at, ['start', 'max', 'end'] as const),
    open_files: figures(o, 'open_files', at, ['start', 'max', 'end'] as const),
    metrics: metrics(o, at),
  };
}

/** The `resources` block as a ResourcesSummary; throws an Error naming the first wrong field. */
export function resourcesFromJson(v: unknown): ResourcesSummary {
  const o = object(v, 'resources');
  const sources = o['sources'];
  if (!Array.isArray(sources)) throw new Error('"resources.sources" must be an array');
  const worst = object(o['worst'], 'resources.worst');
  return {
    warm_up_sec: number(o, 'warm_up_sec', 'resources'),
    sources: sources.map((s, i) => sourceSummary(s, `resources.sources[${i}]`)),
    worst: {
      memory_growth_mb_per_min: numberOrNull(worst, 'memory_growth_mb_per_min', 'resources.worst'),
      cpu_percent: numberOrNull(worst, 'cpu_percent', 'resources.worst'),
      cpu_percent_p95: numberOrNull(worst, 'cpu_percent_p95', 'resources.worst'),
      rss_mb: numberOrNull(worst, 'rss_mb', 'resources.worst'),
    },
  };
}
