/**
 * Turns what went wrong with a request into the short, groupable reason recorded in failures:
 * `HTTP 500`, `ECONNREFUSED`, `timeout after 30000 ms`. Messages stay stable across requests
 * (no ports, ids or timestamps) so that failures group instead of exploding into one row each.
 */
/** Error codes that mean no connection could be made or kept (recorded as the bare code). */
export const CONNECTION_CODES: ReadonlySet<string> = new Set([
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

export const CONNECT_TIMEOUT_REASON = 'connect timeout';
export const SOCKET_CLOSED_REASON = 'connection closed by server (UND_ERR_SOCKET)';

export function timeoutFailureReason(timeoutMs: number): string {
  return `timeout after ${timeoutMs} ms`;
}

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
      return timeoutFailureReason(timeoutMs);
    case 'UND_ERR_CONNECT_TIMEOUT':
      return CONNECT_TIMEOUT_REASON;
    case 'UND_ERR_SOCKET':
      return SOCKET_CLOSED_REASON;
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
