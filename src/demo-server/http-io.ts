/** Reading JSON request bodies under a size limit and writing JSON replies. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A reply that ends a request early; thrown by validation and caught once by the dispatcher. */
export class HttpError extends Error {
  readonly status: number;
  readonly headers: Record<string, string> | undefined;

  constructor(status: number, message: string, headers?: Record<string, string>) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

export type JsonObject = Record<string, unknown>;

export function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Reads the whole body as a JSON object; 413 past maxBytes, 400 for anything but a JSON object. */
export async function readJsonObject(req: IncomingMessage, maxBytes: number): Promise<JsonObject> {
  const declared = Number(req.headers['content-length']);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  let overflow = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Keep draining (not storing) so the reply can go out on a connection that stays usable.
    if (size > maxBytes) overflow = true;
    else chunks.push(chunk);
  }
  if (overflow) throw tooLarge(maxBytes);
  if (size === 0) throw new HttpError(400, 'request body is empty; send a JSON object');
  let parsed: unknown;
  try {
    parsed = JSON.parse(chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw new HttpError(400, `invalid JSON body: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HttpError(400, 'request body must be a JSON object');
  }
  return parsed as JsonObject;
}

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(413, `request body exceeds ${maxBytes} bytes`);
}
