/**
 * A real WebSocket server (the `ws` package) on 127.0.0.1 port 0 for tests, with behaviours a
 * test picks per connection path:
 *   /echo, /chat  answer each JSON message {id} with {re: id} (after `delayMs`), and pushes a
 *              {type: "news"} message every `pushEveryMs` when set;
 *   /silent    accepts and never answers;
 *   /close     closes every connection with code 1011 "overloaded" after `closeAfterMs`;
 *   /reject    answers the upgrade with HTTP 403;
 *   /binary    echoes binary frames as they came.
 * It counts connections and messages, and remembers each upgrade's headers.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface WsServerOptions {
  delayMs?: number;
  pushEveryMs?: number;
  closeAfterMs?: number;
}

export interface WsTestServer {
  /** ws://127.0.0.1:PORT */
  url: string;
  port: number;
  connections: number;
  open: number;
  messages: number;
  upgradeHeaders: IncomingMessage['headers'][];
  close(): Promise<void>;
}

export async function startWsServer(options: WsServerOptions = {}): Promise<WsTestServer> {
  const http: Server = createServer((_req, res) => {
    res.writeHead(404);
    res.end();
  });
  const wss = new WebSocketServer({ noServer: true });
  const state = { connections: 0, open: 0, messages: 0, upgradeHeaders: [] as IncomingMessage['headers'][] };
  const timers = new Set<NodeJS.Timeout>();
  http.on('upgrade', (req, socket, head) => {
    state.upgradeHeaders.push(req.headers);
    if (req.url === '/reject') {
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws, req.url ?? '/'));
  });
  const serve = (ws: WebSocket, path: string): void => {
    state.connections++;
    state.open++;
    ws.on('close', () => state.open--);
    if (path.startsWith('/close')) {
      const t = setTimeout(() => ws.close(1011, 'overloaded'), options.closeAfterMs ?? 100);
      timers.add(t);
    }
    if ((path.startsWith('/echo') || path.startsWith('/chat')) && options.pushEveryMs !== undefined) {
      const t = setInterval(() => ws.send(JSON.stringify({ type: 'news' })), options.pushEveryMs);
      timers.add(t);
      ws.on('close', () => clearInterval(t));
    }
    ws.on('message', (data, isBinary) => {
      state.messages++;
      if (path.startsWith('/silent')) return;
      if (path.startsWith('/binary') || isBinary) {
        ws.send(data, { binary: isBinary });
        return;
      }
      let id: unknown = null;
      try {
        id = (JSON.parse((data as Buffer).toString('utf8')) as { id?: unknown }).id;
      } catch {
        id = null;
      }
      const answer = (): void => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ re: id }));
      };
      if ((options.delayMs ?? 0) > 0) {
        const t = setTimeout(answer, options.delayMs);
        timers.add(t);
      } else answer();
    });
  };
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    get connections() {
      return state.connections;
    },
    get open() {
      return state.open;
    },
    get messages() {
      return state.messages;
    },
    upgradeHeaders: state.upgradeHeaders,
    async close() {
      for (const t of timers) clearTimeout(t);
      for (const client of wss.clients) client.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
