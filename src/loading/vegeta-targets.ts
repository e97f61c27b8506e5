/**
 * Vegeta's targets files (`vegeta attack -targets=… -format=http|json`, issue 22), read as Vegeta
 * reads them (tsenart/vegeta lib/targets.go, lib/target.schema.json, README "-format"), so a file
 * written for Vegeta means the same here. Where Vegeta takes a file and then sends something other
 * than it says, or fails on every request instead of at load, brood stops at load with file:line:
 * those places say "Stricter than Vegeta". Every problem of a file comes back at once (STYLE rule 8).
 */
import { closeSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigError, ConfigErrors } from '../core/errors.js';
import { readTextFile } from './read-text-file.js';
import { addHeader, checkMethod, checkUrl, MAX_PROBLEMS, q, report, standIn, type ParseContext, type VegetaTarget, type VegetaTargetsFormat } from './vegeta-target-rules.js';
import { JSON_EXAMPLE, parseJsonLines } from './vegeta-targets-json.js';

export type { VegetaTarget, VegetaTargetsFormat } from './vegeta-target-rules.js';

const MIB = 1024 * 1024;
/** Vegeta has no limit; this is far past any written or generated file, and stops a wrong path early. */
const MAX_TARGETS_BYTES = 64 * MIB;
const MAX_BODY_BYTES = 64 * MIB;

/** Vegeta's test for a line that starts a target (startsWithHTTPMethod): upper-case letters, then a space. */
const TARGET_LINE = /^[A-Z]+\s/;

/** `text` is the whole file; `file` the path as the user wrote it; `baseDir` where @body paths resolve. */
export function parseVegetaTargets(text: string, format: VegetaTargetsFormat, file: string, baseDir: string): VegetaTarget[] {
  if (format !== 'http' && format !== 'json') {
    throw new ConfigError('BAD_ARGUMENT', `targets format ${q(String(format))} is not one of Vegeta's: http or json`);
  }
  const ctx: ParseContext = { file, baseDir, problems: [], bodies: new Map() };
  // Splitting at \n and trimming each line drops a \r: CRLF files read as LF ones, as in Vegeta.
  const lines = text.split('\n');
  const targets = format === 'json' ? parseJsonLines(lines, ctx) : parseHttpLines(lines, ctx);
  if (ctx.problems.length === 0 && targets.length === 0) {
    const expected = format === 'json' ? `one JSON object per line, e.g. ${JSON_EXAMPLE}` : 'at least one "METHOD URL" line, e.g. "GET https://example.com/"';
    report(ctx, 1, `${text.trim() === '' ? 'the file is empty' : 'no targets in the file'}: expected ${expected}`);
  }
  if (ctx.problems.length > 0) throw new ConfigErrors(ctx.problems);
  return targets;
}

/**
 * Reads a targets file (--targets, or a suite file's `targets`) and parses it; @body paths resolve
 * against the file's directory. `named`: the path as messages show it and what named the file.
 */
export function loadVegetaTargets(path: string, format: VegetaTargetsFormat, named: { shown: string; by: string } = { shown: path, by: '--targets' }): VegetaTarget[] {
  const text = readTextFile(path, { kind: 'targets file', shown: named.shown, flag: named.by, maxBytes: MAX_TARGETS_BYTES });
  return parseVegetaTargets(text, format, named.shown, dirname(resolve(path)));
}

// ---- http format ----

/**
 * Where a line falls. A target line may follow its previous target's line or @body line directly
 * (Vegeta peeks for one there); after a header or comment Vegeta would read it as a header.
 * 'strayHeaders' follows a header line outside any target: the lines after it are checked, but
 * only that first one is reported, and the next target line needs no blank line (as in Vegeta).
 */
type Place = 'between' | 'afterTargetLine' | 'inHeaders' | 'afterBody' | 'strayHeaders';

/** Differs from Vegeta, whose line scanner silently stops at a line over 64 KiB: here every line counts. */
function parseHttpLines(lines: string[], ctx: ParseContext): VegetaTarget[] {
  const targets: VegetaTarget[] = [];
  let place: Place = 'between';
  // Header and @body lines of a target whose first line was wrong are still checked, on a stand-in.
  let current = standIn(0);
  for (let i = 0; i < lines.length && ctx.problems.length < MAX_PROBLEMS; i++) {
    const n = i + 1;
    const line = (lines[i] ?? '').trim();
    if (line === '') {
      place = 'between';
    } else if (line.startsWith('#')) {
      if (place === 'afterTargetLine') place = 'inHeaders';
    } else if (line.startsWith('@')) {
      bodyLine(line, n, place, current, ctx);
      place = 'afterBody';
    } else if (place === 'between' || TARGET_LINE.test(line)) {
      // Stricter than Vegeta: it turns `POST http://x` after a header into a header named "POST http".
      if (place === 'inHeaders') report(ctx, n, `a target line after headers or comments needs a blank line before it: ${q(line)}`);
      const started = targetLine(line, n, place, ctx);
      current = started.target;
      place = started.place;
      if (started.ok) targets.push(current);
    } else if (place === 'afterBody') {
      // Vegeta reads this line as the next target and fails with "bad method".
      report(ctx, n, `header after the @body line: the @body line must be its target's last line, got ${q(line)}`);
    } else {
      headerLine(line, n, current, ctx);
      if (place !== 'strayHeaders') place = 'inHeaders';
    }
  }
  return targets;
}

