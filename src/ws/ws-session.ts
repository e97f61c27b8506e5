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
import WebSocket, { type RawData } from 'ws';
import type { ProtocolContext } from '../core/protocol-context.js';
import type { UserSession } from '../core/user.js';
import { ReconnectPause } from '../http/reconnect-pause.js';
import { wsUrl } from './ws-target.js';

/** A message as a task sees it: a text frame as a string, a binary frame as a Buffer. */
export type WsMessage = string | Buffer;

export interface WsConnectOptions {
  headers?: Record<string, string>;
  /** The stats name (default "connect <path>"). */
  name?: string;
  /** Seconds for the handshake (default --request-timeout). */
  timeout?: number;
  /** Subprotocols offered (Sec-WebSocket-Protocol). */
  protocols?: string | string[];
  /** Offer permessage-deflate (off by default: compression costs the generator CPU the target may not pay). */
  compression?: boolean;
}

export interface WsSendOptions {
  /** The WSS row's name (default: the user's messageName(data)). */
  name?: string;
}

export interface WsWaitOptions {
  /** The WS row's name (default "sendAndWait"). */
  name?: string;
  /** Seconds to wait for the matching message (default --request-timeout). */
  timeout?: number;
}

/** A sendAndWait in flight. */
interface Waiter {
  match: (message: WsMessage) => boolean;
  name: string;
  sentAtMs: number;
  timer: NodeJS.Timeout;
  resolve: (message: WsMessage | null) => void;
}

export interface WsSessionSettings {
  context: ProtocolContext;
  /** The user's messageName(msg): the WSS/WSR row of a message. */
  messageName: (message: WsMessage) => string;
}

export class WsSession implements UserSession {
  readonly #ctx: ProtocolContext;
  readonly #messageName: (message: WsMessage) => string;
  #socket: WebSocket | null = null;
  #path = '/';
  /** A close this user asked for (its own close(), or the run stopping it): not a failure. */
  #closing = false;
  readonly #waiters: Waiter[] = [];
  readonly #handlers: Array<(message: WsMessage) => void> = [];
  /** After connections that failed or broke in a row, the next connect waits as HTTP's backoff does. */
  readonly #pause = new ReconnectPause();
  /** Why the open connection broke, when an error came before its close (a message too large, a reset). */
  #lastError: string | null = null;
  failureCount = 0;

  constructor(settings: WsSessionSettings) {
    this.#ctx = settings.context;
    this.#messageName = settings.messageName;
  }

  /** The connection is open. */
  get connected(): boolean {
    return this.#socket !== null && this.#socket.readyState === WebSocket.OPEN;
  }

