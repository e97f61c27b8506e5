import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, extname, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isAbstractClass, kindOf, MODULE_DIR } from '../core/brand.js';
import { ConfigError, ConfigErrors } from '../core/errors.js';
import type { Target } from '../core/targets.js';
import type { ArrivalPatternSpec } from '../core/arrival-pattern.js';
import { checkArrivalTable } from '../core/arrival-spec-check.js';
import type { OpenPoolLimits } from '../core/open-pool-limits.js';
import { findImportSite } from './import-site.js';
import { importWithin, loadTimeoutMs, LoadStalledError } from './bounded-import.js';

/** What a test file (a "locustfile") provides. */
export interface LoadedTestModule {
  file: string;
  userClasses: Array<new (...args: never[]) => object>;
  shapeClasses: Array<new () => object>;
  targets: Target[] | null;
  /** `export const arrival = { pattern: 'poisson', mean_rate: 200 }`: the file is an open-model test. */
  arrival: ArrivalPatternSpec | null;
  /** `max_users` / `pre_allocated_users` beside that pattern (null where absent). */
  pool: OpenPoolLimits;
  /** `export const options = { 'my-argument': {…} }`: command-line options the file declares (custom-options.ts checks them). */
  options: unknown;
}

const TS_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.tsx']);

/**
 * Imports a test file (.ts via tsx, .js/.mjs natively) and picks out its exported user classes,
 * load shape and targets. Any failure becomes a one-line ConfigError naming file and line.
 */
export async function loadTestModule(file: string, cwd = process.cwd(), flag = '-f'): Promise<LoadedTestModule> {
  const abs = resolve(cwd, file);
  if (!existsSync(abs)) throw new ConfigError('TEST_FILE_MISSING', `test file not found: ${file}`);
  if (statSync(abs).isDirectory()) throw new ConfigError('BAD_ARGUMENT', `${flag} ${file} is a directory, not a test file (a .ts, .js or .mjs file)`);
  if (!statSync(abs).isFile()) throw new ConfigError('BAD_ARGUMENT', `${flag} ${file} is not a regular file, not a test file`);
  const url = pathToFileURL(abs).href;
  const shown = relative(cwd, abs) || abs;
  const timeoutMs = loadTimeoutMs();
  let mod: Record<string, unknown>;
  try {
    // Bounded: a top-level await that never resolves must not hang the CLI (or end it with code 13 and no word).
    mod = await importWithin(async () => {
      if (!TS_EXTENSIONS.has(extname(abs))) return (await import(url)) as Record<string, unknown>;
      const { tsImport } = await import('tsx/esm/api');
      return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
    }, shown, timeoutMs);
  } catch (e) {
    if (e instanceof LoadStalledError) throw e;
    throw importError(e, abs, cwd);
  }
  return collectExports(mod, shown, dirname(abs));
}

function collectExports(mod: Record<string, unknown>, shown: string, dir: string): LoadedTestModule {
  const values = new Set<unknown>(Object.values(mod));
  const def = mod.default;
  if (def && typeof def === 'object') for (const v of Object.values(def)) values.add(v);
  const userClasses: LoadedTestModule['userClasses'] = [];
  const shapeClasses: LoadedTestModule['shapeClasses'] = [];
  for (const v of values) {
    if (isAbstractClass(v)) continue;
    const kind = kindOf(v);
    if (kind === 'user') {
      userClasses.push(v as LoadedTestModule['userClasses'][number]);
      // Where the class came from (a GrpcUser's proto paths are relative to it); not enumerable, own.
      if (!Object.hasOwn(v as object, MODULE_DIR)) Object.defineProperty(v, MODULE_DIR, { value: dir });
    }
    else if (kind === 'shape') shapeClasses.push(v as LoadedTestModule['shapeClasses'][number]);
  }
  let targets: Target[] | null = null;
  if (mod.targets !== undefined) {
    if (!Array.isArray(mod.targets)) throw new ConfigError('BAD_TARGET', `${shown}: "targets" must be an array of targets`);
    targets = mod.targets as Target[];
  }
  let arrival: ArrivalPatternSpec | null = null;
  let pool: OpenPoolLimits = { maxUsers: null, preAllocatedUsers: null };
  if (mod.arrival !== undefined) {
    const declared = mod.arrival as Record<string, unknown> | null;
    const shape = `${shown}: "arrival" must be { pattern: 'constant', rate: N } or another arrival pattern (constant, poisson, bursty, periodic, periodic_burst, ramp)`;
    if (!declared || typeof declared !== 'object' || typeof declared.pattern !== 'string') throw new ConfigError('BAD_ARGUMENT', shape);
    // The same checks as a TOML [arrival] (rate 0, unknown keys, absurd sizes); the pattern alone
    // goes on (into the run's JSON among others): the pool keys are not part of it.
    const checked = checkArrivalTable(declared);
    if (checked.problems.length > 0) {
      throw new ConfigErrors(checked.problems.map((p) => new ConfigError('BAD_ARGUMENT', `${shown}: "arrival" ${p.message}`)));
    }
    pool = checked.pool;
    arrival = checked.spec;
  }
  return { file: shown, userClasses, shapeClasses, targets, arrival, pool, options: mod.options ?? null };
}

