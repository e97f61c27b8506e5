/**
 * The peer of bench/grpc.ts: bare @grpc/grpc-js, no user model, no stats. --connections N loops,
 * each with a channel of its own (a grpc.Client with the channel options brood's GrpcUser uses,
 * src/grpc/grpc-channel.ts, among them grpc.use_local_subchannel_pool: one connection per channel
 * as per brood user), calling the unary bench.Echo/Echo with the message brood's EchoCaller sends,
 * empty metadata (one object per loop, as brood reuses one per user) and the deadline brood gives each call (its default --request-timeout, 60 s),
 * awaiting each answer before the next, until --duration seconds have passed. Prints one JSON line
 * { calls, failures, seconds }.
 *
 *   node dist/bench/grpc-bare-client.js --address 127.0.0.1:PORT --connections 50 --duration 10
 */
import { Client, credentials, Metadata, type ChannelOptions, type ServiceError } from '@grpc/grpc-js';
import { loadSync, type MethodDefinition } from '@grpc/proto-loader';
import { argNumber, argString } from './bench-args.js';
import { ECHO_PROTO, LOADER_OPTIONS } from './grpc-server.js';

/** As src/grpc/grpc-channel.ts, with brood's default --max-body-size (10 MiB). */
const CHANNEL_OPTIONS: ChannelOptions = {
  'grpc.max_receive_message_length': 10_485_760,
  'grpc.max_send_message_length': 10_485_760,
  'grpc.use_local_subchannel_pool': 1,
  'grpc.initial_reconnect_backoff_ms': 50,
  'grpc.max_reconnect_backoff_ms': 1000,
  'grpc.enable_retries': 0,
  'grpc.enable_http_proxy': 0,
};
const TIMEOUT_MS = 60_000;
const REQUEST = { text: 'echo', n: 42 };

type Method = MethodDefinition<object, object>;

async function loop(client: Client, m: Method, endMs: number): Promise<[number, number]> {
  let calls = 0;
  let failures = 0;
  const metadata = new Metadata();
  while (performance.now() < endMs) {
    const error = await new Promise<ServiceError | null>((resolve) => {
      client.makeUnaryRequest(m.path, m.requestSerialize, m.responseDeserialize, REQUEST, metadata, { deadline: Date.now() + TIMEOUT_MS }, (e) => resolve(e));
    });
    if (error === null) calls++;
    else failures++;
  }
  return [calls, failures];
}

async function main(): Promise<void> {
  const address = argString('--address', '');
  const n = argNumber('--connections', 50);
  const method = (loadSync(ECHO_PROTO, LOADER_OPTIONS)['bench.Echo'] as Record<string, Method> | undefined)?.Echo;
  if (method === undefined) throw new Error('echo.proto has no bench.Echo/Echo');
  const clients = Array.from({ length: n }, () => new Client(address, credentials.createInsecure(), CHANNEL_OPTIONS));
  const t0 = performance.now();
  const endMs = t0 + argNumber('--duration', 10) * 1000;
  const results = await Promise.all(clients.map((c) => loop(c, method, endMs)));
  const seconds = (performance.now() - t0) / 1000;
  for (const c of clients) c.close();
  const sum = (i: 0 | 1): number => results.reduce((a, r) => a + r[i], 0);
  process.stdout.write(`${JSON.stringify({ calls: sum(0), failures: sum(1), seconds })}\n`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
