/**
 * Plain string order (UTF-16 code units), as Locust's Python sort gives for everyday names, rather than
 * localeCompare: results must not depend on the machine's locale.
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
