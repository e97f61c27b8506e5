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

/** The rates to try: an explicit list, or start/step/max. Pure; errors name the flag. */
export function capacityRates(o: { rates?: string; start?: number; step?: number; max?: number }): number[] {
  if (o.rates !== undefined) {
    const rates = o.rates.split(',').map((r) => Number(r.trim()));
    if (rates.length === 0 || rates.some((r) => !Number.isFinite(r) || r <= 0)) {
      throw new ConfigError('BAD_NUMBER', `--rates "${o.rates}" must be positive numbers separated by commas, e.g. 1000,2000,3000`);
    }
    return rates;
  }
  const { start, step, max } = o;
  if (start === undefined || step === undefined || max === undefined) {
    throw new ConfigError('BAD_ARGUMENT', 'give --rates R1,R2,… or all of --start, --step and --max');
  }
  if (!(start > 0) || !(step > 0) || !(max >= start)) throw new ConfigError('BAD_NUMBER', '--start and --step must be > 0 and --max >= --start');
  const out: number[] = [];
  for (let r = start; r <= max + 1e-9 && out.length < 1000; r += step) out.push(Math.round(r * 1000) / 1000);
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
