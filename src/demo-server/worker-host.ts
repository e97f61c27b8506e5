/**
 * The demo server in a worker thread, so the load generator and the system under test do not
 * share one event loop (a saturated generator would otherwise show up as server latency).
 */
import { Worker } from 'node:worker_threads';
import type { DemoServerOptions } from './options.js';
import type { RunningDemoServer } from './server.js';
import type { HostToWorker, WorkerToHost } from './worker-messages.js';

const CLOSE_TIMEOUT_MS = 5_000;

/** Beside this file: worker-entry.js once compiled to dist/, worker-entry.ts when run from source (tsx). */
function workerEntryUrl(): URL {
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./worker-entry${extension}`, import.meta.url);
}

export async function startDemoServerInWorker(options: Partial<DemoServerOptions> = {}): Promise<RunningDemoServer> {
  const worker = new Worker(workerEntryUrl(), { workerData: { ...options } });
  const { url, port } = await new Promise<{ url: string; port: number }>((resolve, reject) => {
    const onExit = (code: number): void => reject(new Error(`demo server worker exited with code ${code} before listening`));
    worker.once('error', reject);
    worker.once('exit', onExit);
    worker.once('message', (message: WorkerToHost) => {
      worker.off('error', reject);
      worker.off('exit', onExit);
      if (message.type === 'listening') resolve({ url: message.url, port: message.port });
      else {
        void worker.terminate();
        reject(new Error(message.type === 'error' ? message.message : 'demo server worker closed before listening'));
      }
    });
  });
  // A crash after start-up must not become an unhandled 'error' event that kills the load generator.
  worker.on('error', (error) => process.stderr.write(`brood demo server worker failed: ${error.message}\n`));
  let closing: Promise<void> | undefined;
  return { url, port, close: () => (closing ??= closeWorker(worker)) };
}

async function closeWorker(worker: Worker): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, CLOSE_TIMEOUT_MS);
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    worker.once('message', done);
    worker.once('exit', done);
    worker.postMessage({ type: 'close' } satisfies HostToWorker);
  });
  // The entry keeps its message port open; terminating is the clean way to end the thread.
  await worker.terminate();
}
