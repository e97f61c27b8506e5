/**
 * One port for HTTP/1.1 (the API and WebSocket upgrades) and cleartext HTTP/2 with prior knowledge
 * (gRPC): a connection's first bytes decide where it goes. An HTTP/2 client opens with the preface
 * "PRI * HTTP/2.0\r\n…" and no HTTP/1 request starts with "PRI ", so four bytes are enough; they
 * are put back before the socket is handed over, and each server then reads it as its own.
 */
import { createServer, type Server, type Socket } from 'node:net';

const HTTP2_HEAD = Buffer.from('PRI ');

/** Where each kind of connection goes; a route that takes time (a server still loading) returns a promise, and the socket stays paused until it settles. */
export interface ProtocolRoutes {
  http1(socket: Socket): void | Promise<void>;
  http2(socket: Socket): void | Promise<void>;
}

export function createSniffingServer(routes: ProtocolRoutes): Server {
  return createServer((socket) => {
    let head: Buffer | null = null;
    // A client that resets before sending anything must not become an unhandled 'error'.
    const onError = (): void => {
      socket.destroy();
    };
    const onData = (chunk: Buffer): void => {
      head = head === null ? chunk : Buffer.concat([head, chunk]);
      if (head.length < HTTP2_HEAD.length && HTTP2_HEAD.subarray(0, head.length).equals(head)) return;
      socket.off('data', onData);
      socket.off('error', onError);
      socket.pause();
      socket.unshift(head);
      const handed = head.subarray(0, HTTP2_HEAD.length).equals(HTTP2_HEAD) ? routes.http2(socket) : routes.http1(socket);
      // The server has attached its reader once the route returned (or settled); the bytes put back are read first.
      const resume = (): void => {
        if (!socket.destroyed) socket.resume();
      };
      if (handed instanceof Promise) void handed.then(resume, resume);
      else process.nextTick(resume);
    };
    socket.on('data', onData);
    socket.on('error', onError);
  });
}
