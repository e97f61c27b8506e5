/**
 * Two outputs of one run that land on the same file: each is written whole (a temporary file
 * renamed over it), so the second silently replaces the first (`--html x --json x` kept only the
 * JSON). Paths are compared as the kernel would open them: absolute, through symlinks, so
 * `--json r.json --html ./link-to-r.json` is caught too.
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { OutputPaths } from './output-paths.js';
import { realOutputPath } from './output-target.js';

/** What each output is called in a message; the CLI names the flag instead where one was given. */
export const OUTPUT_LABELS: Readonly<Record<keyof Omit<OutputPaths, 'runPrefix' | 'csvPrefix'>, string>> = {
  stats: 'the stats CSV',
  statsHistory: 'the stats history CSV',
  failures: 'the failures CSV',
  exceptions: 'the exceptions CSV',
  customMetrics: 'the custom metrics CSV',
  operations: 'the operations CSV',
  resources: 'the resources CSV',
  html: 'the HTML report',
  json: 'the JSON summary',
  log: 'the log',
};

/** `path` as the file a write lands on: symlinks followed, the directory part canonical even before it exists. */
export function canonicalOutputPath(path: string): string {
  const target = resolve(realOutputPath(resolve(path)));
  const rest: string[] = [basename(target)];
  let dir = dirname(target);
  for (;;) {
    try {
      return join(realpathSync(dir), ...rest);
    } catch {
      const parent = dirname(dir);
      if (parent === dir) return target;
      rest.unshift(basename(dir));
      dir = parent;
    }
  }
}

/**
 * One line per file that two or more outputs would write, naming them: `outputs` maps a label
 * ("--html", "the stats CSV of --csv run") to its path. Empty when every output has its own file.
 */
export function outputCollisions(outputs: ReadonlyArray<{ label: string; path: string }>): string[] {
  const byFile = new Map<string, Array<{ label: string; path: string }>>();
  for (const o of outputs) {
    const key = canonicalOutputPath(o.path);
    byFile.set(key, [...(byFile.get(key) ?? []), o]);
  }
  const problems: string[] = [];
  for (const same of byFile.values()) {
    if (same.length < 2) continue;
    const labels = same.map((o) => o.label);
    const names = labels.length === 2 ? labels.join(' and ') : `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}`;
    problems.push(`${names} would write the same file ${same[0]?.path}: give each output its own path`);
  }
  return problems;
}
