import { Client, Pool, buildConnector, type Dispatcher } from 'undici';
import type { WarmSockets } from './warm-sockets.js';

export type ConnectionPoolMode = 'per-user' | 'shared';

export interface DispatcherOptions {
  /** Idle keep-alive time before a connection is closed, ms. */
  keepAliveTimeoutMs: number;
  connectTimeoutMs: number;
}

/** Hands a session the dispatcher for an origin. Per-user mode gives each user its own connections. */
export interface DispatcherSource {
  get(origin: string): Dispatcher;
  /** The user is gone: close what belongs to it (graceful) or destroy it (hard stop). */
  release(hard: boolean): void;
}

function clientOptions(o: DispatcherOptions): Client.Options {
  return {
    keepAliveTimeout: o.keepAliveTimeoutMs,
    keepAliveMaxTimeout: Math.max(o.keepAliveTimeoutMs, 600_000),
    connect: { timeout: o.connectTimeoutMs },
    // Timeouts are passed per request; the client-level ones would otherwise cap them at 300 s.
    headersTimeout: 0,
    bodyTimeout: 0,
    pipelining: 1,
  };
}

/**
 * What every per-user Client of a run shares, so that 10 000 users do not hold 10 000 copies of it
 * (bench/memory-per-user.ts; fewer survivors also mean less GC work while a big ramp spawns):
 * one options object, one parsed URL per origin (undici keeps a URL object as given), and for
 * plain-HTTP origins one connector. undici builds a connector per Client otherwise, each with its
 * own TLS session cache and FinalizationRegistry (~0.4 KB). HTTPS origins keep a connector per
 * Client on purpose: a shared one would let users resume each other's TLS sessions, which real
 * clients cannot, and make handshakes look cheaper than they are.
 */
export class ClientTemplate {
  readonly #options: DispatcherOptions;
  readonly #tlsOptions: Client.Options;
  readonly #plainOptions: Client.Options;
  readonly #urls = new Map<string, URL>();
  readonly #warm: WarmSockets | null;

  /** `warm`: connections opened before the run (--pre-allocated-users), taken before any new one is made. */
  constructor(o: DispatcherOptions, warm: WarmSockets | null = null) {
    this.#options = o;
    this.#warm = warm;
    this.#tlsOptions = Object.freeze(clientOptions(o));
    const plain = buildConnector({ timeout: o.connectTimeoutMs });
    this.#plainOptions = Object.freeze({ ...clientOptions(o), connect: warm ? warm.connector(plain) : plain });
  }

  create(origin: string): Client {
    let url = this.#urls.get(origin);
    if (url === undefined) {
      url = new URL(origin);
      this.#urls.set(origin, url);
    }
    if (url.protocol === 'http:') return new Client(url, this.#plainOptions);
    // A TLS client with warm connections waiting gets a connector of its own that takes one first.
    if (this.#warm?.holds(url.protocol, url.host)) {
      return new Client(url, { ...this.#tlsOptions, connect: this.#warm.connector(buildConnector({ timeout: this.#options.connectTimeoutMs })) });
    }
    return new Client(url, this.#tlsOptions);
  }
}

/** One undici Client (one keep-alive connection) per user per origin, as a real client has. */
export class PerUserDispatchers implements DispatcherSource {
  #clients: Map<string, Client> | null = null;
  #single: Client | null = null;
  #singleOrigin = '';
  readonly #template: ClientTemplate;

  /** Pass the run's ClientTemplate; options build a template of this user's own. */
  constructor(template: ClientTemplate | DispatcherOptions) {
    this.#template = template instanceof ClientTemplate ? template : new ClientTemplate(template);
  }

  get(origin: string): Dispatcher {
    // Almost every user talks to one origin: keep that one in a field, no Map lookup.
    if (this.#single !== null && this.#singleOrigin === origin) return this.#single;
    if (this.#single === null) {
      this.#single = this.#template.create(origin);
      this.#singleOrigin = origin;
      return this.#single;
    }
    this.#clients ??= new Map();
    let client = this.#clients.get(origin);
    if (!client) {
      client = this.#template.create(origin);
      this.#clients.set(origin, client);
    }
    return client;
  }

  release(hard: boolean): void {
    const all = [this.#single, ...(this.#clients?.values() ?? [])];
    for (const c of all) {
      if (!c) continue;
      // Errors here are about sockets we are throwing away; nothing to report.
      (hard ? c.destroy() : c.close()).catch(() => {});
    }
    this.#single = null;
    this.#clients = null;
  }
}

/** `--connection-pool shared`: one pool per origin for the whole run, for raw throughput. */
export class SharedPools {
  readonly #pools = new Map<string, Pool>();
  readonly #options: DispatcherOptions;
  readonly #warm: WarmSockets | null;

  constructor(options: DispatcherOptions, warm: WarmSockets | null = null) {
    this.#options = options;
    this.#warm = warm;
  }

  source(): DispatcherSource {
    return {
      get: (origin) => this.pool(origin),
      release: () => {},
    };
  }

  pool(origin: string): Pool {
    let pool = this.#pools.get(origin);
    if (!pool) {
      const url = new URL(origin);
      const connect = this.#warm?.holds(url.protocol, url.host) ? this.#warm.connector(buildConnector({ timeout: this.#options.connectTimeoutMs })) : undefined;
      pool = new Pool(origin, { ...clientOptions(this.#options), connections: null, ...(connect ? { connect } : {}) });
      this.#pools.set(origin, pool);
    }
    return pool;
  }

  async close(hard: boolean): Promise<void> {
    await Promise.all([...this.#pools.values()].map((p) => (hard ? p.destroy() : p.close()).catch(() => {})));
    this.#pools.clear();
  }
}
