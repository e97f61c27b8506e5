/**
 * `run-load-tests suite NAME|FILE` (issue 22): the seed's `make load-test`. The runs of a suite
 * file go one after another, each a `--targets FILE --target-rate N -t D` run with its own files
 * and exit code, against one built-in demo server for all of them (or -H); then one table of every
 * run, read back from each run's own JSON file, and the same as JSON. The exit code is the worst
 * run's. Ctrl-C stops the run in progress (its files are written) and starts no other.
 */
import { dirname } from 'node:path';
import { Command, Option } from 'commander';
import { isConfigError, ConfigError, ConfigErrors } from '../core/errors.js';
import { formatDuration } from '../core/duration.js';
import { startDemoServerProcess } from '../demo-server/process-host.js';
import type { RunningDemoServer } from '../demo-server/server.js';
import { probeHost } from '../http/probe.js';
import { suiteRunTest } from '../loading/load-suite.js';
import { writeFileAtomic } from '../report/atomic-write.js';
import { stripControl } from '../report/console-text.js';
import { makeDirectories } from '../report/make-directories.js';
import { readSuiteRunFigures } from '../report/suite-run-figures.js';
import { suiteJson, suiteTable, worstExitCode, type SuiteRunRow } from '../report/suite-summary.js';
import { sig3 } from '../report/number-format.js';
import { onStopSignals, runJob } from './run-command.js';
import { planSuite, type PlannedRun, type RawSuiteOptions, type SuitePlan } from './suite-plan.js';

const print = (line: string): void => void process.stdout.write(`${line}\n`);

function suiteCommand(): Command {
  return new Command('run-load-tests suite')
    .description("Run a suite's runs one after another (the seed's make load-test): each writes its own files, then one summary table of all; the exit code is the worst run's.")
    .argument('<suite>', 'a suite file (ending in .toml) or a shipped suite\'s name, e.g. vegeta-api')
    .option('-H, --host <url>', 'send every target\'s path and query here (default: one built-in demo server for all runs)')
    .option('-t, --time <duration>', 'cap every run at this long, e.g. -t 3s for a short pass in CI (a shorter run keeps its own)')
    .option('--only <names>', 'run only these runs, in the file\'s order: --only heavy, --only light,heavy or --only light --only heavy', (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .option('--csv <prefix>', 'name every file PREFIX_<run>_stats.csv, PREFIX_<run>.json, …, and the summary PREFIX.json')
    .option('--results-dir <dir>', 'directory of the default names, <suite>_<stamp>_<run>… (default results/)')
    .option('--json <file>', 'the suite summary JSON (default: beside the runs\' files, PREFIX.json)')
    .option('--request-timeout <seconds>', 'per-request timeout (default 60)')
    .option('-L, --loglevel <level>', 'debug, info, warning or error')
    .option('--only-summary', 'no live lines')
    .addOption(new Option('--continue-on-unreachable').hideHelp())
    .addHelpText('after', [
      '',
      'Examples:',
      '  run-load-tests suite vegeta-api                       the seed\'s four API levels against the built-in demo server',
      '  run-load-tests suite vegeta-api -t 3s --only-summary  every run cut to 3 s (CI)',
      '  run-load-tests suite vegeta-api --only heavy -H http://127.0.0.1:8000',
      '  run-load-tests suite my-suite.toml --csv results/nightly',
    ].join('\n'))
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s.split('\n')[0] + '\n') });
}

