/**
 * A value as an error message shows it ("got …"): a string quoted, null, undefined, numbers,
 * booleans and bigints as written, anything else by its type only ("a function"), so that a
 * message never calls a value's own toString (user code that could throw there).
 */
export function shownValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'undefined' || typeof value === 'bigint') return String(value);
  return `a ${typeof value}`;
}
