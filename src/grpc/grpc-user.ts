import { CLASS_PROBLEMS, HOST_SCHEMES } from '../core/brand.js';
import { ConfigError } from '../core/errors.js';
import { User, USER_PRECONNECT, USER_SESSION, type PreconnectPlan, type UserSession } from '../core/user.js';
import { grpcJs } from './grpc-js.js';
import { GrpcSession } from './grpc-session.js';
import { grpcTarget } from './grpc-target.js';
import { protosOfClass } from './proto-registry.js';

export type { GrpcBidiStream, GrpcCallOptions, GrpcClientStream, GrpcMessage, GrpcServerStream, GrpcSession } from './grpc-session.js';

/** `static proto`: the .proto files a GrpcUser calls, relative to its test file (absolute paths as they are). */
export interface GrpcProtoFiles {
  files: string[];
  /** Where imports are looked for (a file not found beside the test file is looked for here too). */
  includeDirs?: string[];
}

type GrpcUserClass = { name: string; proto?: unknown };

/**
 * A User with `this.grpc`: unary and streaming calls (@grpc/grpc-js) to the methods of its
 * `static proto` files, recorded into the same stats, files and targets as HTTP requests (Type
 * GRPC). Its host is grpc:// or http:// (plain), grpcs:// or https:// (TLS), host and port only.
 *
 *     export class Kernel extends GrpcUser {
 *       static proto = { files: ['protos/kernel.proto'], includeDirs: ['protos'] };
 *       @task async run() { await this.grpc.unary('kernel.Kernel/Run', { code: '1+1' }); }
 *     }
 */
export class GrpcUser extends User {
  static override abstract = true;
  static readonly [HOST_SCHEMES]: readonly string[] = ['grpc:', 'grpcs:', 'http:', 'https:'];
  /** The .proto files this user calls (see GrpcProtoFiles). Declared only: a subclass sets it. */
  declare static proto?: GrpcProtoFiles;
  #grpc: GrpcSession | null = null;

  /**
   * Checked before the run (class-specs.ts): its proto files exist and parse, or the one-line problem.
   * It also loads @grpc/grpc-js (core/lazy-package.ts) here, before any user runs, rather than inside
   * the first user's first call, where the ~35 ms would count in that call's time.
   */
  static [CLASS_PROBLEMS](this: GrpcUserClass): string[] {
    grpcJs();
    const protos = protosOfClass(this);
    return typeof protos === 'string' ? [protos] : [];
  }

  /**
   * This user's gRPC client, made on first use (as HttpUser's client): its channel opens on its
   * first call. A host that is not a gRPC URL throws ConfigError('BAD_HOST'), protos that do not
   * load ConfigError('BAD_PROTO'): either stops the run with exit 2.
   */
  get grpc(): GrpcSession {
    if (this.#grpc === null) {
      const cls = this.constructor as GrpcUserClass;
      const protos = protosOfClass(cls);
      if (typeof protos === 'string') throw new ConfigError('BAD_PROTO', protos);
      const context = this.environment.protocolContext(this);
      this.#grpc = new GrpcSession({ context, className: cls.name, protos, target: grpcTarget(context.baseUrl, cls.name) });
    }
    return this.#grpc;
  }

  override [USER_SESSION](): UserSession | null {
    return this.#grpc;
  }

  /** Pre-allocated: its channel connects before the run's clock starts (a bad host or proto: the reason). */
  override [USER_PRECONNECT](): PreconnectPlan {
    try {
      return this.grpc.preconnect();
    } catch (error) {
      return Promise.resolve(error instanceof Error ? error.message : String(error));
    }
  }
}
