import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TargetServerOptions {
  /** Delay before answering, ms; a function gets a fresh value per request. */
  delayMs?: number | ((req: IncomingMessage) => number);
  /** Status per request (default 200). */
  status?: (req: IncomingMessage) => number;
  body?: string;
}

export interface TargetServer {
  url: string;
  port: number;
  /** Requests received per "METHOD path" (path without query). */
  counts: Map<string, number>;
  total(): number;
  close(): Promise<void>;
  server: Server;
}

/** A real node:http target on 127.0.0.1:0 that counts what it receives (tests never mock the network). */
export async function startTargetServer(options: TargetServerOptions = {}): Promise<TargetServer> {
  const counts = new Map<string, number>();
  const body = options.body ?? '{"ok":true}';
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const key = `${req.method} ${path}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    req.resume();
    const answer = (): void => {
      const status = options.status ? options.status(req) : 200;
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    const d = typeof options.delayMs === 'function' ? options.delayMs(req) : (options.delayMs ?? 0);
    if (d > 0) setTimeout(answer, d);
    else answer();
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    counts,
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
