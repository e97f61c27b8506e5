/**
 * Range rules for the numbers of a declarative file (a TOML scenario's keys, a test file's
 * `arrival`), checked the same way everywhere so each key's message reads alike:
 * "rate must be a number > 0 and at most 1000000, got 0". A problem keeps the key it is about,
 * apart from its message, so the caller can prefix it ("[arrival]", `u.mjs: "arrival"`) and find
 * the line that sets it.
 */

/** One problem with one key: `key` is the key's name in its table (or '' for the table itself). */
export interface KeyProblem {
  key: string;
  /** Starts with the key's name: "rate must be a number > 0, got 0". */
  message: string;
}

export interface NumberRule {
  /** Smallest accepted value; with `above`, the value must be strictly greater. */
  min: number;
  above?: boolean;
  /** Largest accepted value (every rule has one: an absurd size is refused, not attempted). */
  max: number;
  /** Whole numbers only. */
  whole?: boolean;
}

/** What the user wrote, as a message shows it: TOML spells NaN and infinity `nan` and `inf`. */
export function describeValue(value: unknown): string {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'nan';
    if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
    return String(value);
  }
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a date';
  if (value === null || value === undefined) return 'nothing';
  return typeof value === 'object' ? 'a table' : typeof value;
}

/** "a whole number from 32 to 16384", "a number > 0 and at most 1000000", "a number from 0 to 1". */
export function ruleText(rule: NumberRule): string {
  if (rule.whole) return `a whole number from ${rule.above ? rule.min + 1 : rule.min} to ${rule.max}`;
  if (rule.above) return `a number > ${rule.min} and at most ${rule.max}`;
  return `a number from ${rule.min} to ${rule.max}`;
}

/** Null when `value` is a finite number within the rule; otherwise the key's problem. */
export function checkNumber(key: string, value: unknown, rule: NumberRule): KeyProblem | null {
  const ok = typeof value === 'number' && Number.isFinite(value) && (rule.above ? value > rule.min : value >= rule.min) &&
    value <= rule.max && (!rule.whole || Number.isInteger(value));
  return ok ? null : { key, message: `${key} must be ${ruleText(rule)}, got ${describeValue(value)}` };
}
