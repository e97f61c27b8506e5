import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';

/**
 * A real redis-server (Debian's, installed by .ci/run) on a free port of 127.0.0.1 (or `bind`), without
 * persistence, for the distributed-run tests: the broker is never mocked. `restart()` stops it and
 * starts it again on the same port (empty, as a broker that lost its memory); `stop()` ends it.
 */
export interface RedisServer {
  url: string;
  port: number;
  /** Runs a command with redis-cli-like inline syntax and returns the raw reply text. */
  command(line: string): Promise<string>;
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedis(options: { password?: string; bind?: string } = {}): Promise<RedisServer> {
  const host = options.bind ?? '127.0.0.1';
  const port = await freePort(host);
  let child: ChildProcess | null = await launch(host, port, options.password);
  const auth = options.password === undefined ? '' : `:${options.password}@`;
  const stop = async (): Promise<void> => {
    const c = child;
    child = null;
    if (c === null || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGKILL');
    });
  };
  return {
    url: `redis://${auth}${host}:${port}`,
    port,
    command: (line) => inline(host, port, options.password, line),
    restart: async (downMs = 0) => {
      await stop();
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      child = await launch(host, port, options.password);
    },
    stop,
  };
}

async function launch(host: string, port: number, password: string | undefined): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', host, '--protected-mode', 'no', '--save', '', '--appendonly', 'no', ...(password === undefined ? [] : ['--requirepass', password])];
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  const failed = new Promise<never>((_, reject) => child.once('error', (e) => reject(new Error(`redis-server could not start (${e.message}): install it (apt-get install redis-server; .ci/run does)`))));
  failed.catch(() => undefined);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await Promise.race([inline(host, port, password, 'PING').then((r) => r.includes('PONG'), () => false), failed]);
    if (up) return child;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server on port ${port} did not answer within 10 s`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** One inline command on a fresh connection (AUTH first when there is a password; QUIT makes the server close it after replying). */
function inline(host: string, port: number, password: string | undefined, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host);
    let reply = '';
    socket.setTimeout(2000, () => socket.destroy(new Error('timeout')));
    socket.on('connect', () => socket.write(`${password === undefined ? '' : `AUTH ${password}\r\n`}${line}\r\nQUIT\r\n`));
    socket.on('data', (d: Buffer) => (reply += d.toString()));
    socket.on('close', () => resolve(reply));
    socket.on('error', reject);
  });
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const address = srv.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
