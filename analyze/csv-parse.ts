/**
 * The CSV files Locust and brood write (Python's csv writer: comma, minimal quoting, "" for a
 * quote, CRLF; quoted cells may hold CR/LF, as tracebacks do), read with csv-parse, the reading
 * half of the csv-stringify that writes them. What this adds: each record's line, and errors that
 * name the file and the line. csv-parse's own line count is off inside quoted cells (a CRLF there
 * counts twice), so lines are counted here, from byte offsets.
 */
import { CsvError, parse, type Options } from 'csv-parse/sync';
import { AnalyzeError } from './analyze-error.js';

export interface CsvRecordAt {
  /** 1-based line where the record starts, for error messages. */
  line: number;
  cells: string[];
}

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

const OPTIONS: Options = {
  // Python's reader ends a record at any of the three, even mixed in one file.
  record_delimiter: ['\r\n', '\n', '\r'],
  // csvTable reports a short or long row with the header's width; csv-parse would stop at the first.
  relax_column_count: true,
  // Blank lines come through as [''] and are dropped below, so every record starts where the last ended.
  skip_empty_lines: false,
};

/**
 * 1-based line of byte offsets asked for in increasing order. A line ends at each LF (a CRLF
 * counts once) and at a lone CR that ends a record (old Mac files); a lone CR inside a quoted cell
 * is text, not a line end.
 */
class LineCounter {
  #lf = 0;
  #at = 0;
  #crRecordEnds = 0;
  constructor(private readonly bytes: Uint8Array) {}

  lineAt(offset: number): number {
    for (; this.#at < offset; this.#at++) if (this.bytes[this.#at] === LF) this.#lf++;
    return 1 + this.#lf + this.#crRecordEnds;
  }

  /** A record ended just before `end` (its record delimiter included). */
  recordEnded(end: number): void {
    if (this.bytes[end - 1] === CR) this.#crRecordEnds++;
  }
}

/** A blank line is not a record (Python's reader skips it too). */
function isBlank(cells: readonly string[]): boolean {
  return cells.length === 1 && cells[0] === '';
}

/**
 * Where the quoted cell that never ends opens: past its opening quote every quote is half of a ""
 * pair (a lone one would have closed the cell or been an error), so it is the start of the last
 * run of quotes of odd length.
 */
function unclosedQuoteAt(bytes: Uint8Array, from: number): number {
  let i = bytes.length - 1;
  while (i >= from) {
    if (bytes[i] !== QUOTE) { i--; continue; }
    let start = i;
    while (start > from && bytes[start - 1] === QUOTE) start--;
    if ((i - start + 1) % 2 === 1) return start;
    i = start - 1;
  }
  return from;
}

/**
 * The offset of the quote csv-parse stopped at in the record starting at `recordStart`: the record
 * is parsed again with its raw text kept (only now: raw text for every record would double the
 * work), and the raw text of the failing record ends with that quote.
 */
function badQuoteAt(bytes: Uint8Array, recordStart: number): number {
  try {
    parse(bytes.subarray(recordStart), { ...OPTIONS, raw: true });
  } catch (err: unknown) {
    const raw = err instanceof CsvError ? err['raw'] : undefined;
    if (typeof raw === 'string' && raw !== '') return recordStart + Buffer.byteLength(raw) - 1;
  }
  return recordStart;
}

function csvProblem(err: CsvError, bytes: Uint8Array, recordStart: number, lines: LineCounter, file: string): AnalyzeError {
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED': {
      const line = lines.lineAt(unclosedQuoteAt(bytes, recordStart));
      return new AnalyzeError('BAD_CSV', `${file}: quoted cell starting at line ${line} never ends (file truncated?)`);
    }
    case 'CSV_INVALID_CLOSING_QUOTE': {
      const line = lines.lineAt(badQuoteAt(bytes, recordStart));
      return new AnalyzeError('BAD_CSV', `${file} line ${line}: unexpected text after a closing quote`);
    }
    case 'INVALID_OPENING_QUOTE': {
      const line = lines.lineAt(badQuoteAt(bytes, recordStart));
      return new AnalyzeError('BAD_CSV', `${file} line ${line}: a quote inside an unquoted cell (a cell with quotes is quoted whole)`);
    }
    default:
      return new AnalyzeError('BAD_CSV', `${file} line ${lines.lineAt(recordStart)}: not CSV (${err.message})`);
  }
}

/** Parses CSV text into records. Throws AnalyzeError (naming `file` and the line) on a malformed quote. */
export function parseCsv(text: string, file: string): CsvRecordAt[] {
  const bytes = Buffer.from(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, 'utf8');
  const lines = new LineCounter(bytes);
  const records: CsvRecordAt[] = [];
  let recordStart = 0;
  try {
    parse(bytes, {
      ...OPTIONS,
      // Records are collected here, with their line; csv-parse keeps none of its own.
      on_record: (cells, info) => {
        const line = lines.lineAt(recordStart);
        recordStart = info.bytes;
        lines.recordEnded(recordStart);
        if (!isBlank(cells)) records.push({ line, cells });
        return null;
      },
    });
    return records;
  } catch (err: unknown) {
    if (err instanceof CsvError) throw csvProblem(err, bytes, recordStart, lines, file);
    throw err;
  }
}
