/**
 * What the continuum services' handlers share: the memory space a call's `x-memory-space`
 * metadata picks (as the X-Memory-Space header does for HTTP) and reading a request's fields with
 * the HTTP API's bounds, an out-of-range value being INVALID_ARGUMENT.
 */
import type { Metadata } from '@grpc/grpc-js';
import { HttpError } from './http-io.js';
import type { MemorySpace } from './memory-space.js';
import type { ServerState } from './server-state.js';
import { spaceNameFrom } from './space-registry.js';

/** A request message as proto-loader decodes it (keepCase, defaults filled in). */
export type RequestFields = Readonly<Record<string, unknown>>;

/** The call's memory space; HttpError 400 for a bad name, 429 past the server's space limit. */
export function spaceOf(state: ServerState, metadata: Metadata): MemorySpace {
  const values = metadata.get('x-memory-space');
  const first = values[0];
  return state.spaces.get(spaceNameFrom(first === undefined ? undefined : String(first)));
}

/** A string field up to `maxLength` characters; empty only when allowed. */
export function stringField(request: RequestFields, field: string, maxLength: number, allowEmpty = false): string {
  const value = request[field];
  const text = typeof value === 'string' ? value : '';
  if (!allowEmpty && text.trim() === '') throw new HttpError(400, `"${field}" is required`);
  if (text.length > maxLength) throw new HttpError(400, `"${field}" is longer than ${maxLength} characters`);
  return text;
}

/** An integer field in min..max, where 0 (proto3's "not set") means `fallback`. */
export function intField(request: RequestFields, field: string, fallback: number, min: number, max: number): number {
  const value = request[field];
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : 0;
  if (n === 0) return fallback;
  if (!Number.isInteger(n) || n < min || n > max) throw new HttpError(400, `"${field}" must be an integer from ${min} to ${max} (0: ${fallback}), got ${String(value)}`);
  return n;
}
