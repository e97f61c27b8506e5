/**
 * The target of bench/grpc.ts: a @grpc/grpc-js server of bench/fixtures/protos/echo.proto in its own
 * process (pinned to a core by the bench), its unary bench.Echo/Echo answering every request with
 * the same message. It prints `listening PORT` and answers the stdin commands of
 * bench/target-server.ts (count = calls answered; conns = distinct client connections seen), so
 * bench/steady-window.ts measures both generators by the calls the SERVER answered.
 *
 *   node dist/bench/grpc-server.js
 */
import { fileURLToPath } from 'node:url';
import { Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import type { TargetProcess } from './target-process.js';
import { answerCommands, newCounters, startCountingServer } from './ws-echo-server.js';

/** The proto of the server, bench/fixtures/grpc-echo-user.mjs and bench/grpc-bare-client.ts. */
export const ECHO_PROTO = fileURLToPath(new URL('../../bench/fixtures/protos/echo.proto', import.meta.url));
/** brood's loader options (src/grpc/proto-registry.ts), so all three (de)serialize alike. */
export const LOADER_OPTIONS = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };

export const startGrpcEchoServer = (o: { cpu: number | null; taskset: boolean }): Promise<TargetProcess> =>
  startCountingServer('grpc-server.js', { ...o, url: (port) => `grpc://127.0.0.1:${port}` });

function main(): void {
  const counters = newCounters();
  const peers = new Set<string>();
  const service = loadSync(ECHO_PROTO, LOADER_OPTIONS)['bench.Echo'];
  if (service === undefined || 'format' in service) throw new Error('echo.proto has no bench.Echo service');
  const server = new Server();
  server.addService(service, {
    Echo: (call: ServerUnaryCall<{ text: string; n: number }, unknown>, callback: sendUnaryData<unknown>) => {
      if (counters.firstWallMs === 0) counters.firstWallMs = Date.now();
      counters.requests++;
      const peer = call.getPeer();
      if (!peers.has(peer)) {
        peers.add(peer);
        counters.accepted++;
        counters.connections = peers.size;
      }
      callback(null, call.request);
    },
  });
  server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, port) => {
    if (error !== null) throw error;
    process.stdout.write(`listening ${port}\n`);
  });
  answerCommands(counters, () => server.tryShutdown(() => process.exit(0)));
}

// Run as a process; imported (for its proto and starter), it starts nothing.
if (process.argv[1] === fileURLToPath(import.meta.url)) main();
