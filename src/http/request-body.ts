import { encodeMultipart, formDataParts, formDataStringParts, type MultipartPart } from './multipart.js';

export type FormValue = string | number | boolean;
/** Arrays repeat the field; null and undefined values are left out, as Python requests does with None. */
export type FormFields = Readonly<Record<string, FormValue | readonly FormValue[]>>;
export interface FileField {
  /** The field name when absent. */
  filename?: string;
  content: string | Uint8Array;
  /** application/octet-stream when absent. */
  contentType?: string;
}
/** Bare content is a file named after its field, sent as application/octet-stream. */
export type FileFields = Readonly<Record<string, FileField | string | Uint8Array>>;

/**
 * The body options of a request, as the user gave them (unknown: checked here). `data` is Locust's
 * and requests' name: an object of fields is `form`, a string or bytes is `body`.
 * `json` undefined is "not given" (null is the JSON document `null`); for the others null is too,
 * as fetch treats `body: null` and requests `data=None`.
 */
export interface BodyInput {
  json?: unknown;
  body?: unknown;
  form?: unknown;
  files?: unknown;
  data?: unknown;
}

export interface EncodedBody {
  body: string | Uint8Array | null;
  /** null: brood sets none (a raw body's type is the user's to set in headers). */
  contentType: string | null;
}

/** Every GET of a load test comes here: one shared frozen answer, nothing allocated. */
export const NO_BODY: EncodedBody = Object.freeze({ body: null, contentType: null });

const FORM_TYPE = 'application/x-www-form-urlencoded';
/** What fetch sends for a URLSearchParams body. */
const SEARCH_PARAMS_TYPE = 'application/x-www-form-urlencoded;charset=UTF-8';
const FILE_FIELD_KEYS: ReadonlySet<string> = new Set(['filename', 'content', 'contentType']);
const AFTER_JSON = ['body', 'form', 'data', 'files'] as const;
const AFTER_BODY = ['form', 'data', 'files'] as const;

type FieldsOption = 'form' | 'data';

function given(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** A short name for a value's type in a problem line: 'array', 'null', 'Map', 'object'. */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value !== 'object') return typeof value;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === null || proto === Object.prototype) return 'object';
  const name: unknown = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? name : 'object';
}

function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype;
}

/** Bytes as a Uint8Array (a view of the same memory), or null when `value` is not bytes. */
function asBytes(value: unknown): Uint8Array | null {
  if (value instanceof Uint8Array) return value;
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return null;
}

/** Whether `data` stands for the whole body (rather than for form fields). */
function dataIsBody(data: unknown): boolean {
  return typeof data === 'string' || asBytes(data) !== null || data instanceof FormData;
}

function bothGiven(first: string, second: string): string {
  return `${first} and ${second} are both given: pick one`;
}

function firstGiven(input: BodyInput, names: readonly (keyof BodyInput)[]): keyof BodyInput | null {
  for (const name of names) if (given(input[name])) return name;
  return null;
}

/** The one-line problem when the options given cannot go together, else null. */
function conflict(input: BodyInput): string | null {
  if (input.json !== undefined) {
    const other = firstGiven(input, AFTER_JSON);
    return other === null ? null : bothGiven('json', other);
  }
  if (given(input.body)) {
    const other = firstGiven(input, AFTER_BODY);
    return other === null ? null : bothGiven('body', other);
  }
  if (given(input.form) && given(input.data)) return bothGiven('form', 'data');
  if (given(input.files) && dataIsBody(input.data)) {
    return `data as a ${typeName(input.data)} is the whole body and cannot go with files: give data as an object of fields`;
  }
  return null;
}

function encodeJson(value: unknown): EncodedBody | string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return `json cannot be encoded: ${message.split('\n', 1)[0] ?? ''}`;
  }
  // JSON.stringify gives undefined, not an error, for a function or symbol.
  if (text === undefined) return `json cannot be encoded: a ${typeof value} is not JSON`;
  return { body: text, contentType: 'application/json' };
}

/** A raw body (or `data` that is one); FormData is left to the callers, which differ in whether they may wait. */
function encodeRaw(value: unknown): EncodedBody | string {
  if (typeof value === 'string') return { body: value, contentType: null };
  const bytes = asBytes(value);
  if (bytes !== null) return { body: bytes, contentType: null };
  if (value instanceof URLSearchParams) return { body: value.toString(), contentType: SEARCH_PARAMS_TYPE };
  return `body must be a string, bytes, URLSearchParams or FormData (got ${typeName(value)}): use json for objects`;
}

/** Visits one field value; returns the problem when it is not a string, number or boolean. */
function visitValue(option: FieldsOption, name: string, value: unknown, visit: (name: string, value: string) => void): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    return `${option} field "${name}" must be a string, number or boolean, or an array of them (got ${typeName(value)})`;
  }
  visit(name, String(value));
  return null;
}

/**
 * Calls `visit` for each field of a form option, in key order, arrays repeated and null/undefined
 * left out. Returns the problem with the first bad value, else null.
 */
