/**
 * Response checks shared by the CONTINUUM tasks (all requests use catchResponse): a task decides
 * success or failure from the status and the JSON body, and a failure reason carries the server's
 * own message, so failures.csv says what went wrong ("HTTP 400: "query" must not be empty").
 */
import type { BroodResponse } from '../../src/index.js';

export type JsonBody = Record<string, unknown>;

const MAX_REASON = 120;

/** The body as a JSON object, or null when it is not one. */
export function jsonObject(r: BroodResponse): JsonBody | null {
  try {
    const body: unknown = r.json();
    return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as JsonBody) : null;
  } catch {
    return null;
  }
}

/** "HTTP 404: no concept with id "c9"" — or the transport error when no response arrived. */
export function statusReason(r: BroodResponse, body: JsonBody | null = jsonObject(r)): string {
  if (r.status === 0) return r.error ?? 'no response';
  const message = typeof body?.error === 'string' ? `: ${body.error.slice(0, MAX_REASON)}` : '';
  return `HTTP ${r.status}${message}`;
}

/**
 * The usual check: 200 with a JSON object body, else a failure. Returns the body on success
 * (the request is already marked), null when it failed.
 */
export function expectOk(r: BroodResponse): JsonBody | null {
  const body = jsonObject(r);
  if (r.status !== 200) {
    r.failure(statusReason(r, body));
    return null;
  }
  if (body === null) {
    r.failure('HTTP 200 but the body is not a JSON object');
    return null;
  }
  r.success();
  return body;
}

/** A numeric field, or undefined. */
export function numberField(body: JsonBody, field: string): number | undefined {
  const v = body[field];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** An array field, or an empty array. */
export function arrayField(body: JsonBody, field: string): unknown[] {
  const v = body[field];
  return Array.isArray(v) ? v : [];
}

/** The "id" of each object in an array field ({results: [{id}]} / {items: [{id}]}). */
export function idsOf(body: JsonBody, field: string): string[] {
  const ids: string[] = [];
  for (const item of arrayField(body, field)) {
    const id = (item as { id?: unknown } | null)?.id;
    if (typeof id === 'string') ids.push(id);
  }
  return ids;
}
