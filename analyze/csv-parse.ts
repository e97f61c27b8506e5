/**
 * A small RFC 4180 reader for the CSV files Locust and brood write (Python's csv writer: comma,
 * minimal quoting, "" for a quote, CRLF; quoted cells may hold CR/LF, as tracebacks do). There is
 * no CSV parsing dependency, and the files are small enough to parse whole.
 */
import { readFileSync } from 'node:fs';
import { AnalyzeError, fsReason } from './analyze-error.js';

export interface CsvRecordAt {
  /** 1-based line where the record starts, for error messages. */
  line: number;
  cells: string[];
}

/** Parses CSV text into records. Throws AnalyzeError (naming `file`) on an unterminated quote or stray quote. */
export function parseCsv(text: string, file: string): CsvRecordAt[] {
  const records: CsvRecordAt[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let recordLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = (): void => {
    cells.push(cell);
    // A blank line is not a record (Python's reader skips it too).
    if (!(cells.length === 1 && cells[0] === '')) records.push({ line: recordLine, cells });
    cells = [];
    cell = '';
  };
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"' && cell === '') {
      const start = line;
      i++;
      for (;;) {
        if (i >= text.length) throw new AnalyzeError(`${file}: quoted cell starting at line ${start} never ends (file truncated?)`);
        const q = text[i];
        if (q === '"') {
          if (text[i + 1] === '"') { cell += '"'; i += 2; continue; }
          i++;
          break;
        }
        if (q === '\n') line++;
        cell += q;
        i++;
      }
      const next = text[i];
      if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n') {
        throw new AnalyzeError(`${file} line ${line}: unexpected text after a closing quote`);
      }
      // An empty quoted cell ("") must still count as a cell even though `cell` is empty.
      if (next === undefined) { endRecord(); recordLine = line; }
      continue;
    }
    if (ch === ',') { cells.push(cell); cell = ''; i++; continue; }
    if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    cell += ch;
    i++;
  }
  if (cell !== '' || cells.length > 0) endRecord();
  return records;
}

/** Reads a file as UTF-8 text, refusing binary data with a one-line reason. */
export function readTextFile(path: string): string {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err: unknown) {
    throw new AnalyzeError(`cannot read ${path}: ${fsReason(err)}`);
  }
  if (buf.includes(0)) throw new AnalyzeError(`${path}: binary data, not a CSV/JSON text file`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw new AnalyzeError(`${path}: not UTF-8 text`);
  }
}
