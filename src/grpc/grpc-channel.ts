/**
 * The grpc-js channel (a `grpc.Client`) a GrpcUser's calls go through: one per user by default, as
 * a real client process holds one, or one per origin for every user of the process with
 * --connection-pool shared. TLS from the run's --ca/--cert/--key and --insecure.
 */
import { createSecureContext, rootCertificates } from 'node:tls';
import type { ChannelCredentials, ChannelOptions, Client } from '@grpc/grpc-js';
import { grpcJs } from './grpc-js.js';
import type { ProtocolTls } from '../core/protocol-context.js';
import { BACKOFF_FIRST_MS, BACKOFF_MAX_MS } from '../http/connection-backoff.js';
import type { GrpcTarget } from './grpc-target.js';

export interface ChannelSettings {
  target: GrpcTarget;
  tls: ProtocolTls;
  /** --max-body-size: the largest message sent or accepted. */
  maxMessageBytes: number;
}

export function openChannel(s: ChannelSettings): Client {
  return new (grpcJs().Client)(s.target.address, channelCredentials(s.target.secure, s.tls), channelOptions(s.maxMessageBytes));
}

function channelOptions(maxMessageBytes: number): ChannelOptions {
  return {
    'grpc.max_receive_message_length': maxMessageBytes,
    'grpc.max_send_message_length': maxMessageBytes,
    // A channel of its own has connections of its own: grpc-js would otherwise pool one connection
    // per target for every channel of the process, and N users would load the server as one client.
    'grpc.use_local_subchannel_pool': 1,
    // Reconnect as brood's HTTP client backs off (50 ms doubling to 1 s), not grpc-js's 1 s growing
    // to 120 s: a server that comes back is seen to come back within a second.
    'grpc.initial_reconnect_backoff_ms': BACKOFF_FIRST_MS,
    'grpc.max_reconnect_backoff_ms': BACKOFF_MAX_MS,
    // One call is one attempt: a transparent retry would hide a refused stream from the stats.
    'grpc.enable_retries': 0,
    // As the HTTP client (undici): no proxy from the environment between the load and its target.
    'grpc.enable_http_proxy': 0,
  };
}

/**
 * `--insecure` really skips the check: grpc-js (1.10 and later) passes `rejectUnauthorized` to
 * tls.connect, so neither the chain nor the name is verified. (Older grpc-js could only override
 * the name check, checkServerIdentity; it is overridden too so the name is never checked.)
 * `--ca` is trusted beside the system's roots, as the HTTP client trusts it.
 */
function channelCredentials(secure: boolean, tls: ProtocolTls): ChannelCredentials {
  if (!secure) return grpcJs().credentials.createInsecure();
  const clientCert = tls.cert !== null && tls.key !== null ? { cert: tls.cert, key: tls.key } : {};
  const context = createSecureContext({ ...(tls.ca === null ? {} : { ca: [...rootCertificates, tls.ca] }), ...clientCert });
  const verify = tls.insecure ? { rejectUnauthorized: false, checkServerIdentity: (): undefined => undefined } : {};
  return grpcJs().credentials.createFromSecureContext(context, verify);
}

/**
 * The channel every user of the process shares for one origin (--connection-pool shared): opened
 * by the first user that calls, closed by the last one that stops, so a run leaves no channel
 * behind and a later user opens a fresh one.
 */
export class SharedChannel {
  readonly #open: () => Client;
  #client: Client | null = null;
  #users = 0;

  constructor(open: () => Client) {
    this.#open = open;
  }

  acquire(): Client {
    this.#users++;
    this.#client ??= this.#open();
    return this.#client;
  }

  release(): void {
    if (this.#users === 0) return;
    this.#users--;
    if (this.#users === 0) {
      this.#client?.close();
      this.#client = null;
    }
  }
}
