/**
 * PREFIX_resources.csv (issue 23, src/report/resources-csv.ts) → the readings of the watched system
 * under test: one row per history interval per source, an empty cell for "not measured", a Gap
 * cell for why a reading is missing, then one column per --monitor-metric series. Every cell is
 * checked: a bad one is one error naming FILE:LINE.
 */
import { BYTES_PER_MB, type ResourceSample, type SourceInfo } from '../src/monitor/resource-sample.js';
import { unguardedText } from '../src/report/formula-guard.js';
import { AnalyzeError } from './analyze-error.js';
import { parseCsv } from './csv-parse.js';
import { readTextFile } from './read-text-file.js';

/** The fixed columns, in the writer's order; the --monitor-metric series follow Gap. */
const COLUMNS = ['Timestamp', 'Elapsed (s)', 'User Count', 'Source', 'RSS MB', 'CPU %', 'Threads', 'Open Files', 'Gap'] as const;

export interface ResourcesFile {
  sources: SourceInfo[];
  samples: ResourceSample[];
  metricNames: string[];
}

/** A PID source's name is "pid 4242 (node)" (pid-source.ts); every other source is a scrape. */
function sourceKind(name: string): SourceInfo['kind'] {
  return /^pid \d+/.test(name) ? 'pid' : 'url';
}

class ResourcesRow {
  constructor(private readonly at: string, private readonly header: readonly string[], private readonly cells: readonly string[]) {}

  text(i: number): string {
    return this.cells[i] ?? '';
  }

  /** A finite number, or null for an empty cell ("not measured") when `nullable`. */
  number(i: number, nullable: boolean): number | null {
    const t = this.text(i).trim();
    if (t === '' && nullable) return null;
    const n = Number(t);
    if (t === '' || !Number.isFinite(n)) throw new AnalyzeError('BAD_CSV', `${this.at}: column "${this.column(i)}": "${t.slice(0, 40)}" is not a number`);
    return n;
  }

  /** A whole number ≥ 0, or null for an empty cell when `nullable`. */
  count(i: number, nullable: boolean): number | null {
    const n = this.number(i, nullable);
    if (n !== null && (!Number.isInteger(n) || n < 0)) throw new AnalyzeError('BAD_CSV', `${this.at}: column "${this.column(i)}": ${n} is not a count`);
    return n;
  }

  column(i: number): string {
    return unguardedText(this.header[i] ?? '');
  }
}

export function readResourcesCsv(file: string): ResourcesFile {
  const text = readTextFile(file);
  if (text.trim() === '') throw new AnalyzeError('NOT_RESULT_FILE', `${file}: empty file, expected a brood resources CSV`);
  const [head, ...body] = parseCsv(text, file);
  const header = head?.cells ?? [];
  if (COLUMNS.some((c, i) => header[i] !== c)) {
    throw new AnalyzeError('NOT_RESULT_FILE', `${file}: not a brood resources CSV (its header must start ${COLUMNS.join(',')})`);
  }
  const metricNames = header.slice(COLUMNS.length).map(unguardedText);
  const sources: SourceInfo[] = [];
  const index = new Map<string, number>();
  const samples = body.map((record) => {
    const at = `${file}:${record.line}`;
    if (record.cells.length !== header.length) {
      throw new AnalyzeError('BAD_CSV', `${at}: ${record.cells.length} cells where the header has ${header.length} (truncated or not a brood resources CSV)`);
    }
    const row = new ResourcesRow(at, header, record.cells);
    const name = unguardedText(row.text(3));
    if (name === '') throw new AnalyzeError('BAD_CSV', `${at}: column "Source" is empty`);
    let source = index.get(name);
    if (source === undefined) {
      source = sources.push({ name, kind: sourceKind(name) }) - 1;
      index.set(name, source);
    }
    return sampleOf(row, source, metricNames.length);
  });
  return { sources, samples, metricNames };
}

function sampleOf(row: ResourcesRow, source: number, metricCount: number): ResourceSample {
  const rssMb = row.number(4, true);
  const gap = unguardedText(row.text(8));
  return {
    timestamp: row.number(0, false) as number,
    elapsedSec: row.number(1, false) as number,
    userCount: row.count(2, false) as number,
    source,
    rssBytes: rssMb === null ? null : rssMb * BYTES_PER_MB,
    cpuPercent: row.number(5, true),
    threads: row.count(6, true),
    openFiles: row.count(7, true),
    metrics: Array.from({ length: metricCount }, (_, k) => row.number(COLUMNS.length + k, true)),
    gap: gap === '' ? null : gap,
  };
}
