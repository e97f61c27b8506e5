/**
 * Messages between startDemoServerProcess() and its child process over the IPC channel (advanced
 * serialization, so options such as NaN reach the child's validation as they were given).
 */
import type { DemoServerOptions } from './options.js';

export type HostToProcess =
  | { type: 'start'; options: Partial<DemoServerOptions> }
  | { type: 'close' };

export type ProcessToHost =
  | { type: 'listening'; url: string; port: number }
  | { type: 'closed' }
  | { type: 'error'; message: string };
