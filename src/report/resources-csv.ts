/**
 * PREFIX_resources.csv (issue 23): one row per history interval per monitored source, appended
 * with a synchronous write as each reading lands, so kill -9 loses none already taken. Timestamps
 * are the stats_history rows' own: the two files join on Timestamp.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { BYTES_PER_MB, type ResourceSample, type SourceInfo } from '../monitor/resource-sample.js';
import { toCsv, type CsvRecord } from './csv-cell.js';
import { safeText } from './formula-guard.js';

export const RESOURCES_CSV_HEADER: CsvRecord = ['Timestamp', 'Elapsed (s)', 'User Count', 'Source', 'RSS MB', 'CPU %', 'Threads', 'Open Files', 'Gap'];

const cell = (v: number | null, digits: number | null = null): string => (v === null || !Number.isFinite(v) ? '' : digits === null ? String(v) : v.toFixed(digits));

/** One sample as a CSV record; an empty cell is "not measured", a Gap cell says why. */
export function resourcesRow(s: ResourceSample, sources: readonly SourceInfo[], metricCount: number): CsvRecord {
  const metrics = Array.from({ length: metricCount }, (_, k) => cell(s.metrics[k] ?? null));
  return [
    String(s.timestamp), s.elapsedSec.toFixed(3), String(s.userCount), safeText(sources[s.source]?.name ?? ''),
    cell(s.rssBytes === null ? null : s.rssBytes / BYTES_PER_MB, 3), cell(s.cpuPercent, 1), cell(s.threads), cell(s.openFiles),
    s.gap === null ? '' : safeText(s.gap), ...metrics,
  ];
}

export class ResourcesCsvWriter {
  readonly path: string;
  readonly #sources: readonly SourceInfo[];
  readonly #metricNames: readonly string[];
  #fd: number | null;

  /** Starts the file afresh (a second run with the same prefix does not add to the first's). */
  constructor(path: string, sources: readonly SourceInfo[], metricNames: readonly string[]) {
    this.path = path;
    this.#sources = sources;
    this.#metricNames = metricNames;
    this.#fd = openSync(path, 'w');
    this.#write(toCsv([[...RESOURCES_CSV_HEADER, ...metricNames.map(safeText)]]));
  }

  append(samples: readonly ResourceSample[]): void {
    if (samples.length === 0) return;
    this.#write(toCsv(samples.map((s) => resourcesRow(s, this.#sources, this.#metricNames.length))));
  }

  /** Idempotent. */
  close(): void {
    if (this.#fd === null) return;
    const fd = this.#fd;
    this.#fd = null;
    closeSync(fd);
  }

  #write(text: string): void {
    if (this.#fd === null) return;
    const buf = Buffer.from(text, 'utf8');
    let offset = 0;
    while (offset < buf.length) offset += writeSync(this.#fd, buf, offset, buf.length - offset);
  }
}
