import { createServer, type AddressInfo, type Socket } from 'node:net';
import { RequestFramer } from './request-framer.js';

/** A keep-alive HTTP/1.1 responder on 127.0.0.1:0 that answers every request with a small JSON body. */
export interface LoopbackResponder {
  readonly url: string;
  /** Requests answered so far. */
  readonly answered: () => number;
  /** Closes the listener and every connection. */
  close(): Promise<void>;
}

const BODY = '{"ok":true}';
const RESPONSE = Buffer.from(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${BODY.length}\r\n\r\n${BODY}`);
/**
 * Used by the JIT warm-up (runner/thread/jit-warm-up.ts): brood's own request path is exercised against
 * this in-process responder before a steep ramp, so the target never sees warm-up traffic. It only
 * has to speak enough HTTP/1.1 for brood's client: request heads, Content-Length bodies, keep-alive.
 */
export function startLoopbackResponder(): Promise<LoopbackResponder> {
  let answered = 0;
  const sockets = new Set<Socket>();
  const server = createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    const framer = new RequestFramer();
    socket.on('data', (chunk: Buffer) => {
      const answers = framer.feed(chunk);
      for (let i = 0; i < answers; i++) socket.write(RESPONSE);
      answered += answers;
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        answered: () => answered,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
