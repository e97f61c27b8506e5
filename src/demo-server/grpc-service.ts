/**
 * The demo server's gRPC side: continuum.Kernel and continuum.AIService on a grpc-js Server that
 * listens on no port of its own. Cleartext HTTP/2 connections reach it from the HTTP port
 * (protocol-sniff.ts hands them over), so one URL serves the API, WebSockets and gRPC, and a
 * GrpcUser needs no host of its own against the demo server.
 */
import type { Duplex } from 'node:stream';
import { loadPackageDefinition, Server, ServerCredentials, type GrpcObject, type ServiceDefinition } from '@grpc/grpc-js';
import { aiService } from './ai-service.js';
import { AI_SERVICE, KERNEL_SERVICE, loadContinuumProtos } from './continuum-protos.js';
import { countingInterceptor } from './grpc-call-counter.js';
import { kernelService } from './kernel-service.js';
import type { ServerState } from './server-state.js';

/** A client that does not end its calls when the server closes is cut after this long. */
const CLOSE_GRACE_MS = 1_000;

export interface GrpcService {
  /** Serves one HTTP/2 connection (its first bytes already read and put back). */
  accept(socket: Duplex): void;
  /** Ends every session: calls in flight get this long to finish, then are cancelled. */
  close(): Promise<void>;
}

export function startGrpcService(state: ServerState): GrpcService {
  const server = new Server({
    'grpc.max_receive_message_length': state.options.maxBodyBytes,
    interceptors: [countingInterceptor(state.metrics)],
  });
  const definitions = loadPackageDefinition(loadContinuumProtos());
  server.addService(serviceOf(definitions, KERNEL_SERVICE), kernelService(state));
  server.addService(serviceOf(definitions, AI_SERVICE), aiService(state));
  const injector = server.createConnectionInjector(ServerCredentials.createInsecure());
  return {
    accept: (socket) => injector.injectConnection(socket),
    close: () => new Promise<void>((resolve) => {
      injector.drain(CLOSE_GRACE_MS);
      const timer = setTimeout(() => {
        server.forceShutdown();
        resolve();
      }, CLOSE_GRACE_MS + 100);
      server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    }),
  };
}

function serviceOf(definitions: GrpcObject, name: string): ServiceDefinition {
  let node: unknown = definitions;
  for (const part of name.split('.')) node = (node as Record<string, unknown>)[part];
  const service = (node as { service?: ServiceDefinition } | undefined)?.service;
  if (service === undefined) throw new Error(`internal: ${name} is not in protos/continuum`);
  return service;
}
