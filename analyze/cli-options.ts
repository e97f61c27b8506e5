/** Parsing of the analyzer's option values: each bad value is a one-line AnalyzeError naming the flag. */
import { parseDecimal } from '../src/core/decimal.js';
import { AnalyzeError } from './analyze-error.js';

export function nonNegative(flag: string): (value: string) => number {
  return (value) => {
    const n = parseDecimal(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new AnalyzeError('BAD_USAGE', `${flag} must be a number ≥ 0, got "${value}"`);
    return n;
  };
}

export function oneOf<T extends string>(flag: string, choices: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(choices as readonly string[]).includes(value)) throw new AnalyzeError('BAD_USAGE', `${flag} must be one of ${choices.join(', ')}, got "${value}"`);
    return value as T;
  };
}
