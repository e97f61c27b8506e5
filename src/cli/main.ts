import { readFileSync } from 'node:fs';
import { CommanderError } from 'commander';
import { isConfigError, ConfigError, ConfigErrors } from '../core/errors.js';
import { buildRunCommand, type RawRunOptions } from './args.js';
import { validateRunOptions } from './run-config.js';
import { writableOutputPaths } from './writable-output-paths.js';
import { refuseOptionConflicts } from './option-conflicts.js';
import { applyOptionSources, environmentSource, optionSources, withOrigins, type OptionSetting } from './option-sources.js';
import { addCustomOptions, declaredOptions, parsedCustomOptions, testFileFromArgv } from './custom-options.js';
import { stripControl } from '../report/console-text.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Prints configuration problems one per line and returns exit code 2 (never a stack trace). */
function usageFailure(e: unknown): number {
  const problems = e instanceof ConfigErrors ? e.problems : [e as ConfigError];
  for (const p of problems) process.stderr.write(`error: ${stripControl(p.message)}\n`);
  return 2;
}

/** `run-load-tests`: returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const debug = argv.some((a, i) => (a === '--loglevel' || a === '-L') && argv[i + 1]?.toLowerCase() === 'debug');
  if (argv[0] === 'capacity') return withExitCodes(debug, () => import('./capacity-command.js').then((m) => m.capacityMain(argv.slice(1), VERSION)));
  if (argv[0] === 'replay') return withExitCodes(debug, () => import('./replay-command.js').then((m) => m.replayMain(argv.slice(1), VERSION)));
  if (argv[0] === 'suite') return withExitCodes(debug, () => import('./suite-command.js').then((m) => m.suiteMain(argv.slice(1), VERSION)));
  return withExitCodes(debug, () => runCommand(argv));
}

/** A message about an option set in a config file or a BROOD_* variable names that source, not a flag nobody typed. */
async function runCommand(argv: readonly string[]): Promise<number> {
  const origins = new Map<string, OptionSetting>();
  try {
    return await runWithSources(argv, origins);
  } catch (e) {
    throw withOrigins(e, origins);
  }
}

async function runWithSources(argv: readonly string[], origins: Map<string, OptionSetting>): Promise<number> {
  const cmd = buildRunCommand(VERSION).exitOverride().configureOutput({
    writeErr: (s) => process.stderr.write(s.split('\n')[0] + '\n'),
  });
  // The test file's own options must be known before parsing, for --help and for the parser.
  const file = testFileFromArgv(argv);
  const fileVariable = environmentSource(process.env, new Set(['file', 'locustfile'])).settings;
  if (file !== null && testFileFromArgv(argv, {}) === null) origins.set('-f', fileVariable.find((s) => s.key === 'file') ?? (fileVariable[0] as OptionSetting));
  const custom = file === null ? {} : await declaredOptions(file, cmd);
  addCustomOptions(cmd, custom);
  cmd.parse([...argv], { from: 'user' });
  const applied = applyOptionSources(cmd, optionSources(cmd, cmd.opts<RawRunOptions>().config));
  for (const [flag, setting] of applied.origins) origins.set(flag, setting);
  const settingsFrom = applied.lines;
  const raw: RawRunOptions = {
    ...cmd.opts<RawRunOptions>(),
    userClassNames: cmd.processedArgs[0] as string[] | undefined,
    settingsFrom,
    customOptions: parsedCustomOptions(cmd, custom),
  };
  if (raw.listScenarios) return listScenarios();
  const config = validateRunOptions(raw);
  if (config.distributed?.role === 'worker') return (await import('./worker-command.js')).workerMain(cmd, config, VERSION);
  // Loaded only now: it brings the whole public API (every protocol's client), which --help, a
  // bad option and --list-scenarios do not need (bench/startup.ts).
  const { resolveTest } = await import('../loading/resolve-test.js');
  const test = await resolveTest(config);
  if (raw.list) {
    for (const c of test.userClasses as Array<{ name: string }>) process.stdout.write(`${c.name}\n`);
    return 0;
  }
  refuseOptionConflicts(raw, config, test);
  const paths = writableOutputPaths(config);
  if (config.web !== null) return (await import('./web-command.js')).webMain(config, test, raw, VERSION, argv);
  const { runJob } = await import('./run-command.js');
  return runJob(config, test, paths, VERSION, argv);
}

/**
 * The CLI's error discipline, for the main command and every subcommand alike: usage and
 * configuration problems are one line each and exit 2 (never a stack trace); anything else is a
 * brood bug, exit 3, with the stack only under --loglevel debug.
 */
async function withExitCodes(debug: boolean, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (isConfigError(e)) return usageFailure(e);
    const err = e instanceof Error ? e : new Error(String(e));
    process.stderr.write(`error: internal error: ${stripControl(err.message)} (a brood bug; run with --loglevel debug for the stack)\n`);
    if (debug) process.stderr.write(`${err.stack ?? ''}\n`);
    return 3;
  }
}

async function listScenarios(): Promise<number> {
  const { SCENARIOS } = await import('../../scenarios/index.js');
  const { scenarioListing } = await import('./scenario-list.js');
  for (const line of scenarioListing(SCENARIOS)) process.stdout.write(`${line}\n`);
  return 0;
}
