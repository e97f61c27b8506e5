import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request as the server received it: the bytes, not what a client library meant to send. */
export interface ReceivedRequest {
  method: string;
  url: string;
  /** Names as sent, in order, with repeats (rawHeaders pairs). */
  rawHeaders: Array<[string, string]>;
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** The client's address as the server saw it (which host sent it). */
  remoteAddress: string;
}

export interface RecordingServer {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  /** Values of header `name` (any case) in request `i`, as many times as it was sent. */
  headerValues(i: number, name: string): string[];
  close(): Promise<void>;
}

export type RecordingHandler = (req: ReceivedRequest, res: ServerResponse) => void | Promise<void>;

/**
 * A real node:http server on 127.0.0.1:0 that reads each request body whole, records it, then lets
 * `handler` answer (default: 200 {"ok":true}). Tests never mock the network.
 */
export async function startRecordingServer(handler?: RecordingHandler, host = '127.0.0.1'): Promise<RecordingServer> {
  const requests: ReceivedRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const pairs: Array<[string, string]> = [];
      for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) pairs.push([req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string]);
      const received: ReceivedRequest = { method: req.method ?? '', url: req.url ?? '', rawHeaders: pairs, headers: req.headers, body: Buffer.concat(chunks), remoteAddress: req.socket.remoteAddress ?? '' };
      requests.push(received);
      if (handler) void handler(received, res);
      else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      }
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    requests,
    headerValues: (i, name) => (requests[i]?.rawHeaders ?? []).filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
