/**
 * `maas/msw`: msw handlers for every operation of openapi.yaml, backed by an in-memory state, so apps can test
 * against the contract without a server. msw is an optional peer dependency: only this entry imports it.
 *
 * ```ts
 * import { setupServer } from 'msw/node';
 * import { createMaasHandlers } from 'maas/msw';
 * const { handlers, state } = createMaasHandlers();
 * const server = setupServer(...handlers);
 * ```
 */
import type { HttpHandler } from 'msw';
import { ProtocolError } from '../protocol/errors.js';
import { parseJsonLossless } from '../protocol/json-text.js';
import type { ResolvedOptions } from './context.js';
import { MockError } from './errors.js';
import { datasetsRoutes } from './handlers/datasets.js';
import { inferenceRoutes } from './handlers/inference.js';
import { metricsRoutes } from './handlers/metrics.js';
import { modelsRoutes } from './handlers/models.js';
import { repositoryRoutes } from './handlers/repository.js';
import { serverRoutes } from './handlers/server.js';
import { specRoutes } from './handlers/spec.js';
import { trainingJobsRoutes } from './handlers/training-jobs.js';
import { buildHandlers, type RouteDef } from './router.js';
import type { MockModelSeed } from './seed-models.js';
import { type ClockOptions, MaasMockState, type MockDatasetSeed } from './state.js';

export type { Tensor } from '../protocol/tensor.js';
export { epochMetrics } from './fake-metrics.js';
export { runFakeModel } from './fake-model.js';
export type { MockInferFunction, MockModelSeed, MockModelVersionSeed } from './seed-models.js';
export { DEFAULT_MODELS } from './seed-models.js';
export type { ClockOptions, MockDatasetSeed } from './state.js';
export { MaasMockState } from './state.js';

export interface MaasHandlersOptions {
  /** Where the mock answers. Default `http://127.0.0.1:8000` (`maas serve`'s default). */
  baseUrl?: string;
  /** When set, every route but health, `/v2` and `/openapi.yaml` needs `Authorization: Bearer <one of these>`. */
  apiKeys?: readonly string[];
  /** Initial (and `reset()`) content. `models` replaces DEFAULT_MODELS (spread it to keep them). */
  seed?: { models?: readonly MockModelSeed[]; datasets?: readonly MockDatasetSeed[] };
  /** How time drives training jobs (default `{ speed: 1, epochMs: 20 }`); `false`: only `state.advance()` does. */
  clock?: ClockOptions | false;
  /** Request body limit, as `--max-body-size` (default 64 MiB). */
  maxBodyBytes?: number;
  /** Dataset upload limit, as `--max-dataset-size` (default 100 MiB). */
  maxDatasetBytes?: number;
  /** SSE `: heartbeat` interval while a stream is idle (default 15000 ms). */
  heartbeatMs?: number;
  /** `version` of `GET /v2` (default: this package's version). */
  serverVersion?: string;
  /** Text served at `GET /openapi.yaml`. Default: the package's openapi.yaml, read from disk (Node only). */
  openapiSpec?: string;
}

export interface MaasHandlers {
  /** One handler per operation of openapi.yaml, then a catch-all answering 404/405 like the server. */
  handlers: HttpHandler[];
  state: MaasMockState;
}

/** The operations the handlers answer, in registration order (each an operationId of openapi.yaml). */
export const MOCK_ROUTES: readonly RouteDef[] = [
  ...serverRoutes,
  ...inferenceRoutes,
  ...repositoryRoutes,
  ...modelsRoutes,
  ...datasetsRoutes,
  ...trainingJobsRoutes,
  ...specRoutes,
  ...metricsRoutes,
];

export const PACKAGE_VERSION = '0.1.0';

export function createMaasHandlers(options: MaasHandlersOptions = {}): MaasHandlers {
  const resolved: ResolvedOptions = {
    baseUrl: (options.baseUrl ?? 'http://127.0.0.1:8000').replace(/\/+$/, ''),
    apiKeys: [...(options.apiKeys ?? [])],
    maxBodyBytes: options.maxBodyBytes ?? 64 * 1024 * 1024,
    maxDatasetBytes: options.maxDatasetBytes ?? 100 * 1024 * 1024,
    heartbeatMs: options.heartbeatMs ?? 15_000,
    serverVersion: options.serverVersion ?? PACKAGE_VERSION,
    openapiSpec: options.openapiSpec,
  };
  const stateOptions: ConstructorParameters<typeof MaasMockState>[0] = {};
  if (options.seed) stateOptions.seed = options.seed;
  if (options.clock !== undefined) stateOptions.clock = options.clock;
  const state = new MaasMockState(stateOptions);
  const handlers = buildHandlers(MOCK_ROUTES, {
    state,
    options: resolved,
    parseJson: (text) => {
      try {
        return parseJsonLossless(text, 'body');
      } catch (error) {
        // As the server's body parser: the codec's own error (`body: expected valid JSON, got: …`).
        if (error instanceof ProtocolError) throw new MockError(400, error.code, error.message);
        throw error;
      }
    },
  });
  return { handlers, state };
}
