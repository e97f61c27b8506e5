/**
 * A WebSocketUser's connection (`this.ws`), on the `ws` package: connect, send, send-and-wait for
 * the matching answer, and the messages nobody waited for. What it records:
 * - `WS  connect /path`: the handshake, timed from the first byte sent to the open connection;
 * - `WS  <name>`: a sendAndWait, timed from its send to the first message its `match` accepted;
 * - `WS  close /path`: the server closed the connection or it broke (a failure with the close code);
 * - `WSS <name>` / `WSR <name>`: messages sent, and received with nobody waiting, counted with
 *   their bytes (no response time: they stay out of the Aggregated row).
 * Failures are recorded, never thrown at the task (as brood's HTTP client): a failed sendAndWait
 * resolves with null.
 */
import { performance } from 'node:perf_hooks';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type WebSocket from 'ws';
import type { RawData } from 'ws';
import type { ProtocolContext } from '../core/protocol-context.js';
import type { UserSession } from '../core/user.js';
import { ReconnectPause } from '../http/reconnect-pause.js';
import { brokenReason, connectReason, formatSeconds } from './failure-reasons.js';
import { clientOptions, openSessionSocket, type SessionSocket } from './session-socket.js';
import type { WsConnectOptions, WsMessage, WsSendOptions, WsWaitOptions } from './ws-options.js';
import { PendingWaits } from './pending-waits.js';
import { wsUrl } from './ws-target.js';

/** WebSocket.OPEN (the readyState of an open connection; the same in every WebSocket API), without loading `ws` here. */
const OPEN = 1;

export type { WsConnectOptions, WsMessage, WsSendOptions, WsWaitOptions } from './ws-options.js';

/** A connect in flight (null once it settled). */
interface Handshake {
  socket: SessionSocket;
  timeoutMs: number;
  timer: NodeJS.Timeout;
  resolve: (error: string | null) => void;
}

/** Who names a message for its WSS/WSR row: the user (its messageName method). */
export interface MessageNamer {
  messageName(message: WsMessage): string;
}

export interface WsSessionSettings {
  context: ProtocolContext;
  /** The user whose messageName(msg) names the WSS/WSR row of a message. */
  user: MessageNamer;
}

/**
 * Memory: a session lives as long as its user, and a run holds thousands of idle ones, so it
 * keeps only what an open connection needs. Its socket's listeners are the static methods below
 * (no closures per connection); what only some users use (waits, handlers, the reconnect pause) is
 * made on first use; the path is read back from the socket's URL when a close needs it.
 */
export class WsSession implements UserSession {
  readonly #ctx: ProtocolContext;
  readonly #user: MessageNamer;
  /**
   * The connection, open or opening; null when there is none. A socket that is no longer this
   * one was dropped by the user (its close(), a reconnect, the run stopping it): its end is no failure.
   */
  #socket: SessionSocket | null = null;
  #handshake: Handshake | null = null;
  #waits: PendingWaits | null = null;
  #handlers: Array<(message: WsMessage) => void> | null = null;
  /** After connections that failed or broke in a row, the next connect waits as HTTP's backoff does. */
  #pause: ReconnectPause | null = null;
  /** Why the open connection broke, when an error came before its close (a message too large, a reset). */
  #lastError: string | null = null;
  /** Failures recorded here (the waits count their own). */
  #failures = 0;

  constructor(settings: WsSessionSettings) {
    this.#ctx = settings.context;
    this.#user = settings.user;
  }

  /** Failed requests so far (the open model judges an operation by it). */
  get failureCount(): number {
    return this.#failures + (this.#waits?.failureCount ?? 0);
  }

  /** The connection is open. */
  get connected(): boolean {
    return this.#socket !== null && this.#socket.readyState === OPEN;
  }

