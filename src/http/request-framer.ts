const HEADER_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = Buffer.from('content-length:');

/** Content-Length of the request head buf[start, end), 0 when absent. */
function contentLength(buf: Buffer, start: number, end: number): number {
  let at = buf.indexOf(CONTENT_LENGTH, start);
  if (at < 0 || at >= end) {
    // undici sends lower-case names; other clients may not.
    const i = buf.toString('latin1', start, end).toLowerCase().indexOf('content-length:');
    if (i < 0) return 0;
    at = start + i;
  }
  let n = 0;
  for (let i = at + CONTENT_LENGTH.length; i < end; i++) {
    const c = buf[i] as number;
    if (c === 13) break;
    if (c >= 48 && c <= 57) n = n * 10 + (c - 48);
  }
  return n;
}

/**
 * Counts complete HTTP/1.1 requests on one connection as bytes arrive in any pieces: head up to
 * the blank line, then Content-Length body bytes (no chunked bodies: brood's client and the
 * benchmark generators send lengths). For minimal responders that answer every request alike.
 */
export class RequestFramer {
  #pending: Buffer | null = null;
  /** Body bytes of the current request still to skip. */
  #skip = 0;

  /** Feeds a chunk; returns how many requests it completed. */
  feed(chunk: Buffer): number {
    const buf = this.#pending === null ? chunk : Buffer.concat([this.#pending, chunk]);
    this.#pending = null;
    let pos = 0;
    let complete = 0;
    for (;;) {
      if (this.#skip > 0) {
        const take = Math.min(this.#skip, buf.length - pos);
        this.#skip -= take;
        pos += take;
        if (this.#skip > 0) break;
      }
      const end = buf.indexOf(HEADER_END, pos);
      if (end < 0) break;
      this.#skip = contentLength(buf, pos, end);
      pos = end + 4;
      complete++;
    }
    if (pos < buf.length) this.#pending = buf.subarray(pos);
    return complete;
  }
}
