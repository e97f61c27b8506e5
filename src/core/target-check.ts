import type { EntrySummary } from '../stats/types.js';
import { PERCENTILES } from './percentiles.js';
import { ConfigError } from './errors.js';
import { RESOURCE_METRICS, type ResourceFigures, type ResourceMetric, type Target, type TargetMetric, type TargetResult } from './targets.js';

const PERCENTILE_OF: Partial<Record<TargetMetric, number>> = {
  p50: 0.5, p66: 0.66, p75: 0.75, p80: 0.8, p90: 0.9, p95: 0.95, p98: 0.98, p99: 0.99, 'p99.9': 0.999,
};

const UNIT: Record<TargetMetric, string> = {
  p50: 'ms', p66: 'ms', p75: 'ms', p80: 'ms', p90: 'ms', p95: 'ms', p98: 'ms', p99: 'ms', 'p99.9': 'ms',
  max: 'ms', avg: 'ms', error_rate: '%', rps: 'req/s', requests_per_minute: 'req/min',
  memory_growth_mb_per_min: 'MB/min', cpu_percent: '% CPU', cpu_percent_p95: '% CPU', rss_mb: 'MB',
};

const LABEL: Record<TargetMetric, string> = {
  p50: 'P50 latency', p66: 'P66 latency', p75: 'P75 latency', p80: 'P80 latency', p90: 'P90 latency',
  p95: 'P95 latency', p98: 'P98 latency', p99: 'P99 latency', 'p99.9': 'P99.9 latency', max: 'Max latency',
  avg: 'Average latency', error_rate: 'Error rate', rps: 'Throughput', requests_per_minute: 'Requests/min',
  memory_growth_mb_per_min: 'Server memory growth', cpu_percent: 'Server CPU (mean)', cpu_percent_p95: 'Server CPU (p95)', rss_mb: 'Server memory (peak RSS)',
};

export function isResourceMetric(metric: string): metric is ResourceMetric {
  return (RESOURCE_METRICS as readonly string[]).includes(metric);
}

/** Checks a declared target list; every problem names the target (rule 8). */
export function validateTargets(targets: readonly unknown[], where: string): ConfigError[] {
  const problems: ConfigError[] = [];
  targets.forEach((t, i) => {
    const v = (t ?? {}) as Record<string, unknown>;
    const name = `${where} target #${i + 1}`;
    if (typeof v.metric !== 'string' || !(v.metric in UNIT)) {
      problems.push(new ConfigError('BAD_TARGET', `${name}: metric must be one of ${Object.keys(UNIT).join(', ')}`));
    }
    if (!['<', '<=', '>', '>='].includes(String(v.comparator))) {
      problems.push(new ConfigError('BAD_TARGET', `${name}: comparator must be <, <=, > or >=`));
    }
    if (typeof v.threshold !== 'number' || !Number.isFinite(v.threshold)) {
      problems.push(new ConfigError('BAD_TARGET', `${name}: threshold must be a number`));
    } else if (typeof v.metric === 'string' && v.metric in UNIT) {
      const why = unmeetable(v.metric as TargetMetric, String(v.comparator), v.threshold);
      if (why !== null) problems.push(new ConfigError('BAD_TARGET', `${name}: ${v.metric} ${String(v.comparator)} ${v.threshold} ${why}`));
    }
    if (v.endpoints !== undefined && !(Array.isArray(v.endpoints) && v.endpoints.every((e) => typeof e === 'string'))) {
      problems.push(new ConfigError('BAD_TARGET', `${name}: endpoints must be an array of names`));
    } else if (typeof v.metric === 'string' && isResourceMetric(v.metric) && Array.isArray(v.endpoints) && v.endpoints.length > 0) {
      problems.push(new ConfigError('BAD_TARGET', `${name}: ${v.metric} is measured on the monitored server, not per endpoint: remove endpoints`));
    }
  });
  return problems;
}

/**
 * Why a target can never be met (or is a typo that always is), or null. Every metric is >= 0, so a
 * negative threshold or "< 0" fails every run, however clean; a latency or rate of at most 0 is no
 * target either. An error rate is a fraction: "<= 0" is "no errors allowed", and above 1 is a
 * percentage typed where a fraction belongs (`< 5` meant 5%, and would pass every run).
 */