function forEachField(fields: unknown, option: FieldsOption, visit: (name: string, value: string) => void): string | null {
  if (fields instanceof URLSearchParams) {
    for (const [name, value] of fields) visit(name, value);
    return null;
  }
  if (!isPlainObject(fields)) return `${option} must be an object of fields or URLSearchParams (got ${typeName(fields)})`;
  for (const name of Object.keys(fields)) {
    const value = fields[name];
    if (!Array.isArray(value)) {
      const problem = visitValue(option, name, value, visit);
      if (problem !== null) return problem;
      continue;
    }
    for (const item of value as readonly unknown[]) {
      const problem = visitValue(option, name, item, visit);
      if (problem !== null) return problem;
    }
  }
  return null;
}

/** As a browser form and requests send it: UTF-8, percent-escaped, spaces as '+'. */
function encodeForm(fields: unknown, option: FieldsOption): EncodedBody | string {
  const params = new URLSearchParams();
  const problem = forEachField(fields, option, (name, value) => params.append(name, value));
  return problem ?? { body: params.toString(), contentType: FORM_TYPE };
}

/** One `files` entry as a part, or the problem with it. */
function filePart(name: string, value: unknown): MultipartPart | string {
  if (typeof value === 'string') return { name, content: value, filename: name };
  const bytes = asBytes(value);
  if (bytes !== null) return { name, content: bytes, filename: name };
  if (!isPlainObject(value)) {
    return `files field "${name}" must be { content, filename?, contentType? }, a string or bytes (got ${typeName(value)})`;
  }
  const unknownKey = Object.keys(value).find((key) => !FILE_FIELD_KEYS.has(key));
  if (unknownKey !== undefined) return `files field "${name}" has an unknown key "${unknownKey}": use content, filename and contentType`;
  const { content, filename, contentType } = value;
  const contentBytes = typeof content === 'string' ? content : asBytes(content);
  if (contentBytes === null) return `files field "${name}" content must be a string or bytes (got ${typeName(content)})`;
  if (filename !== undefined && typeof filename !== 'string') return `files field "${name}" filename must be a string (got ${typeName(filename)})`;
  if (contentType !== undefined && typeof contentType !== 'string') return `files field "${name}" contentType must be a string (got ${typeName(contentType)})`;
  // It becomes a header line of its own: a line break would let it add headers.
  if (contentType !== undefined && /[\r\n]/.test(contentType)) return `files field "${name}" contentType must be one line`;
  return { name, content: contentBytes, filename: filename ?? name, contentType };
}

/** The form fields (from `form` or `data`) as plain parts, then the files, in one multipart body. */
function encodeFiles(files: unknown, fields: unknown, option: FieldsOption): EncodedBody | string {
  if (!isPlainObject(files)) return `files must be an object of file fields (got ${typeName(files)})`;
  const parts: MultipartPart[] = [];
  if (given(fields)) {
    const problem = forEachField(fields, option, (name, content) => parts.push({ name, content }));
    if (problem !== null) return problem;
  }
  for (const name of Object.keys(files)) {
    const value = files[name];
    if (value === null || value === undefined) continue;
    const part = filePart(name, value);
    if (typeof part === 'string') return part;
    parts.push(part);
  }
  return encodeMultipart(parts);
}

/** The FormData that is the whole body (given as `body` or `data`), or null. */
function formDataBody(input: BodyInput): FormData | null {
  if (input.body instanceof FormData) return input.body;
  return input.data instanceof FormData ? input.data : null;
}

/** True only for a FormData body: its files can be read only asynchronously, so use encodeBodyAsync. */
export function needsAsyncEncoding(input: BodyInput): boolean {
  return input.body instanceof FormData || input.data instanceof FormData;
}

/**
 * The encoded body and the content-type to send (null: none set by brood), or a one-line problem.
 * Synchronous for everything but a FormData holding files (see needsAsyncEncoding).
 */
export function encodeBody(input: BodyInput): EncodedBody | string {
  const { json, body, form, data, files } = input;
  if (json === undefined && !given(body) && !given(form) && !given(data) && !given(files)) return NO_BODY;
  const problem = conflict(input);
  if (problem !== null) return problem;
  if (json !== undefined) return encodeJson(json);
  const formData = formDataBody(input);
  if (formData !== null) {
    const parts = formDataStringParts(formData);
    return parts === null ? 'a FormData body holding files must be encoded with encodeBodyAsync' : encodeMultipart(parts);
  }
  if (given(files)) return encodeFiles(files, given(form) ? form : data, given(form) ? 'form' : 'data');
  if (given(body)) return encodeRaw(body);
  if (given(form)) return encodeForm(form, 'form');
  return dataIsBody(data) ? encodeRaw(data) : encodeDataFields(data);
}

/** `data` that is not a body must be fields; the problem names both readings so the user sees both ways out. */
function encodeDataFields(data: unknown): EncodedBody | string {
  if (data instanceof URLSearchParams || isPlainObject(data)) return encodeForm(data, 'data');
  return `data must be an object of fields, URLSearchParams, a string or bytes (got ${typeName(data)})`;
}

/** As encodeBody, and also reads the files of a FormData body. */
export async function encodeBodyAsync(input: BodyInput): Promise<EncodedBody | string> {
  const formData = formDataBody(input);
  if (formData === null) return encodeBody(input);
  const problem = conflict(input);
  if (problem !== null) return problem;
  return encodeMultipart(await formDataParts(formData));
}
