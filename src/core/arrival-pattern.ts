import { ConfigError } from './errors.js';

/**
 * Open-model arrival patterns (seeds 000/001): how many operations per second arrive at time t,
 * whatever the server does. Each pattern is a pure function of time: `rateAt(t)` and its integral
 * `cumulative(t)` (expected arrivals in [0, t]), from which the schedule draws arrival times.
 */
export type ArrivalPatternSpec =
  | { pattern: 'constant'; rate: number }
  | { pattern: 'poisson'; mean_rate: number }
  | { pattern: 'bursty'; mean_rate: number; burst_factor: number; burst_probability: number }
  | { pattern: 'periodic'; base_rate: number; amplitude: number; period_secs: number }
  | { pattern: 'periodic_burst'; base_rate: number; burst_rate: number; burst_duration_sec: number; burst_period_sec: number }
  | { pattern: 'ramp'; from: number; to: number; over: number };

export interface ArrivalPattern {
  readonly spec: ArrivalPatternSpec;
  /** Poisson patterns draw exponential gaps; the others space arrivals evenly in expected-count. */
  readonly random: boolean;
  /** Instantaneous rate, operations per second (never negative). */
  rateAt(t: number): number;
  /** Expected arrivals in [0, t]. */
  cumulative(t: number): number;
  /** Long-run mean rate (what throughput is judged against). */
  meanRate(): number;
  /** Exact inverse of cumulative where one is cheap; otherwise timeOfCount bisects. */
  inverse?(count: number): number;
}

const TWO_PI = 2 * Math.PI;

/**
 * The model's own guard (user input is checked first, with its ranges, by arrival-spec-check.ts).
 * Number.MIN_VALUE as `min` means "> 0", and says so rather than ">= 5e-324".
 */
function need(name: string, value: unknown, min: number, integer = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new ConfigError('BAD_ARGUMENT', `arrival ${name} must be a number ${min === Number.MIN_VALUE ? '> 0' : `>= ${min}`}, got ${String(value)}`);
  }
  return value;
}

/** Deterministic "is second k a burst?" from the pattern's seed, so a seeded run replays its bursts. */
function burstAt(second: number, seed: number, probability: number): boolean {
  let h = Math.imul(second ^ seed, 0x9e3779b1) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) >>> 0;
  h = (h ^ (h >>> 13)) >>> 0;
  return h / 4294967296 < probability;
}

/** constant: evenly spaced at `rate`; poisson: exponential gaps around `mean_rate`. */
function steadyPattern(spec: Extract<ArrivalPatternSpec, { pattern: 'constant' | 'poisson' }>): ArrivalPattern {
  const rate = need(spec.pattern === 'constant' ? 'rate' : 'mean_rate', spec.pattern === 'constant' ? spec.rate : spec.mean_rate, 0);
  return {
    spec,
    random: spec.pattern === 'poisson',
    rateAt: () => rate,
    cumulative: (t) => rate * t,
    meanRate: () => rate,
    inverse: (count) => (rate > 0 ? count / rate : Infinity),
  };
}

/** Seconds drawn (by the seed) as bursts at mean × factor; the others at the rate that keeps the mean. */
function burstyPattern(spec: Extract<ArrivalPatternSpec, { pattern: 'bursty' }>, seed: number): ArrivalPattern {
  const mean = need('mean_rate', spec.mean_rate, 0);
  const factor = need('burst_factor', spec.burst_factor, 1);
  const p = need('burst_probability', spec.burst_probability, 0);
  if (p > 1 || p * factor > 1) {
    throw new ConfigError('BAD_ARGUMENT', 'arrival burst_probability × burst_factor must be <= 1 (so the quiet seconds can keep the mean)');
  }
  // Burst seconds run at mean × factor; quiet ones at the rate that keeps the long-run mean.
  const quiet = p >= 1 ? mean : (mean * (1 - p * factor)) / (1 - p);
  const rateAt = (t: number): number => (burstAt(Math.floor(t), seed, p) ? mean * factor : quiet);
  return {
    spec,
    random: true,
    rateAt,
    cumulative: (t) => {
      let sum = 0;
      const whole = Math.floor(t);
      for (let s = 0; s < whole; s++) sum += rateAt(s);
      return sum + rateAt(whole) * (t - whole);
    },
    meanRate: () => mean,
  };
}

/** A sine wave around base_rate. */
function periodicPattern(spec: Extract<ArrivalPatternSpec, { pattern: 'periodic' }>): ArrivalPattern {
  const base = need('base_rate', spec.base_rate, 0);
  const amp = need('amplitude', spec.amplitude, 0);
  const period = need('period_secs', spec.period_secs, Number.MIN_VALUE);
  if (amp > base) throw new ConfigError('BAD_ARGUMENT', 'arrival amplitude must be <= base_rate (a rate cannot go negative)');
  return {
    spec,
    random: false,
    rateAt: (t) => base + amp * Math.sin((TWO_PI * t) / period),
    cumulative: (t) => base * t + ((amp * period) / TWO_PI) * (1 - Math.cos((TWO_PI * t) / period)),
    meanRate: () => base,
  };
}

