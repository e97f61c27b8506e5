/**
 * The one error analyze/ throws on purpose: unreadable or malformed input, or bad usage. The CLI
 * prints its message as a single `error: …` line and exits 2; anything else is a bug (exit 3).
 */
export class AnalyzeError extends Error {
  constructor(message: string) {
    // One line, always: a message built from a file's content must not span lines.
    super(message.replace(/[\r\n]+/g, ' '));
    this.name = 'AnalyzeError';
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
