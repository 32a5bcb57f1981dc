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
// biome-ignore-all assist/source/organizeImports: grouped by topic so the public surface reads top to bottom

// This file is the whole public surface. What it does not export (src/internal/, the protocol codecs, how the
// resources build their requests) may change in any release.

// The client, its options, and the promise every call returns.
export { MaasClient } from './client.js';
export type { BackoffPolicy, ClientOptions, FetchLike, Logger, RequestOptions } from './options.js';
export { APIPromise, type ResponseInfo, type WithResponse } from './api-promise.js';
export { VERSION } from './version.js';

// Errors. MaasError is the base; APIError means the server answered (one subclass per status); the others mean no
// answer (connection, timeout, abort), an unreadable body, or arguments rejected before anything was sent.
export {
  MaasError,
  APIError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  PayloadTooLargeError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  ServiceUnavailableError,
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  InvalidResponseError,
  InvalidInputError,
} from './errors.js';

// The resource namespaces (`client.models`, `client.datasets`, …) and their parameters.
export type {
  ModelsResource,
  ModelBytes,
  ModelUploadParams,
  VersionParams,
  RoutingParams,
  RowPredictParams,
  ColumnarPredictParams,
} from './resources/models.js';
export type { DatasetsResource, DatasetBody, DatasetCreateParams } from './resources/datasets.js';
export type { TrainingJobsResource, WaitOptions } from './resources/training-jobs.js';
export type { RepositoryResource } from './resources/repository.js';
export type { ServerResource } from './resources/server.js';

// Inference: what goes in (typed or nested arrays), the tensors, and the decoded result.
export { type InferInput, type InferParams, InferResult, type NestedArray, type TypedArray } from './infer.js';
export type { Datatype, Tensor, TensorData as TensorValues } from './protocol/tensor.js';

// Lists (cursor pages) and training-job event streams.
export { Page, PagePromise } from './pagination.js';
export { isTerminalStatus, type StreamOptions, TrainingJobEventStream } from './sse.js';

// The contract's wire types by name (Model, Dataset, TrainingJob, …), generated from openapi.yaml.
export type * from './types.js';
