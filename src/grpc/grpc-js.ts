import { lazyPackage } from '../core/lazy-package.js';

/** @grpc/grpc-js, loaded when a GrpcUser class is first checked (core/lazy-package.ts), not at start-up. */
export const grpcJs = lazyPackage<typeof import('@grpc/grpc-js')>('@grpc/grpc-js');

/** @grpc/proto-loader (and protobufjs), loaded with the first proto file. */
export const protoLoader = lazyPackage<typeof import('@grpc/proto-loader')>('@grpc/proto-loader');
