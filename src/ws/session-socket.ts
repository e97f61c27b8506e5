/**
 * The `ws` client a WsSession opens: a WebSocket that points back at its session, so one set of
 * listeners (functions shared by every connection, `this` being the socket) can reach it. A
 * closure per listener would cost each open connection ~400 bytes; this costs one field.
 */
import WebSocket, { type ClientOptions } from 'ws';
import type { ProtocolContext } from '../core/protocol-context.js';
import type { WsConnectOptions, WsSession } from './ws-session.js';

export class SessionSocket extends WebSocket {
  readonly session: WsSession;

  constructor(session: WsSession, url: URL, protocols: string | string[], options: ClientOptions) {
    super(url, protocols, options);
    this.session = session;
  }
}

/** The session of a socket a WsSession opened: its listeners are only ever added to those. */
export function sessionOf(socket: WebSocket): WsSession {
  return (socket as SessionSocket).session;
}

/**
 * The `ws` options of one connect. No `handshakeTimeout`: `ws` implements it as an idle timeout
 * on the TCP socket, and that Timeout stays referenced from the socket for the connection's whole
 * life (120 bytes each); the session times the handshake with a timer of its own instead.
 */
export function clientOptions(ctx: ProtocolContext, options: WsConnectOptions): ClientOptions {
  const tls = ctx.tls;
  const auth = ctx.basicAuth;
  const headers = { ...(auth === null ? {} : { authorization: `Basic ${Buffer.from(`${auth[0]}:${auth[1]}`).toString('base64')}` }), ...options.headers };
  return {
    headers,
    maxPayload: ctx.maxMessageBytes,
    perMessageDeflate: options.compression === true,
    rejectUnauthorized: !tls.insecure,
    ...(tls.ca !== null ? { ca: tls.ca } : {}),
    ...(tls.cert !== null ? { cert: tls.cert } : {}),
    ...(tls.key !== null ? { key: tls.key } : {}),
  };
}

/** Why a handshake failed, from the error `ws` gave. */
export function connectReason(e: Error): string {
  return (e as NodeJS.ErrnoException).code ?? e.message.slice(0, 300);
}

/** Why an open connection broke, from the error before its close. */
export function brokenReason(e: Error, maxMessageBytes: number): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') return `a message larger than --max-body-size (${maxMessageBytes} bytes)`;
  return code ?? e.message.slice(0, 300);
}

export function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
