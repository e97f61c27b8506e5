/**
 * One bad input and what it must get (issue 17): exit 2, a single stderr line that names the
 * problem and its source, no stack trace, and no file or directory created by the refused run.
 * Each case runs in a fresh temporary folder holding only `files` (and node_modules/brood, so test
 * files can import 'brood'), which is also the run's working directory.
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT, runCli, type CliResult } from '../helpers/cli.js';

/** What a file of the case's folder is: text, bytes, or a special node the test makes. */
export type CaseFile = string | Buffer | { dir: true } | { fifo: true } | { charDevice: true } | { symlink: string };

export interface InputCase {
  name: string;
  args: readonly string[];
  /** Files made in the working folder before the run (paths relative to it). */
  files?: Readonly<Record<string, CaseFile>>;
  env?: Readonly<Record<string, string>>;
  /** The one stderr line must match this. */
  line: RegExp;
  /** analyze-results instead of run-load-tests. */
  analyzer?: boolean;
  /** Exit code (default 2). */
  code?: number;
}

export const ANALYZER = join(REPO_ROOT, 'bin', 'analyze-results.js');

/** Every path under `dir` (files, folders, links), relative, sorted; node_modules left out. */
export function listTree(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (prefix === '' && name === 'node_modules') continue;
    const rel = prefix === '' ? name : `${prefix}/${name}`;
    out.push(rel);
    const st = lstatSync(join(dir, name));
    if (st.isDirectory()) out.push(...listTree(join(dir, name), rel));
  }
  return out;
}

function makeFile(root: string, rel: string, file: CaseFile): void {
  const path = join(root, rel);
  mkdirSync(dirname(path), { recursive: true });
  if (typeof file === 'string' || Buffer.isBuffer(file)) writeFileSync(path, file);
  else if ('dir' in file) mkdirSync(path, { recursive: true });
  else if ('fifo' in file) execFileSync('mkfifo', [path]);
  // /dev/null's numbers (1, 3): a real device node, made here so the test owns it.
  else if ('charDevice' in file) execFileSync('mknod', [path, 'c', '1', '3']);
  else symlinkSync(file.symlink, path);
}

export interface CaseRun {
  result: CliResult;
  /** What the run left in its folder beyond what the case put there. */
  created: string[];
}

/** Runs one case in its own folder (`{HOST}` in its arguments becomes `host`) and reports what it printed and created. */
export async function runCase(c: InputCase, host: string): Promise<CaseRun> {
  const root = mkdtempSync(join(tmpdir(), 'brood-bad-input-'));
  try {
    mkdirSync(join(root, 'node_modules'));
    symlinkSync(REPO_ROOT, join(root, 'node_modules', 'brood'));
    for (const [rel, file] of Object.entries(c.files ?? {})) makeFile(root, rel, file);
    const before = new Set(listTree(root));
    const result = await runCli(c.args.map((a) => a.replaceAll('{HOST}', host)), { cwd: root, env: { ...c.env }, timeoutMs: 40_000, ...(c.analyzer ? { bin: ANALYZER } : {}) });
    const created = listTree(root).filter((p) => !before.has(p));
    return { result, created };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The promise for a refused input, as one message listing every way it was broken (or null). */
export function refusalProblems(c: InputCase, run: CaseRun): string | null {
  const { result, created } = run;
  const problems: string[] = [];
  const expectedCode = c.code ?? 2;
  if (result.code !== expectedCode) problems.push(`exit ${String(result.code)}${result.signal ? ` (${result.signal})` : ''}, expected ${expectedCode}`);
  const lines = result.stderr.split('\n').filter((l) => l.trim() !== '');
  if (lines.length !== 1) problems.push(`${lines.length} stderr lines, expected 1`);
  if (/^\s+at .+:\d+:\d+\)?$/m.test(result.stderr)) problems.push('a stack trace');
  if (/internal error|a brood bug/i.test(result.stderr)) problems.push('reported as a brood bug');
  if (lines.length >= 1 && !c.line.test(lines[0] ?? '')) problems.push(`line does not match ${String(c.line)}`);
  if (created.length > 0) problems.push(`left behind: ${created.join(', ')}`);
  if (problems.length === 0) return null;
  return `${c.name}: ${problems.join('; ')}\n  args: ${c.args.join(' ')}\n  stderr: ${result.stderr.trim().slice(0, 400)}\n  stdout: ${result.stdout.trim().slice(0, 200)}`;
}
