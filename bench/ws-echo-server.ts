/**
 * The target of bench/ws.ts: a `ws` echo server in its own process (pinned to a core by the bench),
 * sending every message back as it came (text as text, binary as binary; no compression). It
 * prints `listening PORT` once ready and answers the stdin commands of bench/target-server.ts
 * (count, first, conns, accepted, exit), so bench/steady-window.ts measures both generators by the
 * messages the server echoed, not by what each tool reports.
 *
 *   node dist/bench/ws-echo-server.js
 *
 * It also exports how the ws and gRPC benches start such a counting server (startCountingServer).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { pinned } from './pinning.js';
import type { TargetProcess } from './target-process.js';

/** What a counting server knows; its stdin commands read it. */
export interface ServerCounters {
  /** Messages echoed (ws) or calls answered (gRPC) so far. */
  requests: number;
  firstWallMs: number;
  connections: number;
  accepted: number;
}

export const newCounters = (): ServerCounters => ({ requests: 0, firstWallMs: 0, connections: 0, accepted: 0 });

/** Answers bench/target-server.ts's stdin commands, and exits with the bench that started it. */
export function answerCommands(c: ServerCounters, onExit: () => void = () => process.exit(0)): void {
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const cmd = line.trim();
    if (cmd === 'count') process.stdout.write(`count ${c.requests}\n`);
    else if (cmd === 'first') process.stdout.write(`first ${c.firstWallMs}\n`);
    else if (cmd === 'conns') process.stdout.write(`conns ${c.connections}\n`);
    else if (cmd === 'accepted') process.stdout.write(`accepted ${c.accepted}\n`);
    else if (cmd === 'exit') onExit();
  });
  // The bench that started us is gone: never outlive it.
  lines.on('close', onExit);
}

/** Starts `script` (a counting server under dist/bench/) pinned to `cpu`, and waits until it listens. */
export async function startCountingServer(script: string, o: { cpu: number | null; taskset: boolean; url: (port: number) => string }): Promise<TargetProcess> {
  const file = fileURLToPath(new URL(`./${script}`, import.meta.url));
  const [cmd, argv] = pinned(o.cpu, process.execPath, [file], o.taskset);
  const child: ChildProcess = spawn(cmd, argv, { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const waiting: Array<(line: string) => void> = [];
  let onListening: ((port: number) => void) | null = null;
  lines.on('line', (line) => {
    if (line.startsWith('listening ')) onListening?.(Number(line.slice(10)));
    else waiting.shift()?.(line);
  });
  const port = await new Promise<number>((resolve, reject) => {
    onListening = resolve;
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}) before listening`)));
    setTimeout(() => reject(new Error(`${script} did not start within 10 s`)), 10_000).unref();
  });
  const ask = (command: string): Promise<number> =>
    new Promise((resolve) => {
      waiting.push((line) => resolve(Number(line.slice(command.length + 1))));
      child.stdin!.write(`${command}\n`);
    });
  return {
    url: o.url(port),
    port,
    pid: child.pid ?? -1,
    count: () => ask('count'),
    firstRequestWallMs: () => ask('first'),
    connections: () => ask('conns'),
    accepted: () => ask('accepted'),
    connectionTimeline: () => Promise.resolve([]),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin!.end('exit\n');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}

export const startWsEchoServer = (o: { cpu: number | null; taskset: boolean }): Promise<TargetProcess> =>
  startCountingServer('ws-echo-server.js', { ...o, url: (port) => `ws://127.0.0.1:${port}` });

function main(): void {
  const counters = newCounters();
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, backlog: 65535, perMessageDeflate: false, clientTracking: false });
  server.on('connection', (socket: WebSocket) => {
    counters.connections++;
    counters.accepted++;
    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (counters.firstWallMs === 0) counters.firstWallMs = Date.now();
      counters.requests++;
      socket.send(data, { binary: isBinary });
    });
    socket.on('error', () => {});
    socket.on('close', () => counters.connections--);
  });
  server.on('listening', () => process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`));
  answerCommands(counters);
}

// Run as a process; imported (for startCountingServer), it starts nothing.
if (process.argv[1] === fileURLToPath(import.meta.url)) main();
