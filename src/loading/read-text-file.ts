/**
 * Reads a text file the user named (a config file, a TOML scenario, a trace). Each way the path can
 * be the wrong thing is one line naming it: missing, a directory (was "internal error: EISDIR",
 * exit 3, or "not found"), not a regular file (a FIFO would block the read forever), too big, or
 * not text at all (a binary file was printed back as mojibake). A UTF-8 byte-order mark is dropped.
 */
import { readFileSync, statSync, type Stats } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { ConfigError } from '../core/errors.js';

export interface TextFileRole {
  /** What the file is for, in messages: "config file", "scenario file", "trace file". */
  kind: string;
  /** The path as the user wrote it (or as brood found it), for messages. */
  shown: string;
  /** The flag that named it ("--config"), when the message should say so. */
  flag?: string;
  /** Largest size accepted, bytes. */
  maxBytes: number;
}

function statOf(path: string, role: TextFileRole): Stats {
  try {
    return statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ConfigError('TEST_FILE_MISSING', `${role.kind} not found: ${role.shown}`);
    throw new ConfigError('TEST_FILE_MISSING', `${role.kind} ${role.shown} cannot be read (${code ?? 'unknown error'})`);
  }
}

/** The first line holding a byte that is not text (0x0a never occurs inside a UTF-8 sequence, so lines split cleanly). */
function badLine(bytes: Buffer): number {
  let line = 1;
  for (let from = 0; from <= bytes.length; line++) {
    const end = bytes.indexOf(10, from);
    const part = bytes.subarray(from, end < 0 ? bytes.length : end);
    if (part.includes(0) || !isUtf8(part)) return line;
    if (end < 0) break;
    from = end + 1;
  }
  return line;
}

function bytesText(n: number): string {
  return n >= 1048576 ? `${(n / 1048576).toFixed(1)} MiB` : `${n} bytes`;
}

function nodeType(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  return 'a special file';
}

/** The file's text; a ConfigError (one line, exit 2) when it is not a readable text file. */
export function readTextFile(path: string, role: TextFileRole): string {
  const named = role.flag ? `${role.flag} ${role.shown}` : role.shown;
  const stats = statOf(path, role);
  if (stats.isDirectory()) throw new ConfigError('BAD_ARGUMENT', `${named} is a directory, not a ${role.kind}`);
  if (!stats.isFile()) throw new ConfigError('BAD_ARGUMENT', `${named} is ${nodeType(stats)}, not a ${role.kind}`);
  if (stats.size > role.maxBytes) {
    throw new ConfigError('BAD_ARGUMENT', `${named} is ${bytesText(stats.size)}: too big for a ${role.kind} (at most ${bytesText(role.maxBytes)})`);
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new ConfigError('TEST_FILE_MISSING', `${role.kind} ${role.shown} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'unknown error'})`);
  }
  if (bytes.includes(0) || !isUtf8(bytes)) {
    throw new ConfigError('BAD_ARGUMENT', `${role.shown} is not a text ${role.kind} (binary data or not UTF-8 at line ${badLine(bytes)})`);
  }
  const text = bytes.toString('utf8');
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}
