/** Reading one input file of analyze-results (CSV, JSON or a targets file) as text. */
import { readFileSync } from 'node:fs';
import { AnalyzeError, fsReason } from './analyze-error.js';

/** Reads a file as UTF-8 text, refusing binary data with a one-line reason. */
export function readTextFile(path: string): string {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err: unknown) {
    throw new AnalyzeError('FILE_UNREADABLE', `cannot read ${path}: ${fsReason(err)}`);
  }
  if (buf.includes(0)) throw new AnalyzeError('NOT_TEXT', `${path}: binary data, not a CSV/JSON text file`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw new AnalyzeError('NOT_TEXT', `${path}: not UTF-8 text`);
  }
}
