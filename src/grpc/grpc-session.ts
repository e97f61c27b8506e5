/**
 * A GrpcUser's `this.grpc`: unary and streaming calls over its channel (grpc-channel.ts), each
 * recorded as one stats row of Type GRPC named after its method ('kernel.Kernel/Run', or the call's
 * `name`), timed by two performance.now() readings from the call's start to its status. A stream is
 * one row from its start to its end; the messages a response stream brings are counted too (GRPCR
 * rows, count and bytes only). As brood's HTTP client, a failed call never throws into the task: a
 * non-OK status is recorded (`UNAVAILABLE: kernel busy`) and the call resolves with null. A method
 * the protos do not have is the test's mistake, not the server's: that throws a ConfigError, which
 * stops the run with exit 2.
 */
import { performance } from 'node:perf_hooks';
import type { Client, ClientUnaryCall, ServiceError, status as Status, StatusObject } from '@grpc/grpc-js';
import { grpcJs } from './grpc-js.js';
import { ConfigError } from '../core/errors.js';
import type { ProtocolContext } from '../core/protocol-context.js';
import type { UserSession } from '../core/user.js';
import { baseMetadata, callSetup, deadlineOf, type CallSetup, type GrpcCallOptions } from './call-options.js';
import { openChannel, SharedChannel, type ChannelSettings } from './grpc-channel.js';
import { statusFailureReason } from './grpc-status.js';
import type { GrpcTarget } from './grpc-target.js';
import { unknownMethodProblem, type GrpcMethod, type ProtoSet } from './proto-registry.js';
import { ReconnectPause } from '../http/reconnect-pause.js';
import { BidiStreamHandle, ClientStreamHandle, StreamExchange, type ExchangeHost, type ExchangeRow, type GrpcBidiStream, type GrpcClientStream, type GrpcServerStream } from './stream-exchange.js';

export type { GrpcCallOptions } from './call-options.js';
export type { GrpcBidiStream, GrpcClientStream, GrpcServerStream } from './stream-exchange.js';

/** A message as a task sees it: fields under their .proto names, 64-bit integers and enums as strings. */
export type GrpcMessage = Record<string, unknown>;

export interface GrpcSessionSettings {
  context: ProtocolContext;
  /** For messages: `Kernel: no method …`. */
  className: string;
  protos: ProtoSet;
  target: GrpcTarget;
}

/** The longest a pre-allocated user's channel waits to connect before the run starts. */
const PRECONNECT_WAIT_MS = 10_000;

type CallKind = 'unary' | 'serverStream' | 'clientStream' | 'bidiStream';

/** What the session cuts on a hard stop: a unary call, or a stream (whose cancel() records nothing once the session stopped). */
interface Cancellable {
  cancel(): void;
}