/** `run-load-tests suite …`: returns the worst run's exit code (2 on bad input before any run). */
export async function suiteMain(argv: readonly string[], version: string): Promise<number> {
  const cmd = suiteCommand();
  cmd.parse([...argv], { from: 'user' });
  const plan = planSuite(cmd.processedArgs[0] as string, cmd.opts<RawSuiteOptions>(), new Date());
  await probeSuiteHost(plan);
  // Every check passed: from here on, each run writes its files.
  const demo: RunningDemoServer | null = plan.base.host === null ? await startDemoServerProcess({ port: 0 }) : null;
  const host = plan.base.host ?? demo?.url ?? '';
  if (demo) print(`No -H given: started the built-in demo server at ${host}, one for every run`);
  const startedAt = new Date();
  let interrupted = false;
  // Beside each run's own handler (which stops that run): no run starts after a Ctrl-C.
  const signals = onStopSignals(() => void (interrupted = true));
  const rows: SuiteRunRow[] = [];
  try {
    for (const [i, planned] of plan.runs.entries()) {
      if (interrupted) rows.push(row(planned, 'not run', null, 'not started: the suite was interrupted'));
      else rows.push(await runOne(plan, planned, i, { version, argv, demoUrl: demo?.url }));
    }
  } finally {
    signals.release();
    await demo?.close();
  }
  return reportSuite(plan, rows, { host, startedAt, interrupted });
}

/** -H is probed once before anything starts: a wrong host is one line, not four runs that cannot start. */
async function probeSuiteHost(plan: SuitePlan): Promise<void> {
  const host = plan.base.host;
  if (host === null || plan.base.continueOnUnreachable) return;
  const unreachable = await probeHost(host);
  if (unreachable !== null) throw new ConfigError('BAD_HOST', `cannot reach ${host} (${unreachable}): is the server running? (without -H the suite runs against the built-in demo server)`);
}

function row(p: PlannedRun, status: SuiteRunRow['status'], exitCode: number | null, note: string | null): SuiteRunRow {
  return { name: p.run.name, rate: p.run.rate, durationSec: p.durationSec, declaredDurationSec: p.run.durationSec, status, exitCode, figures: null, json: null, note };
}

/** One run, as any run goes (its header, live lines, tables and files), then its figures from its JSON file. */
async function runOne(plan: SuitePlan, p: PlannedRun, i: number, run: { version: string; argv: readonly string[]; demoUrl: string | undefined }): Promise<SuiteRunRow> {
  print('');
  print(`=== Suite ${plan.suite.name}, run ${i + 1} of ${plan.runs.length}: ${p.run.name}, ${sig3(p.run.rate)} req/s for ${formatDuration(p.durationSec)} ===`);
  let exitCode: number;
  try {
    const test = suiteRunTest(plan.suite, p.run, p.durationSec);
    exitCode = await runJob(p.config, test, p.paths, run.version, ['suite', ...run.argv], run.demoUrl === undefined ? {} : { demoUrl: run.demoUrl });
  } catch (e) {
    // Refused at its start (the host went away since the suite began): said as bad input is, and the suite goes on.
    if (!isConfigError(e)) throw e;
    const problems = e instanceof ConfigErrors ? e.problems : [e];
    for (const problem of problems) process.stderr.write(`error: ${stripControl(problem.message)}\n`);
    return row(p, 'refused', 2, `refused: ${problems[0]?.message ?? 'bad input'}`);
  }
  const figures = readSuiteRunFigures(p.paths.json);
  if (typeof figures === 'string') return row(p, 'ran', exitCode, `no figures: ${figures}`);
  return { ...row(p, 'ran', exitCode, null), figures, json: p.paths.json };
}

/** The table of every run, its JSON beside the runs' files, and the worst exit code. */
function reportSuite(plan: SuitePlan, rows: SuiteRunRow[], run: { host: string; startedAt: Date; interrupted: boolean }): number {
  const exitCode = worstExitCode(rows.map((r) => r.exitCode));
  const report = {
    suite: plan.suite.name, description: plan.suite.description, file: plan.suite.file, targetsFile: plan.suite.targetsShown,
    host: run.host, startedAt: run.startedAt, endedAt: new Date(), durationCapSec: plan.capSec, interrupted: run.interrupted, exitCode, rows,
  };
  print('');
  for (const line of suiteTable(report)) print(line);
  makeDirectories(dirname(plan.summaryJson));
  writeFileAtomic(plan.summaryJson, `${JSON.stringify(suiteJson(report), null, 2)}\n`);
  print(`Suite summary: ${plan.summaryJson}`);
  return exitCode;
}
