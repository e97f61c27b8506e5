/**
 * Optimization recommendations derived from a run's numbers, after the seed's "Common Issues and
 * Solutions". Each rule fires only on evidence and cites it:
 *
 * - failure-kind: one kind of failure (connection, timeout, 503/429, 5xx, 404, other 4xx, failed
 *   checks) is at least FAILURE_KIND_SHARE of all failures → what that kind usually means.
 * - high-error-rate: overall error rate above HIGH_ERROR_RATE (seed: "High Error Rates (>5%)").
 * - slow-endpoint: an endpoint's P95 above SLOW_P95_MS (seed: "Slow Response Times (P95 >500ms)").
 * - growing-latency: an endpoint's (or, without per-endpoint history, the Aggregated) interval P95
 *   grows over the run (latency-trend.ts) → suspected saturation, or latency following load.
 * - load-step-errors / load-step-latency: errors or P95 jump at a user-count step (load-steps.ts)
 *   → capacity limit at about that many users.
 * - latency-bound-throughput / think-time-bound-throughput: Little's law with the users, req/s and
 *   average latency: the share of their time users spent waiting on responses says whether the
 *   server (≥ BUSY_HIGH) or the think time (≤ BUSY_LOW) set the throughput (seed: "Low Throughput").
 * - test-exceptions: the test code itself raised exceptions.
 * - memory-growth, cpu-limit, descriptor-leak, monitor-gap: the watched server's resources
 *   (resource-recommendations.ts).
 */
import { entryLabel } from '../src/report/entry-metrics.js';
import { ms, num, percent, shown } from './display-text.js';
import { FAILURE_KINDS, failureKind, type FailureKind } from './failure-kind.js';
import { latencyTrends } from './latency-trend.js';
import { errorStep, latencyStep, loadLevels } from './load-steps.js';
import type { LoadedRun } from './loaded-run.js';
import type { Recommendation } from './recommendation.js';
import { resourceRecommendations } from './resource-recommendations.js';
import type { EndpointRow, OverallSummary } from './run-summary.js';

export const FAILURE_KIND_SHARE = 0.2;
export const HIGH_ERROR_RATE = 0.05;
export const SLOW_P95_MS = 500;
export const BUSY_HIGH = 0.8;
export const BUSY_LOW = 0.05;
/** Below this many requests per user per second, a think-time-bound run counts as "low throughput". */
export const LOW_RPS_PER_USER = 0.5;

function failureKindRecommendations(run: LoadedRun, summary: OverallSummary): Recommendation[] {
  const total = run.failures.reduce((n, f) => n + f.occurrences, 0);
  if (total === 0) return [];
  const byKind = new Map<FailureKind, typeof run.failures>();
  for (const f of run.failures) {
    const kind = failureKind(f.error);
    byKind.set(kind, [...(byKind.get(kind) ?? []), f]);
  }
  const out: Recommendation[] = [];
  for (const [kind, rows] of [...byKind].sort((a, b) => count(b[1]) - count(a[1]))) {
    const n = count(rows);
    if (n / total < FAILURE_KIND_SHARE) continue;
    const info = FAILURE_KINDS[kind];
    const top = [...rows].sort((a, b) => b.occurrences - a.occurrences).slice(0, 3)
      .map((f) => `${shown(entryLabel(f), 40)}: ${shown(f.error, 60)} ×${f.occurrences}`);
    out.push({
      rule: 'failure-kind',
      severity: summary.requests > 0 && n / summary.requests >= 0.01 ? 'high' : 'medium',
      title: `${n} of ${total} failures (${percent(n / total)}) are ${info.title}`,
      evidence: `${top.join('; ')}${rows.length > 3 ? `; and ${rows.length - 3} more` : ''}; ${percent(n / Math.max(summary.requests, 1))} of all ${summary.requests} requests`,
      advice: `This usually means ${info.meaning}. ${capitalize(info.advice)}.`,
    });
  }
  return out;
}