  /**
   * Opens the connection to `path` on the user's host (an open one is closed first). Resolves
   * true when open; false when it failed (recorded). After a failed or broken connection the next
   * one first waits (50 ms doubling to 1 s), outside its timing, so a refusing server is not hammered.
   */
  async connect(path = '/', options: WsConnectOptions = {}): Promise<boolean> {
    if (this.#socket !== null) this.#drop(1000, 'reconnecting');
    await this.#pause.wait();
    if (this.#ctx.signal.aborted) return false;
    const url = wsUrl(this.#ctx.baseUrl, path);
    this.#path = url.pathname + url.search;
    const name = options.name ?? `connect ${this.#path}`;
    const timeoutMs = options.timeout !== undefined ? options.timeout * 1000 : this.#ctx.timeoutMs;
    const started = performance.now();
    const error = await this.#open(url, options, timeoutMs);
    if (error === null) {
      this.#pause.answered();
      this.#ctx.recordRequest({ type: 'WS', name, responseTimeMs: performance.now() - started });
      return true;
    }
    this.#pause.failed(performance.now());
    if (error !== ABORTED) this.#fail(name, performance.now() - started, error);
    return false;
  }

  #open(url: URL, options: WsConnectOptions, timeoutMs: number): Promise<string | null> {
    const tls = this.#ctx.tls;
    const auth = this.#ctx.basicAuth;
    const headers = { ...(auth === null ? {} : { authorization: `Basic ${Buffer.from(`${auth[0]}:${auth[1]}`).toString('base64')}` }), ...options.headers };
    const socket = new WebSocket(url, options.protocols ?? [], {
      headers,
      handshakeTimeout: timeoutMs,
      maxPayload: this.#ctx.maxMessageBytes,
      perMessageDeflate: options.compression === true,
      rejectUnauthorized: !tls.insecure,
      ...(tls.ca !== null ? { ca: tls.ca } : {}),
      ...(tls.cert !== null ? { cert: tls.cert } : {}),
      ...(tls.key !== null ? { key: tls.key } : {}),
    });
    this.#socket = socket;
    this.#closing = false;
    this.#lastError = null;
    // Errors after the handshake settled are told by the close that follows each one: never unhandled.
    socket.on('error', (e: Error) => (this.#lastError = brokenReason(e, this.#ctx.maxMessageBytes)));
    return new Promise((resolve) => {
      // No listener on the run's abort signal (shared by every user: thousands would pile up): a
      // user cut mid-connect is closed through close(true), which ends the handshake here.
      const settle = (error: string | null): void => {
        socket.off('open', onOpen);
        socket.off('error', onError);
        socket.off('unexpected-response', onResponse);
        resolve(this.#closing && error !== null ? ABORTED : error);
      };
      const onOpen = (): void => {
        this.#listen(socket);
        settle(null);
      };
      const onError = (e: Error): void => {
        socket.terminate();
        settle(connectReason(e, timeoutMs));
      };
      const onResponse = (req: { destroy(): void }, res: { statusCode?: number; statusMessage?: string; resume(): void }): void => {
        res.resume();
        req.destroy();
        settle(`HTTP ${res.statusCode ?? 0} ${res.statusMessage ?? ''}`.trim() + ' instead of a WebSocket upgrade');
      };
      socket.once('open', onOpen);
      socket.once('error', onError);
      socket.once('unexpected-response', onResponse);
    });
  }

  /** An open connection's messages and its end. */
  #listen(socket: WebSocket): void {
    socket.on('message', (data: RawData, isBinary: boolean) => this.#onMessage(data, isBinary));
    socket.once('close', (code: number, reason: Buffer) => this.#onClose(socket, code, reason.toString('utf8')));
  }

  #onMessage(data: RawData, isBinary: boolean): void {
    const raw = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    const message: WsMessage = isBinary ? raw : raw.toString('utf8');
    for (let i = 0; i < this.#waiters.length; i++) {
      const w = this.#waiters[i] as Waiter;
      let matched: boolean;
      try {
        matched = w.match(message) === true;
      } catch (e) {
        this.#settle(i, null);
        this.#fail(w.name, performance.now() - w.sentAtMs, `match() threw: ${e instanceof Error ? e.message : String(e)}`);
        continue;
      }
      if (!matched) continue;
      this.#settle(i, message);
      this.#ctx.recordRequest({ type: 'WS', name: w.name, responseTimeMs: performance.now() - w.sentAtMs, responseLength: raw.length });
      return;
    }
    this.#ctx.recordMessage('WSR', this.#nameOf(message), raw.length);
    for (const handler of this.#handlers) handler(message);
  }

  #onClose(socket: WebSocket, code: number, reason: string): void {
    if (this.#socket === socket) this.#socket = null;
    const why = `connection closed (${code}${reason === '' ? '' : ` ${reason}`})${this.#lastError === null ? '' : `: ${this.#lastError}`}`;
    const waiting = this.#waiters.splice(0);
    for (const w of waiting) {
      clearTimeout(w.timer);
      w.resolve(null);
      if (!this.#closing) this.#fail(w.name, performance.now() - w.sentAtMs, `${why} before a matching message`);
    }
    if (this.#closing || this.#ctx.signal.aborted) return;
    this.#pause.failed(performance.now());
    this.#fail(`close ${this.#path}`, 0, `closed by the server or the network: ${why}`);
  }

  /** Sends one message, counted in a WSS row; false (a failure recorded) when there is no open connection. */
  send(data: WsMessage | Uint8Array | ArrayBuffer, options: WsSendOptions = {}): boolean {
    const bytes = byteLength(data);
    const name = options.name ?? this.#nameOf(typeof data === 'string' || Buffer.isBuffer(data) ? data : Buffer.from(data as Uint8Array));
    const socket = this.#socket;
    if (socket === null || socket.readyState !== WebSocket.OPEN) {
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
    if (socket === null || socket.readyState !== WebSocket.OPEN) {
      this.#fail(name, 0, 'not connected: call this.ws.connect() first (or again after a close)');
      return Promise.resolve(null);
    }
    const timeoutMs = options.timeout !== undefined ? options.timeout * 1000 : this.#ctx.timeoutMs;
    return new Promise((resolve) => {
      const waiter: Waiter = {
        match,
        name,
        sentAtMs: performance.now(),
        resolve,
        timer: setTimeout(() => {
          const i = this.#waiters.indexOf(waiter);
          if (i === -1) return;
          this.#settle(i, null);
          this.#fail(name, performance.now() - waiter.sentAtMs, `timeout after ${formatSeconds(timeoutMs)} waiting for a matching message`);
        }, timeoutMs),
      };
      this.#waiters.push(waiter);
      socket.send(data);
    });
  }

  /** Calls `handler` with every message no sendAndWait took; returns a function that stops it. */
  onMessage(handler: (message: WsMessage) => void): () => void {
    this.#handlers.push(handler);
    return () => {
      const i = this.#handlers.indexOf(handler);
      if (i !== -1) this.#handlers.splice(i, 1);
    };
  }

  /**
   * Closes the connection (a user's own close: not a failure; waits in flight resolve null,
   * unrecorded). The runner calls it with `true` when the user is cut: the socket is dropped at once.
   */
  close(hard: boolean | number = false): void {
    this.#pause.cancel();
    if (hard === true) this.#drop(1006, 'user stopped', true);
    else this.#drop(typeof hard === 'number' ? hard : 1000, 'closed by the user');
  }

  /** Catch-response requests: none in WebSocket sessions. */
  flushPending(): void {}

  #drop(code: number, reason: string, hard = false): void {
    const socket = this.#socket;
    if (socket === null) return;
    this.#closing = true;
    this.#socket = null;
    for (const w of this.#waiters.splice(0)) {
      clearTimeout(w.timer);
      w.resolve(null);
    }
    if (hard || socket.readyState !== WebSocket.OPEN) socket.terminate();
    else socket.close(code, reason);
  }

  #settle(index: number, message: WsMessage | null): void {
    const [w] = this.#waiters.splice(index, 1);
    if (w === undefined) return;
    clearTimeout(w.timer);
    w.resolve(message);
  }

  #fail(name: string, ms: number, reason: string, type = 'WS'): void {
    this.failureCount++;
    this.#ctx.recordRequest({ type, name, responseTimeMs: ms, error: reason });
  }

  #nameOf(message: WsMessage): string {
    try {
      const name = this.#messageName(message);
      return typeof name === 'string' && name !== '' ? name : 'message';
    } catch {
      return 'message';
    }
  }
}

/** What a connect that was cut short by the user's stop resolves with (nothing recorded). */
const ABORTED = '\u0000aborted';

function connectReason(e: Error, timeoutMs: number): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (/Opening handshake has timed out/i.test(e.message)) return `connect timeout after ${formatSeconds(timeoutMs)}`;
  if (code !== undefined) return code;
  return e.message.slice(0, 300);
}

/** Why an open connection broke, from the error before its close. */
function brokenReason(e: Error, maxMessageBytes: number): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') return `a message larger than --max-body-size (${maxMessageBytes} bytes)`;
  return code ?? e.message.slice(0, 300);
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function byteLength(data: WsMessage | Uint8Array | ArrayBuffer): number {
  if (typeof data === 'string') return Buffer.byteLength(data);
  return data.byteLength;
}
