import {
  decodeBinaryBody,
  encodeBinaryBody,
  INFERENCE_HEADER_CONTENT_LENGTH,
  parseHeaderLength,
} from '../../protocol/binary-tensor.js';
import { ProtocolError } from '../../protocol/errors.js';
import { decodeJsonTensor, encodeJsonTensor } from '../../protocol/json-tensor.js';
import { stringifyJson } from '../../protocol/json-text.js';
import type { Tensor } from '../../protocol/tensor.js';
import { describeValue } from '../../protocol/tensor.js';
import { decodePredictRequest, encodePredictResponse } from '../../protocol/tf-serving.js';
import { NOT_JSON, type RequestContext } from '../context.js';
import { badRequest, MockError, modelNotReady, unsupportedMediaType } from '../errors.js';
import { runFakeModel } from '../fake-model.js';
import type { VersionRecord } from '../model-store.js';
import { modelParam, versionParam } from '../params.js';
import type { RouteDef } from '../router.js';
import { checkInputs, checkOutputNames } from '../signature-check.js';

/** Codec errors become the server's 400 with the codec's code (413 for payload_too_large). */
function protocol<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    throw new MockError(error.code === 'payload_too_large' ? 413 : 400, error.code, error.message);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

interface RequestedOutput {
  name: string;
  binary: boolean;
}

interface DecodedInfer {
  id: string | undefined;
  inputs: Tensor[];
  outputs: RequestedOutput[] | undefined;
  binaryByDefault: boolean;
}

async function decodeInferBody(ctx: RequestContext): Promise<DecodedInfer> {
  let header: Record<string, unknown>;
  let inputs: Tensor[];
  if (ctx.mediaType() === 'application/octet-stream') {
    const bytes = await ctx.bytes();
    const decoded = protocol(() =>
      decodeBinaryBody(bytes, parseHeaderLength(ctx.header(INFERENCE_HEADER_CONTENT_LENGTH)), { section: 'inputs' }),
    );
    header = decoded.header;
    inputs = decoded.tensors;
    checkInputsArray(header.inputs);
  } else if (ctx.body === NOT_JSON) {
    throw unsupportedMediaType(ctx.header('content-type') ?? null, ['application/json', 'application/octet-stream']);
  } else {
    if (!isObject(ctx.body)) {
      throw badRequest(
        'invalid_input',
        `body: expected an inference request {inputs, outputs?, id?, parameters?}, got ${describeValue(ctx.body)}`,
      );
    }
    header = ctx.body;
    const entries = checkInputsArray(header.inputs);
    inputs = protocol(() => entries.map((entry, i) => decodeJsonTensor(entry, `inputs[${i}]`)));
  }
  const { id, parameters } = header;
  if (id !== undefined && typeof id !== 'string')
    throw badRequest('invalid_input', `id: expected a string, got ${describeValue(id)}`);
  if (parameters !== undefined && !isObject(parameters)) {
    throw badRequest('invalid_input', `parameters: expected an object, got ${describeValue(parameters)}`);
  }
  return {
    id,
    inputs,
    outputs: requestedOutputs(header.outputs),
    binaryByDefault: parameters?.binary_data_output === true,
  };
}

function checkInputsArray(inputs: unknown): unknown[] {
  if (!Array.isArray(inputs) || inputs.length === 0) {
    throw badRequest('invalid_input', `inputs: expected a non-empty array of tensors, got ${describeValue(inputs)}`);
  }
  return inputs;
}

function requestedOutputs(outputs: unknown): RequestedOutput[] | undefined {
  if (outputs === undefined) return undefined;
  if (!Array.isArray(outputs)) {
    throw badRequest(
      'invalid_input',
      `outputs: expected an array of {name, parameters?}, got ${describeValue(outputs)}`,
    );
  }
  return outputs.map((entry, i) => {
    if (!isObject(entry) || typeof entry.name !== 'string') {
      throw badRequest('invalid_input', `outputs[${i}]: expected {name, parameters?}, got ${describeValue(entry)}`);
    }
    const parameters = entry.parameters;
    if (parameters !== undefined && !isObject(parameters)) {
      throw badRequest(
        'invalid_input',
        `outputs[${i}].parameters: expected an object, got ${describeValue(parameters)}`,
      );
    }
    return { name: entry.name, binary: parameters?.binary_data === true };
  });
}

/** The version that serves, refusing like the server does while it is not ready. */
function servingVersion(ctx: RequestContext, name: string, version: string | undefined): VersionRecord {
  if (!ctx.state.isReady()) throw modelNotReady(name, version, 'UNLOADING', 'the server is shutting down');
  return ctx.state.models.serving(name, version);
}

async function infer(ctx: RequestContext, withVersion: boolean): Promise<Response> {
  const name = modelParam(ctx);
  const version = withVersion ? versionParam(ctx) : undefined;
  const request = await decodeInferBody(ctx);
  const serving = servingVersion(ctx, name, version);
  const ordered = checkInputs(name, serving.inputs, request.inputs);
  const names = request.outputs
    ? checkOutputNames(
        name,
        serving.outputs,
        request.outputs.map((o) => o.name),
      )
    : undefined;
  const outputs = runFakeModel(serving, ordered, names);
  const binary = new Set(
    outputs
      .filter((t) => {
        const asked = request.outputs?.find((o) => o.name === t.name);
        return asked?.binary === true || request.binaryByDefault;
      })
      .map((t) => t.name),
  );
  const header: Record<string, unknown> = { model_name: name, model_version: serving.version };
  if (request.id !== undefined) header.id = request.id;
  header.outputs = outputs.filter((t) => !binary.has(t.name)).map((t) => encodeJsonTensor(t));
  if (binary.size === 0) {
    return new Response(stringifyJson(header), { headers: { 'content-type': 'application/json; charset=utf-8' } });
  }
  // Binary outputs keep their position in the output order.
  header.outputs = outputs.map((t) => (binary.has(t.name) ? { name: t.name } : encodeJsonTensor(t)));
  const { body, headerLength } = protocol(() =>
    encodeBinaryBody(
      header,
      outputs.filter((t) => binary.has(t.name)),
      { section: 'outputs' },
    ),
  );
  return new Response(body as Uint8Array<ArrayBuffer>, {
    headers: { 'content-type': 'application/octet-stream', [INFERENCE_HEADER_CONTENT_LENGTH]: String(headerLength) },
  });
}

async function predict(ctx: RequestContext, withVersion: boolean): Promise<Response> {
  const name = modelParam(ctx);
  const version = withVersion ? versionParam(ctx) : undefined;
  if (ctx.body === NOT_JSON) throw unsupportedMediaType(ctx.header('content-type') ?? null, ['application/json']);
  const serving = servingVersion(ctx, name, version);
  const decoded = protocol(() => decodePredictRequest(ctx.body, serving.inputs));
  const ordered = checkInputs(name, serving.inputs, decoded.tensors);
  const outputs = runFakeModel(serving, ordered);
  const body = protocol(() => encodePredictResponse(decoded.format, outputs));
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
