import { json, NOT_JSON, type RequestContext } from '../context.js';
import { badRequest, unprocessable, unsupportedMediaType } from '../errors.js';
import { isoTime } from '../ids.js';
import { toModel, toModelVersion } from '../model-store.js';
import { OnnxFormatError, readOnnxSignature } from '../onnx-signature.js';
import { page } from '../pagination.js';
import { modelParam, pageParams, stringQuery, versionParam } from '../params.js';
import type { RouteDef } from '../router.js';
import type { ModelList, ModelVersionDeleted } from '../types.js';

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
