/**
 * `mkdir -p` that always ends. Node's mkdirSync(dir, { recursive: true }) spins forever at 100% CPU
 * on some paths (under /proc, Node 20: mkdir says ENOENT although the parent exists, and it retries
 * the parent for ever), which turned `--results-dir /proc/x` into a hung process instead of exit 2.
 * Here: find the deepest existing ancestor, then create each missing level once; any error is thrown.
 * Returns the directories it created, outermost first (a refused run removes them again).
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

function codeOf(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

export function makeDirectories(dir: string): string[] {
  const missing: string[] = [];
  let d = resolve(dir);
  for (;;) {
    let exists = false;
    try {
      exists = statSync(d).isDirectory();
      if (!exists) throw Object.assign(new Error(`${d} is not a directory`), { code: 'ENOTDIR' });
    } catch (err: unknown) {
      if (codeOf(err) !== 'ENOENT') throw err;
    }
    if (exists) break;
    missing.push(d);
    const parent = dirname(d);
    if (parent === d) break;
    d = parent;
  }
  const created: string[] = [];
  for (const m of missing.reverse()) {
    try {
      mkdirSync(m);
      created.push(m);
    } catch (err: unknown) {
      if (codeOf(err) !== 'EEXIST') throw err; // created meanwhile by someone else: fine
    }
  }
  return created;
}
