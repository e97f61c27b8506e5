import { Redis, type RedisOptions } from 'ioredis';
import { ConfigError } from '../core/errors.js';
import type { BrokerUrl } from './broker-url.js';

/**
 * A connection to the broker that survives it going away: commands wait (they are queued and sent
 * when it is back, never failed for being offline), and `onReconnect` tells the link to send again
 * what the broker may have lost. Only the first connection fails fast, with one line.
 */
export class BrokerConnection {
  readonly redis: Redis;
  readonly shown: string;
  readonly #options: RedisOptions;
  readonly #url: string;
  readonly #reconnectHandlers: Array<() => void> = [];
  readonly #extra: Redis[] = [];
  /** Wall ms of the last moment the broker answered (or now while connected). */
  #lastUpMs = Date.now();
  /** Wall ms of the latest (re)connection. */
  #upSinceMs = Date.now();
  #closed = false;

  private constructor(url: BrokerUrl, redis: Redis, options: RedisOptions) {
    this.redis = redis;
    this.shown = url.shown;
    this.#url = url.url;
    this.#options = options;
    let first = true;
    redis.on('ready', () => {
      this.#lastUpMs = this.#upSinceMs = Date.now();
      if (first) first = false;
      else for (const h of this.#reconnectHandlers) h();
    });
    // Each failed reconnect attempt closes again: only the first close after being up starts the outage.
    let up = true;
    redis.on('ready', () => (up = true));
    redis.on('close', () => {
      if (up) this.#lastUpMs = Date.now();
      up = false;
    });
  }

  /** Connects (or says in one line why not, within `timeoutMs`); `name` shows in the broker's CLIENT LIST. */
  static async connect(url: BrokerUrl, name: string, timeoutMs = 5000): Promise<BrokerConnection> {
    const options = brokerOptions(url, name, timeoutMs);
    const redis = new Redis(url.url, { ...options, lazyConnect: true, retryStrategy: () => null });
    let lastError: Error | null = null;
    redis.on('error', (e: Error) => (lastError = e));
    try {
      await redis.connect();
      await redis.ping();
    } catch (e: unknown) {
      redis.disconnect();
      throw connectError(url, lastError ?? (e instanceof Error ? e : new Error(String(e))));
    }
    // Connected: from now on it reconnects for as long as it takes (the link decides when that is too long).
    redis.options.retryStrategy = reconnectDelay;
    return new BrokerConnection(url, redis, options);
  }

  /** Connects once and leaves: throws the one-line ConfigError when the broker cannot be used. */
  static async check(url: BrokerUrl, name: string): Promise<void> {
    (await BrokerConnection.connect(url, name)).close();
  }

  /** Another connection to the same broker: a blocking read (XREAD BLOCK) holds its connection. */
  async duplicate(name: string): Promise<Redis> {
    const redis = new Redis(this.#url, { ...this.#options, connectionName: name, retryStrategy: reconnectDelay, lazyConnect: true });
    redis.on('error', () => undefined); // reconnects on its own; the main connection says when the broker is gone
    this.#extra.push(redis);
    await redis.connect();
    return redis;
  }

  onReconnect(handler: () => void): void {
    this.#reconnectHandlers.push(handler);
  }

  /** How long the broker has been unreachable (0 while connected). */
  downForMs(now = Date.now()): number {
    return this.redis.status === 'ready' ? 0 : now - this.#lastUpMs;
  }

  /** How long the broker has been reachable without a break (0 while it is not). */
  upForMs(now = Date.now()): number {
    return this.redis.status === 'ready' ? now - this.#upSinceMs : 0;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Closes every connection at once (queued commands are dropped: the run is over). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const r of [this.redis, ...this.#extra]) r.disconnect();
  }
}

function brokerOptions(url: BrokerUrl, name: string, timeoutMs: number): RedisOptions {
  return {
    connectionName: name,
    connectTimeout: timeoutMs,
    // A command waits through an outage instead of failing after 20 retries.
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    ...(url.tls ? { tls: {} } : {}),
  };
}

/** Reconnect quickly at first, then once a second. */
function reconnectDelay(times: number): number {
  return Math.min(times * 100, 1000);
}

function connectError(url: BrokerUrl, e: Error): ConfigError {
  const text = e.message;
  if (/^NOAUTH/.test(text)) return new ConfigError('BROKER_AUTH', `the broker ${url.shown} needs a password: give it in the URL, redis://:PASSWORD@host:port`);
  if (/WRONGPASS|invalid password|invalid username-password/i.test(text)) {
    return new ConfigError('BROKER_AUTH', `the broker ${url.shown} refused the password (${firstLine(text)}): check the user:password in --broker`);
  }
  return new ConfigError('BROKER_UNREACHABLE', `cannot reach the broker ${url.shown}: ${firstLine(text)}`);
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
