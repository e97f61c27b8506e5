import { randomBytes } from 'node:crypto';

/** One part of a multipart/form-data body: a plain field when `filename` is absent, else a file. */
export interface MultipartPart {
  name: string;
  content: string | Uint8Array;
  filename?: string | undefined;
  /** Files only; application/octet-stream when absent (what requests and browsers send for unknown types). */
  contentType?: string | undefined;
}

export interface MultipartBody {
  body: Uint8Array;
  contentType: string;
}

const CRLF = '\r\n';
const DEFAULT_FILE_TYPE = 'application/octet-stream';
/** 96 random bits make a clash all but impossible; the cap only keeps a broken generator from looping forever. */
const MAX_BOUNDARY_TRIES = 8;

/** `----brood` + 24 hex digits: no CR, LF or quote, so it can never start a false delimiter across a part's edge. */
export function randomBoundary(): string {
  return `----brood${randomBytes(12).toString('hex')}`;
}

/**
 * WHATWG multipart/form-data escaping of names and filenames inside quotes, as browsers and undici do:
 * the header stays one line and the quoted string cannot be closed early. Everything else, non-ASCII
 * included, goes out as its UTF-8 bytes.
 */
export function escapeQuoted(text: string): string {
  return text.replace(/["\r\n]/g, (c) => (c === '"' ? '%22' : c === '\r' ? '%0D' : '%0A'));
}

function partHead(part: MultipartPart): string {
  let head = `Content-Disposition: form-data; name="${escapeQuoted(part.name)}"`;
  if (part.filename !== undefined) {
    head += `; filename="${escapeQuoted(part.filename)}"${CRLF}Content-Type: ${part.contentType ?? DEFAULT_FILE_TYPE}`;
  }
  return head + CRLF + CRLF;
}

function asBuffer(content: string | Uint8Array): Buffer {
  // A view, not a copy: the user's bytes are only read.
  return typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
}

/** A boundary found in none of the chunks, or null when `newBoundary` keeps producing clashing ones. */
function pickBoundary(chunks: readonly Buffer[], newBoundary: () => string): string | null {
  for (let attempt = 0; attempt < MAX_BOUNDARY_TRIES; attempt++) {
    const boundary = newBoundary();
    const needle = Buffer.from(boundary, 'latin1');
    if (!chunks.some((chunk) => chunk.includes(needle))) return boundary;
  }
  return null;
}

/**
 * The body and content-type for `parts`, in order, with CRLF line ends and a closing `--boundary--`.
 * `newBoundary` is injectable so a test can force a clash and see the boundary regenerated.
 */
export function encodeMultipart(parts: readonly MultipartPart[], newBoundary: () => string = randomBoundary): MultipartBody | string {
  const chunks: Buffer[] = [];
  for (const part of parts) chunks.push(Buffer.from(partHead(part), 'utf8'), asBuffer(part.content));
  const boundary = pickBoundary(chunks, newBoundary);
  if (boundary === null) return `no multipart boundary absent from the content was found in ${MAX_BOUNDARY_TRIES} tries`;
  const out: Buffer[] = [];
  const delimiter = Buffer.from(`${CRLF}--${boundary}${CRLF}`, 'latin1');
  for (let i = 0; i < chunks.length; i += 2) {
    // The CRLF before a delimiter belongs to the delimiter (RFC 2046), so the first one has none.
    out.push(i === 0 ? delimiter.subarray(2) : delimiter, chunks[i] as Buffer, chunks[i + 1] as Buffer);
  }
  out.push(Buffer.from(`${chunks.length === 0 ? '' : CRLF}--${boundary}--${CRLF}`, 'latin1'));
  return { body: Buffer.concat(out), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** The parts of a FormData holding only strings, or null when it holds a file (whose bytes are read asynchronously). */
export function formDataStringParts(form: FormData): MultipartPart[] | null {
  const parts: MultipartPart[] = [];
  for (const [name, value] of form) {
    if (typeof value !== 'string') return null;
    parts.push({ name, content: value });
  }
  return parts;
}

/** The parts of any FormData. FormData.append turns a Blob into a File named "blob", so every non-string is a File. */
export async function formDataParts(form: FormData): Promise<MultipartPart[]> {
  const entries = [...form];
  const contents = await Promise.all(
    entries.map(([, value]) => (typeof value === 'string' ? Promise.resolve(value) : value.arrayBuffer().then((bytes) => new Uint8Array(bytes)))),
  );
  return entries.map(([name, value], i): MultipartPart => {
    const content = contents[i] as string | Uint8Array;
    if (typeof value === 'string') return { name, content };
    // A Blob's type is '' when unknown (the File API lowercases it and blanks anything outside printable ASCII).
    return { name, content, filename: value.name, contentType: value.type === '' ? undefined : value.type };
  });
}
