/**
 * Where a failed import is written: the file and line of the `import … from 'spec'` statement,
 * found by reading the test file and the local modules it imports. Node's errors name the module
 * that failed and sometimes the importer, but never the line (and through tsx, not even the
 * file: "node:internal/modules/esm/get_format:189"), so a user had to search for it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Files read at most, following relative imports from the test file. */
const MAX_FILES = 50;
const LOCAL_IMPORT = /(?:from|import)\s*['"](\.{1,2}\/[^'"]+)['"]/g;

export interface ImportSite {
  file: string;
  line: number;
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** The 1-based line of the import statement in `text` that takes `spec` (and `name`, when given), or null. */
function lineIn(text: string, spec: string, name: string | null): number | null {
  const lines = text.split('\n');
  // `import x from 'spec'`, a bare `import 'spec'` and `export … from 'spec'` alike.
  const quoted = new RegExp(`(?:from|import)\\s*['"]${spec.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]`);
  for (let i = 0; i < lines.length; i++) {
    if (!quoted.test(lines[i] ?? '')) continue;
    let start = i;
    while (start > 0 && !/^\s*(import|export)\b/.test(lines[start] ?? '')) start--;
    const statement = lines.slice(start, i + 1).join('\n');
    if (name === null || new RegExp(`\\b${name.replace(/[$]/g, '\\$')}\\b`).test(statement)) return start + 1;
  }
  return null;
}

/**
 * The import statement that takes `spec` (with export `name`, when given): in `importer` when the
 * error names it, else in the test file or one of the local modules it imports.
 */
export function findImportSite(testFile: string, spec: string, name: string | null, importer: string | null): ImportSite | null {
  const queue = importer !== null ? [importer, testFile] : [testFile];
  const seen = new Set<string>();
  while (queue.length > 0 && seen.size < MAX_FILES) {
    const file = queue.shift() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readText(file);
    if (text === null) continue;
    const line = lineIn(text, spec, name);
    if (line !== null) return { file, line };
    for (const m of text.matchAll(LOCAL_IMPORT)) {
      const next = resolve(dirname(file), m[1] as string);
      if (existsSync(next)) queue.push(next);
    }
  }
  return null;
}
