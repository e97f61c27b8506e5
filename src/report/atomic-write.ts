/**
 * Whole-file writes that a crash can never leave half-done: _stats.csv and friends are rewritten
 * every interval, so a kill in the middle of a write must leave the previous complete version.
 * Write a temporary file in the same directory (rename is atomic only within one file system),
 * flush it to disk, then rename it over the target. A symlink is followed (its target is what gets
 * replaced, the link stays); anything but a regular file is never renamed over (output-target.ts).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { outputFileProblem, realOutputPath } from './output-target.js';

/** The temporary name used beside `path`: hidden, unique per call, recognisable (".name.tmp-…"). */
function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/**
 * Where a whole-file write of `path` lands and the temporary file it is written to first; throws
 * when `path` must not be replaced. Checked before the run too (checkWritable); again at each write,
 * because a rename over a device node created since would destroy it.
 */
export function atomicWriteTarget(path: string): { target: string; tmp: string } {
  const problem = outputFileProblem(path);
  if (problem !== null) throw new Error(problem);
  const target = realOutputPath(path);
  return { target, tmp: tempPathFor(target) };
}

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const { target, tmp } = atomicWriteTarget(path);
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let fd: number | null = null;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    let offset = 0;
    while (offset < buf.length) offset += writeSync(fd, buf, offset, buf.length - offset);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(tmp, target);
  } catch (err: unknown) {
    if (fd !== null) closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
}

const TEMP_NAME = /^\.(.+)\.tmp-(\d+)-[0-9a-f]{8}$/;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by someone else
  }
}

/**
 * A `kill -9` between writing a temporary file and renaming it leaves `.NAME.tmp-PID-…` beside the
 * (always complete) real file. Removes such leftovers of `paths` whose writing process is gone;
 * a live writer's files (another run on the same prefix) are left alone. Returns what it removed.
 */
export function removeStaleTempFiles(paths: readonly string[]): string[] {
  const byDir = new Map<string, Set<string>>();
  for (const given of paths) {
    const p = realOutputPath(given);
    const names = byDir.get(dirname(p)) ?? new Set<string>();
    names.add(basename(p));
    byDir.set(dirname(p), names);
  }
  const removed: string[] = [];
  for (const [dir, names] of byDir) {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      continue;
    }
    for (const entry of entries) {
      const m = TEMP_NAME.exec(entry);
      if (!m || !names.has(m[1] as string)) continue;
      const pid = Number(m[2]);
      if (pid === process.pid || processAlive(pid)) continue;
      rmSync(join(dir, entry), { force: true });
      removed.push(join(dir, entry));
    }
  }
  return removed;
}
