import type { OperationWindow } from '../stats/operation-stats.js';
import type { TargetResult } from './targets.js';

export interface OpenModelCriteria {
  /** Achieved throughput must reach this share of the scheduled rate in every judged window (seed: 0.95). */
  minThroughputRatio: number;
  /** P99 latency (from the scheduled start) must stay below this in steady state; null = not judged. */
  p99Ms: number | null;
  /** Failed operations / operations must not exceed this (0: no failure allowed); null = not judged. */
  maxErrorRate: number | null;
  /** A scenario file's expected_throughput_ops_sec: the overall achieved rate must reach 95% of it. */
  expectedThroughput?: number | null;
}

/**
 * Windows worth judging: full ones, and a last partial one when it covers at least half a window.
 * A run shorter than one window has a single window, and that one is judged: the whole run, however
 * short (a two-record replay, a run ended by -i), so it is judged over what it did rather than
 * failed for having no window at all.
 */
export function judgedWindows(windows: readonly OperationWindow[], windowSec: number): OperationWindow[] {
  if (windows.length === 1) return [...windows];
  return windows.filter((w) => w.endSec - w.startSec >= windowSec / 2);
}

/**
 * The seed's pass criteria for an arrival-rate run: throughput ≥ 95% of the scheduled rate in
 * every window, P99 below target in steady state (every window after the first, which includes
 * warm-up — unless there is only one), error rate below the maximum. Pure.
 */
export function evaluateOpenModel(
  windows: readonly OperationWindow[],
  windowSec: number,
  criteria: OpenModelCriteria,
  totals: { operations: number; failed: number },
): TargetResult[] {
  const judged = judgedWindows(windows, windowSec);
  const results: TargetResult[] = [];
  const ratios = judged.filter((w) => w.scheduled > 0).map((w) => w.completed / w.scheduled);
  const worstRatio = ratios.length > 0 ? Math.min(...ratios) : null;
  const only = windows.length === 1 ? windows[0] : undefined;
  const span = only === undefined ? null : only.endSec - only.startSec;
  results.push({
    // Say what was judged: a run shorter than a window is judged as a whole.
    label: span !== null && span < windowSec - 1e-6 ? `Throughput vs scheduled, whole run (${formatSpan(span)}, under one ${windowSec} s window)` : `Throughput vs scheduled, every ${windowSec} s window`,
    metric: 'rps',
    comparator: '>=',
    threshold: criteria.minThroughputRatio,
    unit: '%',
    endpoints: null,
    measured: worstRatio,
    met: worstRatio !== null && worstRatio >= criteria.minThroughputRatio,
  });
  if (criteria.p99Ms !== null) {
    const steady = judged.length > 1 ? judged.slice(1) : judged;
    const p99s = steady.map((w) => w.p99Ms).filter((v): v is number => v !== null);
    const worst = p99s.length > 0 ? Math.max(...p99s) : null;
    results.push({
      label: 'P99 latency (steady state, from scheduled start)',
      metric: 'p99',
      comparator: '<',
      threshold: criteria.p99Ms,
      unit: 'ms',
      endpoints: null,
      measured: worst,
      met: worst !== null && worst < criteria.p99Ms,
    });
  }
  if (criteria.expectedThroughput !== undefined && criteria.expectedThroughput !== null && criteria.expectedThroughput > 0) {
    const span = judged.reduce((s, w) => s + (w.endSec - w.startSec), 0);
    const done = judged.reduce((s, w) => s + w.completed, 0);
    const achieved = span > 0 ? done / span : null;
    results.push({
      label: `Throughput vs expected ${criteria.expectedThroughput} ops/s`,
      metric: 'rps',
      comparator: '>=',
      threshold: criteria.expectedThroughput * criteria.minThroughputRatio,
      unit: 'req/s',
      endpoints: null,
      measured: achieved,
      met: achieved !== null && achieved >= criteria.expectedThroughput * criteria.minThroughputRatio,
    });
  }
  if (criteria.maxErrorRate !== null) {
    const rate = totals.operations > 0 ? totals.failed / totals.operations : null;
    results.push({
      label: 'Operation error rate',
      metric: 'error_rate',
      // A maximum: the rate may reach it. With '<', --max-error-rate 0 failed every clean run.
      comparator: '<=',
      threshold: criteria.maxErrorRate,
      unit: '%',
      endpoints: null,
      measured: rate,
      met: rate !== null && rate <= criteria.maxErrorRate,
    });
  }
  return results;
}

/** "0.1 s", "3 s": a short run's length for a label. */
function formatSpan(sec: number): string {
  return `${sec < 10 ? Number(sec.toFixed(1)) : Math.round(sec)} s`;
}
