import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

/**
 * A real Prometheus server (Debian's `prometheus` package, installed by .ci/run) on a free port of
 * 127.0.0.1, with its storage in a directory the caller owns and removes; and promtool beside it.
 * A missing binary is an error that says what to install, never a skipped test.
 */
export interface PrometheusServer {
  url: string;
  pid: number;
  /** An instant query's result (resultType vector or scalar), or the API's error as an exception. */
  query(expr: string, timeSec?: number): Promise<QueryResult>;
  /** The `data` of any GET under /api/v1/ (e.g. `rules`, `label/job/values?match[]=up`). */
  api(path: string): Promise<unknown>;
  /** SIGTERM by PID, SIGKILL after 5 s; resolves once it has exited. */
  stop(): Promise<void>;
}

export type QueryResult =
  | { resultType: 'vector'; result: Array<{ metric: Record<string, string>; value: [number, string] }> }
  | { resultType: 'scalar'; result: [number, string] };

/** The path of `name` on PATH, or an error saying which Debian package brings it. */
export function requireBinary(name: 'prometheus' | 'promtool'): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // Not in this directory.
    }
  }
  throw new Error(`${name} is not installed: apt-get install --no-install-recommends prometheus (Debian's package brings prometheus and promtool; .ci/run installs it)`);
}

/** Runs promtool with `args` in `cwd`; its exit code and everything it printed. */
export function promtool(args: readonly string[], cwd: string): { code: number | null; output: string } {
  const run = spawnSync(requireBinary('promtool'), args, { cwd, encoding: 'utf8', timeout: 20_000 });
  if (run.error) throw run.error;
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}

/** Starts Prometheus on `configFile` with its TSDB under `storageDir`, and waits (15 s at most) until it is ready. */
export async function startPrometheus(options: { configFile: string; storageDir: string }): Promise<PrometheusServer> {
  const bin = requireBinary('prometheus');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(bin, [
    `--config.file=${options.configFile}`,
    `--storage.tsdb.path=${options.storageDir}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (e) => reject(new Error(`prometheus could not start: ${e.message}`)));
    child.once('exit', (code) => reject(new Error(`prometheus exited (${code}) before it was ready:\n${log}`)));
  });
  failed.catch(() => undefined);
  const server: PrometheusServer = {
    url,
    pid: child.pid ?? -1,
    query: async (expr, timeSec) => {
      const time = timeSec === undefined ? '' : `&time=${timeSec}`;
      return (await getData(`${url}/api/v1/query?query=${encodeURIComponent(expr)}${time}`)) as QueryResult;
    },
    api: (path) => getData(`${url}/api/v1/${path}`),
    stop: () => stop(child, exited),
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    const ready = await Promise.race([fetch(`${url}/-/ready`).then(async (r) => (await r.arrayBuffer(), r.ok), () => false), failed]);
    if (ready) return server;
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`prometheus on port ${port} was not ready within 15 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stop(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => child.exitCode === null && child.signalCode === null && child.pid !== undefined && process.kill(child.pid, 'SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** GET an /api/v1/ URL: its `data`, or an exception carrying Prometheus' own error text. */
async function getData(url: string): Promise<unknown> {
  const res = await fetch(url);
  const body = (await res.json()) as { status: string; data?: unknown; errorType?: string; error?: string };
  if (body.status !== 'success') throw new Error(`${url}: ${body.errorType ?? res.status} ${body.error ?? ''}`);
  return body.data;
}

/** A port of 127.0.0.1 that was free a moment ago (for servers that cannot be told port 0). */
export function freePort(): Promise<number> {
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
