/** The one-line reasons a WebSocket session records with its failures. Pure. */

/** Why a handshake failed, from the error `ws` gave. */
export function connectReason(e: Error): string {
  return (e as NodeJS.ErrnoException).code ?? e.message.slice(0, 300);
}

/** Why an open connection broke, from the error before its close. */
export function brokenReason(e: Error, maxMessageBytes: number): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') return `a message larger than --max-body-size (${maxMessageBytes} bytes)`;
  return code ?? e.message.slice(0, 300);
}

export function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
