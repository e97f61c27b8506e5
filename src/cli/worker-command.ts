import type { Command } from 'commander';
import { ConfigError } from '../core/errors.js';
import { resolveTest } from '../loading/resolve-test.js';
import { Worker } from 'node:worker_threads';
import { BrokerConnection } from '../broker/broker-connection.js';
import { runRemoteWorker } from '../runner/remote/remote-worker.js';
import type { FromRemoteWorkerThread, RemoteWorkerThreadData } from '../runner/remote/remote-worker-thread.js';
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
  refuseMasterOptions(cmd);
  // Its own -f must load here (one line naming file:line when not), before it joins anything.
  if (config.file !== null) await resolveTest({ ...config, shape: null });
  const abort = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    process.stderr.write(`${signal} received: this worker stops its users and leaves the run (the master starts them again on the other workers)\n`);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const options = { broker: d.broker, runId: d.runId, file: config.file, version, brokerTimeoutMs: d.brokerTimeoutSec * 1000 };
  const print = (line: string): void => void process.stdout.write(`${line}\n`);
  try {
    if (config.processes <= 1) return await runRemoteWorker({ ...options, signal: abort.signal, print });
    // An unreachable broker or a wrong password: one line before any thread starts.
    await BrokerConnection.check(d.broker, 'brood-worker-check');
    return await workerThreads(config.processes, options, abort.signal, print);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Run flags and class names belong to the master: given to a worker they would be ignored, so they are refused. */
export function refuseMasterOptions(cmd: Command): void {
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
}

/**
 * `--worker --processes N`: N threads, each a worker of its own (remote-worker-thread.ts), so the
 * users of this machine spread over its cores. The exit code is the worst of theirs.
 */
function workerThreads(count: number, options: RemoteWorkerThreadData, signal: AbortSignal, print: (line: string) => void): Promise<number> {
  const entry = new URL('../runner/remote/remote-worker-thread.js', import.meta.url);
  const runs = Array.from({ length: count }, (_, i) => {
    const thread = new Worker(entry, { workerData: { ...options, thread: i + 1 } satisfies RemoteWorkerThreadData });
    signal.addEventListener('abort', () => thread.postMessage('stop'), { once: true });
    return new Promise<number>((resolve) => {
      let code = 1;
      thread.on('message', (m: FromRemoteWorkerThread) => {
        if ('line' in m) print(m.line);
        else {
          code = m.code;
          void thread.terminate();
        }
      });
      thread.on('error', (e) => print(`error: worker thread ${i + 1} failed: ${e.message}`));
      thread.on('exit', () => resolve(code));
    });
  });
  return Promise.all(runs).then((codes) => Math.max(...codes));
}
