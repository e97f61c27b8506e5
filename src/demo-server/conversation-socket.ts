/**
 * GET /ws/conversation: the demo server's WebSocket side, a CONTINUUM-style conversation stream on
 * the HTTP server's own port (the `ws` package, `noServer`, permessage-deflate off). A turn is
 * acknowledged at once, then recalled against the connection's memory space (X-Memory-Space on the
 * upgrade, as for HTTP) and learned, as POST /turn does; the recall is pushed as its own message.
 * Message shapes: conversation-messages.ts.
 *
 * Bounded per connection: frames up to 64 KiB, answers written as each frame is read (no queue of
 * our own), and a client that stops reading is closed (1008) once 1 MiB waits to go out to it.
 * A malformed message gets an error message; it never closes the connection or throws.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer, type RawData } from 'ws';
import { parseClientMessage, type ClientMessage, type MessageId } from './conversation-messages.js';
import { HttpError } from './http-io.js';
import { recall } from './recall.js';
import type { Reply } from './route.js';
import type { ServerState } from './server-state.js';
import { spaceNameFrom } from './space-registry.js';

export const CONVERSATION_PATH = '/ws/conversation';
/** Recall results pushed per turn: "a few", as POST /turn's context. */
export const CONVERSATION_RECALL_LIMIT = 5;
const MAX_MESSAGE_BYTES = 64 * 1024;
const MAX_BUFFERED_BYTES = 1024 * 1024;
/** A client that does not answer the closing handshake is cut after this long. */
const CLOSE_GRACE_MS = 1_000;

export interface ConversationSocket {
  /** Closes every connection (1001 "going away"), cutting the ones that do not answer in time. */
  close(): Promise<void>;
}

/** Serves WebSocket upgrades of `server`: /ws/conversation is accepted, any other path refused with 404. */
export function attachConversationSocket(server: Server, state: ServerState): ConversationSocket {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: MAX_MESSAGE_BYTES, clientTracking: true });
  let closing: Promise<void> | null = null;
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    if (closing !== null) return refuse(socket, 503, 'Service Unavailable', 'the demo server is shutting down');
    if (path !== CONVERSATION_PATH) return refuse(socket, 404, 'Not Found', `no WebSocket endpoint at ${path}; connect to ${CONVERSATION_PATH}`);
    let spaceName: string;
    try {
      spaceName = spaceNameFrom(req.headers['x-memory-space']);
    } catch (error) {
      return refuse(socket, 400, 'Bad Request', error instanceof Error ? error.message : String(error));
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (closing !== null) ws.close(1001, 'demo server shutting down');
      else serve(ws, state, spaceName);
    });
  });
  return { close: () => (closing ??= closeAll(wss)) };
}

/** GET /ws/conversation without the upgrade: say what the endpoint wants (426), not "no route". */
export function handleConversationWithoutUpgrade(): Reply {
  throw new HttpError(426, `${CONVERSATION_PATH} is a WebSocket endpoint: connect with a WebSocket client (Upgrade: websocket)`, { upgrade: 'websocket' });
}

function serve(ws: WebSocket, state: ServerState, spaceName: string): void {
  state.metrics.wsOpened();
  ws.once('close', () => state.metrics.wsClosed());
  // A protocol error (a frame past maxPayload, invalid UTF-8) is reported here, then closes the connection.
  ws.on('error', () => undefined);
  ws.on('message', (data: RawData, isBinary: boolean) => {
    const message: ClientMessage = isBinary
      ? { kind: 'malformed', message: 'binary frames are not understood: send JSON text', re: null }
      : parseClientMessage(textOf(data));
    try {
      answer(ws, state, spaceName, message);
    } catch (error) {
      // Whatever went wrong is the sender's error message, never the server's crash.
      const re = message.kind === 'malformed' ? message.re : message.id;
      send(ws, { type: 'error', re, message: error instanceof HttpError ? error.message : `internal error: ${error instanceof Error ? error.message : String(error)}` });
    }
  });
}

function answer(ws: WebSocket, state: ServerState, spaceName: string, message: ClientMessage): void {
  switch (message.kind) {
    case 'ping':
      send(ws, { type: 'pong', re: message.id });
      return;
    case 'malformed':
      send(ws, message.re === null ? { type: 'error', message: message.message } : { type: 'error', re: message.re, message: message.message });
      return;
    case 'turn':
      send(ws, { type: 'ack', re: message.id });
      send(ws, { type: 'recall', re: message.id, results: recallAndLearn(state, spaceName, message.text) });
      return;
  }
}

/** What the model would be shown for this turn, then the turn remembered (POST /turn's order). */
function recallAndLearn(state: ServerState, spaceName: string, text: string): unknown[] {
  const space = state.spaces.get(spaceName);
  const { results } = recall(space, text, CONVERSATION_RECALL_LIMIT);
  space.learn(text, undefined, undefined);
  return results;
}

function send(ws: WebSocket, message: { type: string; re?: MessageId | null; [field: string]: unknown }): void {
  if (ws.readyState !== WebSocket.OPEN) return;
  if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
    ws.close(1008, 'client is not reading its messages');
    return;
  }
  ws.send(JSON.stringify(message));
}

function textOf(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/** Answers an upgrade this server does not take with a plain HTTP error, then drops the socket. */
function refuse(socket: Duplex, status: number, reason: string, message: string): void {
  const body = JSON.stringify({ error: message });
  socket.once('error', () => socket.destroy());
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

async function closeAll(wss: WebSocketServer): Promise<void> {
  await Promise.all([...wss.clients].map(closeOne));
  await new Promise<void>((resolve) => wss.close(() => resolve()));
}

function closeOne(ws: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) {
      resolve();
      return;
    }
    const timer = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS);
    ws.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    ws.close(1001, 'demo server shutting down');
  });
}
