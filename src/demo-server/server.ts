/**
 * The built-in demo server: a CONTINUUM-style memory API on node:http, the default target of
 * `run-load-tests` when no --host is given, with its WebSocket conversation stream
 * (GET /ws/conversation, conversation-socket.ts) on the same port. See options.ts for the knobs.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { attachConversationSocket, type ConversationSocket } from './conversation-socket.js';
import { resolveDemoServerOptions, validateDemoServerOptions, type DemoServerOptions } from './options.js';
import { createRequestHandler } from './request-handler.js';
import { Router } from './router.js';
import { createServerState } from './server-state.js';

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
  await listen(server, resolved.host, resolved.port);
  const port = (server.address() as AddressInfo).port;
  return { url: formatUrl(resolved.host, port), port, close: () => closeAll(server, conversations) };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Both at once: the server stops accepting while its WebSocket connections get their closing handshake. */
async function closeAll(server: Server, conversations: ConversationSocket): Promise<void> {
  await Promise.all([closeServer(server), conversations.close()]);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close((error) => (error === undefined ? resolve() : reject(error)));
    // Without this, idle keep-alive sockets would hold close() open for keepAliveTimeout.
    server.closeIdleConnections();
    server.closeAllConnections();
  });
}
