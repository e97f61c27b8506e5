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

const HEADER = /^\s*\[{1,2}\s*([^\][]+?)\s*\]{1,2}\s*(?:#.*)?$/;
const KEY = /^\s*((?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+))*)\s*=/;

const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The 1-based line that sets `path` (['arrival', 'rate']) or, for a table's path (['arrival']),
 * its header line. Null when no line does.
 */
export function tomlKeyLine(text: string, path: readonly string[]): number | null {
  let table: string[] = [];
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
      table = keyPath(header[1] ?? '');
      if (same(table, path)) return i + 1;
      continue;
    }
    const key = KEY.exec(line);
    if (key && same([...table, ...keyPath(key[1] ?? '')], path)) return i + 1;
    for (const quotes of ['"""', "'''"]) {
      if (line.split(quotes).length % 2 === 0) inString = quotes;
    }
  }
  return null;
}
