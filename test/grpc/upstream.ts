// A plain grpc-js client and codecs built from the upstream proto files (the vendored, unmodified copies), the way
// any third-party gRPC client would be: nothing of maas's own codec is involved.
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

export const PROTO_DIR = fileURLToPath(new URL('../../server/grpc/proto', import.meta.url));

/** proto-loader's options as tritonclient-like clients use them: field names as in the proto, 64-bit as strings. */
const definitions = protoLoader.loadSync(['grpc_service.proto', 'health.proto'], {
  includeDirs: [PROTO_DIR],
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
});

const loaded = grpc.loadPackageDefinition(definitions) as unknown as {
  inference: { GRPCInferenceService: grpc.ServiceClientConstructor };
  grpc: { health: { v1: { Health: grpc.ServiceClientConstructor } } };
};

/** The service's method definitions (requestSerialize, responseDeserialize, …) from proto-loader. */
export const upstreamMethods = definitions['inference.GRPCInferenceService'] as unknown as Record<
  string,
  {
    requestSerialize(value: object): Buffer;
    requestDeserialize(bytes: Buffer): Record<string, unknown>;
    responseSerialize(value: object): Buffer;
    responseDeserialize(bytes: Buffer): Record<string, unknown>;
  }
>;

export type UpstreamClient = grpc.Client & Record<string, (...args: never[]) => unknown>;

/** A client of inference.GRPCInferenceService at `address` (host:port), plaintext. */
export function inferenceClient(address: string, options: grpc.ClientOptions = {}): UpstreamClient {
  return new loaded.inference.GRPCInferenceService(
    address,
    grpc.credentials.createInsecure(),
    options,
  ) as unknown as UpstreamClient;
}

export function healthClient(address: string): UpstreamClient {
  return new loaded.grpc.health.v1.Health(address, grpc.credentials.createInsecure()) as unknown as UpstreamClient;
}

/** A unary call as a promise; rejects with the ServiceError (code, details, metadata). */
export function unary<T = Record<string, unknown>>(
  client: UpstreamClient,
  method: string,
  request: object,
  metadata: grpc.Metadata = new grpc.Metadata(),
  options: grpc.CallOptions = {},
): Promise<T> {
  return new Promise((resolve, reject) => {
    (client[method] as unknown as (...a: unknown[]) => void)(
      request,
      metadata,
      options,
      (err: grpc.ServiceError | null, response: T) => (err ? reject(err) : resolve(response)),
    );
  });
}

export { grpc };
