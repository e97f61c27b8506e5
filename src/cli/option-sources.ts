/**
 * Options from outside the command line, as Locust reads them: config files (`key = value`, keys
 * are long option names) and environment variables (BROOD_USERS for --users). Precedence, lowest
 * first: ~/.brood.conf, ./brood.conf, --config FILE, BROOD_* variables, the command line.
 */
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative } from 'node:path';
import type { Command, Option } from 'commander';
import { ConfigError, ConfigErrors } from '../core/errors.js';
import { redactCredentials } from '../http/basic-auth.js';
import { maskAuth } from './web-config.js';
import { readTextFile } from '../loading/read-text-file.js';

/** One `key = value` setting and where it came from (a file's line, or an environment variable). */
export interface OptionSetting {
  key: string;
  value: string;
  /** "brood.conf:3" or "BROOD_USERS": what an error or the run's log names. */
  origin: string;
  /**
   * What a message about the value calls it in place of the flag nobody typed: the file, line and
   * key as written ("brood.conf:3: users"), or the variable ("BROOD_USERS").
   */
  shown: string;
}

/** A file's or the environment's settings, in the order they appear. */
export interface OptionSource {
  /** "brood.conf", "the environment". */
  label: string;
  settings: OptionSetting[];
  /** Lines that are not settings: reported with every other problem (applyOptionSources). */
  problems: ConfigError[];
}

/** Locust's spellings that brood spells otherwise: the config key reaches the same option. */
const KEY_ALIASES: Readonly<Record<string, string>> = { locustfile: 'file', 'run-time': 'time' };
/** Options that only make sense typed (a config file naming another config file, listing and exiting). */
const NOT_FROM_FILES = new Set(['config', 'help', 'version']);

/**
 * Parses Locust's config format: `key = value` lines, `#` or `;` comments, blank lines, and a
 * `[section]` header such as `[brood]` (ignored). Anything else is an error naming its line.
 */
export function parseConfigText(text: string, label: string): OptionSource {
  const settings: OptionSetting[] = [];
  const problems: ConfigError[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';') || /^\[[^\]]*\]$/.test(line)) return;
    const eq = line.indexOf('=');
    const key = eq > 0 ? line.slice(0, eq).trim() : '';
    if (!/^[a-z][a-z0-9-]*$/.test(key)) {
      problems.push(new ConfigError('BAD_ARGUMENT', `${label}:${i + 1}: expected "option = value" (e.g. users = 50), got "${line.slice(0, 80)}"`));
      return;
    }
    settings.push({ key, value: unquote(line.slice(eq + 1).trim()), origin: `${label}:${i + 1}`, shown: `${label}:${i + 1}: ${key}` });
  });
  return { label, settings, problems };
}

