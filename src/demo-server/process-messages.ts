/**
 * Messages between startDemoServerProcess() and its child process over the IPC channel (advanced
 * serialization, so options such as NaN reach the child's validation as they were given). The
 * child answers with the worker thread's messages: one protocol for both hosts.
 */
import type { DemoServerOptions } from './options.js';
import type { WorkerToHost } from './worker-messages.js';

export type HostToProcess =
  | { type: 'start'; options: Partial<DemoServerOptions> }
  | { type: 'close' };

export type ProcessToHost = WorkerToHost;
