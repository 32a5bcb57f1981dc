import { checkModelUpdate } from '../../protocol/model-update.js';
import { ShadowTally } from '../../protocol/shadow-report.js';
import { json, NOT_JSON, type RequestContext } from '../context.js';
import { badRequest, unprocessable, unsupportedMediaType } from '../errors.js';
import { isoTime } from '../ids.js';
import { toModel, toModelVersion } from '../model-store.js';
import { OnnxFormatError, readOnnxSignature } from '../onnx-signature.js';
import { page } from '../pagination.js';
import { integerQuery, modelParam, pageParams, stringQuery, versionParam } from '../params.js';
import type { RouteDef } from '../router.js';
import { shadowTally } from '../routing.js';
import type { ModelEventList, ModelList, ModelVersionDeleted } from '../types.js';

async function upload(ctx: RequestContext): Promise<Response> {
  const name = modelParam(ctx);
  const description = stringQuery(ctx, 'description', 1000);
  const key = ctx.idempotencyKey();
  if (ctx.body !== NOT_JSON || ctx.mediaType() !== 'application/octet-stream') {
    if (ctx.body === undefined && ctx.header('content-type') === undefined) {
      throw badRequest('invalid_input', 'body: expected the ONNX model file as application/octet-stream, got no body');
    }
    throw unsupportedMediaType(ctx.header('content-type') ?? null, ['application/octet-stream']);
  }
  const bytes = await ctx.bytes();
  if (bytes.length === 0) throw badRequest('invalid_input', 'body: expected the ONNX model file, got 0 bytes');
  return ctx.state.idempotency.run('uploadModelVersion', key, [name, description ?? '', bytes], () => {
    let signature: ReturnType<typeof readOnnxSignature>;
    try {
      signature = readOnnxSignature(bytes);
    } catch (error) {
      if (!(error instanceof OnnxFormatError)) throw error;
      throw unprocessable('model_invalid', `The body is not a model ONNX Runtime can load: ${error.message}`);
    }
    const models = ctx.state.models;
    const version = models.nextVersion(name);
    models.addVersion(
      name,
      {
        version,
        state: 'READY',
        reason: '',
        size_bytes: bytes.length,
        created_at: isoTime(Date.now()),
        inputs: signature.inputs,
        outputs: signature.outputs,
        source: 'upload',
        training_job: null,
      },
      description,
    );
    return { status: 201, body: toModelVersion(name, models.requireVersion(name, version)) };
  });
}

export const modelsRoutes: RouteDef[] = [
  {
    operationId: 'listModels',
    method: 'GET',
    path: '/v1/models',
    handle: (ctx) => {
      const { limit, after } = pageParams(ctx);
      const models = ctx.state.models;
      const names = models.names().filter((name) => after === undefined || name > after);
      const body: ModelList = page(
        names,
        limit,
        (name) => name,
        (name) => toModel(models.require(name)),
      );
      return json(body);
    },
  },
  {
    operationId: 'retrieveModel',
    method: 'GET',
    path: '/v1/models/:model',
    handle: (ctx) => json(toModel(ctx.state.models.require(modelParam(ctx)))),
  },
  {
    operationId: 'updateModel',
    method: 'PATCH',
    path: '/v1/models/:model',
    handle: (ctx) => {
      const name = modelParam(ctx);
      ctx.state.models.require(name);
      if (ctx.body === NOT_JSON) throw unsupportedMediaType(ctx.header('content-type') ?? null, ['application/json']);
      return json(toModel(ctx.state.models.update(name, checkModelUpdate(ctx.body))));
    },
  },
  {
    operationId: 'listModelEvents',
    method: 'GET',
    path: '/v1/models/:model/events',
    handle: (ctx) => {
      const model = ctx.state.models.require(modelParam(ctx));
      const after = integerQuery(ctx, 'after', 0, Number.MAX_SAFE_INTEGER) ?? 0;
      const limit = integerQuery(ctx, 'limit', 1, 1000) ?? 100;
      const rows = model.routing.events.filter((e) => e.id > after);
      const data = rows.slice(0, limit);
      const last = data[data.length - 1];
      const body: ModelEventList = {
        object: 'list',
        data,
        has_more: rows.length > limit,
        next_cursor: last ? String(last.id) : null,
      };
      return json(body);
    },
  },
  {
    operationId: 'getModelShadow',
    method: 'GET',
    path: '/v1/models/:model/shadow',
    handle: (ctx) => {
      const name = modelParam(ctx);
      const routing = ctx.state.models.require(name).routing;
      return json((shadowTally(routing) ?? new ShadowTally()).report(name, routing.shadow));
    },
  },
  { operationId: 'uploadModelVersion', method: 'POST', path: '/v1/models/:model/versions', handle: upload },
  {
    operationId: 'retrieveModelVersion',
    method: 'GET',
    path: '/v1/models/:model/versions/:version',
    handle: (ctx) => {
      const name = modelParam(ctx);
      return json(toModelVersion(name, ctx.state.models.requireVersion(name, versionParam(ctx))));
    },
  },
  {
    operationId: 'deleteModelVersion',
    method: 'DELETE',
    path: '/v1/models/:model/versions/:version',
    handle: (ctx) => {
      const name = modelParam(ctx);
      const version = versionParam(ctx);
      ctx.state.models.deleteVersion(name, version);
      const body: ModelVersionDeleted = { object: 'model.version.deleted', model: name, version, deleted: true };
      return json(body);
    },
  },
];
