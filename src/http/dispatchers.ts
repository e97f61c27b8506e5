import { rootCertificates, createSecureContext, type SecureContext } from 'node:tls';
import { Client, Pool, buildConnector, type Dispatcher } from 'undici';
import type { ProtocolCounts } from './protocol-counts.js';
import type { WarmSockets } from './warm-sockets.js';

export type ConnectionPoolMode = 'per-user' | 'shared';

export interface DispatcherOptions {
  /** Idle keep-alive time before a connection is closed, ms. */
  keepAliveTimeoutMs: number;
  connectTimeoutMs: number;
  /** Verify server certificates (false: --insecure / static insecure). */
  verify?: boolean;
  /** PEM texts: an extra CA (beside the system's), a client certificate and its key. */
  ca?: string | null;
  cert?: string | null;
  key?: string | null;
  /** Offer HTTP/2 by ALPN on TLS connections (--http2). */
  allowH2?: boolean;
  /** HTTP/2 in clear text, prior knowledge, on http:// origins (--h2c). */
  h2c?: boolean;
}

/**
 * One TLS context for every connection of a run: passing `ca` to each tls.connect would parse the
 * CA list (the ~140 system roots plus --ca) once per connection. Sessions are not in the context
 * but in each connector's cache, so users still do their own handshakes (see ClientTemplate).
 */
function secureContextFor(o: DispatcherOptions): SecureContext | undefined {
  if (!o.ca && !o.cert && !o.key) return undefined;
  return createSecureContext({
    ...(o.ca ? { ca: [...rootCertificates, o.ca] } : {}),
    ...(o.cert ? { cert: o.cert } : {}),
    ...(o.key ? { key: o.key } : {}),
  });
}

/** undici connector options for TLS origins: what to verify, what to present, what to offer. */
function tlsConnectOptions(o: DispatcherOptions, context: SecureContext | undefined): buildConnector.BuildOptions {
  return {
    timeout: o.connectTimeoutMs,
    rejectUnauthorized: o.verify !== false,
    allowH2: o.allowH2 === true,
    ...(context ? { secureContext: context } : {}),
  };
}

/** Hands a session the dispatcher for an origin. Per-user mode gives each user its own connections. */
export interface DispatcherSource {
  get(origin: string): Dispatcher;
  /** The user is gone: close what belongs to it (graceful) or destroy it (hard stop). */
  release(hard: boolean): void;
}

function clientOptions(o: DispatcherOptions, tls: buildConnector.BuildOptions): Client.Options {
  return {
    keepAliveTimeout: o.keepAliveTimeoutMs,
    keepAliveMaxTimeout: Math.max(o.keepAliveTimeoutMs, 600_000),
    connect: tls,
    // brood times requests itself (request-deadline.ts); undici's would otherwise cap them at 300 s.
    headersTimeout: 0,
    bodyTimeout: 0,
    pipelining: 1,
    ...(o.allowH2 ? { allowH2: true } : {}),
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
  readonly #tls: buildConnector.BuildOptions;
  readonly #tlsOptions: Client.Options;
  readonly #plainOptions: Client.Options;
  readonly #urls = new Map<string, URL>();
  readonly #warm: WarmSockets | null;
  readonly #counts: ProtocolCounts | null;

  /**
   * `warm`: connections opened before the run (--pre-allocated-users), taken before any new one is
   * made. `counts`: where each connection's protocol is counted (--http2 / --h2c say what was agreed).
   */
  constructor(o: DispatcherOptions, warm: WarmSockets | null = null, counts: ProtocolCounts | null = null) {
    this.#warm = warm;
    this.#counts = counts;
    this.#tls = Object.freeze(tlsConnectOptions(o, secureContextFor(o)));
    this.#tlsOptions = Object.freeze(clientOptions(o, this.#tls));
    const plain = buildConnector({ timeout: o.connectTimeoutMs, ...(o.h2c ? { useH2c: true } : {}) });
    this.#plainOptions = Object.freeze({ ...clientOptions(o, this.#tls), connect: this.#counted(warm ? warm.connector(plain) : plain) });
  }

  #counted(connect: buildConnector.connector): buildConnector.connector {
    return this.#counts === null ? connect : this.#counts.wrap(connect);
  }

  /** The connector options TLS connections are made with (also for connections opened ahead, warm-sockets.ts). */
  get tls(): buildConnector.BuildOptions {
    return this.#tls;
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
      return new Client(url, { ...this.#tlsOptions, connect: this.#counted(this.#warm.connector(buildConnector(this.#tls))) });
    }
    // Each TLS client its own connector (so its own session cache), as undici would build from options.
    if (this.#counts !== null) return new Client(url, { ...this.#tlsOptions, connect: this.#counted(buildConnector(this.#tls)) });
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
  readonly #tls: buildConnector.BuildOptions;
  readonly #warm: WarmSockets | null;
  readonly #counts: ProtocolCounts | null;

  constructor(options: DispatcherOptions, warm: WarmSockets | null = null, counts: ProtocolCounts | null = null) {
    this.#options = options;
    this.#tls = tlsConnectOptions(options, secureContextFor(options));
    this.#warm = warm;
    this.#counts = counts;
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
      const base = url.protocol === 'https:' ? this.#tls : { timeout: this.#options.connectTimeoutMs, ...(this.#options.h2c ? { useH2c: true } : {}) };
      const built = this.#warm?.holds(url.protocol, url.host) ? this.#warm.connector(buildConnector(base)) : buildConnector(base);
      const connect = this.#counts === null ? built : this.#counts.wrap(built);
      pool = new Pool(origin, { ...clientOptions(this.#options, this.#tls), connections: null, connect });
      this.#pools.set(origin, pool);
    }
    return pool;
  }

  async close(hard: boolean): Promise<void> {
    await Promise.all([...this.#pools.values()].map((p) => (hard ? p.destroy() : p.close()).catch(() => {})));
    this.#pools.clear();
  }
}