export class GrpcSession implements UserSession {
  readonly #ctx: ProtocolContext;
  readonly #className: string;
  readonly #methods: ProtoSet['methods'];
  readonly #protos: ProtoSet;
  readonly #channelSettings: ChannelSettings;
  /** The setup of a call that gives no options: one object for all of them. */
  readonly #defaults: CallSetup;
  #client: Client | null = null;
  #shared: SharedChannel | null = null;
  /** Made on the first call that found no connection (reconnect-pause.ts). */
  #pause: ReconnectPause | null = null;
  readonly #inFlight = new Set<Cancellable>();
  /** Hard-stopped: nothing more is sent or recorded. */
  #stopped = false;
  /** What this session's streams report to (one object per session, kept off the task's `this.grpc`). */
  readonly #host: ExchangeHost = {
    received: (name, bytes) => this.#received(name, bytes),
    settle: (exchange, status) => this.#settle(exchange, status),
  };
  /** Failed calls so far (the open model judges an operation by it). */
  failureCount = 0;
  /** Why the last call that ended failed (`DEADLINE_EXCEEDED: timeout after 1000 ms`); null when it succeeded. */
  lastError: string | null = null;

  constructor(s: GrpcSessionSettings) {
    this.#ctx = s.context;
    this.#className = s.className;
    this.#protos = s.protos;
    this.#methods = s.protos.methods;
    this.#channelSettings = { target: s.target, tls: s.context.tls, maxMessageBytes: s.context.maxMessageBytes };
    this.#defaults = { timeoutMs: s.context.timeoutMs, metadata: baseMetadata(s.target.auth ?? s.context.basicAuth) };
  }

  /**
   * Opens this session's channel and waits until it is connected (--pre-allocated-users): null once
   * it is, else why not. The first failed attempt ends the wait (grpc-js would retry with backoff
   * until the deadline, and a refused host would hold the run's start for the whole of it); the
   * user's first call connects again, with the same pause as any call after a refused connect.
   */
  preconnect(): Promise<string | null> {
    const channel = this.#channel().getChannel();
    const origin = this.#channelSettings.target.origin;
    const waitMs = Math.min(PRECONNECT_WAIT_MS, this.#defaults.timeoutMs);
    return new Promise((resolve) => {
      const deadline = deadlineOf(waitMs);
      const watch = (): void => {
        const state = channel.getConnectivityState(true);
        if (state === grpcJs().connectivityState.READY) return resolve(null);
        if (state === grpcJs().connectivityState.TRANSIENT_FAILURE) return resolve(`${origin}: could not connect`);
        if (state === grpcJs().connectivityState.SHUTDOWN) return resolve(`${origin}: the channel was closed`);
        channel.watchConnectivityState(state, deadline, (error?: Error) => (error === undefined ? watch() : resolve(`${origin}: not connected within ${waitMs} ms`)));
      };
      watch();
    });
  }

  /** Calls a unary method: resolves with the response, or null when the call failed (recorded, see `lastError`). */
  unary<Res = GrpcMessage>(method: string, request: object, options?: GrpcCallOptions): Promise<Res | null> {
    const m = this.#method(method, 'unary');
    const pause = this.#pause === null ? null : this.#pause.wait();
    return pause === null ? this.#unary<Res>(m, request, options) : pause.then(() => this.#unary<Res>(m, request, options));
  }

  /** Calls a server-streaming method: `for await (const m of this.grpc.serverStream(…))`. */
  serverStream<Res = GrpcMessage>(method: string, request: object, options?: GrpcCallOptions): GrpcServerStream<Res> {
    return this.#stream<Res>(this.#method(method, 'serverStream'), request, options);
  }

  /** Opens a client-streaming call: `write()` messages, then `await end()` for the response. */
  clientStream<Req = GrpcMessage, Res = GrpcMessage>(method: string, options?: GrpcCallOptions): GrpcClientStream<Req, Res> {
    return new ClientStreamHandle<Req, Res>(this.#stream<Res>(this.#method(method, 'clientStream'), null, options));
  }

  /** Opens a bidirectional call: `write()`, `end()` when done writing, and iterate it for the server's messages. */
  bidiStream<Req = GrpcMessage, Res = GrpcMessage>(method: string, options?: GrpcCallOptions): GrpcBidiStream<Req, Res> {
    return new BidiStreamHandle<Req, Res>(this.#stream<Res>(this.#method(method, 'bidiStream'), null, options));
  }

  #unary<Res>(m: GrpcMethod, request: object, options: GrpcCallOptions | undefined): Promise<Res | null> {
    if (this.#stopped || this.#ctx.signal.aborted) return Promise.resolve(null);
    const name = options?.name ?? m.name;
    const setup = options === undefined ? this.#defaults : callSetup(options, this.#defaults);
    if (typeof setup === 'string') return Promise.resolve(this.#refused(name, setup));
    const client = this.#channel();
    return new Promise((resolve) => {
      // The response's serialized size, read where grpc-js hands over its bytes (no re-encoding).
      let bytes = 0;
      const deserialize = (buffer: Buffer): object => {
        bytes = buffer.length;
        return m.deserialize(buffer);
      };
      const start = performance.now();
      const call: ClientUnaryCall = client.makeUnaryRequest(m.path, m.serialize, deserialize, request, setup.metadata, { deadline: deadlineOf(setup.timeoutMs) }, (error: ServiceError | null, value?: object) => {
        const end = performance.now();
        this.#inFlight.delete(call);
        if (this.#stopped || this.#ctx.signal.aborted) return resolve(null);
        const failure = error === null ? this.#answered() : this.#failure(error, setup.timeoutMs, client, end);
        this.#record(name, end - start, bytes, failure);
        resolve(failure === null ? ((value ?? null) as Res | null) : null);
      });
      this.#inFlight.add(call);
    });
  }

  #stream<Res>(m: GrpcMethod, request: object | null, options: GrpcCallOptions | undefined): StreamExchange<Res> {
    const name = options?.name ?? m.name;
    const setup = options === undefined ? this.#defaults : callSetup(options, this.#defaults);
    const exchange = new StreamExchange<Res>(m, name, typeof setup === 'string' ? 0 : setup.timeoutMs, this.#host);
    if (this.#stopped || this.#ctx.signal.aborted) exchange.refuse(null);
    else if (typeof setup === 'string') {
      this.#refused(name, setup);
      exchange.refuse(setup);
    } else {
      const pause = this.#pause === null ? null : this.#pause.wait();
      if (pause === null) this.#startStream(exchange, m, request, setup);
      else void pause.then(() => this.#startStream(exchange, m, request, setup));
    }
    return exchange;
  }

  #startStream<Res>(exchange: StreamExchange<Res>, m: GrpcMethod, request: object | null, setup: CallSetup): void {
    if (exchange.ended) return; // the task cancelled it during the pause
    if (this.#stopped || this.#ctx.signal.aborted) return exchange.refuse(null);
    const client = this.#channel();
    const options = { deadline: deadlineOf(setup.timeoutMs) };
    exchange.startMs = performance.now();
    const call = !m.requestStream
      ? client.makeServerStreamRequest(m.path, m.serialize, exchange.deserialize, request ?? {}, setup.metadata, options)
      : !m.responseStream
        ? client.makeClientStreamRequest(m.path, m.serialize, exchange.deserialize, setup.metadata, options, (_e: ServiceError | null, value?: object) => exchange.responded(value as Res | undefined))
        : client.makeBidiStreamRequest(m.path, m.serialize, exchange.deserialize, setup.metadata, options);
    this.#inFlight.add(exchange);
    exchange.start(call);
  }

  /** A message of a response stream arrived. */
  #received(name: string, bytes: number): void {
    if (!this.#stopped && !this.#ctx.signal.aborted) this.#ctx.recordMessage('GRPCR', name, bytes);
  }

  /** A stream ended (status null: the task ended it, a success): its row, unless the user was stopped. */
  #settle(exchange: ExchangeRow, status: StatusObject | null): string | null {
    const end = performance.now();
    this.#inFlight.delete(exchange);
    if (this.#stopped || this.#ctx.signal.aborted) return 'user stopped';
    const failure = status === null || status.code === grpcJs().status.OK ? this.#answered() : this.#failure(status, exchange.timeoutMs, this.#client, end);
    this.#record(exchange.name, end - exchange.startMs, exchange.bytes, failure);
    return failure;
  }

  /** The method a task named, of the kind it called it as; else a ConfigError (the test's mistake). */
  #method(method: string, kind: CallKind): GrpcMethod {
    if (typeof method !== 'string') throw new ConfigError('BAD_GRPC_METHOD', `${this.#className}: this.grpc.${kind}() takes the method as 'package.Service/Method', not ${typeof method}`);
    const m = this.#methods.get(method) ?? (method.charCodeAt(0) === 47 /* / */ ? this.#methods.get(method.slice(1)) : undefined);
    if (m === undefined) throw new ConfigError('BAD_GRPC_METHOD', unknownMethodProblem(this.#protos, method, this.#className));
    const own = kindOf(m);
    if (own !== kind) throw new ConfigError('BAD_GRPC_METHOD', `${this.#className}: ${m.name} is a ${KIND_WORDS[own]} method: call it with this.grpc.${own}('${m.name}', …), not ${kind}()`);
    return m;
  }

  #channel(): Client {
    if (this.#client !== null) return this.#client;
    const settings = this.#channelSettings;
    if (this.#ctx.sharedConnections) {
      const key = `grpc-channel ${settings.target.origin}${settings.tls.insecure ? ' insecure' : ''}`;
      this.#shared = this.#ctx.shared(key, () => new SharedChannel(() => openChannel(settings)));
      this.#client = this.#shared.acquire();
    } else {
      this.#client = openChannel(settings);
    }
    return this.#client;
  }

  /** The server answered (whatever its status): any reconnect pause ends. */
  #answered(): null {
    this.#pause?.answered();
    return null;
  }

  /**
   * A non-OK status as its failure. UNAVAILABLE with the channel not connected is a connect that
   * failed (refused, reset, a refused certificate): the next call pauses first. UNAVAILABLE on a
   * ready channel is the server's own answer ("kernel busy"), as an HTTP 503 is: no pause.
   */
  #failure(status: { code: Status; details: string }, timeoutMs: number, client: Client | null, nowMs: number): string {
    const noConnection = status.code === grpcJs().status.UNAVAILABLE && (client === null || client.getChannel().getConnectivityState(false) !== grpcJs().connectivityState.READY);
    if (noConnection) (this.#pause ??= new ReconnectPause()).failed(nowMs);
    else this.#pause?.answered();
    return statusFailureReason(status.code, status.details ?? '', timeoutMs, this.#ctx.maxMessageBytes);
  }

  /** Options the call cannot be made with: recorded as its failure, nothing sent. */
  #refused(name: string, problem: string): null {
    this.#record(name, 0, 0, problem);
    return null;
  }

  #record(name: string, responseTimeMs: number, responseLength: number, error: string | null): void {
    if (error !== null) this.failureCount++;
    this.lastError = error;
    this.#ctx.recordRequest({ type: 'GRPC', name, responseTimeMs, responseLength, error });
  }

  /** UserSession: a gRPC call has nothing to settle after its task (no catchResponse). */
  flushPending(): void {}

  /** UserSession: the user is gone. Hard: its calls in flight are cut and not recorded. */
  close(hard: boolean): void {
    if (hard) {
      this.#stopped = true;
      this.#pause?.cancel();
      for (const call of this.#inFlight) call.cancel();
      this.#inFlight.clear();
    }
    const client = this.#client;
    this.#client = null;
    if (client === null) return;
    if (this.#shared !== null) this.#shared.release();
    else client.close();
    this.#shared = null;
  }
}

function kindOf(m: GrpcMethod): CallKind {
  if (m.requestStream) return m.responseStream ? 'bidiStream' : 'clientStream';
  return m.responseStream ? 'serverStream' : 'unary';
}

const KIND_WORDS: Readonly<Record<CallKind, string>> = {
  unary: 'unary',
  serverStream: 'server-streaming',
  clientStream: 'client-streaming',
  bidiStream: 'bidirectional-streaming',
};
