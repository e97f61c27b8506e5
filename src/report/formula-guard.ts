/**
 * The spreadsheet-formula rule of brood's CSVs, in one place for both sides: the writers
 * (src/report/*-csv.ts) put a single quote in front of untrusted text that a spreadsheet would
 * evaluate (OWASP "CSV injection"), and analyze/ takes it off again when it reads the files back.
 * No imports: analyze/ loads this without the CSV writer.
 */

/**
 * Characters a spreadsheet treats as the start of a formula, and the full-width forms some of
 * them normalise from; tab and CR are in OWASP's list because some importers strip them first.
 */
export const FORMULA_START_CHARS: readonly string[] = Object.freeze(['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']);

const FORMULA_START = new Set(FORMULA_START_CHARS);
const GUARD = "'";

/**
 * A text cell whose content came from the network or from test code (names, errors, messages,
 * tracebacks): a leading formula character gets a single quote in front, so Excel, LibreOffice and
 * Google Sheets show the text instead of evaluating it. Never for numbers ("-5" must stay a number).
 */
export function safeText(value: string): string {
  const first = value[0];
  return first !== undefined && FORMULA_START.has(first) ? `${GUARD}${value}` : value;
}

/**
 * The text safeText was given, from the cell it wrote: the guard comes off only where safeText
 * would have put it (a quote followed by a formula character). Text that itself began that way
 * (rare; Locust's own files never add the guard) comes back one quote short: the cell alone cannot
 * tell the two apart.
 */
export function unguardedText(cell: string): string {
  const second = cell[1];
  return cell[0] === GUARD && second !== undefined && FORMULA_START.has(second) ? cell.slice(1) : cell;
}
