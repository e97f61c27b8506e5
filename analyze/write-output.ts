/** Writes a report file, creating its directory; a failure is a one-line AnalyzeError. */
import { writeFileSync } from 'node:fs';
import { makeDirectories } from '../src/report/make-directories.js';
import { dirname } from 'node:path';
import { AnalyzeError, fsReason } from './analyze-error.js';

export function writeOutput(path: string, text: string): void {
  try {
    makeDirectories(dirname(path));
    writeFileSync(path, text);
  } catch (err: unknown) {
    throw new AnalyzeError('OUTPUT_NOT_WRITABLE', `cannot write ${path}: ${fsReason(err)}`);
  }
}
