/**
 * `maas` — the MaaS SDK. Runs wherever fetch runs; in Node it uses undici with keep-alive.
 *
 * @example
 * ```ts
 * import { MaasClient, NotFoundError } from 'maas';
 *
 * const client = new MaasClient();
 * const { outputs } = await client.models.infer('iris', { inputs: { x: { data: new Float32Array(4), shape: [1, 4] } } });
 * ```
 * @packageDocumentation
 */

export { APIPromise, type ResponseInfo, type WithResponse } from './api-promise.js';
export { type ClientOptions, MaasClient } from './client.js';
export type { Logger, RequestOptions } from './core.js';
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
} from './errors.js';
export { type InferInput, type InferParams, InferResult, type NestedArray, type TypedArray } from './infer.js';
export { Page, PagePromise } from './pagination.js';
export type { Datatype, Tensor, TensorData as TensorValues } from './protocol/tensor.js';
export type { DatasetBody, DatasetCreateParams, DatasetsResource } from './resources/datasets.js';
export type {
  ColumnarPredictParams,
  ModelBytes,
  ModelsResource,
  ModelUploadParams,
  RowPredictParams,
  VersionParams,
} from './resources/models.js';
export type { RepositoryResource } from './resources/repository.js';
export type { ServerResource } from './resources/server.js';
export type { TrainingJobsResource, WaitOptions } from './resources/training-jobs.js';
export type { BackoffPolicy } from './retry.js';
export { isTerminalStatus, type StreamOptions, TrainingJobEventStream } from './sse.js';
export type { FetchLike } from './transport.js';
export type * from './types.js';
export { VERSION } from './version.js';
