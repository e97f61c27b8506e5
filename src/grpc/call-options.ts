/**
 * A gRPC call's options (`{ name, timeout, metadata }`) checked and turned into what grpc-js takes.
 * An option brood does not know, or a value it cannot send, fails the call with the reason (as the
 * HTTP client refuses bad options): nothing is sent, and the task goes on.
 */
import type { Metadata } from '@grpc/grpc-js';
import { basicAuthHeader } from '../core/credentials-text.js';
import { grpcJs } from './grpc-js.js';

export interface GrpcCallOptions {
  /** The stats row's name (default: the method, 'pkg.Service/Method'). */
  name?: string;
  /** Seconds before the call's deadline (default --request-timeout); Infinity: no deadline (a long watch stream). */
  timeout?: number;
  /** Sent as the call's metadata; a key ending in -bin takes a Buffer. */
  metadata?: Readonly<Record<string, string | Buffer>>;
}

export interface CallSetup {
  timeoutMs: number;
  metadata: Metadata;
}

const KNOWN: ReadonlySet<string> = new Set(['name', 'timeout', 'metadata']);

/** The session's metadata for every call: basic auth from the host's credentials, or nothing. */
export function baseMetadata(auth: readonly [string, string] | null): Metadata {
  const metadata = new (grpcJs().Metadata)();
  if (auth !== null) metadata.set('authorization', basicAuthHeader(auth));
  return metadata;
}

/** The call's deadline and metadata, or why the options cannot be used ("invalid options: …"). */
export function callSetup(options: GrpcCallOptions, defaults: CallSetup): CallSetup | string {
  if (typeof options !== 'object' || options === null) return 'invalid options: pass { name, timeout, metadata }';
  for (const key of Object.keys(options)) if (!KNOWN.has(key)) return `invalid options: unknown option "${key}" (a call takes name, timeout, metadata)`;
  const { name, timeout, metadata } = options;
  if (name !== undefined && (typeof name !== 'string' || name === '')) return 'invalid options: name must be a non-empty string';
  let timeoutMs = defaults.timeoutMs;
  if (timeout !== undefined) {
    if (typeof timeout !== 'number' || !(timeout > 0)) return 'invalid options: timeout must be seconds > 0 (Infinity: no deadline)';
    timeoutMs = timeout === Infinity ? Infinity : Math.max(1, Math.round(timeout * 1000));
  }
  if (metadata === undefined) return timeoutMs === defaults.timeoutMs ? defaults : { timeoutMs, metadata: defaults.metadata };
  if (typeof metadata !== 'object' || metadata === null) return 'invalid options: metadata must be { key: string | Buffer }';
  const merged = defaults.metadata.clone();
  for (const [key, value] of Object.entries(metadata)) {
    try {
      merged.set(key, value);
    } catch (e) {
      return `invalid options: metadata "${key}": ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  return { timeoutMs, metadata: merged };
}

/**
 * grpc-js takes a deadline as a wall-clock time (ms since the epoch), so this is the one reading of
 * Date.now() in a call: grpc-js compares it with its own clock, not brood's.
 */
export function deadlineOf(timeoutMs: number): number {
  return timeoutMs === Infinity ? Infinity : Date.now() + timeoutMs;
}