  /**
   * Opens the connection to `path` on the user's host (an open one is closed first). Resolves
   * true when open; false when it failed (recorded). After a failed or broken connection the next
   * one first waits (50 ms doubling to 1 s), outside its timing, so a refusing server is not hammered.
   */
  async connect(path = '/', options: WsConnectOptions = {}): Promise<boolean> {
    if (this.#socket !== null) this.#drop(1000, 'reconnecting');
    await this.#pause?.wait();
    if (this.#ctx.signal.aborted) return false;
    const url = wsUrl(this.#ctx.baseUrl, path);
    const name = options.name ?? `connect ${url.pathname}${url.search}`;
    const timeoutMs = options.timeout !== undefined ? options.timeout * 1000 : this.#ctx.timeoutMs;
    const started = performance.now();
    const error = await this.#open(url, options, timeoutMs);
    if (error === null) {
      this.#pause?.answered();
      this.#ctx.recordRequest({ type: 'WS', name, responseTimeMs: performance.now() - started });
      return true;
    }
    (this.#pause ??= new ReconnectPause()).failed(performance.now());
    if (error !== ABORTED) this.#fail(name, performance.now() - started, error);
    return false;
  }

  /**
   * Starts the handshake; resolves null once open, else why not. No listener on the run's abort
   * signal (shared by every user: thousands would pile up): a user cut mid-connect is closed through
   * close(true), which ends the handshake here.
   */
  #open(url: URL, options: WsConnectOptions, timeoutMs: number): Promise<string | null> {
    const socket = openSessionSocket(this, url, options.protocols ?? [], clientOptions(this.#ctx, options));
    this.#socket = socket;
    this.#lastError = null;
    // Stays for the socket's life: errors after the handshake are told by the close that follows each one.
    socket.on('error', WsSession.#onError);
    socket.on('open', WsSession.#onOpen);
    socket.on('unexpected-response', WsSession.#onUnexpectedResponse);
    return new Promise((resolve) => {
      this.#handshake = { socket, timeoutMs, resolve, timer: setTimeout(WsSession.#onHandshakeTimeout, timeoutMs, socket) };
    });
  }

  /** Settles the handshake of `socket`, if it is the one in flight; once open, the socket's messages and end are listened to. */
  #endHandshake(socket: SessionSocket, error: string | null): void {
    const h = this.#handshake;
    if (h === null || h.socket !== socket) return;
    this.#handshake = null;
    clearTimeout(h.timer);
    // Removed, not left idle: each event name kept costs every connection a larger listener table.
    socket.off('open', WsSession.#onOpen);
    socket.off('unexpected-response', WsSession.#onUnexpectedResponse);
    if (error === null) {
      socket.on('message', WsSession.#onMessage);
      // 'on', not 'once': `ws` emits close once, and once() would wrap the listener in two objects.
      socket.on('close', WsSession.#onClose);
    } else if (this.#socket === socket) {
      this.#socket = null;
    }
    h.resolve(error);
  }

  // The socket's listeners: shared by every connection, `this` being the socket. They are only
  // ever added to SessionSockets, hence the casts.

  static #onOpen(this: WebSocket): void {
    const socket = this as SessionSocket;
    socket.session.#endHandshake(socket, null);
  }

  static #onHandshakeTimeout(socket: SessionSocket): void {
    const h = socket.session.#handshake;
    if (h === null || h.socket !== socket) return;
    socket.session.#endHandshake(socket, `connect timeout after ${formatSeconds(h.timeoutMs)}`);
    socket.terminate();
  }

  static #onUnexpectedResponse(this: WebSocket, req: ClientRequest, res: IncomingMessage): void {
    res.resume();
    req.destroy();
    const socket = this as SessionSocket;
    socket.session.#endHandshake(socket, `HTTP ${res.statusCode ?? 0} ${res.statusMessage ?? ''}`.trim() + ' instead of a WebSocket upgrade');
  }

  /** A failed handshake ends it; an error on the open connection is kept for the close that follows. */
  static #onError(this: WebSocket, e: Error): void {
    const socket = this as SessionSocket;
    const session = socket.session;
    if (session.#handshake?.socket === socket) {
      socket.terminate();
      session.#endHandshake(socket, connectReason(e));
    } else if (session.#socket === socket) {
      session.#lastError = brokenReason(e, session.#ctx.maxMessageBytes);
    }
  }

  static #onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
    (this as SessionSocket).session.#received(data, isBinary);
  }

  static #onClose(this: WebSocket, code: number, reason: Buffer): void {
    const socket = this as SessionSocket;
    socket.session.#closed(socket, code, reason);
  }

  #received(data: RawData, isBinary: boolean): void {
    const raw = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    const message: WsMessage = isBinary ? raw : raw.toString('utf8');
    if (this.#waits?.take(message, raw.length) === true) return;
    this.#ctx.recordMessage('WSR', this.#nameOf(message), raw.length);
    const handlers = this.#handlers;
    if (handlers !== null) for (const handler of handlers) handler(message);
  }

  #closed(socket: SessionSocket, code: number, reason: Buffer): void {
    // Dropped by the user: #drop settled its waits. Not ours to fail, nor the new connection's waits.
    if (socket !== this.#socket) return;
    this.#socket = null;
    const text = reason.toString('utf8');
    const why = `connection closed (${code}${text === '' ? '' : ` ${text}`})${this.#lastError === null ? '' : `: ${this.#lastError}`}`;
    this.#waits?.endAll(why);
    if (this.#ctx.signal.aborted) return;
    (this.#pause ??= new ReconnectPause()).failed(performance.now());
    const url = new URL(socket.url);
    this.#fail(`close ${url.pathname}${url.search}`, 0, `closed by the server or the network: ${why}`);
  }

  /** Sends one message, counted in a WSS row; false (a failure recorded) when there is no open connection. */
  send(data: WsMessage | Uint8Array | ArrayBuffer, options: WsSendOptions = {}): boolean {
    const bytes = byteLength(data);
    const name = options.name ?? this.#nameOf(typeof data === 'string' || Buffer.isBuffer(data) ? data : Buffer.from(data as Uint8Array));
    const socket = this.#socket;
    if (socket === null || socket.readyState !== OPEN) {
      this.#fail(name, 0, 'not connected: call this.ws.connect() first (or again after a close)', 'WSS');
      return false;
    }
    socket.send(data);
    this.#ctx.recordMessage('WSS', name, bytes);
    return true;
  }

  /**
   * Sends `data`, then waits for the first message `match` accepts: one WS row timed from the send
   * to that message. Resolves with the message, or null when it failed (timeout, a close first,
   * match() threw, no connection; each recorded with its reason). Messages that do not match go on
   * to the other waiters, then to onMessage handlers and the WSR rows.
   */
  sendAndWait(data: WsMessage | Uint8Array | ArrayBuffer, match: (message: WsMessage) => boolean, options: WsWaitOptions = {}): Promise<WsMessage | null> {
    const name = options.name ?? 'sendAndWait';
    const socket = this.#socket;
    if (socket === null || socket.readyState !== OPEN) {
      this.#fail(name, 0, 'not connected: call this.ws.connect() first (or again after a close)');
      return Promise.resolve(null);
    }
    const timeoutMs = options.timeout !== undefined ? options.timeout * 1000 : this.#ctx.timeoutMs;
    // Timed from here: the wait starts its clock, then the message goes.
    const answer = (this.#waits ??= new PendingWaits(this.#ctx)).add(match, name, timeoutMs);
    socket.send(data);
    return answer;
  }

  /** Calls `handler` with every message no sendAndWait took; returns a function that stops it. */
  onMessage(handler: (message: WsMessage) => void): () => void {
    const handlers = (this.#handlers ??= []);
    handlers.push(handler);
    return () => {
      const i = handlers.indexOf(handler);
      if (i !== -1) handlers.splice(i, 1);
    };
  }

  /**
   * Closes the connection (a user's own close: not a failure; waits in flight resolve null,
   * unrecorded). The runner calls it with `true` when the user is cut: the socket is dropped at once.
   */
  close(hard: boolean | number = false): void {
    this.#pause?.cancel();
    if (hard === true) this.#drop(1006, 'user stopped', true);
    else this.#drop(typeof hard === 'number' ? hard : 1000, 'closed by the user');
  }

  /** Catch-response requests: none in WebSocket sessions. */
  flushPending(): void {}

  #drop(code: number, reason: string, hard = false): void {
    const socket = this.#socket;
    if (socket === null) return;
    this.#socket = null;
    this.#waits?.endAll(null);
    // A connect in flight ends here, unrecorded (its socket's error comes after, to nobody).
    this.#endHandshake(socket, ABORTED);
    if (hard || socket.readyState !== OPEN) socket.terminate();
    else socket.close(code, reason);
  }

  #fail(name: string, ms: number, reason: string, type = 'WS'): void {
    this.#failures++;
    this.#ctx.recordRequest({ type, name, responseTimeMs: ms, error: reason });
  }

  #nameOf(message: WsMessage): string {
    try {
      const name = this.#user.messageName(message);
      return typeof name === 'string' && name !== '' ? name : 'message';
    } catch {
      return 'message';
    }
  }
}

/** What a connect that was cut short by the user's stop resolves with (nothing recorded). */
const ABORTED = '\u0000aborted';

function byteLength(data: WsMessage | Uint8Array | ArrayBuffer): number {
  if (typeof data === 'string') return Buffer.byteLength(data);
  return data.byteLength;
}
