import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { pinned } from './pinning.js';

/** A redis-server for the distributed benchmark (no persistence), on a free 127.0.0.1 port. */
export interface RedisProcess {
  url: string;
  stop(): Promise<void>;
}

export async function startRedisProcess(cpu: number | null, taskset: boolean): Promise<RedisProcess> {
  const port = await new Promise<number>((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a !== null ? a.port : 0));
    });
  });
  const [cmd, argv] = pinned(cpu, 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], taskset);
  const child: ChildProcess = spawn(cmd, argv, { stdio: 'ignore' });
  for (let i = 0; i < 200; i++) {
    if (await answers(port)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.end('PING\r\n');
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
