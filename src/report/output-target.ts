/**
 * What an output path really names. A user may point --html at a symlink (its target is written,
 * as any program's open() would) or, by mistake, at a device, FIFO, socket or directory. Whole-file
 * writes replace their target by rename, which would turn /dev/null into a regular file when run
 * as root; so such paths are refused before the run, and refused again at write time.
 */
import { lstatSync, readlinkSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Linux's own limit on symlinks followed in one lookup (ELOOP past it). */
const MAX_LINKS = 40;

function codeOf(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

/**
 * The path a write to `path` lands on: a symlink's final target (also when that target does not
 * exist yet: it is created there), else `path` itself. Relative link targets resolve against the
 * link's directory, as the kernel does. A loop (or more than 40 links) returns the last path reached;
 * `outputFileProblem` reports it.
 */
export function realOutputPath(path: string): string {
  let p = path;
  for (let i = 0; i < MAX_LINKS; i++) {
    let st: Stats;
    try {
      st = lstatSync(p);
    } catch {
      return p; // not there (or not readable): written as given
    }
    if (!st.isSymbolicLink()) return p;
    p = resolve(dirname(p), readlinkSync(p));
  }
  return p;
}

/** Every path on the way from `path` through its symlinks (itself first). */
function linkChain(path: string): string[] {
  const chain = [path];
  let p = path;
  for (let i = 0; i < MAX_LINKS; i++) {
    try {
      if (!lstatSync(p).isSymbolicLink()) break;
      p = resolve(dirname(p), readlinkSync(p));
      chain.push(p);
    } catch {
      break;
    }
  }
  return chain;
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Why `path` cannot be an output file, in one line, or null when it can: it does not exist yet (or
 * is a symlink to a place that does not), or it is (a symlink to) a regular file.
 */
export function outputFileProblem(path: string): string | null {
  if (path === '-') return `output file '-' (standard output) is not supported: give the path of a file to write`;
  const chain = linkChain(path);
  // /dev/stdout → /proc/self/fd/1 → whatever the shell opened: a descriptor of this process, not a file to replace.
  const viaProc = chain.length > 1 ? chain.find((p) => p.startsWith('/proc/')) : undefined;
  if (viaProc !== undefined) return `output file ${path} is an open file of a process (${viaProc}), not a regular file: give the path of a file to write`;
  let st: Stats;
  try {
    st = statSync(path);
  } catch (err: unknown) {
    const code = codeOf(err);
    if (code === 'ELOOP') return `output file ${path} is a symlink loop: give the path of a file to write`;
    return null; // ENOENT and friends: the directory check reports what is wrong with the place
  }
  if (st.isFile()) return null;
  const real = chain.at(-1) ?? path;
  const shown = real === path ? path : `${path} (→ ${real})`;
  return `output file ${shown} is ${kindOf(st)}, not a regular file: give the path of a file to write`;
}
