import type { Command } from 'commander';
import { ConfigError } from '../core/errors.js';
import { resolveTest } from '../loading/resolve-test.js';
import { runRemoteWorker } from '../runner/remote/remote-worker.js';
import type { RunConfig } from './run-config.js';

/** What a --worker takes from its own command line; everything else about the run is the master's. */
const WORKER_OPTIONS = new Set(['worker', 'broker', 'runId', 'brokerTimeout', 'file', 'locustfile', 'processes', 'loglevel', 'config']);

/**
 * `run-load-tests --worker --broker URL [-f FILE]`: one worker of a distributed run (remote-worker.ts).
 * Run flags belong to the master: given here they would be ignored, so they are refused.
 */
export async function workerMain(cmd: Command, config: RunConfig, version: string): Promise<number> {
  const d = config.distributed;
  if (d?.role !== 'worker') throw new Error('internal: workerMain without --worker');
  const masters = cmd.options.filter((o) => {
    const source = cmd.getOptionValueSource(o.attributeName());
    return source !== undefined && source !== 'default' && !WORKER_OPTIONS.has(o.attributeName());
  });
  const first = masters[0];
  if (first !== undefined) {
    throw new ConfigError('BAD_ARGUMENT', `${first.long ?? first.flags} is the master's to set: a --worker takes its part of the run from the master (give ${first.long ?? first.flags} to the master)`);
  }
  if (((cmd.processedArgs[0] as string[] | undefined) ?? []).length > 0) {
    throw new ConfigError('BAD_ARGUMENT', 'user class names are the master\'s to choose: give them to the master, not the --worker');
  }
  if (config.processes > 1) {
    throw new ConfigError('BAD_ARGUMENT', `--processes ${config.processes} on a --worker is not supported yet: start ${config.processes} workers on this machine instead (each uses one core)`);
  }
  // Its own -f must load here (one line naming file:line when not), before it joins anything.
  if (config.file !== null) await resolveTest({ ...config, shape: null });
  const abort = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    process.stderr.write(`${signal} received: this worker stops its users and leaves the run (the master starts them again on the other workers)\n`);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await runRemoteWorker({
      broker: d.broker,
      runId: d.runId,
      file: config.file,
      version,
      brokerTimeoutMs: d.brokerTimeoutSec * 1000,
      signal: abort.signal,
      print: (line) => void process.stdout.write(`${line}\n`),
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