/** `"a b"` or `'a b'` → a b: a quoted value means what it quotes. */
function unquote(value: string): string {
  return /^(["']).*\1$/.test(value) && value.length >= 2 ? value.slice(1, -1) : value;
}

/** BROOD_SPAWN_RATE=10 → spawn-rate = 10. Variables that name no option are left alone (they may be the user's own). */
export function environmentSource(env: NodeJS.ProcessEnv, known: ReadonlySet<string>): OptionSource {
  const settings: OptionSetting[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('BROOD_') || value === undefined) continue;
    const key = name.slice('BROOD_'.length).toLowerCase().replace(/_/g, '-');
    if (known.has(key) && !NOT_FROM_FILES.has(key)) settings.push({ key, value, origin: name, shown: name });
  }
  return { label: 'the environment', settings, problems: [] };
}

/**
 * The config files to read, lowest precedence first: ~/.brood.conf, ./brood.conf (when they are
 * files: a folder of that name is somebody's own, as configargparse, Locust's reader, skips it),
 * then --config's, which must be a file.
 */
export function configFiles(cwd: string, home: string, explicit: string | undefined): string[] {
  const isFile = (f: string): boolean => existsSync(f) && statSync(f).isFile();
  const files = [join(home, '.brood.conf'), join(cwd, 'brood.conf')].filter(isFile);
  if (explicit !== undefined) {
    if (!existsSync(explicit)) throw new ConfigError('TEST_FILE_MISSING', `config file not found: ${explicit}`);
    if (statSync(explicit).isDirectory()) throw new ConfigError('BAD_ARGUMENT', `--config ${explicit} is a directory, not a config file`);
    files.push(explicit);
  }
  return files;
}

/** A config file is a page of settings: past a megabyte it is the wrong file. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** Reads each config file in turn (see configFiles); one that is not text is refused by name. */
export function readConfigFiles(files: readonly string[], cwd: string): OptionSource[] {
  return files.map((f) => {
    const shown = relative(cwd, f) || f;
    return parseConfigText(readTextFile(f, { kind: 'config file', shown, maxBytes: MAX_CONFIG_BYTES }), shown);
  });
}

/**
 * Where each option's value came from when it was not typed, by every spelling a message may use
 * ("--users" and "-u"): the setting that won.
 */
export type OptionOrigins = ReadonlyMap<string, OptionSetting>;

export interface AppliedSources {
  /** Per source that set anything, a line saying what it set (for the console and the run log). */
  lines: string[];
  origins: OptionOrigins;
}

/**
 * Applies the sources to a parsed command, lowest precedence first; an option typed on the command
 * line is never overridden. Every unknown key or bad flag value is one error. Returns what each
 * source set, and where each value came from (for nameOrigins).
 */
export function applyOptionSources(cmd: Command, sources: readonly OptionSource[]): AppliedSources {
  const problems: ConfigError[] = [];
  const lines: string[] = [];
  const origins = new Map<string, OptionSetting>();
  const typed = (o: Option): boolean => sameOption(cmd, o).some((x) => cmd.getOptionValueSource(x.attributeName()) === 'cli');
  for (const source of sources) {
    problems.push(...source.problems);
    const applied: string[] = [];
    for (const s of source.settings) {
      const key = KEY_ALIASES[s.key] ?? s.key;
      const option = cmd.options.find((o) => o.long === `--${key}`) ?? cmd.options.find((o) => o.long === `--no-${key}`);
      if (option === undefined || NOT_FROM_FILES.has(key)) {
        problems.push(new ConfigError('BAD_ARGUMENT', `${s.origin}: "${s.key}" is not a run-load-tests option (see --help; keys are long option names without --)`));
        continue;
      }
      if (typed(option)) continue;
      const value = optionValue(option, key, s);
      if (value instanceof ConfigError) {
        problems.push(value);
        continue;
      }
      cmd.setOptionValueWithSource(option.attributeName(), value, source.label === 'the environment' ? 'env' : 'config');
      for (const flag of [option.long, option.short]) if (flag !== undefined) origins.set(flag, s);
      applied.push(`${s.key} = ${option.long === '--web-auth' ? maskAuth(s.value) : redactCredentials(s.value)}`);
    }
    if (applied.length > 0) lines.push(`Options from ${source.label}: ${applied.join(', ')}`);
  }
  if (problems.length > 0) throw new ConfigErrors(problems);
  return { lines, origins };
}

/** An option and its alias (--run-time for -t, --locustfile for -f), so typing either beats a file's other. */
function sameOption(cmd: Command, option: Option): Option[] {
  const key = option.long?.replace(/^--/, '') ?? '';
  const partners = Object.entries(KEY_ALIASES).filter(([alias, canonical]) => alias === key || canonical === key).flat();
  return [option, ...cmd.options.filter((o) => partners.includes(o.long?.replace(/^--/, '') ?? '') && o !== option)];
}

const TRUE = new Set(['true', 'yes', 'on', '1']);
const FALSE = new Set(['false', 'no', 'off', '0']);

/** The value commander would have stored had the option been typed. */
function optionValue(option: Option, key: string, s: OptionSetting): string | string[] | boolean | ConfigError {
  if (option.required || option.optional) {
    // commander checks the choices of what is typed only (a test file's option may declare them).
    if (option.argChoices && !option.argChoices.includes(s.value)) {
      return new ConfigError('BAD_ARGUMENT', `${s.shown} "${s.value}" is not one of: ${option.argChoices.join(', ')}`);
    }
    if (!option.variadic) return s.value;
    // Lists as Locust's files write them: "a b", "a, b" or "[a, b]".
    return s.value.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter((v) => v !== '');
  }
  const text = s.value.toLowerCase();
  if (!TRUE.has(text) && !FALSE.has(text)) {
    return new ConfigError('BAD_ARGUMENT', `${s.shown} "${s.value}" must be true or false (or yes/no, on/off, 1/0)`);
  }
  // "warm-up = false" and "no-warm-up = true" both mean --no-warm-up.
  const on = TRUE.has(text);
  return option.negate ? (key === option.long?.replace(/^--/, '') ? !on : on) : on;
}

/** Every long option name of the command, without "--" (what config keys and BROOD_* variables may name). */
export function optionKeys(cmd: Command): Set<string> {
  const keys = new Set<string>(Object.keys(KEY_ALIASES));
  for (const o of cmd.options) {
    const long = o.long?.replace(/^--/, '');
    if (long === undefined) continue;
    keys.add(long);
    // --no-warm-up is also reached as warm-up (BROOD_WARM_UP=false).
    if (o.negate) keys.add(long.replace(/^no-/, ''));
  }
  return keys;
}

/** What main() reads: every source in precedence order, with the user's home and working directory. */
export function optionSources(cmd: Command, explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): OptionSource[] {
  const cwd = process.cwd();
  return [...readConfigFiles(configFiles(cwd, homedir(), explicit), cwd), environmentSource(env, optionKeys(cmd))];
}

const FLAG = /(?<![\w-])(--?[a-zA-Z][\w-]*)(?![\w-])/g;

/**
 * A message names the flag its value belongs to ("--users \"abc\" must be a positive whole
 * number"), but a value from a config file or a BROOD_* variable was never typed: the user must be
 * sent to the line or variable instead. So every message that starts with such a flag gets the
 * source in its place ("bad.conf:1: users \"abc\" …", "BROOD_USERS \"abc\" …"), and one that names
 * such flags further on says where each came from. Done here, once, for every check there is (the
 * flags' own, the HTTP ones, a test file's options, those between options), rather than by each.
 */
export function nameOrigins(message: string, origins: OptionOrigins): string {
  if (origins.size === 0) return message;
  // "-u/--users does not apply …": both spellings of one option lead the message.
  const leading = /^(--?[a-zA-Z][\w-]*)(?:\/(--?[a-zA-Z][\w-]*))?(?![\w-])/.exec(message);
  const first = leading?.[1] === undefined ? undefined : origins.get(leading[1]);
  const both = first !== undefined && leading?.[2] !== undefined && origins.get(leading[2])?.origin === first.origin;
  const lead = first === undefined ? '' : both ? (leading?.[0] ?? '') : (leading?.[1] ?? '');
  const text = first === undefined ? message : `${first.shown}${message.slice(lead.length)}`;
  const later = new Map<string, OptionSetting>();
  for (const [, flag = ''] of message.slice(lead.length).matchAll(FLAG)) {
    const s = origins.get(flag);
    if (s !== undefined && s.origin !== first?.origin && ![...later.values()].some((x) => x.origin === s.origin)) later.set(flag, s);
  }
  if (later.size === 0) return text;
  return `${text} (${[...later].map(([flag, s]) => `${flag} comes from ${s.origin}`).join(', ')})`;
}

/** The same error with every message naming its options' sources (see nameOrigins); anything else as it was. */
export function withOrigins(e: unknown, origins: OptionOrigins): unknown {
  if (e instanceof ConfigErrors) return new ConfigErrors(e.problems.map((p) => new ConfigError(p.code, nameOrigins(p.message, origins))));
  if (e instanceof ConfigError) return new ConfigError(e.code, nameOrigins(e.message, origins));
  return e;
}
