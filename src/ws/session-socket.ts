/**
 * The `ws` client a WsSession opens: a WebSocket that points back at its session, so one set of
 * listeners (WsSession's static methods, shared by every connection, `this` being the socket) can
 * reach it. Closures per connection for error, message and close, and once()'s wrapper, held
 * ~420 bytes per open connection for as long as it stayed open; this costs one field.
 */
import type WebSocket from 'ws';
import type { ClientOptions } from 'ws';
import { basicAuthHeader } from '../core/credentials-text.js';
import { lazyPackage } from '../core/lazy-package.js';
import type { ProtocolContext } from '../core/protocol-context.js';
import type { WsConnectOptions } from './ws-options.js';
import type { WsSession } from './ws-session.js';

/** `ws`, loaded when a WebSocketUser class is first checked (core/lazy-package.ts), not at start-up. */
export const wsPackage = lazyPackage<typeof WebSocket>('ws');

/** A `ws` WebSocket that knows its session. */
export interface SessionSocket extends WebSocket {
  readonly session: WsSession;
}

type SessionSocketClass = new (session: WsSession, url: URL, protocols: string | string[], options: ClientOptions) => SessionSocket;
let socketClass: SessionSocketClass | null = null;

/** Opens a connection: the class extends `ws`'s WebSocket, so it is made once `ws` is loaded. */
export function openSessionSocket(session: WsSession, url: URL, protocols: string | string[], options: ClientOptions): SessionSocket {
  socketClass ??= class extends wsPackage() implements SessionSocket {
    readonly session: WsSession;

    constructor(owner: WsSession, to: URL, wanted: string | string[], o: ClientOptions) {
      super(to, wanted, o);
      this.session = owner;
    }
  };
  return new socketClass(session, url, protocols, options);
}

/**
 * The `ws` options of one connect. No `handshakeTimeout`: `ws` implements it as an idle timeout
 * on the TCP socket, and that Timeout stays referenced from the socket for the connection's whole
 * life (120 bytes each); the session times the handshake with a timer of its own instead.
 */
export function clientOptions(ctx: ProtocolContext, options: WsConnectOptions): ClientOptions {
  const tls = ctx.tls;
  const auth = ctx.basicAuth;
  const headers = { ...(auth === null ? {} : { authorization: basicAuthHeader(auth) }), ...options.headers };
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
