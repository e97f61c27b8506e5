/**
 * A parsed CSV file addressed by column name, as Locust's and brood's files are read: the header
 * is checked once for the columns a reader needs, every row has the header's width, and each cell
 * is converted with an error that names the file, the line and the column.
 */
import { unguardedText } from '../src/report/formula-guard.js';
import { AnalyzeError } from './analyze-error.js';
import { parseCsv, type CsvRecordAt } from './csv-parse.js';
import { readTextFile } from './read-text-file.js';

export interface CsvTable {
  file: string;
  header: readonly string[];
  rows: readonly CsvRow[];
}

export class CsvRow {
  constructor(
    private readonly table: { file: string; index: ReadonlyMap<string, number> },
    readonly line: number,
    private readonly cells: readonly string[],
  ) {}

  get file(): string {
    return this.table.file;
  }

  has(column: string): boolean {
    return this.table.index.has(column);
  }

  /** Raw text of a column; '' when the file has no such column. */
  text(column: string): string {
    const i = this.table.index.get(column);
    return i === undefined ? '' : (this.cells[i] ?? '');
  }

  /** Untrusted text written by brood with a leading `'` against spreadsheet formulas: the original text. */
  name(column: string): string {
    return unguardedText(this.text(column));
  }

  /** A finite number; "N/A" (Locust's "no value") and '' give null when `nullable`. */
  number(column: string, nullable: true): number | null;
  number(column: string, nullable?: false): number;
  number(column: string, nullable = false): number | null {
    const t = this.text(column).trim();
    if (nullable && (t === 'N/A' || t === '' || !this.has(column))) return null;
    const n = Number(t);
    if (t === '' || !Number.isFinite(n)) {
      throw new AnalyzeError('BAD_CSV', `${this.table.file} line ${this.line}, column "${column}": "${t.slice(0, 40)}" is not a number`);
    }
    return n;
  }

  /** A count: a non-negative whole number. */
  count(column: string): number {
    const n = this.number(column);
    if (!Number.isInteger(n) || n < 0) {
      throw new AnalyzeError('BAD_CSV', `${this.table.file} line ${this.line}, column "${column}": ${n} is not a count`);
    }
    return n;
  }
}

/**
 * Reads `file` and checks that its header has every `required` column (`kind` names the file type
 * in the error: "stats CSV") and that every row is as wide as the header.
 */
export function readCsvTable(file: string, required: readonly string[], kind: string): CsvTable {
  const text = readTextFile(file);
  if (text.trim() === '') throw new AnalyzeError('NOT_RESULT_FILE', `${file}: empty file, expected a ${kind}`);
  return csvTable(parseCsv(text, file), file, required, kind);
}

export function csvTable(records: readonly CsvRecordAt[], file: string, required: readonly string[], kind: string): CsvTable {
  const [head, ...body] = records;
  const header = head?.cells ?? [];
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new AnalyzeError('NOT_RESULT_FILE', `${file}: not a ${kind} (header lacks ${missing.map((m) => `"${m}"`).join(', ')})`);
  }
  const index = new Map(header.map((h, i) => [h, i] as const));
  const ctx = { file, index };
  const rows = body.map((r) => {
    if (r.cells.length !== header.length) {
      throw new AnalyzeError(
        'BAD_CSV',
        `${file} line ${r.line}: ${r.cells.length} cells where the header has ${header.length} (truncated or not a ${kind})`,
      );
    }
    return new CsvRow(ctx, r.line, r.cells);
  });
  return { file, header, rows };
}
