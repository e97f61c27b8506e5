import { ConfigError } from './errors.js';

const RATE_UNITS_SEC: Readonly<Record<string, number>> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** The highest arrival rate brood takes from Vegeta's spelling, per second. */
export const MAX_VEGETA_RATE = 1_000_000;

/**
 * Vegeta's `-rate` spelling, N/PERIOD: `50/1s`, `600/1m`, `5/500ms`, `50/s` (a period without a
 * number is one of it, as Vegeta reads it) → operations per second. Vegeta's `0` (as fast as
 * possible) has no open-model meaning: a rate must be > 0. In core (not beside --target-rate in
 * cli/) because a suite file's `rate` key is read the same way, below the CLI. `what` names the
 * value in messages: the flag, or a suite file's FILE:LINE and key.
 */
export function parseVegetaRate(text: string, what = '--target-rate'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)?\s*(ns|us|µs|ms|s|m|h)\s*$/.exec(text);
  const how = 'give N/PERIOD as Vegeta does (50/1s, 600/1m, 5/500ms) or operations per second (50)';
  if (m === null) throw new ConfigError('BAD_NUMBER', `${what} "${text}" is not a rate: ${how}`);
  const count = Number(m[1]);
  const periodSec = Number(m[2] ?? '1') * (RATE_UNITS_SEC[m[3] ?? 's'] ?? 1);
  if (!(count > 0) || !(periodSec > 0)) throw new ConfigError('BAD_NUMBER', `${what} "${text}" must be more than 0 per a period longer than 0 (Vegeta's 0, as fast as possible, is not an arrival rate): ${how}`);
  const rate = count / periodSec;
  if (rate > MAX_VEGETA_RATE) throw new ConfigError('BAD_NUMBER', `${what} "${text}" is ${rate} per second: at most ${MAX_VEGETA_RATE}`);
  return rate;
}
