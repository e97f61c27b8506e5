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
  const results = [throughputVsScheduled(windows, judged, windowSec, criteria.minThroughputRatio)];
  if (criteria.p99Ms !== null) results.push(steadyStateP99(judged, criteria.p99Ms));
  const expected = criteria.expectedThroughput;
  if (expected !== undefined && expected !== null && expected > 0) {
    results.push(throughputVsExpected(judged, expected, criteria.minThroughputRatio));
  }
  if (criteria.maxErrorRate !== null) results.push(operationErrorRate(totals, criteria.maxErrorRate));
  return results;
}

/** Always judged: the worst window's completed / scheduled ratio. */
function throughputVsScheduled(
  windows: readonly OperationWindow[],
  judged: readonly OperationWindow[],
  windowSec: number,
  minRatio: number,
): TargetResult {
  const ratios = judged.filter((w) => w.scheduled > 0).map((w) => w.completed / w.scheduled);
  const worstRatio = ratios.length > 0 ? Math.min(...ratios) : null;
  return {
    label: throughputLabel(windows, windowSec),
    metric: 'rps',
    comparator: '>=',
    threshold: minRatio,
    unit: '%',
    endpoints: null,
    measured: worstRatio,
    met: worstRatio !== null && worstRatio >= minRatio,
  };
}

/** Say what was judged: a run shorter than a window is judged as a whole. */
function throughputLabel(windows: readonly OperationWindow[], windowSec: number): string {
  const only = windows.length === 1 ? windows[0] : undefined;
  const span = only === undefined ? null : only.endSec - only.startSec;
  // The tolerance keeps a window that is full up to float error from reading as a short run.
  if (span !== null && span < windowSec - 1e-6) {
    return `Throughput vs scheduled, whole run (${formatSpan(span)}, under one ${windowSec} s window)`;
  }
  return `Throughput vs scheduled, every ${windowSec} s window`;
}

/** The worst window's P99, leaving out the first window (warm-up) unless it is the only one. */
function steadyStateP99(judged: readonly OperationWindow[], p99Ms: number): TargetResult {
  const steady = judged.length > 1 ? judged.slice(1) : judged;
  const p99s = steady.map((w) => w.p99Ms).filter((v): v is number => v !== null);
  const worst = p99s.length > 0 ? Math.max(...p99s) : null;
  return {
    label: 'P99 latency (steady state, from scheduled start)',
    metric: 'p99',
    comparator: '<',
    threshold: p99Ms,
    unit: 'ms',
    endpoints: null,
    measured: worst,
    met: worst !== null && worst < p99Ms,
  };
}

/** The overall achieved rate over the judged windows against a scenario's expected rate, less the same slack. */
function throughputVsExpected(judged: readonly OperationWindow[], expected: number, minRatio: number): TargetResult {
  const span = judged.reduce((s, w) => s + (w.endSec - w.startSec), 0);
  const done = judged.reduce((s, w) => s + w.completed, 0);
  const achieved = span > 0 ? done / span : null;
  const threshold = expected * minRatio;
  return {
    label: `Throughput vs expected ${expected} ops/s`,
    metric: 'rps',
    comparator: '>=',
    threshold,
    unit: 'req/s',
    endpoints: null,
    measured: achieved,
    met: achieved !== null && achieved >= threshold,
  };
}

/** Failed / all operations over the whole run, not per window. */
function operationErrorRate(totals: { operations: number; failed: number }, maxErrorRate: number): TargetResult {
  const rate = totals.operations > 0 ? totals.failed / totals.operations : null;
  return {
    label: 'Operation error rate',
    metric: 'error_rate',
    // A maximum: the rate may reach it. With '<', --max-error-rate 0 failed every clean run.
    comparator: '<=',
    threshold: maxErrorRate,
    unit: '%',
    endpoints: null,
    measured: rate,
    met: rate !== null && rate <= maxErrorRate,
  };
}

/** "0.1 s", "3 s": a short run's length for a label. */
function formatSpan(sec: number): string {
  return `${sec < 10 ? Number(sec.toFixed(1)) : Math.round(sec)} s`;
}