function count(rows: ReadonlyArray<{ occurrences: number }>): number {
  return rows.reduce((n, f) => n + f.occurrences, 0);
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function errorRateRecommendation(summary: OverallSummary): Recommendation[] {
  if (summary.errorRate <= HIGH_ERROR_RATE) return [];
  return [{
    rule: 'high-error-rate', severity: 'high',
    title: `High error rate: ${percent(summary.errorRate)} of requests failed (above ${percent(HIGH_ERROR_RATE)})`,
    evidence: `${summary.failures} failures in ${summary.requests} requests`,
    advice: 'Check that the API server is running, its database connections, connection pool size and resource limits (ulimit), and its logs.',
  }];
}

function slowEndpointRecommendations(rows: readonly EndpointRow[]): Recommendation[] {
  const slow = rows.filter((r) => r.p95Ms !== null && r.p95Ms > SLOW_P95_MS).sort((a, b) => (b.p95Ms ?? 0) - (a.p95Ms ?? 0));
  if (slow.length === 0) return [];
  return [{
    rule: 'slow-endpoint', severity: 'medium',
    title: `${slow.length} endpoint(s) with P95 above ${SLOW_P95_MS} ms`,
    evidence: slow.slice(0, 5).map((r) => `${shown(r.label, 50)}: P95 ${ms(r.p95Ms)}, P99 ${ms(r.p99Ms)} over ${r.requests} requests`).join('; '),
    advice: 'Add database indexes, enable caching, optimize slow queries (EXPLAIN ANALYZE), add API workers or scale horizontally.',
  }];
}

function trendRecommendations(run: LoadedRun): Recommendation[] {
  return latencyTrends(run.history, run.endpointHistory).slice(0, 3).map((t) => {
    const users = t.usersFirst !== null && t.usersLast !== null ? ` (users ${t.usersFirst} → ${t.usersLast})` : '';
    const withLoad = t.usersFirst !== null && t.usersLast !== null && t.usersLast > t.usersFirst;
    return {
      rule: 'growing-latency' as const,
      severity: 'medium' as const,
      title: withLoad
        ? `Latency of ${shown(t.key, 50)} grows with the load`
        : `Suspected saturation: ${shown(t.key, 50)} gets slower as the run goes on`,
      evidence: `median interval P95 ${ms(t.firstMs)} in seconds ${t.firstSpan[0]}–${t.firstSpan[1]} → ${ms(t.lastMs)} in seconds ${t.lastSpan[0]}–${t.lastSpan[1]} (×${num(t.lastMs / t.firstMs, 1)}, ${t.points} intervals)${users}`,
      advice: withLoad
        ? 'The endpoint slows down as users are added: find its limit with a capacity curve (analyze-results capacity) and look at what it waits on.'
        : 'At constant load a growing latency points to a queue building up or a resource being used up (connection pool, memory, table growth): watch the server\'s CPU, memory and pools over a longer run.',
    };
  });
}

function loadStepRecommendations(run: LoadedRun): Recommendation[] {
  const levels = loadLevels(run.history);
  const out: Recommendation[] = [];
  const errors = errorStep(levels);
  if (errors !== null) {
    const { before, at } = errors;
    out.push({
      rule: 'load-step-errors', severity: 'high',
      title: `Capacity limit at about ${at.users} users: errors start at that step`,
      evidence: `error rate ${percent(before.errorRate)} at ${before.users} users (seconds ${before.fromSec}–${before.toSec}, ${before.requests} requests) → ${percent(at.errorRate)} at ${at.users} users (seconds ${at.fromSec}–${at.toSec}, ${at.failures} of ${at.requests} requests failed)`,
      advice: `Treat ${before.users} users as the highest tested load this setup handles; add capacity or fix the failing endpoints before going past it.`,
    });
  }
  const latency = latencyStep(levels);
  if (latency !== null) {
    const { before, at } = latency;
    out.push({
      rule: 'load-step-latency', severity: 'medium',
      title: `Latency knee at about ${at.users} users`,
      evidence: `median interval P95 ${ms(before.p95Ms)} at ${before.users} users → ${ms(at.p95Ms)} at ${at.users} users`,
      advice: `Past ${before.users} users requests start to queue: that is the safe operating point of this setup at this think time.`,
    });
  }
  return out;
}

function throughputRecommendations(summary: OverallSummary): Recommendation[] {
  const { users, rps, avgMs } = summary;
  if (users === null || users < 2 || avgMs === null || rps <= 0) return [];
  // Little's law: requests in flight = rate × time in system; per user, the share of time waiting on responses.
  const busy = (rps * avgMs) / 1000 / users;
  const evidence = `${users} users made ${num(rps)} req/s (${num(rps / users, 3)} per user) at an average latency of ${ms(avgMs)}: each user spent ${percent(Math.min(busy, 1))} of its time waiting for responses`;
  if (busy >= BUSY_HIGH) {
    return [{
      rule: 'latency-bound-throughput', severity: 'info', title: 'Throughput is bound by response time', evidence,
      advice: 'Users are nearly always waiting on the server, so more users mostly add latency, not throughput: make the endpoints faster or add server capacity.',
    }];
  }
  if (busy <= BUSY_LOW && rps / users < LOW_RPS_PER_USER) {
    return [{
      rule: 'think-time-bound-throughput', severity: 'info', title: 'Low throughput is set by think time, not by the server', evidence,
      advice: 'To load the server harder, add users, raise the spawn rate or shorten the wait time.',
    }];
  }
  return [];
}

function exceptionRecommendations(run: LoadedRun): Recommendation[] {
  const total = run.exceptions.reduce((n, e) => n + e.count, 0);
  if (total === 0) return [];
  const top = [...run.exceptions].sort((a, b) => b.count - a.count).slice(0, 3).map((e) => `"${shown(e.message, 60)}" ×${e.count}`);
  return [{
    rule: 'test-exceptions', severity: 'medium', title: `The test code raised ${total} exception(s)`,
    evidence: top.join('; '),
    advice: 'These are errors in the test itself, not server responses: fix the task code (see the tracebacks in the exceptions file).',
  }];
}

const ORDER: Record<Recommendation['severity'], number> = { high: 0, medium: 1, info: 2 };

export function recommendations(run: LoadedRun, summary: OverallSummary, rows: readonly EndpointRow[]): Recommendation[] {
  return [
    ...errorRateRecommendation(summary),
    ...failureKindRecommendations(run, summary),
    ...loadStepRecommendations(run),
    ...slowEndpointRecommendations(rows),
    ...trendRecommendations(run),
    ...exceptionRecommendations(run),
    ...resourceRecommendations(run.resources),
    ...throughputRecommendations(summary),
  ].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
}
