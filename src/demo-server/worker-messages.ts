/** Messages between startDemoServerInWorker() and its worker thread: a discriminated union. */
export type HostToWorker = { type: 'close' };

export type WorkerToHost =
  | { type: 'listening'; url: string; port: number }
  | { type: 'closed' }
  | { type: 'error'; message: string };
