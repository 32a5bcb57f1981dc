import { INFERENCE_HEADER_CONTENT_LENGTH } from '../../protocol/binary-tensor.js';
import { compareOutputs } from '../../protocol/compare-outputs.js';
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
import { labelParam, modelParam, versionOrLabelParam } from '../params.js';
import type { RouteDef } from '../router.js';
import { shadowTally } from '../routing.js';

/** Codec errors become a 400 with the codec's code, as the server's error handler maps them. */
async function protocol<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    throw new MockError(400, error.code, error.message);
  }
}

/** Which version answers: the one named (number or label), else the model's routing (split, pin, highest READY). */
function choose(ctx: RequestContext, name: string, version: string | undefined): Chosen {
  if (!ctx.state.isReady()) throw modelNotReady(name, version, 'UNLOADING', 'the server is shutting down');
  return ctx.state.models.route(name, version, ctx.header('x-routing-key') || undefined);
}

interface Chosen {
  record: VersionRecord;
  /** Chosen by routing, not named: may be mirrored to the shadow version. */
  routed: boolean;
}

/** The data plane's infer: the signature checks, then the model; counted in the version's statistics. */
function run(ctx: RequestContext, name: string, chosen: Chosen, inputs: Tensor[], outputNames?: string[]) {
  const serving = chosen.record;
  const stats = ctx.state.models.statistics(name, serving.version);
  const started = performance.now();
  try {
    const outputs = execute(name, serving, inputs, outputNames);
    const ns = Math.round((performance.now() - started) * 1e6);
    stats.succeeded(ns, inputs[0]?.shape[0] ?? 1, { ...UNBATCHED, computeInferNs: ns });
    if (chosen.routed) mirror(ctx, name, inputs, outputNames, outputs, ns / 1e6);
    return { modelName: name, modelVersion: serving.version, outputs };
  } catch (error) {
    stats.failed(Math.round((performance.now() - started) * 1e6));
    throw error;
  }
}

const UNBATCHED = { queueNs: 0, computeInputNs: 0, computeOutputNs: 0, batchSize: 1, countsExecution: true };

function execute(name: string, serving: VersionRecord, inputs: Tensor[], outputNames: string[] | undefined): Tensor[] {
  const ordered = checkInputs(name, serving.inputs, inputs);
  const names = outputNames === undefined ? undefined : checkOutputNames(name, serving.outputs, outputNames);
  return serving.infer ? runCustom(name, serving, ordered, names) : runFakeModel(serving, ordered, names);
}

/** Shadow traffic, as the server's: a fraction of routed requests also runs on the shadow version and is compared. */
function mirror(
  ctx: RequestContext,
  name: string,
  inputs: Tensor[],
  outputNames: string[] | undefined,
  primary: Tensor[],
  primaryMs: number,
) {
  const model = ctx.state.models.require(name);
  const shadow = model.routing.shadow;
  const tally = shadowTally(model.routing);
  if (!shadow || !tally || Math.random() >= shadow.fraction) return;
  const record = model.versions.get(shadow.version);
  if (record?.state !== 'READY') {
    tally.failed++;
    return;
  }
  const started = performance.now();
  try {
    const outputs = execute(name, record, inputs, outputNames);
    tally.record(primaryMs, performance.now() - started, compareOutputs(primary, outputs));
  } catch {
    tally.failed++;
  }
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
  if (ctx.body === NOT_JSON && media !== 'application/octet-stream' && media !== undefined) {
    throw unsupportedMediaType(ctx.header('content-type') ?? null, ['application/json', 'application/octet-stream']);
  }
  const body = ctx.body === NOT_JSON ? await ctx.bytes() : ctx.body;
  const decoded = await protocol(() => decodeInferRequest(body, ctx.header(INFERENCE_HEADER_CONTENT_LENGTH)));
  const result = run(
    ctx,
    name,
    choose(ctx, name, version),
    decoded.inputs,
    decoded.outputs?.map((o) => o.name),
  );
  const encoded = await protocol(() => encodeInferResponse(decoded, result));
  const headers: Record<string, string> = { 'content-type': encoded.contentType };
  if (encoded.headerLength !== undefined) headers[INFERENCE_HEADER_CONTENT_LENGTH] = String(encoded.headerLength);
  return new Response(encoded.body as string | Uint8Array<ArrayBuffer>, { headers });
}

async function predict(ctx: RequestContext, withVersion: boolean | 'label'): Promise<Response> {
  const name = modelParam(ctx);
  const requested =
    withVersion === 'label'
      ? labelParam(ctx, ctx.state.models.require(name).name)
      : withVersion
        ? versionOrLabelParam(ctx, ctx.state.models.require(name).name)
        : undefined;
  if (ctx.body === NOT_JSON) throw unsupportedMediaType(ctx.header('content-type') ?? null, ['application/json']);
  if (ctx.body === undefined) {
    throw badRequest('invalid_json', 'Request body is empty; expected {"instances": [...]} or {"inputs": ...}');
  }
  // Row-format decoding needs the model's inputs; the same version then runs the request.
  const chosen = choose(ctx, name, requested);
  const decoded = await protocol(() => decodePredictRequest(ctx.body, chosen.record.inputs));
  const result = run(ctx, name, chosen, decoded.tensors);
  const body = await protocol(() => encodePredictResponse(decoded.format, result.outputs));
  return new Response(stringifyJson(body), {
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-model-version': result.modelVersion },
  });
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
  {
    operationId: 'modelLabelPredict',
    method: 'POST',
    path: '/v1/models/:model/labels/:label\\:predict',
    handle: (ctx) => predict(ctx, 'label'),
  },
];
