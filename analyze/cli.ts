/**
 * The analyze-results command line: `analyze-results RUN…` (the analysis), `analyze-results
 * capacity RUN…` (capacity curve) and `analyze-results report RUN` (HTML report). Exit codes: 0
 * fine, 1 a target missed or a regression flagged, 2 unreadable input or bad usage (one line
 * `error: …`, never a stack trace), 3 an internal error.
 */
import { CommanderError, type Command } from 'commander';
import { analyzeProgram, runAnalyze } from './analyze-command.js';
import { AnalyzeError } from './analyze-error.js';
import { capacityProgram, runCapacity } from './capacity-command.js';
import { PROCESS_IO, type CliIo } from './cli-io.js';
import { reportProgram, runReport } from './report-command.js';

type Action = (program: Command) => number;

function commandFor(argv: readonly string[], io: CliIo): { program: Command; args: string[]; action: Action } {
  const [first, ...rest] = argv;
  if (first === 'capacity') {
    return { program: capacityProgram(), args: rest, action: (p) => runCapacity(p.processedArgs[0] as string[], p.opts(), io) };
  }
  if (first === 'report') {
    return { program: reportProgram(), args: rest, action: (p) => runReport(p.processedArgs[0] as string, p.opts(), io, Date.now()) };
  }
  return { program: analyzeProgram(), args: [...argv], action: (p) => runAnalyze(p.processedArgs[0] as string[], p.opts(), io) };
}

function oneLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? text;
  return line.trim().replace(/^error:\s*/, '');
}

export async function main(argv: readonly string[], io: CliIo = PROCESS_IO): Promise<number> {
  const { program, args, action } = commandFor(argv, io);
  let commanderError = '';
  program.exitOverride().configureOutput({ writeOut: (t) => io.out(t), writeErr: (t) => (commanderError += t) });
  let code = 0;
  program.action(() => {
    code = action(program);
  });
  try {
    await program.parseAsync([...args], { from: 'user' });
    return code;
  } catch (err: unknown) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return 0;
      io.err(`error: ${oneLine(commanderError || err.message)} (see --help)\n`);
      return 2;
    }
    if (err instanceof AnalyzeError) {
      io.err(`error: ${err.message}\n`);
      return 2;
    }
    io.err(`error: internal error: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}\n`);
    return 3;
  }
}
