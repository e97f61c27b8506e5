/**
 * The demo server as its own OS process, so what a run measures of the system under test (RSS and
 * CPU by /proc/PID, its /metrics) is the server's alone: in a worker thread it would share
 * brood's process, and its memory and CPU would be the generator's too.
 *
 * The child is detached (its own process group: the terminal's Ctrl-C, aimed at brood, does not
 * reach it, so it keeps serving while brood's users finish) and ignores SIGINT; it ends when
 * close() tells it to, or by itself as soon as its IPC channel drops (brood gone, even by kill -9).
 * Its stderr is brood's (a crash must be visible), its stdout is dropped.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { resolveDemoServerOptions, type DemoServerOptions } from './options.js';
import type { HostToProcess, ProcessToHost } from './process-messages.js';
import type { RunningDemoServer } from './server.js';

const CLOSE_TIMEOUT_MS = 5_000;

export interface RunningDemoServerProcess extends RunningDemoServer {
  /** The child process's PID (never brood's own). */
  pid: number;
}

/** Beside this file: process-entry.js once compiled to dist/, process-entry.ts with tsx's loader when run from source. */
function processEntry(): { path: string; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith('.ts');
  const path = fileURLToPath(new URL(`./process-entry${fromSource ? '.ts' : '.js'}`, import.meta.url));
  // Resolved from here, not from the user's working directory, which may have no tsx. Nothing else of
  // brood's own execArgv (--inspect ports, test-runner flags) is the server's business.
  return { path, execArgv: fromSource ? ['--import', import.meta.resolve('tsx')] : [] };
}

export async function startDemoServerProcess(options: Partial<DemoServerOptions> = {}): Promise<RunningDemoServerProcess> {
  const { path, execArgv } = processEntry();
  const child = fork(path, [], { execArgv, detached: true, stdio: ['ignore', 'ignore', 'inherit', 'ipc'], serialization: 'advanced' });
  let address: { url: string; port: number };
  try {
    address = await listening(child, { type: 'start', options: resolveDemoServerOptions(options) });
  } catch (error) {
    await stop(child);
    throw error;
  }
  const pid = child.pid as number; // set once the child has answered
  let closing: Promise<void> | undefined;
  // After start-up, nothing the child does may throw in brood: a crash or a failed close is one line on stderr.
  child.on('error', (error) => process.stderr.write(`brood demo server process ${pid}: ${error.message}\n`));
  child.on('message', (message: ProcessToHost) => {
    if (message.type === 'error') process.stderr.write(`brood demo server process ${pid}: ${message.message}\n`);
  });
  child.once('exit', (code, signal) => {
    if (closing === undefined) process.stderr.write(`brood demo server process ${pid} exited unexpectedly (${signal ?? `code ${String(code)}`})\n`);
  });
  return { ...address, pid, close: () => (closing ??= stop(child)) };
}

/** Sends the start message and waits for the child's first answer: listening, or why not. */
function listening(child: ChildProcess, start: HostToProcess): Promise<{ url: string; port: number }> {
  return new Promise((resolve, reject) => {
    const settle = (error: Error | null, address?: { url: string; port: number }): void => {
      child.off('error', settle);
      child.off('exit', onExit);
      child.off('message', onMessage);
      if (error !== null) reject(error);
      else if (address !== undefined) resolve(address);
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void =>
      settle(new Error(`demo server process exited with ${signal ?? `code ${String(code)}`} before listening`));
    const onMessage = (message: ProcessToHost): void => {
      if (message.type === 'listening') settle(null, { url: message.url, port: message.port });
      else settle(new Error(message.type === 'error' ? message.message : 'demo server process closed before listening'));
    };
    child.on('error', settle);
    child.on('exit', onExit);
    child.on('message', onMessage);
    child.send(start, (error) => {
      if (error !== null) settle(error);
    });
  });
}

/** Asks the child to close gracefully, then kills it if it has not exited in time; resolves once it has exited. */
async function stop(child: ChildProcess): Promise<void> {
  // No PID: the fork itself failed ('error'), there is no process to wait for.
  if (child.pid === undefined || hasExited(child)) return;
  if (child.connected) child.send({ type: 'close' } satisfies HostToProcess, () => undefined);
  if (await exited(child, CLOSE_TIMEOUT_MS)) return;
  child.kill('SIGKILL');
  await exited(child, Number.POSITIVE_INFINITY);
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** true once the child has exited, false if it is still running after `timeoutMs`. */
function exited(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (hasExited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = Number.isFinite(timeoutMs) ? setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, timeoutMs) : undefined;
    const onExit = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}
