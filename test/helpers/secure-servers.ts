import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import {
  createSecureServer,
  createServer as createH2cServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type ServerHttp2Session,
} from 'node:http2';
import type { AddressInfo, Server, Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { testCertificates } from './tls-certs.js';

/** What the server saw of one request. */
export interface RecordedRequest {
  method: string;
  /** As sent (`:path` in HTTP/2), query included. */
  path: string;
  /** '1.1' or '2.0'. */
  httpVersion: string;
  /** Protocol chosen by ALPN in the TLS handshake ('h2', 'http/1.1'); absent on clear text or when the client offered none. */
  alpnProtocol?: string;
  /** CN of the client certificate, when the client presented one. */
  clientCertCN?: string;
  headers: IncomingHttpHeaders;
}

export interface SecureServer {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** TCP connections accepted so far (one per HTTP/2 session), including ones whose TLS handshake then failed. */
  connections(): number;
  /** HTTP/2 only: GOAWAY on every open session (streams in flight finish, then it closes); new sessions are still accepted. */
  goaway(): void;
  /** Ends every session and connection, then stops listening. */
  close(): Promise<void>;
}

export interface HttpsServerOptions {
  cert: 'ca-signed' | 'self-signed';
  /** Require a client certificate signed by the test CA; handshakes without one fail. */
  requestClientCert?: boolean;
  handler?: (req: IncomingMessage, res: ServerResponse) => void;
}

export interface Http2ServerOptions {
  /** true: TLS with ALPN h2 (CA-signed cert); false: h2c, clear text with prior knowledge. */
  tls: boolean;
  /** TLS only, default true: serve HTTP/1.1 clients on the same port, as real h2 servers do. */
  allowHTTP1?: boolean;
  /** Also receives HTTP/1.1 requests when allowHTTP1 (Node passes http objects with the same compat API). */
  handler?: (req: Http2ServerRequest, res: Http2ServerResponse) => void;
}

interface OkResponse {
  writeHead(status: number, headers: Record<string, string | number>): unknown;
  end(body: string): unknown;
}

const OK_BODY = '{"ok":true}';

function answerOk(_req: unknown, res: OkResponse): void {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(OK_BODY) });
  res.end(OK_BODY);
}

/** A real node:https server on 127.0.0.1:0 with a test certificate, recording every request. */
export async function startHttpsServer(options: HttpsServerOptions): Promise<SecureServer> {
  const certs = testCertificates();
  const { key, cert } = options.cert === 'ca-signed' ? certs.server : certs.selfSigned;
  const clientAuth = options.requestClientCert ? { requestCert: true, rejectUnauthorized: true, ca: certs.ca.cert } : {};
  const handler = options.handler ?? answerOk;
  const requests: RecordedRequest[] = [];
  const server = createHttpsServer({ key, cert, ...clientAuth }, (req, res) => {
    requests.push(recordRequest(req));
    handler(req, res);
  });
  return listen(server, 'https', requests);
}

/** A real node:http2 server on 127.0.0.1:0 (TLS + ALPN, or h2c), recording every request and session. */
export async function startHttp2Server(options: Http2ServerOptions): Promise<SecureServer> {
  if (!options.tls && options.allowHTTP1) throw new Error('allowHTTP1 needs tls: true (h2c here is prior knowledge only)');
  const handler = options.handler ?? answerOk;
  const requests: RecordedRequest[] = [];
  const onRequest = (req: Http2ServerRequest, res: Http2ServerResponse): void => {
    requests.push(recordRequest(req));
    handler(req, res);
  };
  const { key, cert } = testCertificates().server;
  const server = options.tls
    ? createSecureServer({ key, cert, allowHTTP1: options.allowHTTP1 ?? true }, onRequest)
    : createH2cServer(onRequest);
  const sessions = new Set<ServerHttp2Session>();
  server.on('session', (session: ServerHttp2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  return listen(server, options.tls ? 'https' : 'http', requests, sessions);
}

function recordRequest(req: IncomingMessage | Http2ServerRequest): RecordedRequest {
  const seen: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', httpVersion: req.httpVersion, headers: req.headers };
  // For HTTP/2, req.socket is a proxy whose prototype and properties are the session's TLS socket.
  const socket = req.socket;
  if (socket instanceof TLSSocket) {
    if (typeof socket.alpnProtocol === 'string') seen.alpnProtocol = socket.alpnProtocol;
    const cn = socket.getPeerCertificate().subject?.CN; // {} when the client sent no certificate
    if (typeof cn === 'string') seen.clientCertCN = cn;
  }
  return seen;
}

async function listen(
  server: Server,
  scheme: 'http' | 'https',
  requests: RecordedRequest[],
  sessions?: Set<ServerHttp2Session>,
): Promise<SecureServer> {
  // Raw TCP sockets, tracked because server.close() alone drops only idle connections, not ones with a
  // request in flight or a handshake half done; destroying the TCP socket also ends the TLS on top of it.
  const sockets = new Set<Socket>();
  let accepted = 0;
  server.on('connection', (socket: Socket) => {
    accepted++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    requests,
    connections: () => accepted,
    goaway: () => {
      if (!sessions) throw new Error('goaway() needs an HTTP/2 server (startHttp2Server)');
      // close() sends GOAWAY(NO_ERROR) with the last stream processed, like a server shutting down gracefully.
      for (const session of sessions) session.close();
    },
    close: async () => {
      // Sessions first: h2 clients then see their streams cancelled rather than a reset socket (an 'error').
      for (const session of sessions ?? []) session.destroy();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
