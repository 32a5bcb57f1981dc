/**
 * `maas/grpc` — the SDK's gRPC transport for inference, in Node (needs the optional peer `@grpc/grpc-js`).
 * Browsers keep REST (`maas`). The error classes are re-exported so CommonJS callers can test `instanceof` on the
 * same classes this entry throws.
 *
 * @example
 * ```ts
 * import { MaasGrpcClient, NotFoundError } from 'maas/grpc';
 *
 * const client = new MaasGrpcClient({ address: '127.0.0.1:8001' });
 * try {
 *   const result = await client.models.infer('iris', { inputs: { x: { data: new Float32Array(4), shape: [1, 4] } } });
 * } catch (e) {
 *   if (e instanceof NotFoundError) console.log(e.message);
 * }
 * ```
 * @packageDocumentation
 */

export {
  APIConnectionError,
  APIError,
  APITimeoutError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  InvalidInputError,
  InvalidResponseError,
  MaasError,
  NotFoundError,
  PayloadTooLargeError,
  PermissionDeniedError,
  RateLimitError,
  ServiceUnavailableError,
  UnprocessableEntityError,
} from '../errors.js';
export { type InferInput, type InferParams, InferResult } from '../infer.js';
export type { BackoffPolicy, Logger, RequestOptions } from '../options.js';
export { type GrpcClientOptions, type GrpcModels, MaasGrpcClient } from './client.js';
