import type { buildConnector } from 'undici';

/** Connections made, by the protocol they speak. */
export interface ProtocolTally {
  http1: number;
  http2: number;
}

/**
 * How many connections a run opened with each protocol, so that `--http2` says what the server
 * actually agreed to (ALPN may fall back to HTTP/1.1) instead of what was offered. Counted per
 * connection, in the connector, never per request.
 */
export class ProtocolCounts implements ProtocolTally {
  http1 = 0;
  http2 = 0;
  #taken: ProtocolTally = { http1: 0, http2: 0 };

  /** `connect` with every successful connection counted. */
  wrap(connect: buildConnector.connector): buildConnector.connector {
    return (options, callback) =>
      connect(options, (...result) => {
        if (result[0] === null) {
          if ((result[1] as { alpnProtocol?: unknown }).alpnProtocol === 'h2') this.http2++;
          else this.http1++;
        }
        callback(...result);
      });
  }

  add(t: ProtocolTally): void {
    this.http1 += t.http1;
    this.http2 += t.http2;
  }

  /** What was counted since the last call (a --processes worker sends it with its stats). */
  take(): ProtocolTally {
    const delta = { http1: this.http1 - this.#taken.http1, http2: this.http2 - this.#taken.http2 };
    this.#taken = { http1: this.http1, http2: this.http2 };
    return delta;
  }
}

/** "48 HTTP/2, 2 HTTP/1.1" for the console. */
export function protocolLine(t: ProtocolTally): string {
  return `Connections: ${t.http2} HTTP/2, ${t.http1} HTTP/1.1`;
}
