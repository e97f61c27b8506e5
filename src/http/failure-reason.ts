/**
 * Turns what went wrong with a request into the short, groupable reason recorded in failures:
 * `HTTP 500`, `ECONNREFUSED`, `timeout after 30000 ms`. Messages stay stable across requests
 * (no ports, ids or timestamps) so that failures group instead of exploding into one row each.
 */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EADDRNOTAVAIL',
  'EMFILE',
]);

export function statusFailureReason(status: number): string {
  return `HTTP ${status}`;
}

function codeOf(err: unknown): string | undefined {
  if (err && typeof err === 'object') {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    // Happy-eyeballs connects fail with an AggregateError of per-address errors.
    const inner = (err as { errors?: unknown }).errors;
    if (Array.isArray(inner) && inner.length > 0) return codeOf(inner[0]);
    const cause = (err as { cause?: unknown }).cause;
    if (cause) return codeOf(cause);
  }
  return undefined;
}

export function errorFailureReason(err: unknown, timeoutMs: number): string {
  const code = codeOf(err);
  switch (code) {
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return `timeout after ${timeoutMs} ms`;
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connect timeout';
    case 'UND_ERR_SOCKET':
      return 'connection closed by server (UND_ERR_SOCKET)';
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return 'response body shorter than its Content-Length';
    case 'UND_ERR_INVALID_ARG':
      return `invalid request: ${messageOf(err)}`;
    default:
      if (code && CONNECTION_CODES.has(code)) return code;
      if (code) return `${code}: ${messageOf(err)}`;
      return messageOf(err);
  }
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`.slice(0, 300);
  return String(err).slice(0, 300);
}
