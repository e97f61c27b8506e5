/**
 * Runs inside the worker thread started by worker-host.ts: starts the demo server with the options
 * from workerData and reports back. Importing this file outside a worker does nothing.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { DemoServerOptions } from './options.js';
import { startDemoServer } from './server.js';
import type { HostToWorker, WorkerToHost } from './worker-messages.js';

async function main(): Promise<void> {
  const port = parentPort;
  if (port === null) return;
  const send = (message: WorkerToHost): void => port.postMessage(message);
  try {
    const server = await startDemoServer(workerData as Partial<DemoServerOptions>);
    port.on('message', (message: HostToWorker) => {
      if (message.type !== 'close') return;
      server.close().then(
        () => send({ type: 'closed' }),
        (error: unknown) => send({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
      );
    });
    send({ type: 'listening', url: server.url, port: server.port });
  } catch (error) {
    send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
}

void main();
