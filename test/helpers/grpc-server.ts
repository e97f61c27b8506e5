/**
 * A real @grpc/grpc-js server of test/fixtures/grpc/protos/kernel.proto on 127.0.0.1 (port 0),
 * whose behaviour a test sets as it goes: answer after a delay, fail with a status, stream N
 * messages, never answer, or stop (connections refused) and come back on the same port.
 */
import { join } from 'node:path';
import {
  Server, ServerCredentials, status,
  type sendUnaryData, type ServerDuplexStream, type ServerReadableStream, type ServerUnaryCall, type ServerWritableStream,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { REPO_ROOT } from './cli.js';

export const KERNEL_PROTO_DIR = join(REPO_ROOT, 'test/fixtures/grpc/protos');
export const KERNEL_PROTO = join(KERNEL_PROTO_DIR, 'kernel.proto');

export interface GrpcBehaviour {
  /** Milliseconds before a unary answer, and between streamed messages. */
  delayMs: number;
  /** Every call ends with this status (a stream after its messages). */
  fail: { code: status; details: string } | null;
  /** Events a Watch sends when its request asks for 0. */
  streamCount: number;
  /** Calls are never answered (until the client gives up or cancels). */
  hang: boolean;
}

type Msg = Record<string, unknown>;

export interface GrpcTestServer {
  readonly port: number;
  /** grpc://127.0.0.1:PORT */
  readonly url: string;
  behaviour: GrpcBehaviour;
  /** Calls started, by method ('Run', 'Watch', 'Upload', 'Chat'). */
  readonly calls: Map<string, number>;
  /** Client addresses seen: one per connection. */
  readonly peers: Set<string>;
  /** Calls the client cancelled (or whose deadline passed) before they were answered. */
  readonly cut: { count: number };
  /** The metadata of the last call, as plain values. */
  lastMetadata: Record<string, unknown> | null;
  /** Stops: connections are refused until restart(). */
  stop(): Promise<void>;
  /** Serves again on the same port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

const LOADER = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };

export async function startGrpcServer(options: { tls?: { key: string; cert: string }; behaviour?: Partial<GrpcBehaviour> } = {}): Promise<GrpcTestServer> {
  const definition = loadSync(KERNEL_PROTO, { ...LOADER, includeDirs: [KERNEL_PROTO_DIR] });
  const service = definition['kernel.Kernel'];
  if (service === undefined || 'format' in service) throw new Error('kernel.proto has no kernel.Kernel service');
  const credentials = options.tls ? ServerCredentials.createSsl(null, [{ private_key: Buffer.from(options.tls.key), cert_chain: Buffer.from(options.tls.cert) }], false) : ServerCredentials.createInsecure();
  let server: Server | null = null;
  const state: GrpcTestServer = {
    port: 0,
    url: '',
    behaviour: { delayMs: 0, fail: null, streamCount: 3, hang: false, ...options.behaviour },
    calls: new Map(),
    peers: new Set(),
    cut: { count: 0 },
    lastMetadata: null,
    stop: async () => {
      server?.forceShutdown();
      server = null;
    },
    restart: async () => {
      server = await serve(`127.0.0.1:${state.port}`);
    },
    close: async () => state.stop(),
  };

  const begin = (method: string, call: { getPeer(): string; metadata: { getMap(): Record<string, unknown> }; on(event: 'cancelled', f: () => void): unknown }): { answered: () => boolean; answer: () => void } => {
    state.calls.set(method, (state.calls.get(method) ?? 0) + 1);
    state.peers.add(call.getPeer());
    state.lastMetadata = call.metadata.getMap();
    let answered = false;
    // grpc-js also emits 'cancelled' after a normal end: only a call cut before its answer counts.
    call.on('cancelled', () => {
      if (!answered) state.cut.count++;
    });
    return { answered: () => answered, answer: () => (answered = true) };
  };
  const later = (f: () => void): void => {
    if (state.behaviour.delayMs > 0) setTimeout(f, state.behaviour.delayMs);
    else f();
  };

  const handlers = {
    Run(call: ServerUnaryCall<Msg, Msg>, callback: sendUnaryData<Msg>): void {
      const c = begin('Run', call);
      if (state.behaviour.hang) return;
      later(() => {
        c.answer();
        const fail = state.behaviour.fail;
        if (fail) callback({ code: fail.code, details: fail.details });
        else callback(null, { result: `ran ${String(call.request.code)}`, took_us: '12', level: 'LEVEL_OK' });
      });
    },
    Watch(call: ServerWritableStream<Msg, Msg>): void {
      const c = begin('Watch', call);
      if (state.behaviour.hang) return;
      const count = Number(call.request.count) || state.behaviour.streamCount;
      let seq = 0;
      const next = (): void => {
        if (call.cancelled) return;
        if (seq < count) {
          call.write({ seq: ++seq, kind: 'tick', payload: Buffer.alloc(10, seq) });
          later(next);
          return;
        }
        c.answer();
        const fail = state.behaviour.fail;
        if (fail) call.emit('error', { code: fail.code, details: fail.details });
        else call.end();
      };
      later(next);
    },
    Upload(call: ServerReadableStream<Msg, Msg>, callback: sendUnaryData<Msg>): void {
      const c = begin('Upload', call);
      let chunks = 0;
      let bytes = 0;
      call.on('data', (chunk: Msg) => {
        chunks++;
        bytes += (chunk.data as Buffer).length;
      });
      call.on('end', () => {
        if (state.behaviour.hang) return;
        later(() => {
          c.answer();
          const fail = state.behaviour.fail;
          if (fail) callback({ code: fail.code, details: fail.details });
          else callback(null, { chunks, bytes: String(bytes) });
        });
      });
    },
    Chat(call: ServerDuplexStream<Msg, Msg>): void {
      const c = begin('Chat', call);
      call.on('data', (m: Msg) => {
        if (!state.behaviour.hang) call.write({ text: `echo: ${String(m.text)}` });
      });
      call.on('end', () => {
        if (state.behaviour.hang) return;
        c.answer();
        const fail = state.behaviour.fail;
        if (fail) call.emit('error', { code: fail.code, details: fail.details });
        else call.end();
      });
    },
  };

  const serve = (address: string): Promise<Server> => {
    const s = new Server();
    s.addService(service, handlers);
    return new Promise((resolve, reject) => {
      s.bindAsync(address, credentials, (error, port) => {
        if (error) return reject(error);
        (state as { port: number }).port = port;
        resolve(s);
      });
    });
  };
  server = await serve('127.0.0.1:0');
  (state as { url: string }).url = `grpc://127.0.0.1:${state.port}`;
  return state;
}
