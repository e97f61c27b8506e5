import { fitLine } from './least-squares.js';
import { BYTES_PER_MB, type ResourceSample, type SourceInfo } from './resource-sample.js';

/** Seed 004's soak criteria: memory growth under 10 MB/min passes, above 50 MB/min is an alert. */
export const GROWTH_LIMIT_MB_PER_MIN = 10;
export const GROWTH_ALERT_MB_PER_MIN = 50;
/** Fewer readings than this after the warm-up: no slope is claimed. */
export const MIN_FIT_POINTS = 5;
/** The default warm-up: 20 % of the monitored time, at most a minute (a ramp's connections and JIT settle in it). */
const WARM_UP_SHARE = 0.2;
const WARM_UP_MAX_SEC = 60;

export type GrowthVerdict = 'leak' | 'growing' | 'flat' | 'unknown';

/** One source's figures, as the JSON `resources.sources[]` holds them. */
export interface SourceSummary {
  name: string;
  kind: 'pid' | 'url';
  samples: number;
  gaps: number;
  rss_mb: { start: number; peak: number; end: number } | null;
  /** Least-squares slope of RSS over the run after the warm-up, MB (MiB) per minute. */
  memory_growth_mb_per_min: number | null;
  fit: { from_sec: number; to_sec: number; points: number; intercept_mb: number; r2: number } | null;
  growth_verdict: GrowthVerdict;
  /** One line saying what the verdict rests on. */
  growth_reason: string;
  /** The user count over the fitted part: a leak is likelier when it stayed flat. */
  users_during_fit: { min: number; max: number } | null;
  cpu_percent: { mean: number; p95: number; max: number } | null;
  threads: { start: number; max: number; end: number } | null;
  open_files: { start: number; max: number; end: number } | null;
  /** --monitor-metric series: first, last, lowest and highest value. */
  metrics: Record<string, { first: number; last: number; min: number; max: number } | null>;
}

/** The JSON `resources` block: every source, and the worst of them for each target metric. */
export interface ResourcesSummary {
  warm_up_sec: number;
  sources: SourceSummary[];
  /** What the resource targets judge: the worst source for each (null when none measured it). */
  worst: { memory_growth_mb_per_min: number | null; cpu_percent: number | null; cpu_percent_p95: number | null; rss_mb: number | null };
}

/**
 * The warm-up left out of the growth fit: `given` seconds (--monitor-warm-up), else 20 % of the
 * monitored time (at most 60 s) or the end of the ramp, whichever is later: memory taken while
 * users arrive (their connections, sessions, caches) is load, not a leak.
 */
export function warmUpSec(given: number | null, spanSec: number, rampEndSec: number | null = null): number {
  if (given !== null) return given;
  const share = Math.min(WARM_UP_MAX_SEC, Math.round(spanSec * WARM_UP_SHARE * 10) / 10);
  return rampEndSec === null ? share : Math.max(share, Math.round(rampEndSec * 10) / 10);
}

export function summarizeResources(
  sources: readonly SourceInfo[],
  samples: readonly ResourceSample[],
  metricNames: readonly string[],
  warmUpGivenSec: number | null,
  rampEndSec: number | null = null,
): ResourcesSummary {
  const span = samples.reduce((m, s) => Math.max(m, s.elapsedSec), 0);
  const warmUp = warmUpSec(warmUpGivenSec, span, rampEndSec);
  const summaries = sources.map((info, i) => summarizeSource(info, samples.filter((s) => s.source === i), metricNames, warmUp));
  const worst = (pick: (s: SourceSummary) => number | null): number | null =>
    summaries.reduce<number | null>((w, s) => {
      const v = pick(s);
      return v === null ? w : w === null ? v : Math.max(w, v);
    }, null);
  return {
    warm_up_sec: warmUp,
    sources: summaries,
    worst: {
      memory_growth_mb_per_min: worst((s) => s.memory_growth_mb_per_min),
      cpu_percent: worst((s) => s.cpu_percent?.mean ?? null),
      cpu_percent_p95: worst((s) => s.cpu_percent?.p95 ?? null),
      rss_mb: worst((s) => s.rss_mb?.peak ?? null),
    },
  };
}

function summarizeSource(info: SourceInfo, samples: readonly ResourceSample[], metricNames: readonly string[], warmUp: number): SourceSummary {
  const good = samples.filter((s) => s.gap === null);
  const rss = good.filter((s) => s.rssBytes !== null).map((s) => ({ t: s.elapsedSec, mb: (s.rssBytes as number) / BYTES_PER_MB, users: s.userCount }));
  const growth = growthOf(rss, warmUp);
  const cpu = good.map((s) => s.cpuPercent).filter((v): v is number => v !== null);
  return {
    name: info.name,
    kind: info.kind,
    samples: samples.length,
    gaps: samples.length - good.length,
    rss_mb: rss.length === 0 ? null : { start: mb3(rss[0]?.mb), peak: mb3(maxOf(rss.map((r) => r.mb))), end: mb3(rss.at(-1)?.mb) },
    ...growth,
    cpu_percent: cpu.length === 0 ? null : { mean: r3(cpu.reduce((a, b) => a + b, 0) / cpu.length), p95: r3(nearestRank(cpu, 0.95)), max: r3(maxOf(cpu)) },
    threads: range(good.map((s) => s.threads)),
    open_files: range(good.map((s) => s.openFiles)),
    // Series come from scrapes: a PID's /proc has none.
    metrics: info.kind === 'pid' ? {} : Object.fromEntries(metricNames.map((name, k) => [name, firstLast(good.map((s) => s.metrics[k] ?? null))])),
  };
}

