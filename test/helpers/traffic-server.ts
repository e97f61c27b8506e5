/**
 * A recording server (recording-server.ts) that also notes, for each request, which keep-alive
 * connection carried it and when it arrived and was answered. brood gives each HttpUser its own
 * connection, so a test can follow one virtual user's requests from the server's side alone and
 * measure its think time: from the end of one response to the arrival of the user's next request.
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { startRecordingServer, type ReceivedRequest } from './recording-server.js';

/** One request as the server saw it. Times are performance.now() of the test process. */
export interface Visit {
  /** The connection that carried it: 0, 1, … in the order connections sent their first request. */
  conn: number;
  method: string;
  /** The path without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** When the whole request had arrived. */
  arrivedMs: number;
  /** When the whole response was handed to the socket; null until then. */
  answeredMs: number | null;
  status: number;
  /** Bytes of response body sent. */
  bodyBytes: number;
}

export interface Answer {
  status?: number;
  headers?: Record<string, string | string[]>;
  body?: string;
  /** Answer after this long. */
  delayMs?: number;
}

export interface TrafficServer {
  url: string;
  port: number;
  /** What a client sends as Host to this server. */
  hostHeader: string;
  visits: Visit[];
  /** The visits of each connection (each virtual user), in arrival order. */
  users(): Visit[][];
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1:0 that answers each request with `answer(visit)` (default: 200 "ok"). */
export async function startTrafficServer(answer: (visit: Visit) => Answer = () => ({})): Promise<TrafficServer> {
  const visits: Visit[] = [];
  const connIds = new WeakMap<Socket, number>();
  let nextConn = 0;
  const srv = await startRecordingServer((req: ReceivedRequest, res: ServerResponse) => {
    const arrivedMs = performance.now();
    const socket = res.socket as Socket;
    let conn = connIds.get(socket);
    if (conn === undefined) connIds.set(socket, (conn = nextConn++));
    const url = new URL(req.url, 'http://server.invalid');
    const visit: Visit = { conn, method: req.method, path: url.pathname, query: url.searchParams, headers: req.headers, body: req.body.toString('utf8'), arrivedMs, answeredMs: null, status: 0, bodyBytes: 0 };
    visits.push(visit);
    const a = answer(visit);
    const body = Buffer.from(a.body ?? 'ok');
    visit.status = a.status ?? 200;
    visit.bodyBytes = body.length;
    res.on('finish', () => (visit.answeredMs = performance.now()));
    const send = (): void => {
      res.writeHead(visit.status, { 'content-length': String(body.length), ...(a.headers ?? {}) });
      res.end(body);
    };
    if (a.delayMs !== undefined && a.delayMs > 0) setTimeout(send, a.delayMs);
    else send();
  });
  return {
    url: srv.url,
    port: srv.port,
    hostHeader: `127.0.0.1:${srv.port}`,
    visits,
    users: () => {
      const byConn: Visit[][] = [];
      for (const v of visits) (byConn[v.conn] ??= []).push(v);
      return byConn;
    },
    close: () => srv.close(),
  };
}

/** Think times of one user, seconds: from each answer to the arrival of the next request. */
export function thinkTimesSec(userVisits: readonly Visit[]): number[] {
  const gaps: number[] = [];
  for (let i = 1; i < userVisits.length; i++) {
    const prev = userVisits[i - 1] as Visit;
    const next = userVisits[i] as Visit;
    if (prev.answeredMs !== null) gaps.push((next.arrivedMs - prev.answeredMs) / 1000);
  }
  return gaps;
}
