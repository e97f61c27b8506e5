/**
 * CSV text exactly as Locust writes it (Python's csv writer: comma, minimal quoting with "" for a
 * quote, CRLF after each record) plus spreadsheet-formula neutralisation for untrusted text.
 */
import { stringify } from 'csv-stringify/sync';

/** One CSV record; every cell already formatted as text (numbers are formatted by the caller). */
export type CsvRecord = readonly string[];

/** Python's csv.writer defaults: a field is quoted only when it holds a comma, a quote, CR or LF. */
export function toCsv(records: readonly CsvRecord[]): string {
  if (records.length === 0) return '';
  return stringify(records.map((r) => [...r]), {
    delimiter: ',',
    quote: '"',
    escape: '"',
    record_delimiter: '\r\n',
    // With a custom record delimiter csv-stringify stops quoting a lone LF or CR by default;
    // Python quotes any cell containing either (a traceback's line breaks must stay inside its cell).
    quote_record_delimiter: true,
    quoted: false,
    quoted_empty: false,
    // We neutralise formulas ourselves, only in text cells: csv-stringify's option would also
    // touch numbers we pre-format as strings (a negative custom metric such as "-5").
    escape_formulas: false,
    eof: true,
  });
}

// Characters a spreadsheet treats as the start of a formula (and the full-width forms some of them
// normalise from); tab and CR are in OWASP's list because some importers strip them first.
const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']);

/**
 * A text cell whose content came from the network or from test code (names, errors, messages,
 * tracebacks): a leading formula character gets a single quote in front, so Excel, LibreOffice and
 * Google Sheets show the text instead of evaluating it (OWASP "CSV injection"). Never for numbers.
 */
export function safeText(value: string): string {
  const first = value[0];
  return first !== undefined && FORMULA_START.has(first) ? `'${value}` : value;
}