/** burst_rate for burst_duration_sec at the start of every burst_period_sec, base_rate between. */
function periodicBurstPattern(spec: Extract<ArrivalPatternSpec, { pattern: 'periodic_burst' }>): ArrivalPattern {
  const base = need('base_rate', spec.base_rate, 0);
  const burst = need('burst_rate', spec.burst_rate, 0);
  const duration = need('burst_duration_sec', spec.burst_duration_sec, 0);
  const period = need('burst_period_sec', spec.burst_period_sec, Number.MIN_VALUE);
  if (duration > period) throw new ConfigError('BAD_ARGUMENT', 'arrival burst_duration_sec must be <= burst_period_sec');
  // Each period starts with its burst (the seed's "15K for 30 s every 5 minutes").
  const perPeriod = burst * duration + base * (period - duration);
  return {
    spec,
    random: false,
    rateAt: (t) => (t % period < duration ? burst : base),
    cumulative: (t) => {
      const k = Math.floor(t / period);
      const r = t - k * period;
      return k * perPeriod + (r < duration ? burst * r : burst * duration + base * (r - duration));
    },
    meanRate: () => perPeriod / period,
  };
}

/** A straight line from `from` to `to` over `over` seconds, then `to`. */
function rampPattern(spec: Extract<ArrivalPatternSpec, { pattern: 'ramp' }>): ArrivalPattern {
  const from = need('from', spec.from, 0);
  const to = need('to', spec.to, 0);
  const over = need('over', spec.over, Number.MIN_VALUE);
  const slope = (to - from) / over;
  return {
    spec,
    random: false,
    rateAt: (t) => (t < over ? from + slope * t : to),
    cumulative: (t) => (t < over ? from * t + (slope * t * t) / 2 : ((from + to) * over) / 2 + to * (t - over)),
    meanRate: () => to,
    inverse: (count) => {
      const atOver = ((from + to) * over) / 2;
      if (count >= atOver) return to > 0 ? over + (count - atOver) / to : Infinity;
      if (slope === 0) return count / from;
      // from·t + slope·t²/2 = count  →  the positive root.
      return (-from + Math.sqrt(from * from + 2 * slope * count)) / slope;
    },
  };
}

/** The pattern a spec describes; a value out of range is a ConfigError naming its key. */
export function createArrivalPattern(spec: ArrivalPatternSpec, seed = 0): ArrivalPattern {
  switch (spec.pattern) {
    case 'constant':
    case 'poisson':
      return steadyPattern(spec);
    case 'bursty':
      return burstyPattern(spec, seed);
    case 'periodic':
      return periodicPattern(spec);
    case 'periodic_burst':
      return periodicBurstPattern(spec);
    case 'ramp':
      return rampPattern(spec);
  }
}

/**
 * The time at which `count` expected arrivals have accumulated since 0 (the inverse of
 * cumulative), searching from `from` on. Exact where the pattern has an inverse; bisection
 * otherwise (cumulative is monotone; 60 halvings reach sub-nanosecond). Infinity when the rate
 * is zero from there on (nothing more arrives).
 */
export function timeOfCount(pattern: ArrivalPattern, count: number, from = 0): number {
  if (pattern.inverse) return pattern.inverse(count);
  const goal = count;
  const t = from;
  let hi = t + Math.max(1e-6, (goal - pattern.cumulative(t)) / Math.max(pattern.rateAt(t), 1e-9));
  let lo = t;
  let guard = 0;
  while (pattern.cumulative(hi) < goal) {
    lo = hi;
    hi = t + (hi - t) * 2;
    if (++guard > 64) return Infinity;
  }
  for (let i = 0; i < 60 && hi - lo > 1e-9; i++) {
    const mid = (lo + hi) / 2;
    if (pattern.cumulative(mid) < goal) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** The time after `t` at which `count` more expected arrivals have accumulated. */
export function timeAfter(pattern: ArrivalPattern, t: number, count: number): number {
  return timeOfCount(pattern, pattern.cumulative(t) + count, t);
}

/** The same pattern with every rate scaled so its long-run mean is `mean` (for --target-rate over a file's pattern). */
export function scalePattern(spec: ArrivalPatternSpec, mean: number): ArrivalPatternSpec {
  const current = createArrivalPattern(spec).meanRate();
  const f = current > 0 ? mean / current : 0;
  switch (spec.pattern) {
    case 'constant': return { ...spec, rate: mean };
    case 'poisson': return { ...spec, mean_rate: mean };
    case 'bursty': return { ...spec, mean_rate: mean };
    case 'periodic': return { ...spec, base_rate: spec.base_rate * f, amplitude: spec.amplitude * f };
    case 'periodic_burst': return { ...spec, base_rate: spec.base_rate * f, burst_rate: spec.burst_rate * f };
    case 'ramp': return { ...spec, from: spec.from * f, to: spec.to * f };
  }
}
