/**
 * A GrpcUser's `static proto = { files, includeDirs? }` read and checked, its paths made absolute:
 * relative to the directory of the test file the class was exported from (MODULE_DIR, stamped by
 * the loader), or to the working directory for a class that no loader saw (one built in a test).
 * A file not found there is looked for in the include directories, as grpc's own loaders do.
 */
import { statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { MODULE_DIR } from '../core/brand.js';

export interface ProtoSpec {
  /** Absolute paths of the files to load, in the order given. */
  files: readonly string[];
  /** Absolute include directories (imports are looked for in them, then beside the importing file). */
  includeDirs: readonly string[];
  /** What paths in messages are shown relative to (the test file's directory). */
  baseDir: string;
}

const KEYS: ReadonlySet<string> = new Set(['files', 'includeDirs']);

const HOW = "declare static proto = { files: ['protos/service.proto'], includeDirs: ['protos'] } (paths relative to the test file)";

/** The class's proto spec, or its problem in one line (no `static proto`, a bad shape, a file that does not exist). */
export function protoSpecOf(cls: { name: string; proto?: unknown }): ProtoSpec | string {
  const proto = cls.proto;
  const what = `${cls.name}.proto`;
  if (proto === undefined || proto === null) return `${cls.name} has no proto files: ${HOW}`;
  if (typeof proto !== 'object' || Array.isArray(proto)) return `${what} must be { files: string[], includeDirs?: string[] }: ${HOW}`;
  const fields = proto as Record<string, unknown>;
  const unknown = Object.keys(fields).find((k) => !KEYS.has(k));
  if (unknown !== undefined) return `${what} has an unknown key "${unknown}": it takes files and includeDirs`;
  const { files, includeDirs = [] } = fields;
  if (!isStringList(files) || files.length === 0) return `${what}.files must be a non-empty array of .proto paths: ${HOW}`;
  if (!isStringList(includeDirs)) return `${what}.includeDirs must be an array of directory paths`;
  const dirOwn = (cls as unknown as Record<symbol, unknown>)[MODULE_DIR];
  const baseDir = typeof dirOwn === 'string' ? dirOwn : process.cwd();
  const dirs = includeDirs.map((d) => resolve(baseDir, d));
  const missingDir = dirs.findIndex((d) => !isDirectory(d));
  if (missingDir >= 0) return `${what}: include directory ${includeDirs[missingDir] ?? ''} does not exist (${dirs[missingDir] ?? ''})`;
  const resolved: string[] = [];
  for (const file of files) {
    const found = findFile(file, baseDir, dirs);
    if (found === null) {
      const where = isAbsolute(file) ? '' : ` (looked in ${[baseDir, ...dirs].map((d) => shownPath(d, baseDir) || '.').join(', ')})`;
      return `${what}: ${file} does not exist${where}`;
    }
    resolved.push(found);
  }
  return { files: resolved, includeDirs: dirs, baseDir };
}

/** `file` relative to the test file's directory, else to each include directory; null when in none. */
function findFile(file: string, baseDir: string, includeDirs: readonly string[]): string | null {
  if (isAbsolute(file)) return isFile(file) ? file : null;
  for (const dir of [baseDir, ...includeDirs]) {
    const candidate = join(dir, file);
    if (isFile(candidate)) return candidate;
  }
  return null;
}

/** A path as messages show it: relative to the test file's directory when inside it, else absolute. */
export function shownPath(path: string, baseDir: string): string {
  const rel = relative(baseDir, path);
  return rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel) ? path : rel.split(sep).join('/');
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string' && v !== '');
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() === true;
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
}
