/** What a WebSocketUser's tasks pass to `this.ws` and get back from it (see ws-session.ts). */

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
