/**
 * CSV text exactly as Locust writes it (Python's csv writer: comma, minimal quoting with "" for a
 * quote, CRLF after each record). Untrusted text cells go through safeText (formula-guard.ts) first.
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
    // Formulas are neutralised by safeText (formula-guard.ts), in text cells only: csv-stringify's
    // option would also touch numbers we pre-format as strings (a negative custom metric such as "-5").
    escape_formulas: false,
    eof: true,
  });
}
