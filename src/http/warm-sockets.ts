import { performance } from 'node:perf_hooks';
import type { Socket } from 'node:net';
import { buildConnector } from 'undici';

/** What opening the warm connections came to. */
export interface PreconnectResult {
  opened: number;
  /** Not opened: failed, or not tried after the first failure. */
  failed: number;
  /** The first failure's message, or null. */
  firstError: string | null;
  elapsedMs: number;
}

interface Stashed {
  socket: Socket;
  since: number;
}

/**
 * Connects in flight at once while pre-connecting: thousands of simultaneous SYNs overflow a
 * server's listen backlog (Node's default is 511), and each overflow costs a 1 s SYN retry.
 */
const PARALLEL_CONNECTS = 64;

const originKey = (protocol: string, host: string | undefined): string => `${protocol}//${host ?? ''}`;

/**
 * Connections opened before a run's clock starts (`--pre-allocated-users`), handed to the first
 * undici clients that connect to their origin. An open-model run whose pool has to grow at
 * thousands of arrivals per second otherwise pays one new connection per early arrival (~150 µs
 * of CPU each in Node), more than one core can do at 10 000/s, and the pool spirals to its bound
 * (bench/RESULTS.md §5). Opened with undici's own connector, so a socket handed out is exactly
 * what the client would have made (no-delay, keep-alive probes); a TLS one had a full handshake
 * (no session cache), as each real client does.
 */
export class WarmSockets {
  readonly #stash = new Map<string, Stashed[]>();
  readonly #connectTimeoutMs: number;
  /** A socket idle longer than this is not handed out (the client would have closed it by then). */
  readonly #maxIdleMs: number;
  readonly #now: () => number;

  constructor(options: { connectTimeoutMs: number; maxIdleMs: number; now?: () => number }) {
    this.#connectTimeoutMs = options.connectTimeoutMs;
    this.#maxIdleMs = options.maxIdleMs;
    this.#now = options.now ?? (() => performance.now());
  }

  /**
   * Opens `count` connections to `origin` (protocol://host[:port]); resolves when each has
   * connected or failed. After the first failure no new connect is started: the target was
   * reachable a moment ago (the run probes it), so a failure now means its backlog or this
   * process's open-file limit is full, and waiting out a connect timeout per lane for thousands
   * more would only hold up the start. The users without one connect on their first arrival.
   */
  /** `tls`: the run's TLS connector options (what to verify and present), for https origins. */
  async open(origin: string, count: number, tls: buildConnector.BuildOptions = {}): Promise<PreconnectResult> {
    const started = this.#now();
    const url = new URL(origin);
    const key = originKey(url.protocol, url.host);
    const connect = buildConnector({ ...(url.protocol === 'https:' ? tls : {}), timeout: this.#connectTimeoutMs, maxCachedSessions: 0 });
    const options: buildConnector.Options = { hostname: url.hostname.replace(/^\[|\]$/g, ''), host: url.host, protocol: url.protocol, port: url.port };
    let next = 0;
    let opened = 0;
    let failed = 0;
    let firstError: string | null = null;
    const stash = this.#stash.get(key) ?? [];
    this.#stash.set(key, stash);
    const one = (): Promise<void> =>
      new Promise((resolve) => {
        connect(options, (err, socket) => {
          if (err || !socket) {
            failed++;
            firstError ??= err?.message || (err as NodeJS.ErrnoException | null)?.code || 'connect failed';
          } else {
            opened++;
            // Not holding the process open while stashed; undici refs it again while it has requests.
            socket.unref();
            // Discard anything unsolicited and notice the server closing it (then it is destroyed).
            socket.resume();
            stash.push({ socket, since: this.#now() });
          }
          resolve();
        });
      });
    const lane = async (): Promise<void> => {
      while (next < count && failed === 0) {
        next++;
        await one();
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_CONNECTS, count) }, lane));
    return { opened, failed: count - opened, firstError, elapsedMs: this.#now() - started };
  }

  /** Whether connections to this origin were opened (some may have been taken since). */
  holds(protocol: string, host: string): boolean {
    return this.#stash.has(originKey(protocol, host));
  }

  /** Connections still waiting for a client, over every origin. */
  available(): number {
    let n = 0;
    for (const stash of this.#stash.values()) for (const s of stash) if (!s.socket.destroyed) n++;
    return n;
  }

  /** A live warm connection to this origin, or undefined (the caller connects as usual). */
  take(protocol: string, host: string | undefined): Socket | undefined {
    const stash = this.#stash.get(originKey(protocol, host));
    if (!stash) return undefined;
    const now = this.#now();
    for (let s = stash.pop(); s !== undefined; s = stash.pop()) {
      const { socket } = s;
      if (socket.destroyed || socket.readableEnded || !socket.writable) continue;
      if (now - s.since > this.#maxIdleMs) {
        socket.destroy();
        continue;
      }
      socket.pause();
      return socket;
    }
    return undefined;
  }

  /** A connector that hands out a warm connection when there is one and otherwise calls `base`. */
  connector(base: buildConnector.connector): buildConnector.connector {
    return (options, callback) => {
      const socket = this.take(options.protocol, options.host);
      if (socket === undefined) return base(options, callback);
      // Asynchronously, as a real connect would call back.
      queueMicrotask(() => callback(null, socket));
    };
  }

  /** Closes the connections no client took. */
  closeAll(): void {
    for (const stash of this.#stash.values()) for (const s of stash.splice(0)) s.socket.destroy();
  }
}
