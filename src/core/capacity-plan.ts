import { parseDecimal } from './decimal.js';
import { ConfigError } from './errors.js';

/** One measured step of a capacity search. */
export interface CapacityStep {
  rate: number;
  /** Arrivals that actually came due per second (a Poisson pattern varies around `rate`). */
  scheduledRate: number;
  achievedRate: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  errorRate: number;
  dropped: number;
  /** Why this step broke the limits, or null when it held. */
  broke: string | null;
}

/** The most steps one search may have: past it, a typo (--step 1 for --step 1000), not a plan. */
export const MAX_CAPACITY_STEPS = 1000;

/** Rates are kept to 0.001 ops/s: each names its files (capacity_<rate>.json), so they must differ. */
const RATE_DECIMALS = 1000;

/**
 * The rates to try: an explicit list, or start/step/max. Pure; errors name the flag. Each rate
 * must be tried once: two equal rates (listed twice, or rounded together from a step finer than
 * 0.001) would write the same capacity_<rate> files, the second over the first.
 */
export function capacityRates(o: { rates?: string; start?: number; step?: number; max?: number }): number[] {
  if (o.rates !== undefined) {
    const rates = o.rates.split(',').map((r) => parseDecimal(r.trim()));
    if (rates.length === 0 || rates.some((r) => !Number.isFinite(r) || r <= 0)) {
      throw new ConfigError('BAD_NUMBER', `--rates "${o.rates}" must be positive numbers separated by commas, e.g. 1000,2000,3000`);
    }
    const twice = rates.find((r, i) => rates.indexOf(r) !== i);
    if (twice !== undefined) throw new ConfigError('BAD_NUMBER', `--rates "${o.rates}" lists ${twice} twice: each rate is tried once (its files are capacity_${twice}.*)`);
    if (rates.length > MAX_CAPACITY_STEPS) throw new ConfigError('BAD_NUMBER', `--rates lists ${rates.length} rates: a search tries at most ${MAX_CAPACITY_STEPS}`);
    return rates;
  }
  const { start, step, max } = o;
  if (start === undefined || step === undefined || max === undefined) {
    throw new ConfigError('BAD_ARGUMENT', 'give --rates R1,R2,… or all of --start, --step and --max');
  }
  if (!(start > 0) || !(step > 0) || !(max >= start)) throw new ConfigError('BAD_NUMBER', '--start and --step must be > 0 and --max >= --start');
  // From the index, not by adding the step again and again: no drift past --max.
  const count = Math.floor((max - start) / step + 1e-9) + 1;
  if (count > MAX_CAPACITY_STEPS) {
    throw new ConfigError('BAD_NUMBER', `--start ${start} --step ${step} --max ${max} makes ${count} steps: a search tries at most ${MAX_CAPACITY_STEPS} (use a larger --step)`);
  }
  const out = Array.from({ length: count }, (_, i) => Math.round((start + i * step) * RATE_DECIMALS) / RATE_DECIMALS);
  const twice = out.find((r, i) => out.indexOf(r) !== i);
  if (twice !== undefined) {
    throw new ConfigError('BAD_NUMBER', `--step ${step} is finer than the 0.001 ops/s that rates are kept to: ${twice} would be tried twice (use a step of at least 0.001)`);
  }
  return out;
}

/**
 * Judges one step against the limits: P99 above the target, errors above the maximum, or the
 * target delivering less than 95% of the rate asked of it (it could not keep up).
 */
export function judgeStep(step: Omit<CapacityStep, 'broke'>, limits: { p99Ms: number; maxErrorRate: number }): string | null {
  if (step.p99Ms !== null && step.p99Ms > limits.p99Ms) return `P99 ${step.p99Ms.toFixed(1)} ms > ${limits.p99Ms} ms`;
  if (step.errorRate > limits.maxErrorRate) return `errors ${(step.errorRate * 100).toFixed(2)}% > ${(limits.maxErrorRate * 100).toFixed(2)}%`;
  if (step.achievedRate < step.scheduledRate * 0.95) return `achieved ${step.achievedRate.toFixed(0)} ops/s < 95% of the ${step.scheduledRate.toFixed(0)} scheduled`;
  return null;
}

export interface CapacitySummary {
  steps: CapacityStep[];
  breakingPoint: number | null;
  lastSafeRate: number | null;
}

export function summarizeCapacity(steps: readonly CapacityStep[]): CapacitySummary {
  const broken = steps.find((s) => s.broke !== null);
  const safe = steps.filter((s) => s.broke === null);
  return { steps: [...steps], breakingPoint: broken?.rate ?? null, lastSafeRate: safe.at(-1)?.rate ?? null };
}
