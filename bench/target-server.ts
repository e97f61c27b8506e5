/**
 * The peer every benchmark targets: a process of its own (pinned to a core by target-process.ts)
 * answering every request with a small JSON body. Two kinds:
 *   net   the fastest responder Node can be: raw node:net, a minimal HTTP/1.1 parser (header end +
 *         content-length), one pre-built response; so the generator, not the server, is measured
 *   http  a plain node:http server (what a user would write)
 * It prints `listening PORT` once ready, and answers lines on stdin:
 *   count   -> `count N` (requests received so far)
 *   first   -> `first EPOCH_MS` (wall time of the first request received, 0 if none)
 *   conns   -> `conns N` (open connections)
 *   accepted -> `accepted N` (connections accepted so far, closed or not)
 *   timeline -> `timeline C0,C1,…` (new connections per 100 ms, from the first one on)
 *   exit    -> exits
 *
 *   node dist/bench/target-server.js [--kind net|http] [--delay-ms 0] [--set-cookie]
 * --set-cookie: every response also sets the same session cookie (bench/cookie-cost.ts).
 */
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { RequestFramer } from '../src/http/request-framer.js';

const BODY = '{"ok":true,"items":[1,2,3]}';
const SET_COOKIE = 'sid=3f9a1c2e7b5d4a60; Path=/; HttpOnly';
function response(setCookie: boolean): Buffer {
  const cookie = setCookie ? `Set-Cookie: ${SET_COOKIE}\r\n` : '';
  return Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${BODY.length}\r\n${cookie}Connection: keep-alive\r\n\r\n${BODY}`);
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

interface Counters {
  requests: number;
  firstWallMs: number;
  connections: number;
  accepted: number;
  /** New connections per 100 ms bucket since the first connection. */
  opened: number[];
  firstConnectionMs: number;
}

function connectionOpened(c: Counters): void {
  c.connections++;
  c.accepted++;
  const now = performance.now();
  if (c.opened.length === 0) c.firstConnectionMs = now;
  const bucket = Math.floor((now - c.firstConnectionMs) / 100);
  while (c.opened.length <= bucket) c.opened.push(0);
  c.opened[bucket] = (c.opened[bucket] ?? 0) + 1;
}

function serveNet(counters: Counters, delayMs: number, setCookie: boolean): ReturnType<typeof createNetServer> {
  const RESPONSE = response(setCookie);
  return createNetServer({ noDelay: true }, (socket: Socket) => {
    connectionOpened(counters);
    const framer = new RequestFramer();
    socket.on('data', (chunk: Buffer) => {
      const answers = framer.feed(chunk);
      if (answers === 0) return;
      if (counters.firstWallMs === 0) counters.firstWallMs = Date.now();
      counters.requests += answers;
      const reply = (): void => {
        if (socket.destroyed) return;
        if (answers === 1) socket.write(RESPONSE);
        else socket.write(Buffer.concat(Array.from({ length: answers }, () => RESPONSE)));
      };
      if (delayMs > 0) setTimeout(reply, delayMs);
      else reply();
    });
    socket.on('error', () => {});
    socket.on('close', () => counters.connections--);
  });
}

function serveHttp(counters: Counters, delayMs: number, setCookie: boolean): ReturnType<typeof createHttpServer> {
  const server = createHttpServer((req, res) => {
    if (counters.firstWallMs === 0) counters.firstWallMs = Date.now();
    counters.requests++;
    req.resume();
    const answer = (): void => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': BODY.length, ...(setCookie ? { 'set-cookie': SET_COOKIE } : {}) });
      res.end(BODY);
    };
    if (delayMs > 0) setTimeout(answer, delayMs);
    else answer();
  });
  server.keepAliveTimeout = 3_600_000;
  server.headersTimeout = 0;
  server.requestTimeout = 0;
  server.maxRequestsPerSocket = 0;
  server.on('connection', (s: Socket) => {
    connectionOpened(counters);
    s.on('close', () => counters.connections--);
  });
  return server;
}

function main(): void {
  const kind = arg('--kind', 'net');
  const delayMs = Number(arg('--delay-ms', '0'));
  const counters: Counters = { requests: 0, firstWallMs: 0, connections: 0, accepted: 0, opened: [], firstConnectionMs: 0 };
  const setCookie = process.argv.includes('--set-cookie');
  const server = kind === 'http' ? serveHttp(counters, delayMs, setCookie) : serveNet(counters, delayMs, setCookie);
  server.listen({ port: 0, host: '127.0.0.1', backlog: 65535 }, () => {
    process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
  });
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const cmd = line.trim();
    if (cmd === 'count') process.stdout.write(`count ${counters.requests}\n`);
    else if (cmd === 'first') process.stdout.write(`first ${counters.firstWallMs}\n`);
    else if (cmd === 'conns') process.stdout.write(`conns ${counters.connections}\n`);
    else if (cmd === 'accepted') process.stdout.write(`accepted ${counters.accepted}\n`);
    else if (cmd === 'timeline') {
      process.stdout.write(`timeline ${counters.opened.join(',')}\n`);
      counters.opened = [];
    }
    else if (cmd === 'exit') process.exit(0);
  });
  // The bench that started us is gone: never outlive it.
  lines.on('close', () => process.exit(0));
}

main();
