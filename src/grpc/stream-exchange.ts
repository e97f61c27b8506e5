/**
 * One streaming call (server, client or bidirectional) from the task's side: what it writes, the
 * messages it reads with `for await`, its response, and its one stats row from start to end. The
 * session (grpc-session.ts) starts it, possibly after a reconnect pause: writes made before then
 * are held and sent when it starts. A stream the task ends itself (`break` out of its loop, or
 * `cancel()`) is a success: the task chose to stop reading, the server did nothing wrong.
 */
import type { ClientDuplexStream, ClientReadableStream, ClientWritableStream, StatusObject } from '@grpc/grpc-js';
import { MessageQueue } from './message-queue.js';
import type { GrpcMethod } from './proto-registry.js';

/** `this.grpc.serverStream()`: iterate it for the messages; `error` says why it failed once it ended. */
export interface GrpcServerStream<Res = Record<string, unknown>> extends AsyncIterable<Res> {
  /** The failure recorded for the stream (`UNAVAILABLE: …`); null while it runs and when it succeeded. */
  readonly error: string | null;
  /** Ends the stream now (recorded as a success: the task stopped reading). */
  cancel(): void;
}

/** `this.grpc.clientStream()`: write messages, then `await end()` for the response (null: it failed, see `error`). */
export interface GrpcClientStream<Req = Record<string, unknown>, Res = Record<string, unknown>> {
  /** Sends a message; false when the send buffer is full (the stream still takes it). */
  write(message: Req): boolean;
  end(): Promise<Res | null>;
  readonly error: string | null;
  cancel(): void;
}

/** `this.grpc.bidiStream()`: write messages, `end()` when done writing, iterate it for the server's. */
export interface GrpcBidiStream<Req = Record<string, unknown>, Res = Record<string, unknown>> extends AsyncIterable<Res> {
  write(message: Req): boolean;
  /** No more writes (the server's messages keep coming until it ends the stream). */
  end(): void;
  readonly error: string | null;
  cancel(): void;
}

type GrpcCall = ClientReadableStream<object> | ClientWritableStream<object> | ClientDuplexStream<object, object>;

/** What an exchange reports to its session. */
export interface ExchangeHost {
  /** A message of a response stream arrived (a GRPCR row). */
  received(name: string, bytes: number): void;
  /** The exchange ended (status null: the task ended it): records its row; returns its failure, or null. */
  settle(exchange: ExchangeRow, status: StatusObject | null): string | null;
}

/** What a stream's row is made of. */
export interface ExchangeRow {
  readonly name: string;
  readonly timeoutMs: number;
  readonly startMs: number;
  readonly bytes: number;
  cancel(): void;
}

export class StreamExchange<Res> implements GrpcServerStream<Res> {
  readonly name: string;
  readonly timeoutMs: number;
  /** performance.now() when the call started (after any reconnect pause). */
  startMs = 0;
  /** Bytes of every message received. */
  bytes = 0;
  error: string | null = null;
  readonly #method: GrpcMethod;
  readonly #host: ExchangeHost;
  readonly #queue: MessageQueue<Res> | null;
  #call: GrpcCall | null = null;
  #held: object[] | null = null;
  #writesClosed = false;
  #settled = false;
  #value: Res | null = null;
  readonly #response: Promise<Res | null>;
  #resolve!: (value: Res | null) => void;

  constructor(method: GrpcMethod, name: string, timeoutMs: number, host: ExchangeHost) {
    this.#method = method;
    this.name = name;
    this.timeoutMs = timeoutMs;
    this.#host = host;
    this.#queue = method.responseStream ? new MessageQueue<Res>() : null;
    this.#response = new Promise((resolve) => (this.#resolve = resolve));
  }

