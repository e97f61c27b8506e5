/**
 * The import graph of a set of .proto files, walked before proto-loader reads them, for two
 * reasons: an import that resolves to no file is reported with its file and line (proto-loader
 * would only print a process warning and fail with a bare ENOENT), and a parse error that
 * protobufjs reports without its file name can be blamed on the right file (proto-registry.ts).
 * Imports resolve as proto-loader resolves them: in the include directories, then beside the
 * importing file; Google's well-known types (google/protobuf/…) are bundled with protobufjs.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

export interface ImportGraph {
  /** Every file reached, each file's imports before it: the order a parse error is blamed in. */
  postOrder: string[];
  /** The first import that resolves to no file, where it is written; null when all resolve. */
  missing: { file: string; line: number; target: string } | null;
  /**
   * Directories of files that import a file beside them (found in no include directory). Given to
   * proto-loader after the include directories, it finds those imports there at once: otherwise it
   * prints a process warning for each (then finds them beside the importer anyway).
   */
  besideDirs: string[];
}

// `import "a.proto";`, `import public "b.proto";`, `import weak 'c.proto';` at the start of a line.
const IMPORT = /^[ \t]*import[ \t]+(public[ \t]+|weak[ \t]+)?["']([^"']+)["'][ \t]*;/gm;
const BLOCK_COMMENT = /\/\*[\s\S]*?\*\//g;
const LINE_COMMENT = /\/\/[^\n]*/g;

export function importGraph(files: readonly string[], includeDirs: readonly string[]): ImportGraph {
  const graph: ImportGraph = { postOrder: [], missing: null, besideDirs: [] };
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file) || graph.missing !== null) return;
    seen.add(file);
    for (const imp of importsOf(file)) {
      if (imp.target.startsWith('google/protobuf/')) continue;
      const found = resolveImport(imp.target, file, includeDirs);
      if (found !== null) {
        if (found.beside && !includeDirs.includes(dirname(file)) && !graph.besideDirs.includes(dirname(file))) graph.besideDirs.push(dirname(file));
        visit(found.path);
      } else if (!imp.weak) {
        graph.missing ??= { file, line: imp.line, target: imp.target };
        return;
      }
    }
    graph.postOrder.push(file);
  };
  for (const f of files) visit(f);
  return graph;
}

interface ImportLine {
  target: string;
  line: number;
  weak: boolean;
}

/** The imports written in `file` (comments blanked first, newlines kept so lines still count). */
function importsOf(file: string): ImportLine[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return []; // unreadable: proto-loader reports it when it tries
  }
  const code = text.replace(BLOCK_COMMENT, (c) => c.replace(/[^\n]/g, ' ')).replace(LINE_COMMENT, '');
  const out: ImportLine[] = [];
  for (const m of code.matchAll(IMPORT)) {
    const line = code.slice(0, m.index).split('\n').length;
    out.push({ target: m[2] ?? '', line, weak: (m[1] ?? '').startsWith('weak') });
  }
  return out;
}

function resolveImport(target: string, from: string, includeDirs: readonly string[]): { path: string; beside: boolean } | null {
  if (isAbsolute(target)) return isFile(target) ? { path: target, beside: false } : null;
  for (const dir of includeDirs) {
    const candidate = join(dir, target);
    if (isFile(candidate)) return { path: candidate, beside: false };
  }
  const beside = resolve(dirname(from), target);
  return isFile(beside) ? { path: beside, beside: true } : null;
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() === true;
}