function unmeetable(metric: TargetMetric, comparator: string, threshold: number): string | null {
  // Memory can shrink: a negative growth threshold is a real target ("RSS must fall").
  if (metric === 'memory_growth_mb_per_min') return null;
  if (metric === 'error_rate' && threshold > 1) return 'is not a fraction: error_rate thresholds go from 0 to 1 (0.01 = 1%)';
  if (threshold < 0) return `can never be met: ${metric} is never negative`;
  if (threshold === 0 && comparator === '<') return `can never be met: nothing is below 0${metric === 'error_rate' ? " (use '<=' 0 for no errors allowed)" : ''}`;
  if (threshold === 0 && comparator === '<=' && metric !== 'error_rate' && !isResourceMetric(metric)) return `can never be met by a run that sends requests: give a threshold above 0`;
  return null;
}

function matches(entry: EntrySummary, endpoints: readonly string[]): boolean {
  return endpoints.includes(entry.name) || endpoints.includes(`${entry.method} ${entry.name}`);
}

/** The measured value of one metric over the chosen entries (worst latency among several). */
function measure(metric: TargetMetric, entries: readonly EntrySummary[], durationSecs: number): number | null {
  const requests = entries.reduce((n, e) => n + e.numRequests, 0);
  const failures = entries.reduce((n, e) => n + e.numFailures, 0);
  switch (metric) {
    case 'error_rate':
      return requests === 0 ? null : failures / requests;
    case 'rps':
      return durationSecs > 0 ? requests / durationSecs : null;
    case 'requests_per_minute':
      return durationSecs > 0 ? (requests * 60) / durationSecs : null;
    case 'avg': {
      const total = entries.reduce((s, e) => s + e.totalResponseTimeMs, 0);
      return requests === 0 ? null : total / requests;
    }
    case 'max':
      return worst(entries.map((e) => e.maxResponseTimeMs));
    default: {
      const p = PERCENTILE_OF[metric];
      const idx = PERCENTILES.findIndex((q) => q === p);
      return worst(entries.map((e) => e.percentilesMs[idx] ?? null));
    }
  }
}

function worst(values: Array<number | null>): number | null {
  let out: number | null = null;
  for (const v of values) if (v !== null && (out === null || v > out)) out = v;
  return out;
}

function compare(value: number, comparator: Target['comparator'], threshold: number): boolean {
  switch (comparator) {
    case '<': return value < threshold;
    case '<=': return value <= threshold;
    case '>': return value > threshold;
    case '>=': return value >= threshold;
  }
}

/** A target's label (its own, or the metric's) and unit, as its result will show them. */
export function targetLabelAndUnit(t: Target): { label: string; unit: string } {
  return { label: t.label ?? LABEL[t.metric], unit: UNIT[t.metric] };
}

/**
 * Evaluates targets against final summaries. Error-rate thresholds are fractions (0.01 = 1%).
 * A target with nothing measured (no matching request) is missed, not silently passed.
 */
export function evaluateTargets(
  targets: readonly Target[],
  entries: readonly EntrySummary[],
  aggregated: EntrySummary,
  /** What rate targets divide by: the Requests/s column's window (report/entry-metrics.ts rateTargetSecs). */
  rateSecs: number,
  resources: ResourceFigures | null = null,
): TargetResult[] {
  return targets.map((t) => {
    const chosen = t.endpoints && t.endpoints.length > 0 ? entries.filter((e) => matches(e, t.endpoints ?? [])) : [aggregated];
    // A resource target of a run nothing monitored is missed (measured null), never passed.
    const measured = isResourceMetric(t.metric) ? (resources?.[t.metric] ?? null) : measure(t.metric, chosen, rateSecs);
    return {
      label: t.label ?? LABEL[t.metric],
      metric: t.metric,
      comparator: t.comparator,
      threshold: t.threshold,
      unit: UNIT[t.metric],
      endpoints: t.endpoints && t.endpoints.length > 0 ? [...t.endpoints] : null,
      measured,
      met: measured !== null && compare(measured, t.comparator, t.threshold),
    };
  });
}