type Growth = Pick<SourceSummary, 'memory_growth_mb_per_min' | 'fit' | 'growth_verdict' | 'growth_reason' | 'users_during_fit'>;

/** The slope of RSS after the warm-up, and what it says by seed 004's limits. */
function growthOf(rss: ReadonlyArray<{ t: number; mb: number; users: number }>, warmUp: number): Growth {
  const after = rss.filter((r) => r.t >= warmUp);
  const fit = after.length >= MIN_FIT_POINTS ? fitLine(after.map((r) => r.t / 60), after.map((r) => r.mb)) : null;
  if (fit === null) {
    const why = rss.length === 0 ? 'no memory readings' : `${after.length} memory reading${after.length === 1 ? '' : 's'} after the ${warmUp} s warm-up (at least ${MIN_FIT_POINTS} are needed)`;
    return { memory_growth_mb_per_min: null, fit: null, growth_verdict: 'unknown', growth_reason: why, users_during_fit: null };
  }
  const slope = r3(fit.slope);
  // The wind-down row after the users stopped (user count 0) is not load the server held.
  let end = after.length;
  while (end > 1 && after[end - 1]?.users === 0) end--;
  const users = after.slice(0, end).map((r) => r.users);
  const usersFlat = minOf(users) === maxOf(users);
  // A leak is claimed only where the load held still: memory that rises with the user count may be the load's.
  const verdict: GrowthVerdict = slope > GROWTH_ALERT_MB_PER_MIN && usersFlat ? 'leak' : slope >= GROWTH_LIMIT_MB_PER_MIN ? 'growing' : 'flat';
  const fitText = `over ${fit.points} readings after the ${warmUp} s warm-up (r² ${fit.r2.toFixed(2)})`;
  const rate = slope.toFixed(1);
  const reason =
    verdict === 'leak' ? `RSS grew ${rate} MB/min ${fitText} with the user count flat at ${minOf(users)}: above the ${GROWTH_ALERT_MB_PER_MIN} MB/min alert level, a leak is likely`
    : verdict === 'growing' && !usersFlat ? `RSS grew ${rate} MB/min ${fitText} while the user count went from ${minOf(users)} to ${maxOf(users)}: above the ${GROWTH_LIMIT_MB_PER_MIN} MB/min soak limit, but memory may follow the load; judge a leak at a flat user count`
    : verdict === 'growing' ? `RSS grew ${rate} MB/min ${fitText}: above the ${GROWTH_LIMIT_MB_PER_MIN} MB/min soak limit`
    : `RSS changed ${rate} MB/min ${fitText}: under the ${GROWTH_LIMIT_MB_PER_MIN} MB/min soak limit`;
  return {
    memory_growth_mb_per_min: slope,
    fit: { from_sec: r3(after[0]?.t ?? 0), to_sec: r3(after.at(-1)?.t ?? 0), points: fit.points, intercept_mb: mb3(fit.intercept), r2: r3(fit.r2) },
    growth_verdict: verdict,
    growth_reason: reason,
    users_during_fit: { min: minOf(users), max: maxOf(users) },
  };
}

/** The nearest-rank percentile of values (not interpolated: a value that was measured). */
export function nearestRank(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

function range(values: ReadonlyArray<number | null>): { start: number; max: number; end: number } | null {
  const v = values.filter((x): x is number => x !== null);
  if (v.length === 0) return null;
  return { start: v[0] as number, max: maxOf(v), end: v.at(-1) as number };
}

function firstLast(values: ReadonlyArray<number | null>): { first: number; last: number; min: number; max: number } | null {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x));
  if (v.length === 0) return null;
  return { first: v[0] as number, last: v.at(-1) as number, min: minOf(v), max: maxOf(v) };
}

/** Math.max without spreading: a day of 1 s readings is more arguments than a call may take. */
function maxOf(values: readonly number[]): number {
  return values.reduce((m, v) => (v > m ? v : m), Number.NEGATIVE_INFINITY);
}

function minOf(values: readonly number[]): number {
  return values.reduce((m, v) => (v < m ? v : m), Number.POSITIVE_INFINITY);
}

function r3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function mb3(x: number | undefined): number {
  return r3(x ?? 0);
}
