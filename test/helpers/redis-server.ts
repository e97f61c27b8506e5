import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';

/**
 * A real redis-server (Debian's, installed by .ci/run) on a free 127.0.0.1 port, without
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

export async function startRedis(options: { password?: string } = {}): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | null = await launch(port, options.password);
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
    url: `redis://${auth}127.0.0.1:${port}`,
    port,
    command: (line) => inline(port, options.password, line),
    restart: async (downMs = 0) => {
      await stop();
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      child = await launch(port, options.password);
    },
    stop,
  };
}

async function launch(port: number, password: string | undefined): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...(password === undefined ? [] : ['--requirepass', password])];
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  const failed = new Promise<never>((_, reject) => child.once('error', (e) => reject(new Error(`redis-server could not start (${e.message}): install it (apt-get install redis-server; .ci/run does)`))));
  failed.catch(() => undefined);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await Promise.race([inline(port, password, 'PING').then((r) => r.includes('PONG'), () => false), failed]);
    if (up) return child;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server on port ${port} did not answer within 10 s`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** One inline command on a fresh connection (AUTH first when there is a password; QUIT makes the server close it after replying). */
function inline(port: number, password: string | undefined, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.setTimeout(2000, () => socket.destroy(new Error('timeout')));
    socket.on('connect', () => socket.write(`${password === undefined ? '' : `AUTH ${password}\r\n`}${line}\r\nQUIT\r\n`));
    socket.on('data', (d: Buffer) => (reply += d.toString()));
    socket.on('close', () => resolve(reply));
    socket.on('error', reject);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
