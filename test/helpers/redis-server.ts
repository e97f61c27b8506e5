import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { readFileSync } from 'node:fs';

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

/** TLS only (rediss://): the server's certificate and key, and the CA that signed it (PEM paths). */
export interface RedisTls {
  certPath: string;
  keyPath: string;
  caPath: string;
}

export async function startRedis(options: { password?: string; bind?: string; tls?: RedisTls } = {}): Promise<RedisServer> {
  const host = options.bind ?? '127.0.0.1';
  const port = await freePort(host);
  const conn: Conn = { host, port, password: options.password, tls: options.tls };
  let child: ChildProcess | null = await launch(conn);
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
    url: `${options.tls ? 'rediss' : 'redis'}://${auth}${host}:${port}`,
    port,
    command: (line) => inline(conn, line),
    restart: async (downMs = 0) => {
      await stop();
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      child = await launch(conn);
    },
    stop,
  };
}

interface Conn {
  host: string;
  port: number;
  password: string | undefined;
  tls: RedisTls | undefined;
}

async function launch(c: Conn): Promise<ChildProcess> {
  const listen = c.tls
    ? ['--port', '0', '--tls-port', String(c.port), '--tls-cert-file', c.tls.certPath, '--tls-key-file', c.tls.keyPath, '--tls-ca-cert-file', c.tls.caPath, '--tls-auth-clients', 'no']
    : ['--port', String(c.port)];
  const args = [...listen, '--bind', c.host, '--protected-mode', 'no', '--save', '', '--appendonly', 'no', ...(c.password === undefined ? [] : ['--requirepass', c.password])];
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  const failed = new Promise<never>((_, reject) => child.once('error', (e) => reject(new Error(`redis-server could not start (${e.message}): install it (apt-get install redis-server; .ci/run does)`))));
  failed.catch(() => undefined);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await Promise.race([inline(c, 'PING').then((r) => r.includes('PONG'), () => false), failed]);
    if (up) return child;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server on port ${c.port} did not answer within 10 s`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** One inline command on a fresh connection (AUTH first when there is a password; QUIT makes the server close it after replying). */
function inline(c: Conn, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket: Socket = c.tls ? tlsConnect({ host: c.host, port: c.port, ca: readFileSync(c.tls.caPath) }) : connect(c.port, c.host);
    let reply = '';
    socket.setTimeout(2000, () => socket.destroy(new Error('timeout')));
    socket.on(c.tls ? 'secureConnect' : 'connect', () => socket.write(`${c.password === undefined ? '' : `AUTH ${c.password}\r\n`}${line}\r\nQUIT\r\n`));
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
