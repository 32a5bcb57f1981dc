import { INFERENCE_HEADER_CONTENT_LENGTH } from '../../protocol/binary-tensor.js';
import { ProtocolError } from '../../protocol/errors.js';
import { checkInputs, checkOutputNames } from '../../protocol/input-signature.js';
import { stringifyJson } from '../../protocol/json-text.js';
import { decodeInferRequest, encodeInferResponse } from '../../protocol/oip-request.js';
import type { Tensor } from '../../protocol/tensor.js';
import { decodePredictRequest, encodePredictResponse } from '../../protocol/tf-serving.js';
import { NOT_JSON, type RequestContext } from '../context.js';
import { badRequest, MockError, modelNotReady, unsupportedMediaType } from '../errors.js';
import { runFakeModel } from '../fake-model.js';
import type { VersionRecord } from '../model-store.js';
import { modelParam, versionOrLabelParam } from '../params.js';
import type { RouteDef } from '../router.js';

/** Codec errors become a 400 with the codec's code, as the server's error handler maps them. */
async function protocol<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    throw new MockError(400, error.code, error.message);
  }
}

/** The data plane's infer: readiness, the serving version, the signature checks, then the model. */
function run(ctx: RequestContext, name: string, version: string | undefined, inputs: Tensor[], outputNames?: string[]) {
  if (!ctx.state.isReady()) throw modelNotReady(name, version, 'UNLOADING', 'the server is shutting down');
  const serving: VersionRecord = ctx.state.models.serving(name, version);
  const ordered = checkInputs(name, serving.inputs, inputs);
  const names = outputNames === undefined ? undefined : checkOutputNames(name, serving.outputs, outputNames);
  const outputs = serving.infer ? runCustom(name, serving, ordered, names) : runFakeModel(serving, ordered, names);
  return { modelName: name, modelVersion: serving.version, outputs };
}

/** A seed's own infer function; what it throws is a run failure, which the server reports as a 400. */
function runCustom(name: string, serving: VersionRecord, inputs: Tensor[], names: string[] | undefined): Tensor[] {
  let outputs: Tensor[];
  try {
    outputs = (serving.infer as NonNullable<VersionRecord['infer']>)(inputs);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw badRequest(
      'invalid_input',
      `Model '${name}' version ${serving.version} could not run on these inputs: ${message}`,
    );
  }
  return pick(outputs, names);
}

function pick(outputs: Tensor[], names: string[] | undefined): Tensor[] {
  if (names === undefined) return outputs;
  return names.map((n) => {
    const found = outputs.find((t) => t.name === n);
    if (!found) throw new Error(`maas/msw: the model's infer function returned no output '${n}'`);
    return found;
  });
}

async function infer(ctx: RequestContext, withVersion: boolean): Promise<Response> {
  const name = modelParam(ctx);
  const version = withVersion ? versionOrLabelParam(ctx, ctx.state.models.require(name).name) : undefined;
  const media = ctx.mediaType();
  if (ctx.body === NOT_JSON && media !== 'application/octet-stream') {
    throw unsupportedMediaType(ctx.header('content-type') ?? null, ['application/json', 'application/octet-stream']);
  }
  const body = ctx.body === NOT_JSON ? await ctx.bytes() : ctx.body;
  const decoded = await protocol(() => decodeInferRequest(body, ctx.header(INFERENCE_HEADER_CONTENT_LENGTH)));
  const result = run(
    ctx,
    name,
    version,
    decoded.inputs,
    decoded.outputs?.map((o) => o.name),
  );
  const encoded = await protocol(() => encodeInferResponse(decoded, result));
  const headers: Record<string, string> = { 'content-type': encoded.contentType };
  if (encoded.headerLength !== undefined) headers[INFERENCE_HEADER_CONTENT_LENGTH] = String(encoded.headerLength);
  return new Response(encoded.body as string | Uint8Array<ArrayBuffer>, { headers });
}

async function predict(ctx: RequestContext, withVersion: boolean): Promise<Response> {
  const name = modelParam(ctx);
  const requested = withVersion ? versionOrLabelParam(ctx, ctx.state.models.require(name).name) : undefined;
  if (ctx.body === NOT_JSON) throw unsupportedMediaType(ctx.header('content-type') ?? null, ['application/json']);
  if (ctx.body === undefined) {
    throw badRequest('invalid_json', 'Request body is empty; expected {"instances": [...]} or {"inputs": ...}');
  }
  // Row-format decoding needs the model's inputs; the same version then runs the request.
  const serving = ctx.state.models.serving(name, requested);
  const decoded = await protocol(() => decodePredictRequest(ctx.body, serving.inputs));
  const result = run(ctx, name, serving.version, decoded.tensors);
  const body = await protocol(() => encodePredictResponse(decoded.format, result.outputs));
  return new Response(stringifyJson(body), { headers: { 'content-type': 'application/json; charset=utf-8' } });
}

export const inferenceRoutes: RouteDef[] = [
  { operationId: 'modelInfer', method: 'POST', path: '/v2/models/:model/infer', handle: (ctx) => infer(ctx, false) },
  {
    operationId: 'modelVersionInfer',
    method: 'POST',
    path: '/v2/models/:model/versions/:version/infer',
    handle: (ctx) => infer(ctx, true),
  },
  {
    operationId: 'modelPredict',
    method: 'POST',
    path: '/v1/models/:model\\:predict',
    handle: (ctx) => predict(ctx, false),
  },
  {
    operationId: 'modelVersionPredict',
    method: 'POST',
    path: '/v1/models/:model/versions/:version\\:predict',
    handle: (ctx) => predict(ctx, true),
  },
];
