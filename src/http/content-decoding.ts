/**
 * Decoding a compressed response body (Content-Encoding), done only when a task reads `text()`,
 * `json()` or `body()`: a load test that never looks at bodies never pays for inflating them, and
 * `size` stays the bytes that crossed the wire. The decoded size is capped like the raw one, so a
 * small gzip bomb cannot take the generator's memory.
 */
import { brotliDecompressSync, constants, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { ErrorCodes } from '../core/error-codes.js';

export class DecodedBodyTooLargeError extends Error {
  constructor(readonly cap: number) {
    super(`decoded response body exceeded the ${cap} bytes kept for text()/json(); raise --max-body-size`);
    this.name = 'DecodedBodyTooLargeError';
  }
}

export class UnsupportedEncodingError extends Error {
  readonly code = ErrorCodes.UNSUPPORTED_ENCODING;
  constructor(encoding: string) {
    super(`response body has Content-Encoding "${encoding}", which brood cannot decode (it decodes gzip, deflate and br)`);
    this.name = 'UnsupportedEncodingError';
  }
}

function isTooLarge(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'ERR_BUFFER_TOO_LARGE';
}

function decodeOne(coding: string, data: Buffer, cap: number): Buffer {
  const limit = { maxOutputLength: Math.max(1, cap) };
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      // Servers may end a gzip body without its trailer; browsers accept what inflated.
      return gunzipSync(data, { ...limit, finishFlush: constants.Z_SYNC_FLUSH });
    case 'deflate':
      // "deflate" should be zlib-wrapped, but some servers send raw deflate; browsers take both.
      try {
        return inflateSync(data, { ...limit, finishFlush: constants.Z_SYNC_FLUSH });
      } catch (err: unknown) {
        if (isTooLarge(err)) throw err;
        return inflateRawSync(data, { ...limit, finishFlush: constants.Z_SYNC_FLUSH });
      }
    case 'br':
      return brotliDecompressSync(data, limit);
    case 'identity':
    case '':
      return data;
    default:
      throw new UnsupportedEncodingError(coding);
  }
}

/**
 * The body as the server meant it: the codings of `contentEncoding` ("gzip", "deflate, br", …)
 * undone in reverse order of application. Throws DecodedBodyTooLargeError past `cap` bytes.
 */
export function decodeBody(contentEncoding: string | undefined, raw: Buffer, cap: number): Buffer {
  if (contentEncoding === undefined || raw.length === 0) return raw;
  const codings = contentEncoding.toLowerCase().split(',').map((c) => c.trim()).filter((c) => c !== '');
  let data = raw;
  for (let i = codings.length - 1; i >= 0; i--) {
    try {
      data = decodeOne(codings[i] as string, data, cap);
    } catch (err: unknown) {
      if (isTooLarge(err)) throw new DecodedBodyTooLargeError(cap);
      throw err;
    }
  }
  return data;
}
