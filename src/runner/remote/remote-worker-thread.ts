/**
 * One thread of `run-load-tests --worker --processes N`: a whole remote worker (remote-worker.ts) of
 * its own, with its own broker connection, so the master sees N workers on this machine and places
 * users on each; the process's main thread only starts them and relays their lines.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runRemoteWorker, type RemoteWorkerOptions } from './remote-worker.js';

/** What the main thread sends: the options (but print and signal), and 'stop' on Ctrl-C. */
export type RemoteWorkerThreadData = Omit<RemoteWorkerOptions, 'print' | 'signal'>;
export type FromRemoteWorkerThread = { line: string } | { code: number };

if (!parentPort) throw new Error('remote-worker-thread.js runs only as a worker thread');
const port = parentPort;
const abort = new AbortController();
port.on('message', (m: unknown) => {
  if (m === 'stop') abort.abort();
});
const post = (m: FromRemoteWorkerThread): void => port.postMessage(m);
runRemoteWorker({ ...(workerData as RemoteWorkerThreadData), signal: abort.signal, print: (line) => post({ line }) }).then(
  (code) => post({ code }),
  (e: unknown) => {
    post({ line: `error: ${e instanceof Error ? e.message : String(e)}` });
    post({ code: 2 });
  },
);
