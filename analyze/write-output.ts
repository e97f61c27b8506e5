/** Writes a report file, creating its directory; a failure is a one-line AnalyzeError. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AnalyzeError, fsReason } from './analyze-error.js';

export function writeOutput(path: string, text: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  } catch (err: unknown) {
    throw new AnalyzeError(`cannot write ${path}: ${fsReason(err)}`);
  }
}
