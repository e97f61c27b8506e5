/**
 * The line of a TOML file that sets a key, so a scenario's schema problems can say FILE:LINE as
 * its syntax errors do. smol-toml reports positions for syntax errors only, and a parser that
 * keeps them for every value is not worth a second TOML dependency: the scenario format is plain
 * tables and `key = value` lines, which a line scan finds. What it cannot find (a key inside an
 * inline table, a table nobody wrote) gets no line, and the message names file and key only.
 */

/** `a."b c".d` → ['a', 'b c', 'd'] (quotes and spaces around the dots dropped). */
function keyPath(text: string): string[] {
  const parts: string[] = [];
  for (const m of text.matchAll(/\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(?:\.|$)/g)) {
    parts.push(m[1] ?? m[2] ?? m[3] ?? '');
  }
  return parts;
}

const HEADER = /^\s*(\[{1,2})\s*([^\][]+?)\s*\]{1,2}\s*(?:#.*)?$/;
const KEY = /^\s*((?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+))*)\s*=/;

/** One line that opens a table (`[a.b]`, or `[[a]]`: `array`) or sets a key, outside multi-line strings. */
interface TomlLine {
  line: number;
  kind: 'header' | 'key';
  parts: string[];
  array: boolean;
}

function* tomlLines(text: string): Generator<TomlLine> {
  let inString: string | null = null;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (inString !== null) {
      // Inside a multi-line string: nothing here is a key, until the closing quotes.
      if (line.split(inString).length % 2 === 0) inString = null;
      continue;
    }
    const header = HEADER.exec(line);
    if (header) {
      yield { line: i + 1, kind: 'header', parts: keyPath(header[2] ?? ''), array: header[1] === '[[' };
      continue;
    }
    const key = KEY.exec(line);
    if (key) yield { line: i + 1, kind: 'key', parts: keyPath(key[1] ?? ''), array: false };
    for (const quotes of ['"""', "'''"]) {
      if (line.split(quotes).length % 2 === 0) inString = quotes;
    }
  }
}

const same = (a: ReadonlyArray<string | number>, b: ReadonlyArray<string | number>): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The 1-based line that sets `path` (['arrival', 'rate']) or, for a table's path (['arrival']),
 * its header line. Null when no line does.
 */
export function tomlKeyLine(text: string, path: readonly string[]): number | null {
  let table: string[] = [];
  for (const l of tomlLines(text)) {
    if (l.kind === 'header') {
      table = l.parts;
      if (same(table, path)) return l.line;
    } else if (same([...table, ...l.parts], path)) return l.line;
  }
  return null;
}

/**
 * As tomlKeyLine, for files with arrays of tables: `path` holds each element's 0-based index after
 * its array's name, as the parsed document has it (['run', 1, 'target', 0, 'threshold'] is the
 * threshold of the second `[[run]]`'s first `[[run.target]]`). A header through an array of tables
 * means its last element so far, as TOML reads it.
 */
export function tomlIndexedKeyLine(text: string, path: ReadonlyArray<string | number>): number | null {
  /** Per array of tables (by its indexed path), the index of its last element so far. */
  const last = new Map<string, number>();
  let table: Array<string | number> = [];
  for (const l of tomlLines(text)) {
    if (l.kind === 'key') {
      if (same([...table, ...l.parts], path)) return l.line;
      continue;
    }
    table = [];
    l.parts.forEach((part, i) => {
      table.push(part);
      const id = JSON.stringify(table);
      const opensElement = l.array && i === l.parts.length - 1;
      const index = opensElement ? (last.get(id) ?? -1) + 1 : last.get(id);
      if (opensElement) last.set(id, index as number);
      if (index !== undefined) table.push(index);
    });
    if (same(table, path)) return l.line;
  }
  return null;
}
