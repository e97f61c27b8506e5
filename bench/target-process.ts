import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { pinned } from './pinning.js';

export interface TargetOptions {
  kind?: 'net' | 'http';
  delayMs?: number;
  /** Every response sets the same session cookie (bench/cookie-cost.ts). */
  setCookie?: boolean;
  /** Core to pin the target to (null: not pinned). */
  cpu: number | null;
  taskset: boolean;
}

export interface TargetProcess {
  url: string;
  port: number;
  pid: number;
  /** Requests the target has received so far. */
  count(): Promise<number>;
  /** Wall time (epoch ms) of the first request it received; 0 when none yet. */
  firstRequestWallMs(): Promise<number>;
  connections(): Promise<number>;
  /** Connections accepted so far (closed or not). */
  accepted(): Promise<number>;
  /** New connections per 100 ms since the first one (then starts a new timeline). */
  connectionTimeline(): Promise<number[]>;
  /** Ends the target process (only this one: by its own pid). */
  stop(): Promise<void>;
}

const SERVER = fileURLToPath(new URL('./target-server.js', import.meta.url));

/** Starts bench/target-server in its own process, pinned to `cpu`, and waits until it listens. */
export async function startTarget(o: TargetOptions): Promise<TargetProcess> {
  const args = [SERVER, '--kind', o.kind ?? 'net', '--delay-ms', String(o.delayMs ?? 0), ...(o.setCookie ? ['--set-cookie'] : [])];
  const [cmd, argv] = pinned(o.cpu, process.execPath, args, o.taskset);
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
    child.once('exit', (code) => reject(new Error(`target server exited (${code}) before listening`)));
    setTimeout(() => reject(new Error('target server did not start within 10 s')), 10_000).unref();
  });
  const askText = (cmdText: string, key: string): Promise<string> =>
    new Promise((resolve) => {
      waiting.push((line) => resolve(line.slice(key.length + 1)));
      child.stdin!.write(`${cmdText}\n`);
    });
  const ask = async (cmdText: string, key: string): Promise<number> => Number(await askText(cmdText, key));
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? -1,
    count: () => ask('count', 'count'),
    firstRequestWallMs: () => ask('first', 'first'),
    connections: () => ask('conns', 'conns'),
    accepted: () => ask('accepted', 'accepted'),
    connectionTimeline: async () => {
      const text = await askText('timeline', 'timeline');
      return text === '' ? [] : text.split(',').map(Number);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin!.end('exit\n');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}
