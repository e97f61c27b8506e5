/**
 * Field checks for JSON bodies and query strings. Each failure is a 400 whose message names the
 * field and what was expected, so a load-test author can fix the request from the message alone.
 */
import { HttpError, type JsonObject } from './http-io.js';

function typeName(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

export function requireString(body: JsonObject, field: string, maxLength: number, allowEmpty = false): string {
  const value = body[field];
  if (typeof value !== 'string') {
    throw new HttpError(400, `"${field}" is required and must be a string (got ${typeName(value)})`);
  }
  return checkString(field, value, maxLength, allowEmpty);
}

export function optionalString(body: JsonObject, field: string, maxLength: number): string | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new HttpError(400, `"${field}" must be a string (got ${typeName(value)})`);
  return checkString(field, value, maxLength, true);
}

function checkString(field: string, value: string, maxLength: number, allowEmpty: boolean): string {
  if (!allowEmpty && value.trim().length === 0) throw new HttpError(400, `"${field}" must not be empty`);
  if (value.length > maxLength) throw new HttpError(400, `"${field}" is longer than ${maxLength} characters`);
  return value;
}

export function optionalInteger(body: JsonObject, field: string, min: number, max: number): number | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new HttpError(400, `"${field}" must be an integer from ${min} to ${max} (got ${JSON.stringify(value) ?? 'undefined'})`);
  }
  return value;
}

/** Metadata is stored per concept, so its serialised size is capped to keep memory bounded. */
export function optionalObject(body: JsonObject, field: string, maxBytes: number): JsonObject | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new HttpError(400, `"${field}" must be a JSON object (got ${typeName(value)})`);
  }
  if (JSON.stringify(value).length > maxBytes) throw new HttpError(400, `"${field}" is larger than ${maxBytes} bytes`);
  return value as JsonObject;
}

export function requireArray(body: JsonObject, field: string, minLength: number, maxLength: number): unknown[] {
  const value = body[field];
  if (!Array.isArray(value)) throw new HttpError(400, `"${field}" is required and must be an array (got ${typeName(value)})`);
  if (value.length < minLength || value.length > maxLength) {
    throw new HttpError(400, `"${field}" must hold ${minLength} to ${maxLength} items (got ${value.length})`);
  }
  return value;
}

export function asObject(value: unknown, what: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, `${what} must be a JSON object (got ${typeName(value)})`);
  }
  return value as JsonObject;
}

/** An integer query parameter; absent or empty → the default. */
export function queryInteger(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const text = query.get(name);
  if (text === null || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new HttpError(400, `query parameter "${name}" must be an integer from ${min} to ${max} (got "${text}")`);
  }
  return value;
}
