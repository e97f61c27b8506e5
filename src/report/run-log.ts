/**
 * The run's .log file: timestamped lines appended with synchronous writes, so the log is on disk
 * up to the last line whatever ends the process. Messages may carry network text: control
 * characters are stripped and continuation lines indented, so every record starts with "[".
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { stripControlMultiline } from './console-text.js';

export const LOG_LEVELS = ['debug', 'info', 'warning', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Case-insensitive, accepting Locust's spellings (WARNING, CRITICAL) and "warn"; null if unknown. */
export function parseLogLevel(text: string): LogLevel | null {
  const t = text.trim().toLowerCase();
  if (t === 'warn') return 'warning';
  if (t === 'critical') return 'error';
  return (LOG_LEVELS as readonly string[]).includes(t) ? (t as LogLevel) : null;
}

export interface RunLogOptions {
  /** Lines below this level are dropped. Default "info". */
  level?: LogLevel;
  /** Wall clock in epoch ms; injectable for tests. */
  now?: () => number;
  /** Each line as written (the web UI's Logs tab), after the level filter. */
  onLine?: (line: string) => void;
}

export function formatLogLine(wallMs: number, level: LogLevel, message: string): string {
  const body = stripControlMultiline(message).trimEnd().replace(/\n/g, '\n    ');
  return `[${new Date(wallMs).toISOString()}] ${level.toUpperCase()} ${body}\n`;
}

export class RunLog {
  readonly path: string;
  readonly level: LogLevel;
  readonly #now: () => number;
  readonly #onLine: ((line: string) => void) | null;
  #fd: number | null;

  constructor(path: string, options: RunLogOptions = {}) {
    this.path = path;
    this.level = options.level ?? 'info';
    this.#now = options.now ?? Date.now;
    this.#onLine = options.onLine ?? null;
    this.#fd = openSync(path, 'a');
  }

  enabled(level: LogLevel): boolean {
    return LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(this.level);
  }

  /** Lines logged after close() are dropped: late shutdown messages must not crash the exit path. */
  log(level: LogLevel, message: string): void {
    if (this.#fd === null || !this.enabled(level)) return;
    const line = formatLogLine(this.#now(), level, message);
    const buf = Buffer.from(line, 'utf8');
    let offset = 0;
    while (offset < buf.length) offset += writeSync(this.#fd, buf, offset, buf.length - offset);
    this.#onLine?.(line);
  }

  debug(message: string): void {
    this.log('debug', message);
  }

  info(message: string): void {
    this.log('info', message);
  }

  warning(message: string): void {
    this.log('warning', message);
  }

  error(message: string): void {
    this.log('error', message);
  }

  close(): void {
    if (this.#fd === null) return;
    const fd = this.#fd;
    this.#fd = null;
    closeSync(fd);
  }
}
