import type { ArrivalPatternSpec } from './arrival-pattern.js';
import { checkNumber, type KeyProblem } from './value-rules.js';

/**
 * The open model's pool bounds as a scenario file or a test module declares them beside its
 * arrival pattern (`max_users`, `pre_allocated_users`: k6's maxVUs and preAllocatedVUs). Null
 * where the file is silent: the flags, then the defaults, decide.
 */
export interface OpenPoolLimits {
  maxUsers: number | null;
  preAllocatedUsers: number | null;
}

/**
 * What a test file may export as `arrival`: a pattern, and optionally its pool bounds
 * (`export const arrival: ArrivalDeclaration = { pattern: 'constant', rate: 500, pre_allocated_users: 100 }`).
 */
export type ArrivalDeclaration = ArrivalPatternSpec & { max_users?: number; pre_allocated_users?: number };

export const POOL_LIMIT_KEYS = ['max_users', 'pre_allocated_users'] as const;

/**
 * The largest pool a file may declare. Each user holds a connection and its state, so a million is
 * already past what one machine's file descriptors allow; more is a typo, and pre-allocating it
 * would keep the run from ever starting.
 */
export const MAX_POOL_USERS = 1_000_000;

/**
 * Reads both keys from an arrival table. Each problem names its key without a prefix: the caller
 * adds where it was written (`[arrival]` in TOML, `"arrival"` in a module) and, for a file, its line.
 */
export function readPoolLimits(arrival: Readonly<Record<string, unknown>>): { limits: OpenPoolLimits; problems: KeyProblem[] } {
  const problems: KeyProblem[] = [];
  const read = (key: (typeof POOL_LIMIT_KEYS)[number], min: number): number | null => {
    const v = arrival[key];
    if (v === undefined) return null;
    const problem = checkNumber(key, v, { min, max: MAX_POOL_USERS, whole: true });
    if (problem) problems.push(problem);
    return problem ? null : (v as number);
  };
  const maxUsers = read('max_users', 1);
  const preAllocatedUsers = read('pre_allocated_users', 0);
  if (maxUsers !== null && preAllocatedUsers !== null && preAllocatedUsers > maxUsers) {
    problems.push({ key: 'pre_allocated_users', message: `pre_allocated_users ${preAllocatedUsers} is more than max_users ${maxUsers}` });
  }
  return { limits: { maxUsers, preAllocatedUsers }, problems };
}
