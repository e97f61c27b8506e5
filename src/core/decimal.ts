/**
 * A number as a person types one on a command line: digits, an optional sign, fraction and
 * exponent (`50`, `0.5`, `-1`, `2e3`). Anything else is NaN, so checks refuse it by name. Why not
 * Number(): it reads '' and ' ' as 0 and '0x10', '0b11' or '0o7' as other numbers than typed.
 */
const DECIMAL = /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i;

export function parseDecimal(text: string): number {
  return DECIMAL.test(text) ? Number(text) : Number.NaN;
}
