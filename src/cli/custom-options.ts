/**
 * Command-line options a test file declares for itself (Locust's `@events.init_command_line_parser`
 * with `parser.add_argument(...)`):
 *
 *   export const options = { 'my-argument': { type: 'string', default: 'x', help: 'what it is for' } };
 *
 * They are read before the command line is parsed (the file is found from -f), so they appear in
 * `--help`, are accepted as flags, in brood.conf and as BROOD_MY_ARGUMENT, and reach users as
 * `this.environment.parsedOptions.myArgument`. An option nobody declared is still refused.
 */
import { parseDecimal } from '../core/decimal.js';
import { Option, type Command } from 'commander';
import { ConfigError, ConfigErrors } from '../core/errors.js';
import { loadTestModule } from '../loading/load-module.js';

export type CustomOptionType = 'string' | 'number' | 'integer' | 'boolean';

export interface CustomOptionSpec {
  type?: CustomOptionType;
  default?: string | number | boolean;
  help?: string;
  /** The values a string option may take. */
  choices?: readonly string[];
}

export type CustomOptions = Readonly<Record<string, CustomOptionSpec>>;

const TYPES: readonly CustomOptionType[] = ['string', 'number', 'integer', 'boolean'];
const SPEC_KEYS = new Set(['type', 'default', 'help', 'choices']);

/** The test file the command line names (-f FILE, -f=FILE, --file, --locustfile), or BROOD_FILE / BROOD_LOCUSTFILE; null when none. */
export function testFileFromArgv(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): string | null {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '-f' || a === '--file' || a === '--locustfile') return argv[i + 1] ?? null;
    const m = /^(?:-f|--file|--locustfile)=(.+)$/.exec(a);
    if (m) return m[1] ?? null;
  }
  return env.BROOD_FILE ?? env.BROOD_LOCUSTFILE ?? null;
}

/** `my-argument` → `myArgument`, the name users read it by. */
export function camelName(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function specProblems(file: string, name: string, spec: unknown, builtIn: ReadonlySet<string>): string[] {
  const at = `${file}: options['${name}']`;
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) return [`${at}: an option name is lower-case words joined by '-' (e.g. 'my-argument')`];
  if (builtIn.has(name)) return [`${at}: --${name} is one of run-load-tests' own options: choose another name`];
  if (typeof spec !== 'object' || spec === null) return [`${at} must be { type, default, help }`];
  const s = spec as Record<string, unknown>;
  const problems: string[] = [];
  for (const k of Object.keys(s)) if (!SPEC_KEYS.has(k)) problems.push(`${at}: unknown key '${k}' (known: type, default, help, choices)`);
  const type = (s.type ?? 'string') as CustomOptionType;
  if (!TYPES.includes(type)) problems.push(`${at}: type must be one of ${TYPES.join(', ')}`);
  if (s.help !== undefined && typeof s.help !== 'string') problems.push(`${at}: help must be a string`);
  if (s.choices !== undefined && (!Array.isArray(s.choices) || !s.choices.every((c) => typeof c === 'string'))) problems.push(`${at}: choices must be an array of strings`);
  if (s.default !== undefined) {
    const ok = type === 'boolean' ? typeof s.default === 'boolean' : type === 'string' ? typeof s.default === 'string' : typeof s.default === 'number';
    if (!ok) problems.push(`${at}: default must be a ${type === 'integer' ? 'number' : type}`);
  }
  return problems;
}

/** The options `file` declares, checked (every problem at once, one line each); {} when it declares none. */
export async function declaredOptions(file: string, cmd: Command): Promise<CustomOptions> {
  const mod = await loadTestModule(file);
  const declared = mod.options;
  if (declared === null) return {};
  if (typeof declared !== 'object' || Array.isArray(declared)) {
    throw new ConfigError('BAD_ARGUMENT', `${mod.file}: "options" must be an object: { 'my-argument': { type: 'string', default: 'x', help: '…' } }`);
  }
  const builtIn = new Set(cmd.options.map((o) => (o.long ?? '').replace(/^--(no-)?/, '')));
  const problems = Object.entries(declared).flatMap(([name, spec]) => specProblems(mod.file, name, spec, builtIn));
  if (problems.length > 0) throw new ConfigErrors(problems.map((p) => new ConfigError('BAD_ARGUMENT', p)));
  return declared as CustomOptions;
}

/** Adds the declared options to the command, so --help lists them and the parser accepts them. */
export function addCustomOptions(cmd: Command, options: CustomOptions): void {
  for (const [name, spec] of Object.entries(options)) {
    const type = spec.type ?? 'string';
    const help = `${spec.help ?? 'declared by the test file'} (test file option${spec.default !== undefined ? `, default ${String(spec.default)}` : ''})`;
    const option = type === 'boolean' ? new Option(`--${name}`, help) : new Option(`--${name} <${type === 'string' ? 'value' : 'n'}>`, help);
    if (spec.choices) option.choices(spec.choices);
    cmd.addOption(option);
  }
}

/** The declared options' values (flag, config file, BROOD_* variable, else default), typed; by camelCase name. */
export function parsedCustomOptions(cmd: Command, options: CustomOptions): Record<string, string | number | boolean | null> {
  const values = cmd.opts<Record<string, unknown>>();
  const out: Record<string, string | number | boolean | null> = {};
  const problems: ConfigError[] = [];
  for (const [name, spec] of Object.entries(options)) {
    const key = camelName(name);
    const raw = values[key];
    const type = spec.type ?? 'string';
    if (raw === undefined) {
      out[key] = spec.default ?? (type === 'boolean' ? false : null);
      continue;
    }
    if (type === 'boolean') {
      out[key] = raw === true || raw === 'true' || raw === 'yes';
      continue;
    }
    // Any value as Python's str() would write it, as requests and Locust do for headers and params.
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    const text = String(raw);
    if (type === 'string') {
      out[key] = text;
      continue;
    }
    const n = parseDecimal(text);
    if (text.trim() === '' || !Number.isFinite(n) || (type === 'integer' && !Number.isInteger(n))) {
      problems.push(new ConfigError('BAD_NUMBER', `--${name} "${text}" must be ${type === 'integer' ? 'a whole number' : 'a number'}`));
      continue;
    }
    out[key] = n;
  }
  if (problems.length > 0) throw new ConfigErrors(problems);
  return out;
}