/** Finds "file:line[:col]" for an import failure and returns a one-line ConfigError. */
export function importError(e: unknown, abs: string, cwd: string): ConfigError {
  const shown = relative(cwd, abs) || abs;
  const err = e instanceof Error ? e : new Error(String(e));
  const text = `${err.message}\n${err.stack ?? ''}`;
  const code = (err as { code?: unknown }).code;
  // esbuild (tsx): "<file>:3:10: ERROR: Expected ";" but found "x""
  const esbuild = /([^\s:]+\.[cm]?[tj]sx?):(\d+):(\d+): ERROR: (.+)/.exec(text);
  if (esbuild) {
    return new ConfigError('TEST_FILE_SYNTAX', `${locate(esbuild[1] ?? shown, cwd)}:${esbuild[2]}:${esbuild[3]}: syntax error: ${esbuild[4]}`);
  }
  // "The requested module './x.mjs' does not provide an export named 'y'": a SyntaxError to Node, an import problem to the user.
  const missingExport = /The requested module '([^']+)' does not provide an export named '([^']+)'/.exec(err.message);
  if (missingExport) {
    const [, spec = '', name = ''] = missingExport;
    const site = findImportSite(abs, spec, name, null);
    return new ConfigError('TEST_FILE_IMPORT', `${site ? `${locate(site.file, cwd)}:${site.line}` : shown}: import failed: '${spec}' has no export named '${name}'`);
  }
  if (err.name === 'SyntaxError') {
    return new ConfigError('TEST_FILE_SYNTAX', `${syntaxErrorLocation(abs, cwd) ?? shown}: syntax error: ${err.message}`);
  }
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') {
    // "Cannot find module '/abs/x.mjs' imported from /abs/importer.mjs" / "Cannot find package 'p' imported from …"
    const m = /Cannot find (?:module|package) '([^']+)' imported from (\S+)/.exec(err.message);
    const importer = m?.[2] === undefined ? null : m[2].startsWith('file://') ? fileURLToPath(m[2]) : m[2];
    const missing = m?.[1] ?? '';
    const spec = missing.startsWith('/') && importer !== null ? relativeSpec(importer, missing) : missing;
    const site = m ? findImportSite(abs, spec, null, importer) : null;
    if (site) return new ConfigError('TEST_FILE_IMPORT', `${locate(site.file, cwd)}:${site.line}: import failed: cannot find '${spec}'`);
    return new ConfigError('TEST_FILE_IMPORT', `${shown}: import failed: ${firstLine(err.message)}`);
  }
  const frame = frameIn(err.stack ?? '', abs);
  return new ConfigError('TEST_FILE_IMPORT', `${frame ? `${locate(frame.file, cwd)}:${frame.line}` : shown}: error while loading: ${err.name}: ${firstLine(err.message)}`);
}

/**
 * Node's ESM loader keeps a syntax error's position off the error object (it only prints it), so
 * on this error path alone we ask `node --check`, which prints "file:LINE" first.
 */
function syntaxErrorLocation(abs: string, cwd: string): string | null {
  const check = spawnSync(process.execPath, ['--check', abs], { encoding: 'utf8', timeout: 10_000 });
  const m = /^(.+?):(\d+)\s*$/m.exec(check.stderr ?? '');
  if (!m || !m[1]) return null;
  return `${locate(m[1], cwd)}:${m[2]}`;
}

function frameIn(stack: string, abs: string): { file: string; line: string } | null {
  const url = pathToFileURL(abs).href;
  for (const line of stack.split('\n')) {
    const m = /\(?((?:file:\/\/)?\/[^\s():]+):(\d+):\d+\)?\s*$/.exec(line);
    if (m && (m[1] === abs || m[1] === url)) return { file: abs, line: m[2] ?? '?' };
  }
  return null;
}

function locate(file: string, cwd: string): string {
  const path = file.startsWith('file://') ? fileURLToPath(file) : file;
  return relative(cwd, path) || path;
}

/** './missing.mjs' for /abs/dir/missing.mjs imported from /abs/dir/x.mjs (how the import statement spells it). */
function relativeSpec(importer: string, missing: string): string {
  const rel = relative(dirname(importer), missing);
  return rel.startsWith('.') ? rel : `./${rel}`;
}

function firstLine(s: string): string {
  return s.split('\n')[0]?.trim() ?? s;
}
