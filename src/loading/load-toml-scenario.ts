import { existsSync } from 'node:fs';
import { basename, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, TomlError } from 'smol-toml';
import { ConfigError } from '../core/errors.js';
import { parseTomlScenario, type TomlScenario } from '../core/toml-scenario.js';
import { readTextFile } from './read-text-file.js';
import { tomlKeyLine } from './toml-key-line.js';

/** Where the shipped scenario files live (from dist/src/loading/: the repo's scenarios/toml). */
export const SHIPPED_TOML_DIR = fileURLToPath(new URL('../../../scenarios/toml/', import.meta.url));

/** A --scenario value that names a TOML file (a path ending in .toml, or a shipped file's name). */
export function tomlScenarioPath(name: string, cwd = process.cwd()): string | null {
  if (name.endsWith('.toml')) return resolve(cwd, name);
  const shipped = resolve(SHIPPED_TOML_DIR, `${name}.toml`);
  return /^[\w-]+$/.test(name) && existsSync(shipped) ? shipped : null;
}

/** A scenario is a page of settings: a megabyte is far past any real one, and stops a wrong path early. */
const MAX_SCENARIO_BYTES = 1024 * 1024;

/** Reads and validates a scenario file; syntax errors name file:line:col, schema errors file:line and the key. */
export function loadTomlScenario(path: string, cwd = process.cwd()): TomlScenario {
  const shown = path.startsWith(SHIPPED_TOML_DIR) ? `scenarios/toml/${basename(path)}` : relative(cwd, path) || path;
  const text = readTextFile(path, { kind: 'scenario file', shown, flag: '--scenario', maxBytes: MAX_SCENARIO_BYTES });
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    if (e instanceof TomlError) {
      throw new ConfigError('TEST_FILE_SYNTAX', `${shown}:${e.line}:${e.column}: TOML syntax error: ${e.message.split('\n')[0]}`);
    }
    throw new ConfigError('TEST_FILE_SYNTAX', `${shown}: TOML syntax error: ${e instanceof Error ? e.message : String(e)}`);
  }
  return parseTomlScenario(doc, shown, (keyPath) => tomlKeyLine(text, keyPath));
}
