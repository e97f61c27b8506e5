/**
 * runner/workers/: the worker threads of `--processes N`. This file is a worker thread's program
 * (worker-run.ts is what it runs, over the thread's MessagePort); the main thread's side is
 * worker-user-host.ts (closed-model users, stats merged as they come) and remote-open-pool.ts (the
 * open model's pool spread over the workers); worker-protocol.ts is every message between the two;
 * job/job-workers.ts starts them for a job.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { MainToWorker, WorkerSetup } from './worker-protocol.js';
import { runWorker } from './worker-run.js';

if (!parentPort) throw new Error('worker-entry.js runs only as a worker thread');
const port = parentPort;

void runWorker(workerData as WorkerSetup, {
  post: (m) => port.postMessage(m),
  onMessage: (handler) => port.on('message', (m: MainToWorker) => handler(m)),
  close: () => port.close(),
});
