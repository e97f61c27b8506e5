/**
 * The demo server's gRPC contract: protos/continuum/*.proto, shipped in the package beside dist/
 * so a GrpcUser can load the same files (users/kernel-user.ts does). Loaded once per server start,
 * and only when the first gRPC connection arrives (an HTTP-only run never pays for it).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadSync, type PackageDefinition } from '@grpc/proto-loader';

/** The services the demo server answers, as a GrpcUser names their methods. */
export const KERNEL_SERVICE = 'continuum.Kernel';
export const AI_SERVICE = 'continuum.AIService';

/**
 * protos/continuum/: compiled, this module runs from dist/src/demo-server/, and the protos stay at
 * the package root; from source (tsx) it runs from src/demo-server/, one level nearer.
 */
export function continuumProtoDir(): string {
  const fromDist = fileURLToPath(new URL('../../../protos/continuum/', import.meta.url));
  if (existsSync(fromDist)) return fromDist;
  return fileURLToPath(new URL('../../protos/continuum/', import.meta.url));
}

/** Both services' definitions: field names as the protos write them (as a GrpcUser sends them), 64-bit integers as numbers, defaults filled in. */
export function loadContinuumProtos(): PackageDefinition {
  const dir = continuumProtoDir();
  return loadSync([`${dir}kernel.proto`, `${dir}ai_service.proto`], { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });
}
