// The only runtime import of @grpc/grpc-js and @grpc/proto-loader, and dynamic ones: they are optional peers of
// `maas` (needed only to serve gRPC), like fastify.

import { join } from 'node:path';
import type * as GrpcJs from '@grpc/grpc-js';
import type * as ProtoLoader from '@grpc/proto-loader';
import { packageRoot } from '../package-files.js';
import { importPeer, requirePeers } from '../peers.js';

export type Grpc = typeof GrpcJs;

export interface LoadedGrpc {
  grpc: Grpc;
  /** inference.GRPCInferenceService and grpc.health.v1.Health, from the vendored upstream protos. */
  definitions: ProtoLoader.PackageDefinition;
}

/** The vendored, unmodified upstream protos (server/grpc/proto, shipped in the package). */
export function protoDir(): string {
  return join(packageRoot(), 'server', 'grpc', 'proto');
}

let loading: Promise<LoadedGrpc> | undefined;

/**
 * Imports grpc-js and proto-loader and loads the protos once per process (≈ 70 ms; the inference messages have
 * their own codec, so proto-loader's options matter only for the others: names as in the proto, 64-bit integers as
 * strings, enums by name, defaults written).
 */
export function loadGrpc(): Promise<LoadedGrpc> {
  loading ??= (async () => {
    const [grpc, protoLoader] = await Promise.all([
      importPeer('@grpc/grpc-js', () => import('@grpc/grpc-js')),
      importPeer('@grpc/proto-loader', () => import('@grpc/proto-loader')),
    ]);
    const definitions = await protoLoader.load(['grpc_service.proto', 'health.proto'], {
      includeDirs: [protoDir()],
      keepCase: true,
      longs: String,
      enums: String,
      defaults: true,
      oneofs: true,
    });
    return { grpc, definitions };
  })().catch((err: unknown) => {
    loading = undefined;
    throw err;
  });
  return loading;
}

/** Proves both peers are installed (for `maas serve`'s startup check), without loading the protos. */
export function requireGrpcPeers(): Promise<void> {
  return requirePeers([
    () => importPeer('@grpc/grpc-js', () => import('@grpc/grpc-js')),
    () => importPeer('@grpc/proto-loader', () => import('@grpc/proto-loader')),
  ]);
}
