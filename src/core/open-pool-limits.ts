import type { ArrivalPatternSpec } from './arrival-pattern.js';

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
 * Reads both keys from an arrival table. `where` prefixes each problem (`[arrival]` for TOML,
 * `"arrival"` for a module) so the message names the key the user wrote.
 */
export function readPoolLimits(arrival: Readonly<Record<string, unknown>>, where: string, problems: string[]): OpenPoolLimits {
  const read = (key: (typeof POOL_LIMIT_KEYS)[number], min: number): number | null => {
    const v = arrival[key];
    if (v === undefined) return null;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
      problems.push(`${where} ${key} must be a whole number >= ${min}, got ${JSON.stringify(v)}`);
      return null;
    }
    return v;
  };
  const maxUsers = read('max_users', 1);
  const preAllocatedUsers = read('pre_allocated_users', 0);
  if (maxUsers !== null && preAllocatedUsers !== null && preAllocatedUsers > maxUsers) {
    problems.push(`${where} pre_allocated_users ${preAllocatedUsers} is more than max_users ${maxUsers}`);
  }
  return { maxUsers, preAllocatedUsers };
}
