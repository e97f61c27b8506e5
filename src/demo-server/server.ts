/**
 * The built-in demo server: a CONTINUUM-style memory API on node:http, the default target of
 * `run-load-tests` when no --host is given, with its WebSocket conversation stream
 * (GET /ws/conversation, conversation-socket.ts) and its gRPC services (continuum.Kernel and
 * continuum.AIService, grpc-service.ts) on the same port (protocol-sniff.ts), and GET /metrics for
 * Prometheus (metrics-endpoint.ts). See options.ts for the knobs; process-host.ts runs it as its own process.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import { attachConversationSocket, type ConversationSocket } from './conversation-socket.js';
import type { GrpcService } from './grpc-service.js';
import { createSniffingServer } from './protocol-sniff.js';
import { resolveDemoServerOptions, validateDemoServerOptions, type DemoServerOptions } from './options.js';
import { createRequestHandler } from './request-handler.js';
import { Router } from './router.js';
import { createServerState, type ServerState } from './server-state.js';

export type { DemoServerOptions } from './options.js';
export { DEFAULT_DEMO_SERVER_OPTIONS } from './options.js';

export interface RunningDemoServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  /** Stops accepting, closes idle keep-alive sockets and WebSocket connections, and resolves once the server is closed. */
  close(): Promise<void>;
}

export function formatUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export async function startDemoServer(options: Partial<DemoServerOptions> = {}): Promise<RunningDemoServer> {
  const resolved = resolveDemoServerOptions(options);
  const problems = validateDemoServerOptions(resolved);
  if (problems.length > 0) throw new Error(`invalid demo server options: ${problems.join('; ')}`);
  const state = createServerState(resolved);
  const server = createServer(createRequestHandler(state, new Router()));
  server.keepAliveTimeout = resolved.keepAliveTimeoutMs;
  // headersTimeout must exceed keepAliveTimeout, or Node may cut a reused socket mid-request.
  server.headersTimeout = resolved.keepAliveTimeoutMs + 1_000;
  // Load tests send many requests per socket; Node's default of 0 already means unlimited.
  server.maxRequestsPerSocket = 0;
  const conversations = attachConversationSocket(server, state);
  const grpc = lazyGrpcService(state);
  const listener = createSniffingServer({
    http1: (socket) => {
      server.emit('connection', socket);
    },
    http2: (socket) => grpc.accept(socket),
  });
  // node:http tracks its connections (closeAllConnections, headersTimeout, requestTimeout) from its
  // own 'listening' event; this server never listens itself, the sniffing listener does.
  server.emit('listening');
  await listen(listener, resolved.host, resolved.port);
  const port = (listener.address() as AddressInfo).port;
  return { url: formatUrl(resolved.host, port), port, close: () => closeAll(listener, server, conversations, grpc) };
}

/**
 * The gRPC services, loaded when the first HTTP/2 connection arrives: an HTTP-only run (the usual
 * one) never loads grpc-js or parses the protos. Connections that come while it loads wait, paused.
 */
function lazyGrpcService(state: ServerState): { accept(socket: Socket): Promise<void>; close(): Promise<void> } {
  let loading: Promise<GrpcService> | null = null;
  let closed = false;
  return {
    accept: (socket) => {
      loading ??= import('./grpc-service.js').then((m) => m.startGrpcService(state));
      return loading.then(
        (service) => {
          if (closed) socket.destroy();
          else service.accept(socket);
        },
        (error: unknown) => {
          process.stderr.write(`brood demo server: gRPC services failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
          socket.destroy();
        },
      );
    },
    close: async () => {
      closed = true;
      if (loading !== null) await (await loading).close();
    },
  };
}

function listen(server: NetServer, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** All at once: the port stops accepting while WebSocket connections get their closing handshake and gRPC calls their grace. */
async function closeAll(listener: NetServer, server: Server, conversations: ConversationSocket, grpc: { close(): Promise<void> }): Promise<void> {
  await Promise.all([closeListener(listener, server), conversations.close(), grpc.close()]);
}

function closeListener(listener: NetServer, server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!listener.listening) {
      resolve();
      return;
    }
    // Resolves once every connection the port accepted is gone (HTTP/2 ones end with the gRPC service).
    listener.close((error) => (error === undefined ? resolve() : reject(error)));
    // The HTTP server never listened itself: close() stops its connection checks (and answers
    // "not running", which is expected), and its sockets are cut here, idle keep-alive ones included.
    server.close(() => undefined);
    server.closeAllConnections();
  });
}
