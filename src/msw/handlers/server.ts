import { json, type RequestContext } from '../context.js';
import { MockError } from '../errors.js';
import { sortedVersions } from '../model-store.js';
import { modelParam, versionOrLabelParam } from '../params.js';
import type { RouteDef } from '../router.js';
import type { HealthResponse, ModelMetadataResponse, ModelReadyResponse, ServerMetadataResponse } from '../types.js';

const EXTENSIONS = ['binary_tensor_data', 'model_repository', 'tf_serving_predict'];

function metadata(ctx: RequestContext, withVersion: boolean): Response {
  const name = modelParam(ctx);
  const version = withVersion ? versionOrLabelParam(ctx, ctx.state.models.require(name).name) : undefined;
  const serving = ctx.state.models.serving(name, version);
  const body: ModelMetadataResponse = {
    name,
    versions: sortedVersions(ctx.state.models.require(name))
      .filter((v) => v.state === 'READY')
      .map((v) => v.version),
    platform: ctx.state.models.require(name).platform,
    inputs: structuredClone(serving.inputs),
    outputs: structuredClone(serving.outputs),
  };
  return json(body);
}

function ready(ctx: RequestContext, withVersion: boolean): Response {
  const name = modelParam(ctx);
  const serving = ctx.state.models.serving(
    name,
    withVersion ? versionOrLabelParam(ctx, ctx.state.models.require(name).name) : undefined,
  );
  const body: ModelReadyResponse = { name, version: serving.version, ready: true };
  return json(body);
}

export const serverRoutes: RouteDef[] = [
  {
    operationId: 'getServerMetadata',
    method: 'GET',
    path: '/v2',
    open: true,
    handle: (ctx) => {
      const body: ServerMetadataResponse = { name: 'maas', version: ctx.options.serverVersion, extensions: EXTENSIONS };
      return json(body);
    },
  },
  {
    operationId: 'getServerLive',
    method: 'GET',
    path: '/v2/health/live',
    open: true,
    handle: () => json({ live: true } satisfies HealthResponse),
  },
  {
    operationId: 'getServerReady',
    method: 'GET',
    path: '/v2/health/ready',
    open: true,
    handle: (ctx) => {
      if (!ctx.state.isReady()) throw new MockError(503, 'unavailable', 'The server is not ready: it is shutting down');
      return json({ ready: true } satisfies HealthResponse);
    },
  },
  { operationId: 'getModelMetadata', method: 'GET', path: '/v2/models/:model', handle: (ctx) => metadata(ctx, false) },
  {
    operationId: 'getModelVersionMetadata',
    method: 'GET',
    path: '/v2/models/:model/versions/:version',
    handle: (ctx) => metadata(ctx, true),
  },
  { operationId: 'getModelReady', method: 'GET', path: '/v2/models/:model/ready', handle: (ctx) => ready(ctx, false) },
  {
    operationId: 'getModelVersionReady',
    method: 'GET',
    path: '/v2/models/:model/versions/:version/ready',
    handle: (ctx) => ready(ctx, true),
  },
];
