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
/** Start of every "the server's certificate was not accepted" reason (a connection-level failure). */
export const CERTIFICATE_REASON_PREFIX = 'certificate not accepted';

/** OpenSSL/Node codes of a server certificate that failed verification. */
const CERTIFICATE_CODES: ReadonlySet<string> = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
export const SOCKET_CLOSED_REASON = 'connection closed by server (UND_ERR_SOCKET)';

export function timeoutFailureReason(timeoutMs: number): string {
  return `timeout after ${timeoutMs} ms`;
}

/** A reason that says the request ran out of time: brood's own timeout, or undici's connect timeout. */
export function isTimeoutReason(reason: string): boolean {
  return reason === CONNECT_TIMEOUT_REASON || /^timeout after \d+(\.\d+)? ms$/.test(reason);
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

/** The reason for an error undici reported (brood's own timeouts are reported by the session). */
export function errorFailureReason(err: unknown): string {
  const code = codeOf(err);
  switch (code) {
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
      if (code && CERTIFICATE_CODES.has(code)) return `${CERTIFICATE_REASON_PREFIX} (${code}): --insecure skips the check, --ca FILE trusts its CA`;
      if (code) return `${code}: ${messageOf(err)}`;
      return messageOf(err);
  }
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`.slice(0, 300);
  return String(err).slice(0, 300);
}
