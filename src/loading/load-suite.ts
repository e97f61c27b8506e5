/**
 * `run-load-tests suite NAME|FILE`: finds a suite file (a shipped one by name, or a path ending in
 * .toml), reads it as strictly as a TOML scenario (syntax errors FILE:LINE:COL, schema problems
 * FILE:LINE, all at once), loads its Vegeta targets file once, and turns each of its runs into the
 * test a `--targets FILE --target-rate N` run would resolve to.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, TomlError } from 'smol-toml';
import { ConfigError } from '../core/errors.js';
import { parseSuite, type Suite, type SuitePath, type SuiteRun } from '../core/suite.js';
import { readTextFile } from './read-text-file.js';
import type { ResolvedTest } from './resolve-test.js';
import { tomlIndexedKeyLine } from './toml-key-line.js';
import { loadVegetaTargets, type VegetaTarget } from './vegeta-targets.js';
import { vegetaTargetsUser } from '../../users/vegeta-targets-user.js';

/** Where the shipped suites live (from dist/src/loading/: the repo's scenarios/suites). */
export const SHIPPED_SUITE_DIR = fileURLToPath(new URL('../../../scenarios/suites/', import.meta.url));

/** A suite is a page of settings: a megabyte is far past any real one, and stops a wrong path early. */
const MAX_SUITE_BYTES = 1024 * 1024;

/** A suite and the targets its runs send, read once for all of them. */
export interface LoadedSuite extends Suite {
  /** The targets file as messages and run headers name it. */
  targetsShown: string;
  targetList: VegetaTarget[];
}

/** The suite file `name` means: a path ending in .toml, or the name of a shipped suite. */
export function suitePath(name: string, cwd = process.cwd()): string {
  if (name.endsWith('.toml')) return resolve(cwd, name);
  const shipped = resolve(SHIPPED_SUITE_DIR, `${name}.toml`);
  if (/^[\w-]+$/.test(name) && existsSync(shipped)) return shipped;
  throw new ConfigError('BAD_ARGUMENT', `suite "${name}" is neither a .toml file nor a shipped suite (shipped: ${shippedSuites().join(', ')})`);
}

function shippedSuites(): string[] {
  try {
    return readdirSync(SHIPPED_SUITE_DIR).filter((f) => f.endsWith('.toml')).map((f) => f.slice(0, -'.toml'.length)).sort();
  } catch {
    return [];
  }
}

/** A path as messages show it: relative to the working directory when under it, the shipped ones by their place in brood. */
function shownPath(path: string, cwd: string): string {
  const shippedRoot = resolve(SHIPPED_SUITE_DIR, '..', '..');
  if (path.startsWith(SHIPPED_SUITE_DIR)) return relative(shippedRoot, path).split(sep).join('/');
  const rel = relative(cwd, path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/** Reads, validates and loads a suite and its targets file; every problem is one line (exit 2). */
export function loadSuite(path: string, cwd = process.cwd()): LoadedSuite {
  const shown = shownPath(path, cwd);
  const text = readTextFile(path, { kind: 'suite file', shown, maxBytes: MAX_SUITE_BYTES });
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    if (e instanceof TomlError) throw new ConfigError('BAD_SUITE', `${shown}:${e.line}:${e.column}: TOML syntax error: ${e.message.split('\n')[0]}`);
    throw new ConfigError('BAD_SUITE', `${shown}: TOML syntax error: ${e instanceof Error ? e.message : String(e)}`);
  }
  // A key nobody wrote (a missing one) points at its table's header, as in a TOML scenario.
  const lineOf = (keyPath: SuitePath): number | null => {
    for (let n = keyPath.length; n > 0; n--) {
      const line = tomlIndexedKeyLine(text, keyPath.slice(0, n));
      if (line !== null) return line;
    }
    return null;
  };
  const suite = parseSuite(doc, shown, lineOf);
  const where = `${shown}${lineOf(['targets']) === null ? '' : `:${lineOf(['targets'])}`}: targets`;
  const targetsPath = resolve(dirname(path), suite.targets);
  const targetsShown = shownPath(targetsPath, cwd);
  if (!existsSync(targetsPath)) {
    throw new ConfigError('BAD_SUITE', `${where} "${suite.targets}" not found (${targetsPath}): a Vegeta targets file, relative to the suite file's directory`);
  }
  const targetList = loadVegetaTargets(targetsPath, suite.targetsFormat, { shown: targetsShown, by: where });
  return { ...suite, targetsShown, targetList };
}

/**
 * One run as a resolved test: the targets as one user class, one target per arrival in file order
 * (vegeta attack), every target's path and query sent to the run's host (the demo server or -H).
 */
export function suiteRunTest(suite: LoadedSuite, run: SuiteRun, runTimeSec: number): ResolvedTest {
  return {
    userClasses: [vegetaTargetsUser(suite.targetList, 'path', true, true)],
    shape: null,
    shapeName: null,
    targets: run.targets,
    scenario: `${suite.name}/${run.name}`,
    testFile: suite.targetsShown,
    users: 1,
    spawnRate: 1,
    runTimeSec,
    arrival: null,
  };
}
