/** The shape every route handler shares. */
import type { JsonObject } from './http-io.js';
import type { MemorySpace } from './memory-space.js';
import type { ServerState } from './server-state.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RequestContext {
  state: ServerState;
  query: URLSearchParams;
  /** The path parameter (":id" of /concepts/:id); empty for fixed paths. */
  param: string;
  /** The parsed JSON body; an empty object for routes that take none. */
  body: JsonObject;
  spaceName: string;
  /** The request's memory space, created on first use (so /health never allocates one). */
  space(): MemorySpace;
}

export interface Reply {
  status: number;
  body: unknown;
}

export interface Route {
  method: HttpMethod;
  /** The path as the router knows it ("/concepts/:id", never a concrete id): the metrics' route label. */
  pattern: string;
  /** Reads a JSON object body before the handler runs. */
  readsBody: boolean;
  /** Part of federation: answers 404 when federation is switched off. */
  federation: boolean;
  handle(ctx: RequestContext): Reply;
}

export function ok(body: Record<string, unknown>): Reply {
  return { status: 200, body: { ok: true, ...body } };
}
