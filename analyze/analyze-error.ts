/**
 * The one error analyze/ throws on purpose: unreadable or malformed input, or bad usage. The CLI
 * prints its message as a single `error: …` line and exits 2; anything else is a bug (exit 3).
 */

/** What went wrong, stable for callers to match on (README "Error codes"); a code is only ever added. */
export const AnalyzeErrorCodes = Object.freeze({
  /** A file cannot be read: missing, a directory, no permission. */
  FILE_UNREADABLE: 'FILE_UNREADABLE',
  /** A file is binary or not UTF-8 text. */
  NOT_TEXT: 'NOT_TEXT',
  /** Nothing at the path given names a run (no PREFIX_stats.csv, no PREFIX.json). */
  NO_RUN: 'NO_RUN',
  /** A file is empty, or its header lacks a column its kind has (not a stats CSV, say). */
  NOT_RESULT_FILE: 'NOT_RESULT_FILE',
  /** A CSV is malformed: a bad quote, a row narrower or wider than the header, a cell that is not a number, no Aggregated row. */
  BAD_CSV: 'BAD_CSV',
  /** A run's JSON, or a targets file, is not JSON or not what it should hold. */
  BAD_JSON: 'BAD_JSON',
  /** A targets file holds a target that is not valid. */
  BAD_TARGET: 'BAD_TARGET',
  /** A run has no requests where a number needs some (a point of the capacity curve). */
  NO_REQUESTS: 'NO_REQUESTS',
  /** A bad option value, or too few runs for the command. */
  BAD_USAGE: 'BAD_USAGE',
  /** An output file cannot be written. */
  OUTPUT_NOT_WRITABLE: 'OUTPUT_NOT_WRITABLE',
} as const);

export type AnalyzeErrorCode = (typeof AnalyzeErrorCodes)[keyof typeof AnalyzeErrorCodes];

export class AnalyzeError extends Error {
  readonly code: AnalyzeErrorCode;
  constructor(code: AnalyzeErrorCode, message: string) {
    // One line, always: a message built from a file's content must not span lines.
    super(message.replace(/[\r\n]+/g, ' '));
    this.name = 'AnalyzeError';
    this.code = code;
  }
}

/** The reason an fs call failed, short ("ENOENT: no such file or directory"). */
export function fsReason(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'no such file';
    if (code === 'EISDIR') return 'is a directory';
    if (code === 'EACCES') return 'permission denied';
    return code ?? err.message;
  }
  return String(err);
}
