import { MAX_DURATION_SEC } from './duration.js';
import type { ArrivalPatternSpec } from './arrival-pattern.js';
import { POOL_LIMIT_KEYS, readPoolLimits, type OpenPoolLimits } from './open-pool-limits.js';
import { checkNumber, describeValue, type KeyProblem, type NumberRule } from './value-rules.js';

/**
 * The checks an arrival pattern written by a user must pass (a TOML scenario's [arrival], a test
 * file's `export const arrival`), before anything starts. createArrivalPattern only guards the
 * model; these are stricter: a pattern that sends nothing (rate = 0 used to run at 0 ops/s and
 * fail its own target), a key the pattern does not use, and absurd sizes are all refused.
 */

/**
 * The highest arrival rate a file may ask for, operations per second: 66× the seed's busiest
 * scenario (15 000/s bursts), beyond what one brood process sends. Past it the schedule would only
 * count drops.
 */
export const MAX_ARRIVAL_RATE = 1_000_000;

const RATE: NumberRule = { min: 0, above: true, max: MAX_ARRIVAL_RATE };
const RATE_OR_ZERO: NumberRule = { min: 0, max: MAX_ARRIVAL_RATE };
const SECONDS: NumberRule = { min: 0, above: true, max: MAX_DURATION_SEC };

/** Each pattern's keys and their ranges (README "Arrival patterns" lists the same). */
const PATTERN_KEYS: Readonly<Record<ArrivalPatternSpec['pattern'], Readonly<Record<string, NumberRule>>>> = {
  constant: { rate: RATE },
  poisson: { mean_rate: RATE },
  bursty: { mean_rate: RATE, burst_factor: { min: 1, max: 1000 }, burst_probability: { min: 0, max: 1 } },
  periodic: { base_rate: RATE, amplitude: RATE_OR_ZERO, period_secs: SECONDS },
  // Either rate may be 0 (bursts on silence, or a pause each period), not both (checked below).
  periodic_burst: { base_rate: RATE_OR_ZERO, burst_rate: RATE_OR_ZERO, burst_duration_sec: { min: 0, max: MAX_DURATION_SEC }, burst_period_sec: SECONDS },
  // From 0 is a ramp up from nothing; `to` is the rate held afterwards, so it must send something.
  ramp: { from: RATE_OR_ZERO, to: RATE, over: SECONDS },
};

export const ARRIVAL_PATTERNS = Object.keys(PATTERN_KEYS) as Array<ArrivalPatternSpec['pattern']>;

/** The seed writes the poisson mean as `lambda` too. */
const ALIASES: Readonly<Record<string, string>> = { lambda: 'mean_rate' };

export interface CheckedArrival {
  /** The pattern's own keys (null when it has problems). */
  spec: ArrivalPatternSpec | null;
  pool: OpenPoolLimits;
  problems: KeyProblem[];
}

/** Checks an arrival table: its pattern, every key, the keys' ranges and how they combine. */
export function checkArrivalTable(table: Readonly<Record<string, unknown>>): CheckedArrival {
  const { limits: pool, problems } = readPoolLimits(table);
  const pattern = table.pattern;
  const keys = typeof pattern === 'string' ? PATTERN_KEYS[pattern as ArrivalPatternSpec['pattern']] : undefined;
  if (keys === undefined) {
    problems.push(pattern === undefined
      ? { key: '', message: `pattern is missing: use one of ${ARRIVAL_PATTERNS.join(', ')}` }
      : { key: 'pattern', message: `pattern must be one of ${ARRIVAL_PATTERNS.join(', ')}, got ${describeValue(pattern)}` });
    return { spec: null, pool, problems };
  }
  const name = pattern as ArrivalPatternSpec['pattern'];
  const values: Record<string, unknown> = {};
  /** How the user spelled each key (lambda for mean_rate), for messages and line numbers. */
  const spelled: Record<string, string> = {};
  const before = problems.length;
  for (const [written, value] of Object.entries(table)) {
    if (written === 'pattern' || (POOL_LIMIT_KEYS as readonly string[]).includes(written)) continue;
    const key = ALIASES[written] ?? written;
    if (keys[key] === undefined) {
      const known = ARRIVAL_PATTERNS.some((p) => PATTERN_KEYS[p][key] !== undefined);
      const takes = `pattern "${name}" takes ${Object.keys(keys).join(', ')}, and ${POOL_LIMIT_KEYS.join(', ')}`;
      problems.push({ key: written, message: known ? `${written} does not apply to pattern "${name}" (${takes})` : `${written} is not an arrival key (${takes})` });
    } else if (values[key] !== undefined) {
      problems.push({ key: written, message: `give ${key} once (lambda is another name for mean_rate)` });
    } else {
      values[key] = value;
      spelled[key] = written;
    }
  }
  for (const [key, rule] of Object.entries(keys)) {
    if (values[key] === undefined) problems.push({ key: '', message: `${key} is required for pattern "${name}"` });
    else {
      const problem = checkNumber(spelled[key] ?? key, values[key], rule);
      if (problem) problems.push(problem);
    }
  }
  if (problems.length === before) problems.push(...combined(name, values as Record<string, number>));
  const spec = problems.length === before ? ({ pattern: name, ...values } as ArrivalPatternSpec) : null;
  return { spec, pool, problems };
}

/** Rules between keys, once each key is in range. */
function combined(pattern: ArrivalPatternSpec['pattern'], v: Readonly<Record<string, number>>): KeyProblem[] {
  const n = (key: string): number => v[key] ?? 0;
  switch (pattern) {
    case 'bursty':
      return n('burst_probability') * n('burst_factor') > 1
        ? [{ key: 'burst_probability', message: 'burst_probability × burst_factor must be at most 1 (so the quiet seconds can keep the mean)' }]
        : [];
    case 'periodic':
      return n('amplitude') > n('base_rate') ? [{ key: 'amplitude', message: `amplitude ${n('amplitude')} must be at most base_rate ${n('base_rate')} (a rate cannot go negative)` }] : [];
    case 'periodic_burst': {
      if (n('burst_duration_sec') > n('burst_period_sec')) {
        return [{ key: 'burst_duration_sec', message: `burst_duration_sec ${n('burst_duration_sec')} must be at most burst_period_sec ${n('burst_period_sec')}` }];
      }
      const sent = n('burst_rate') * n('burst_duration_sec') + n('base_rate') * (n('burst_period_sec') - n('burst_duration_sec'));
      return sent > 0 ? [] : [{ key: '', message: 'this periodic_burst sends nothing: give base_rate or burst_rate (with burst_duration_sec) a rate > 0' }];
    }
    default:
      return [];
  }
}
