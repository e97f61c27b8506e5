import { performance } from 'node:perf_hooks';
import { closeSync, openSync, writeSync } from 'node:fs';
import type { RequestEvent } from '../core/hooks.js';
import { isSecretHeader } from '../core/secret-headers.js';

/**
 * `--record-trace FILE`: every request of a run as one JSON line, replayable with
 * `run-load-tests replay --trace FILE`. Format (also what an access-log converter should write):
 *
 *   {"trace":"brood","version":1,"host":"http://…","started":"2026-…Z"}          first line, optional
 *   {"t":0.012345,"user":3,"method":"POST","path":"/learn?x=1","name":"/learn","status":200,
 *    "headers":{"content-type":"application/json"},"body":"{\"text\":\"hi\"}"}
 *
 * t = seconds from the start of the run to the send; user = virtual user id (replay keeps one
 * connection per user); path = the path and query sent (an absolute URL when the request went to
 * another origin than the run's host); name = the stats name; headers = what the request sent
 * beyond brood's defaults, never credentials (Authorization, Cookie, tokens: secret-headers.ts,
 * so replay against a server that needs them sets them again); body = the request body as UTF-8 text, or
 * "body_base64" for binary, or only "body_size" past 64 KiB (replay then sends that many bytes).
 * Lines are buffered and written (synchronously) once per interval and at close. With --processes,
 * lines arrive from the workers in batches: t is exact, but lines are ordered by batch, not by t
 * (replay sorts by t).
 */
export const MAX_TRACE_BODY = 64 * 1024;

export interface TraceRecord {
  t: number;
  user: number;
  method: string;
  path: string;
  name: string;
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  body_base64?: string;
  body_size?: number;
}

const DEFAULT_HEADERS: ReadonlySet<string> = new Set(['user-agent', 'accept-encoding']);

/** The trace's path for `url`: origin-relative on the run's own origin, else the whole URL. */
function tracePath(url: string, hostOrigin: string): string {
  return url.startsWith(hostOrigin) && url.charCodeAt(hostOrigin.length) === 47 /* / */ ? url.slice(hostOrigin.length) : url;
}

/**
 * One request as a trace line. `startMs` is the run's start on the clock of `e.sentAtMs` (this
 * thread's performance.now()): a worker thread converts the main thread's start through the
 * epoch clock every thread shares (performance.timeOrigin + performance.now()). `hostOrigin` is
 * the run's host origin (http://host:port).
 */
export function traceLine(e: RequestEvent, startMs: number, hostOrigin: string): string {
  const sentAt = e.sentAtMs ?? performance.now() - e.responseTimeMs;
  const line: TraceRecord = {
    t: Math.max(0, Math.round((sentAt - startMs) * 1000) / 1e6),
    user: e.userId,
    method: e.method,
    path: tracePath(e.url, hostOrigin),
    name: e.name,
    status: e.status,
  };
  if (e.requestHeaders) {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(e.requestHeaders)) if (!DEFAULT_HEADERS.has(k.toLowerCase()) && !isSecretHeader(k)) headers[k] = v;
    if (Object.keys(headers).length > 0) line.headers = headers;
  }
  const body = e.requestBody;
  if (typeof body === 'string') {
    if (Buffer.byteLength(body) <= MAX_TRACE_BODY) line.body = body;
    else line.body_size = Buffer.byteLength(body);
  } else if (body) {
    if (body.length <= MAX_TRACE_BODY) line.body_base64 = Buffer.from(body).toString('base64');
    else line.body_size = body.length;
  }
  return JSON.stringify(line);
}

export class TraceWriter {
  readonly #fd: number;
  /** The run's start on the clock of the requests' send times (performance.now() here). */
  readonly startMs: number;
  readonly #hostOrigin: string;
  #buffer: string[] = [];
  #closed = false;
  records = 0;

  constructor(path: string, host: string, startMs: number, startedWallMs: number) {
    this.#fd = openSync(path, 'w');
    this.startMs = startMs;
    this.#hostOrigin = new URL(host).origin;
    writeSync(this.#fd, `${JSON.stringify({ trace: 'brood', version: 1, host, started: new Date(startedWallMs).toISOString() })}\n`);
  }

  record(e: RequestEvent): void {
    if (this.#closed) return;
    this.#buffer.push(traceLine(e, this.startMs, this.#hostOrigin));
    this.records++;
  }

  /** Lines formatted elsewhere (a --processes worker's requests, see worker-entry.ts). */
  appendLines(lines: readonly string[]): void {
    if (this.#closed) return;
    for (const line of lines) this.#buffer.push(line);
    this.records += lines.length;
  }

  flush(): void {
    if (this.#buffer.length === 0 || this.#closed) return;
    writeSync(this.#fd, `${this.#buffer.join('\n')}\n`);
    this.#buffer = [];
  }

  close(): void {
    if (this.#closed) return;
    this.flush();
    this.#closed = true;
    closeSync(this.#fd);
  }
}
