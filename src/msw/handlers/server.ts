import { json, type RequestContext } from '../context.js';
import { MockError } from '../errors.js';
import { sortedVersions } from '../model-store.js';
import { modelParam, versionOrLabelParam, versionParam } from '../params.js';
import type { RouteDef } from '../router.js';
import type {
  HealthResponse,
  ModelConfig,
  ModelMetadataResponse,
  ModelReadyResponse,
  ServerMetadataResponse,
} from '../types.js';

const EXTENSIONS = [
  'binary_tensor_data',
  'model_repository',
  'model_configuration',
  'statistics',
  'tf_serving_predict',
];

/** Triton's model-configuration extension as the server fills it in: a model without config.json. */
function config(ctx: RequestContext, withVersion: boolean): Response {
  const name = modelParam(ctx);
  const model = ctx.state.models.require(name);
  const serving = ctx.state.models.serving(name, withVersion ? versionOrLabelParam(ctx, name) : undefined);
  const policy = model.policy;
  // With a batch dimension in max_batch_size, Triton's dims leave it out.
  const batched = model.maxBatchSize > 0;
  const tensors = (specs: typeof serving.inputs) =>
    specs.map((t) => ({
      name: t.name,
      data_type: t.datatype === 'BYTES' ? 'TYPE_STRING' : `TYPE_${t.datatype}`,
      dims: batched ? t.shape.slice(1) : [...t.shape],
    }));
  const body: ModelConfig = {
    name,
    platform: 'onnxruntime_onnx',
    backend: 'onnxruntime',
    description: model.description,
    version_policy:
      policy === 'all'
        ? { all: {} }
        : 'specific' in policy
          ? { specific: { versions: [...policy.specific] } }
          : { latest: { num_versions: policy.latest } },
    max_batch_size: model.maxBatchSize,
    input: tensors(serving.inputs),
    output: tensors(serving.outputs),
    ...(model.dynamicBatching
      ? {
          dynamic_batching: {
            preferred_batch_size: [],
            max_queue_delay_microseconds: 0,
            default_queue_policy: { max_queue_size: 0 },
          },
        }
      : {}),
    instance_group: [{ name, kind: 'KIND_CPU', count: 1 }],
    parameters: {},
    model_warmup: [],
  };
  return json(body);
}

/** Triton's statistics extension: every version that is READY or has served requests. */
function stats(ctx: RequestContext, scope: 'all' | 'model' | 'version'): Response {
  const models = ctx.state.models;
  const names = scope === 'all' ? models.names() : [models.require(modelParam(ctx)).name];
  const only = scope === 'version' ? versionParam(ctx) : undefined;
  if (only !== undefined) models.requireVersion(names[0]!, only);
  const model_stats = names.flatMap((name) => {
    const record = models.require(name);
    const versions = new Set([
      ...record.stats.keys(),
      ...sortedVersions(record)
        .filter((v) => v.state === 'READY')
        .map((v) => v.version),
    ]);
    return [...versions]
      .filter((v) => only === undefined || v === only)
      .sort((a, b) => Number(a) - Number(b))
      .map((v) => models.statistics(name, v).snapshot());
  });
  return json({ model_stats });
}

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
  // Before /v2/models/:model: a static path wins, as on the server.
  { operationId: 'getAllModelStats', method: 'GET', path: '/v2/models/stats', handle: (ctx) => stats(ctx, 'all') },
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
  {
    operationId: 'getModelConfig',
    method: 'GET',
    path: '/v2/models/:model/config',
    handle: (ctx) => config(ctx, false),
  },
  {
    operationId: 'getModelVersionConfig',
    method: 'GET',
    path: '/v2/models/:model/versions/:version/config',
    handle: (ctx) => config(ctx, true),
  },
  {
    operationId: 'getModelStats',
    method: 'GET',
    path: '/v2/models/:model/stats',
    handle: (ctx) => stats(ctx, 'model'),
  },
  {
    operationId: 'getModelVersionStats',
    method: 'GET',
    path: '/v2/models/:model/versions/:version/stats',
    handle: (ctx) => stats(ctx, 'version'),
  },
];
