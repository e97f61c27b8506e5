/**
 * What a user of another protocol than HTTP (WebSocketUser, GrpcUser) gets from its run to build
 * its client: its target, the run's limits and TLS settings, and where its exchanges and messages
 * are recorded. The runner fills it in; the protocol clients (src/ws/, src/grpc/) read it, so the
 * runner never imports a protocol library.
 */
import type { CustomRequest } from './user.js';

export interface ProtocolTls {
  /** --insecure, or the class's `static insecure = true`: the server's certificate is not verified. */
  insecure: boolean;
  /** --ca, --cert, --key: PEM texts. */
  ca: string | null;
  cert: string | null;
  key: string | null;
}

export interface ProtocolContext {
  /** The user's target as written (-H, or its class's host), credentials included: never print it. */
  baseUrl: string;
  /** Basic auth from -H http://user:pass@host (taken out of the host), as [user, password]. */
  basicAuth: readonly [string, string] | null;
  /** --request-timeout in ms: a connect, and each exchange that gives no timeout of its own. */
  timeoutMs: number;
  /** --max-body-size: the largest message a client accepts. */
  maxMessageBytes: number;
  tls: ProtocolTls;
  /** --connection-pool shared: one connection (a gRPC channel) per origin for every user of the process. */
  sharedConnections: boolean;
  /** One exchange (a request and its answer), timed by the client: into the stats as any request. */
  recordRequest(request: CustomRequest): void;
  /**
   * One message sent or received on its own (WebSocket's WSS and WSR rows): counted with its size.
   * A message has no response time, so it stays out of the Aggregated row's times and counts.
   */
  recordMessage(type: string, name: string, bytes: number): void;
  /** Aborted when the user must stop at once: what is in flight is dropped, not recorded. */
  signal: AbortSignal;
  /** One value per key for the whole process (loaded proto files, shared channels), made on first use. */
  shared<T>(key: string, make: () => T): T;
}