  /** grpc-js's deserializer for this call: each message is counted (and, in a response stream, recorded). */
  readonly deserialize = (bytes: Buffer): object => {
    this.bytes += bytes.length;
    if (this.#queue !== null) this.#host.received(this.name, bytes.length);
    return this.#method.deserialize(bytes);
  };

  /** The call is under way: held writes go out, and its messages and end are followed. */
  start(call: GrpcCall): void {
    this.#call = call;
    // Every end is read from 'status' (always emitted once); 'error' repeats it, or is a write after end.
    call.on('error', ignore);
    call.once('status', (status: StatusObject) => this.#end(status));
    const queue = this.#queue;
    if (queue !== null) {
      const readable = call as ClientReadableStream<Res>;
      queue.attach({ pause: () => readable.pause(), resume: () => readable.resume(), abandon: () => this.cancel() });
      readable.on('data', (message: Res) => queue.push(message));
      readable.once('end', () => queue.end());
    }
    if (this.#held !== null && this.#method.requestStream) for (const m of this.#held) (call as ClientWritableStream<object>).write(m);
    this.#held = null;
    if (this.#writesClosed && this.#method.requestStream) (call as ClientWritableStream<object>).end();
  }

  /** A client stream's response (grpc-js gives it before the status). */
  responded(value: Res | undefined): void {
    this.#value = value ?? null;
  }

  /** It never started (options refused, or the user stopped first): `reason` is already recorded, or null. */
  refuse(reason: string | null): void {
    this.#settled = true;
    this.error = reason;
    this.#queue?.end();
    this.#resolve(null);
  }

  write(message: object): boolean {
    if (this.#settled || this.#writesClosed) return false;
    if (this.#call === null) {
      (this.#held ??= []).push(message);
      return true;
    }
    return (this.#call as ClientWritableStream<object>).write(message);
  }

  /** No more writes; resolves with a client stream's response when the stream ended (null: it failed). */
  end(): Promise<Res | null> {
    if (!this.#writesClosed) {
      this.#writesClosed = true;
      if (this.#call !== null && !this.#settled) (this.#call as ClientWritableStream<object>).end();
    }
    return this.#response;
  }

  /** Ends the stream now: as a success when the task asks; not recorded when the user was hard-stopped (the session says). */
  cancel(): void {
    if (this.#settled) return;
    if (this.#call === null) return this.refuse(null); // still waiting out a reconnect pause: never sent
    this.#end(null);
    this.#call.cancel();
  }

  /** It ended (or never started): the session does not start it. */
  get ended(): boolean {
    return this.#settled;
  }

  [Symbol.asyncIterator](): AsyncIterator<Res> {
    return this.#queue ?? EMPTY;
  }

  #end(status: StatusObject | null): void {
    if (this.#settled) return;
    this.#settled = true;
    this.error = this.#host.settle(this, status);
    // The task ended it: its loop ends now. Otherwise the loop still reads what arrived before the
    // end, and ends with the stream's 'end' (grpc-js ends the readable side on every status).
    if (status === null) this.#queue?.end();
    this.#resolve(this.error === null ? this.#value : null);
  }
}

function ignore(): void {}

const EMPTY: AsyncIterator<never> = { next: () => Promise.resolve({ value: undefined, done: true }) };

/** `this.grpc.clientStream()` as the task sees it. */
export class ClientStreamHandle<Req, Res> implements GrpcClientStream<Req, Res> {
  readonly #exchange: StreamExchange<Res>;

  constructor(exchange: StreamExchange<Res>) {
    this.#exchange = exchange;
  }

  get error(): string | null {
    return this.#exchange.error;
  }

  write(message: Req): boolean {
    return this.#exchange.write(message as object);
  }

  end(): Promise<Res | null> {
    return this.#exchange.end();
  }

  cancel(): void {
    this.#exchange.cancel();
  }
}

/** `this.grpc.bidiStream()` as the task sees it. */
export class BidiStreamHandle<Req, Res> implements GrpcBidiStream<Req, Res> {
  readonly #exchange: StreamExchange<Res>;

  constructor(exchange: StreamExchange<Res>) {
    this.#exchange = exchange;
  }

  get error(): string | null {
    return this.#exchange.error;
  }

  write(message: Req): boolean {
    return this.#exchange.write(message as object);
  }

  end(): void {
    void this.#exchange.end();
  }

  cancel(): void {
    this.#exchange.cancel();
  }

  [Symbol.asyncIterator](): AsyncIterator<Res> {
    return this.#exchange[Symbol.asyncIterator]();
  }
}