function targetLine(line: string, n: number, place: Place, ctx: ParseContext): { target: VegetaTarget; place: Place; ok: boolean } {
  if (place === 'between' && /^[^\s:]+[ \t]*:/.test(line) && !/^[a-z][a-z0-9+.-]*:\/\//i.test(line)) {
    report(ctx, n, `header line outside a target: headers go right under their "METHOD URL" line, with no blank line between; got ${q(line)}`);
    return { target: standIn(n), place: 'strayHeaders', ok: false };
  }
  const parsed = parseTargetLine(line);
  if (typeof parsed === 'string') {
    report(ctx, n, parsed);
    return { target: standIn(n), place: 'afterTargetLine', ok: false };
  }
  const problems = [checkMethod(parsed.method), checkUrl(parsed.url)].filter((p): p is string => p !== null);
  for (const p of problems) report(ctx, n, p);
  return { target: { ...parsed, headers: [], body: null, line: n }, place: 'afterTargetLine', ok: problems.length === 0 };
}

/** Vegeta splits the line at its first space: one space, then a URL that is the rest of the line. */
function parseTargetLine(line: string): { method: string; url: string } | string {
  const space = line.search(/\s/);
  if (space < 0) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(line)) return `target line ${q(line)} has no method: write "GET ${line}"`;
    if (/^[A-Za-z]+$/.test(line)) return `target line ${q(line)} has no URL: expected "METHOD URL", e.g. "${line.toUpperCase()} https://example.com/"`;
    return `expected a target line "METHOD URL", e.g. "GET https://example.com/", got ${q(line)}`;
  }
  const url = line.slice(space + 1);
  if (line[space] !== ' ' || /^\s/.test(url)) return `method and URL must be separated by one space (Vegeta splits at the first space), got ${q(line)}`;
  // Stricter than Vegeta: Go sends "GET http://x/ HTTP/1.1" to the path "/%20HTTP/1.1".
  if (/\s/.test(url)) return `URL ${q(url)} holds a space: write it as %20, and put nothing after the URL (not even HTTP/1.1)`;
  return { method: line.slice(0, space), url };
}

function headerLine(line: string, n: number, target: VegetaTarget, ctx: ParseContext): void {
  const colon = line.indexOf(':');
  if (colon < 0) {
    report(ctx, n, `expected a header line "Name: value" (or a blank line before the next target), got ${q(line)}`);
    return;
  }
  const name = line.slice(0, colon).trim();
  const value = line.slice(colon + 1).trim();
  if (name === '') report(ctx, n, `header line ${q(line)} has no name: expected "Name: value"`);
  else if (value === '') report(ctx, n, `header ${q(name)} has no value: Vegeta refuses an empty one; give a value or remove the line`);
  else addHeader(name, value, n, target, ctx);
}

function bodyLine(line: string, n: number, place: Place, target: VegetaTarget, ctx: ParseContext): void {
  // Vegeta reads a line after the @body line as the next target: a second @body fails as "bad target".
  if (place === 'afterBody') return report(ctx, n, `second @body line: a target has at most one body file, got ${q(line)}`);
  if (place === 'between' || place === 'strayHeaders') return report(ctx, n, `@body line outside a target: it goes right under its "METHOD URL" line and headers, got ${q(line)}`);
  const path = line.slice(1);
  if (path === '') return report(ctx, n, 'an @ line needs a file path: write @path/to/body (relative to the targets file)');
  // Vegeta opens the path with the space, and fails.
  if (/^\s/.test(path)) return report(ctx, n, `write the body path right after @, without a space: got ${q(line)}`);
  // Differs from Vegeta, which resolves against its working directory: a file must not mean something else per cwd.
  const body = bodyFile(isAbsolute(path) ? path : resolve(ctx.baseDir, path), ctx);
  if (typeof body === 'string') report(ctx, n, body);
  else target.body = body;
}

function bodyFile(path: string, ctx: ParseContext): Buffer | string {
  const known = ctx.bodies.get(path);
  if (known !== undefined) return known;
  const read = readBodyFile(path);
  ctx.bodies.set(path, read);
  return read;
}

/** The file's bytes, or what is wrong with it; never more than MAX_BODY_BYTES in memory. */
function readBodyFile(path: string): Buffer | string {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return `body file ${path} not found (an @path is relative to the targets file's directory)`;
    return `body file ${path} cannot be read (${code ?? 'unknown error'})`;
  }
  if (stats.isDirectory()) return `body file ${path} is a directory: an @ line names a file`;
  // Checked before opening: opening a FIFO waits for a writer forever.
  if (!stats.isFile()) return `body file ${path} is not a regular file`;
  const tooBig = `body file ${path} is over 64 MiB: too big for a request body`;
  if (stats.size > MAX_BODY_BYTES) return tooBig;
  try {
    return readAtMost(path, stats.size, MAX_BODY_BYTES) ?? tooBig;
  } catch (e) {
    return `body file ${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'unknown error'})`;
  }
}

/** Null when the file has grown past `max` since it was measured. */
function readAtMost(path: string, size: number, max: number): Buffer | null {
  const fd = openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(Math.max(size, 65536) + 1, max + 1 - total));
      const got = readSync(fd, chunk, 0, chunk.length, null);
      if (got === 0) return Buffer.concat(chunks, total);
      chunks.push(chunk.subarray(0, got));
      total += got;
      if (total > max) return null;
    }
  } finally {
    closeSync(fd);
  }
}
