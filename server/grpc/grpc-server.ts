// The gRPC endpoint beside Fastify: inference.GRPCInferenceService (+ grpc.health.v1.Health) on grpc-js, with the
// message limits of --max-body-size, and a drain that mirrors HTTP's: stop accepting, let in-flight calls finish
// (bounded), then shut down. Built by app.ts, the composition root.

import type { Server, ServiceDefinition } from '@grpc/grpc-js';
import type { DataPlane } from '../inference/data-plane.js';
import type { ModelRegistry } from '../inference/registry.js';
import type { ServerLogger } from '../services.js';
import type { Settings } from '../settings.js';
import { callWrapper } from './call-context.js';
import type { LoadedGrpc } from './grpc-js.js';
import { healthService } from './health-service.js';
import type { HttpRules } from './http-rules.js';
import { inferenceService } from './inference-service.js';
import { streamInfer } from './stream-infer.js';

export interface GrpcEndpointOptions {
  loaded: LoadedGrpc;
  dataPlane: DataPlane;
  registry: ModelRegistry;
  settings: Pick<Settings, 'maxBodySize'>;
  /** The HTTP API's error mapping, key check, request ids and parameter rules (built by app.ts from http/). */
  rules: HttpRules;
  /**
   * Counts each answered call (each message of a stream) by its method path (`/inference.GRPCInferenceService/
   * ModelInfer`) and the HTTP status its outcome maps to: the request metrics, protocol `grpc`.
   */
  countCall?: (path: string, status: number) => void;
  log: ServerLogger;
}

export interface GrpcEndpoint {
  /** Binds host:port (0 = a free port); resolves to `HOST:PORT`. */
  listen(host: string, port: number): Promise<string>;
  /** `HOST:PORT` once listening. */
  readonly address: string | undefined;
  /**
   * Stops accepting calls, ends open streams once their messages are answered, waits for in-flight calls up to
   * `ms`, then cuts what is left.
   */
  close(ms: number): Promise<void>;
}

/** The inference messages go through src/protocol/grpc's codec: grpc-js passes their bytes through untouched. */
const passThrough = {
  requestDeserialize: (bytes: Buffer) => bytes,
  responseSerialize: (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
};

/** The HTTP/2 path of an RPC, as grpc-js, Envoy and access logs name it. */
function methodPath(rpc: string): string {
  return rpc === 'Check' ? '/grpc.health.v1.Health/Check' : `/inference.GRPCInferenceService/${rpc}`;
}

export function createGrpcEndpoint(options: GrpcEndpointOptions): GrpcEndpoint {
  const { grpc, definitions } = options.loaded;
  const { settings, log } = options;
  const wrap = callWrapper({
    grpc,
    rules: options.rules,
    maxBodySize: settings.maxBodySize,
    log,
    count: (rpc, status) => options.countCall?.(methodPath(rpc), status),
  });

  const inference = definitions['inference.GRPCInferenceService'] as unknown as ServiceDefinition;
  const definition: ServiceDefinition = {
    ...inference,
    ModelInfer: { ...inference.ModelInfer!, ...passThrough },
    ModelStreamInfer: { ...inference.ModelStreamInfer!, ...passThrough },
  } as ServiceDefinition;
  const deps = {
    dataPlane: options.dataPlane,
    registry: options.registry,
    rules: options.rules,
    maxBodySize: settings.maxBodySize,
  };
  const stream = streamInfer(deps, wrap);

  const server: Server = new grpc.Server({
    // The default is 4 MiB: raise both ways to what an HTTP body may be.
    'grpc.max_receive_message_length': settings.maxBodySize,
    'grpc.max_send_message_length': settings.maxBodySize,
  });
  server.addService(definition, { ...inferenceService(deps, wrap), ModelStreamInfer: stream.handler });
  server.addService(
    definitions['grpc.health.v1.Health'] as unknown as ServiceDefinition,
    healthService(options.dataPlane, wrap),
  );

  let address: string | undefined;
  return {
    get address() {
      return address;
    },
    listen(host, port) {
      const bracketed = host.includes(':') ? `[${host}]` : host;
      return new Promise((resolve, reject) => {
        server.bindAsync(`${bracketed}:${port}`, grpc.ServerCredentials.createInsecure(), (err, bound) => {
          if (err) {
            reject(
              new Error(
                `gRPC cannot listen on ${bracketed}:${port} (--grpc-port; --no-grpc turns gRPC off): ${err.message}`,
              ),
            );
            return;
          }
          address = `${bracketed}:${bound}`;
          resolve(address);
        });
      });
    },
    async close(ms) {
      stream.streams.closeAll();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          log.warn({ openStreams: stream.streams.size }, 'gRPC calls still running at the shutdown timeout; cut');
          server.forceShutdown();
          resolve();
        }, ms);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}
