import { parseDecimal } from '../core/decimal.js';
import { relative } from 'node:path';
import { Command, Option } from 'commander';
import { MAX_DURATION_SEC, MAX_DURATION_TEXT } from '../core/duration.js';
import { ConfigError } from '../core/errors.js';
import { parseTrace } from '../core/trace-records.js';
import { readTextFile } from '../loading/read-text-file.js';
import { writableOutputPaths } from './writable-output-paths.js';
import type { ResolvedTest } from '../loading/resolve-test.js';
import { validateRunOptions } from './run-config.js';

interface RawReplayOptions {
  trace?: string;
  rateMultiplier?: string;
  host?: string;
  time?: string;
  csv?: string;
  html?: string;
  json?: string;
  logfile?: string;
  resultsDir?: string;
  stopTimeout?: string;
  requestTimeout?: string;
  loglevel?: string;
  onlySummary?: boolean;
  continueOnUnreachable?: boolean;
}

function replayCommand(): Command {
  return new Command('run-load-tests replay')
    .description('Replay a recorded trace (--record-trace, or converted access logs) with its timing scaled, open-model.')
    .requiredOption('--trace <file>', 'JSON-lines trace, e.g. --trace trace.jsonl')
    .option('--rate-multiplier <x>', 'speed: 2.0 sends everything twice as fast (default 1.0)')
    .option('-H, --host <url>', 'target (default: the built-in demo server)')
    .option('-t, --time <duration>', 'stop after this long even if the trace goes on')
    .option('--csv <prefix>', 'CSV prefix, e.g. --csv results/replay')
    .option('--html <file>', 'HTML report file')
    .option('--json <file>', 'JSON summary file')
    .option('--logfile <file>', 'run log file (default: PREFIX.log)')
    .option('--results-dir <dir>', 'directory for default output files (default results/)')
    .option('--stop-timeout <duration>', 'wait this long for requests in flight at the end (default 10s)')
    .option('--request-timeout <seconds>', 'per-request timeout (default 60)')
    .option('-L, --loglevel <level>', 'debug, info, warning or error')
    .option('--only-summary', 'no live lines')
    .addOption(new Option('--continue-on-unreachable').hideHelp())
    .addHelpText('after', '\nExample:\n  run-load-tests replay --trace trace.jsonl --rate-multiplier 2.0 -H http://127.0.0.1:8000 --csv results/replay')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s.split('\n')[0] + '\n') });
}

/** `run-load-tests replay …`: resolves the trace into an open-model test and runs it like any run. */
export async function replayMain(argv: readonly string[], version: string): Promise<number> {
  const cmd = replayCommand();
  cmd.parse([...argv], { from: 'user' });
  const raw = cmd.opts<RawReplayOptions>();
  const multiplier = raw.rateMultiplier === undefined ? 1 : parseDecimal(raw.rateMultiplier);
  if (!Number.isFinite(multiplier) || multiplier <= 0) {
    throw new ConfigError('BAD_NUMBER', `--rate-multiplier "${raw.rateMultiplier}" must be a positive number`);
  }
  const file = raw.trace as string;
  const shown = relative(process.cwd(), file) || file;
  // V8's longest string is ~512 MiB: a bigger trace is refused by name, not an "internal error".
  const text = readTextFile(file, { kind: 'trace file', shown, flag: '--trace', maxBytes: 512 * 1024 * 1024 });
  const records = parseTrace(text, shown);
  const { host, time, csv, html, json, logfile, resultsDir, stopTimeout, requestTimeout, loglevel, onlySummary, continueOnUnreachable } = raw;
  const config = validateRunOptions({ host, time, csv, html, json, logfile, resultsDir, stopTimeout, requestTimeout, loglevel, onlySummary, continueOnUnreachable });
  const lastT = records.at(-1)?.t ?? 0;
  // Without -t the run lasts until the last request is sent: a tiny multiplier would make it endless.
  if (config.runTimeSec === null && lastT / multiplier > MAX_DURATION_SEC) {
    throw new ConfigError('BAD_NUMBER', `--rate-multiplier "${raw.rateMultiplier}" would send the trace's last request (t = ${lastT} s) after ${(lastT / multiplier).toPrecision(3)} s, past the longest run brood accepts (${MAX_DURATION_TEXT}): use a larger multiplier, or -t to stop earlier`);
  }
  const span = Math.max(lastT / multiplier, 1e-3);
  const test: ResolvedTest = {
    userClasses: [],
    shape: null,
    shapeName: null,
    targets: [],
    scenario: `replay of ${shown} ×${multiplier}`,
    testFile: shown,
    users: 0,
    spawnRate: 1,
    runTimeSec: config.runTimeSec,
    arrival: {
      pattern: { pattern: 'constant', rate: records.length / span },
      pool: { maxUsers: null, preAllocatedUsers: null },
      p99Ms: null,
      maxErrorRate: null,
      expectedThroughput: null,
      replay: { records, rateMultiplier: multiplier },
    },
  };
  const paths = writableOutputPaths(config);
  const { runJob } = await import('./run-command.js');
  return runJob(config, test, paths, version, ['replay', ...argv]);
}
