/**
 * The demo server's gRPC protos (protos/continuum/, shipped in the package) as a GrpcUser's
 * `static proto`: absolute paths, since these classes come from no test file to be relative to.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { GrpcProtoFiles } from '../../src/index.js';

/** Compiled, this runs from dist/users/support/; from source (tsx), from users/support/. */
function protoDir(): string {
  const fromDist = fileURLToPath(new URL('../../../protos/continuum/', import.meta.url));
  if (existsSync(fromDist)) return fromDist;
  return fileURLToPath(new URL('../../protos/continuum/', import.meta.url));
}

/** continuum.Kernel and continuum.AIService. */
export function continuumProtoFiles(): GrpcProtoFiles {
  const dir = protoDir();
  return { files: [`${dir}kernel.proto`, `${dir}ai_service.proto`], includeDirs: [dir] };
}
