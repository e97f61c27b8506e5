/**
 * The latency-versus-throughput curve of several runs (one load level each) and its knee, the safe
 * operating point (the seed: "flat latency until saturation, then a sharp increase; the knee of the
 * curve is the safe operating point").
 *
 * Knee rule. Points are ordered by offered load (user count when every run states a distinct one,
 * else by achieved throughput). The baseline is the P99 of the lowest load. Walking up the loads,
 * the first point that breaks any of these is past the knee:
 *   1. its error rate is above `maxErrorRate` (default 1%);
 *   2. its P99 is more than `maxP99RisePct` (default 100%) above the baseline P99
 *      (and more than `noiseFloorMs` above it: sub-millisecond localhost jitter is not a knee);
 *   3. its latency slope against the previous point is above `maxSlope` (default 3): the P99
 *      increase, as a fraction of the baseline P99, divided by the throughput increase, as a fraction
 *      of the lowest load's throughput; a P99 rise with no throughput gain is an infinite slope
 *      (rises below `noiseFloorMs` are ignored).
 * The knee is the point just before the first breaking one: the highest throughput reached while
 * latency was still flat. No breaking point → the knee is the highest load tested (the curve never
 * bent: test higher loads). The lowest load breaking → no safe point in the tested range.
 */
export interface CapacityPoint {
  label: string;
  users: number | null;
  /** Achieved throughput, req/s. */
  rps: number;
  requests: number;
  errorRate: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

export interface KneeRule {
  maxP99RisePct: number;
  maxSlope: number;
  maxErrorRate: number;
  noiseFloorMs: number;
}

export const DEFAULT_KNEE_RULE: KneeRule = { maxP99RisePct: 100, maxSlope: 3, maxErrorRate: 0.01, noiseFloorMs: 2 };

export interface CapacityCurve {
  /** In load order. */
  points: CapacityPoint[];
  orderedBy: 'users' | 'throughput';
  baselineP99Ms: number | null;
  /** Index of the knee in `points`; null when even the lowest load broke the rule. */
  kneeIndex: number | null;
  /** Index of the first point past the knee; null when none. */
  breakIndex: number | null;
  /** Why the curve breaks where it does, with the numbers. */
  reason: string;
  rule: KneeRule;
}

function orderPoints(points: readonly CapacityPoint[]): { points: CapacityPoint[]; orderedBy: CapacityCurve['orderedBy'] } {
  const users = points.map((p) => p.users);
  const byUsers = users.every((u) => u !== null) && new Set(users).size === users.length;
  return byUsers
    ? { points: [...points].sort((a, b) => (a.users ?? 0) - (b.users ?? 0)), orderedBy: 'users' }
    : { points: [...points].sort((a, b) => a.rps - b.rps), orderedBy: 'throughput' };
}

const pct = (f: number): string => `${Number((f * 100).toFixed(2))}%`;
const msText = (v: number): string => `${Number(v.toFixed(3))} ms`;

/** Why point k breaks the rule, or null when it does not. */
function breakReason(points: readonly CapacityPoint[], k: number, baseline: number, rule: KneeRule): string | null {
  const p = points[k];
  if (p === undefined) return null;
  if (p.errorRate > rule.maxErrorRate) return `error rate ${pct(p.errorRate)} > ${pct(rule.maxErrorRate)}`;
  const p99 = p.p99Ms ?? Infinity;
  const limit = Math.max(baseline * (1 + rule.maxP99RisePct / 100), baseline + rule.noiseFloorMs);
  if (p99 > limit) return `P99 ${msText(p99)} > ${msText(limit)} (baseline P99 ${msText(baseline)} + ${rule.maxP99RisePct}%)`;
  const prev = points[k - 1];
  const base = points[0];
  if (prev === undefined || base === undefined || prev.p99Ms === null) return null;
  const dLat = p99 - prev.p99Ms;
  if (dLat <= rule.noiseFloorMs) return null;
  const dThr = p.rps - prev.rps;
  const slope = dThr > 0 && base.rps > 0 ? dLat / baseline / (dThr / base.rps) : Infinity;
  if (slope <= rule.maxSlope) return null;
  return `P99 rose ${msText(dLat)} for ${dThr > 0 ? `only ${Number(dThr.toFixed(2))} more req/s` : 'no more throughput'} (slope ${Number.isFinite(slope) ? Number(slope.toFixed(2)) : '∞'} > ${rule.maxSlope})`;
}

export function capacityCurve(input: readonly CapacityPoint[], rule: KneeRule = DEFAULT_KNEE_RULE): CapacityCurve {
  const { points, orderedBy } = orderPoints(input);
  const baseline = points[0]?.p99Ms ?? null;
  if (baseline === null) {
    return { points, orderedBy, baselineP99Ms: null, kneeIndex: null, breakIndex: null, reason: 'the lowest load has no P99 (no requests)', rule };
  }
  for (let k = 0; k < points.length; k++) {
    const why = breakReason(points, k, baseline, rule);
    if (why === null) continue;
    const at = points[k];
    return {
      points, orderedBy, baselineP99Ms: baseline, kneeIndex: k === 0 ? null : k - 1, breakIndex: k, rule,
      reason: `${at?.label ?? ''} at ${Number((at?.rps ?? 0).toFixed(2))} req/s breaks the rule: ${why}`,
    };
  }
  return {
    points, orderedBy, baselineP99Ms: baseline, kneeIndex: points.length - 1, breakIndex: null, rule,
    reason: 'no point breaks the rule: latency stayed flat up to the highest load tested (test higher loads to find the knee)',
  };
}
