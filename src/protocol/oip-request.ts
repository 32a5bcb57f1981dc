// OIP v2 infer request/response framing over the tensor codecs: the server and the msw mock decode and encode with it.
import { BINARY_CONTENT_TYPE, decodeBinaryBody, encodeBinaryBody, parseHeaderLength } from './binary-tensor.js';
import { describeReceived as describeValue } from './contract-error.js';
import { ProtocolError } from './errors.js';
import { decodeJsonTensor, encodeTensorJsonData, encodeTensorNativeJsonData } from './json-tensor.js';
import { stringifyJson } from './json-text.js';
import type { JsonScalar } from './json-values.js';
import type { Tensor } from './tensor.js';

/** What a model run produced, for the response. */
export interface InferResult {
  modelName: string;
  modelVersion: string;
  /** In the order requested (model order when no outputs were named). */
  outputs: Tensor[];
}

/** An OIP infer request, decoded: the request-level glue over the protocol's tensor codecs. */
export interface DecodedInferRequest {
  id?: string;
  inputs: Tensor[];
  /** Requested outputs in order; undefined = all. */
  outputs?: Array<{ name: string; binary: boolean | undefined }>;
  /** `parameters.binary_data_output`. */
  binaryOutput: boolean;
}

export interface EncodedInferResponse {
  body: string | Uint8Array;
  contentType: string;
  /** Set for binary responses: the JSON header's length. */
  headerLength?: number;
}

/**
 * Decodes a JSON body (already parsed) or a binary-extension body (bytes, with the
 * Inference-Header-Content-Length value). Throws ProtocolError naming the offending field.
 */
export function decodeInferRequest(
  body: unknown,
  headerLengthValue: string | string[] | undefined,
): DecodedInferRequest {
  let header: Record<string, unknown>;
  let inputs: Tensor[] | undefined;
  if (body instanceof Uint8Array) {
    const decoded = decodeBinaryBody(body, parseHeaderLength(headerLengthValue), { section: 'inputs' });
    header = decoded.header;
    inputs = decoded.tensors;
  } else if (body === undefined) {
    throw new ProtocolError(
      'invalid_json',
      '',
      'Request body is empty; expected an InferRequest JSON object with "inputs"',
    );
  } else if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ProtocolError(
      'invalid_input',
      'body',
      `expected an InferRequest JSON object, got ${describeValue(body)}`,
    );
  } else {
    header = body as Record<string, unknown>;
  }

  // An empty array is allowed: a model with no inputs (a graph of constants) takes `"inputs": []`; a model that has
  // inputs then says which are missing.
  const rawInputs = header.inputs;
  if (!Array.isArray(rawInputs)) {
    throw new ProtocolError('invalid_input', 'inputs', `expected an array of tensors, got ${describeValue(rawInputs)}`);
  }
  inputs ??= rawInputs.map((entry, i) => decodeJsonTensor(entry, `inputs[${i}]`));

  const out: DecodedInferRequest = { inputs, binaryOutput: false };
  if (header.id !== undefined) {
    if (typeof header.id !== 'string')
      throw new ProtocolError('invalid_input', 'id', `expected a string, got ${describeValue(header.id)}`);
    out.id = header.id;
  }
  const parameters = objectOrUndefined(header.parameters, 'parameters');
  if (parameters?.binary_data_output !== undefined) {
    out.binaryOutput = booleanParam(parameters.binary_data_output, 'parameters.binary_data_output');
  }
  if (header.outputs !== undefined) {
    if (!Array.isArray(header.outputs)) {
      throw new ProtocolError(
        'invalid_input',
        'outputs',
        `expected an array of {name}, got ${describeValue(header.outputs)}`,
      );
    }
    out.outputs = header.outputs.map((entry, i) => {
      const field = `outputs[${i}]`;
      const o = objectOrUndefined(entry, field);
      if (!o || typeof o.name !== 'string' || o.name.length === 0) {
        throw new ProtocolError(
          'invalid_input',
          `${field}.name`,
          `expected a non-empty string, got ${describeValue(o?.name)}`,
        );
      }
      const p = objectOrUndefined(o.parameters, `${field}.parameters`);
      const binary =
        p?.binary_data === undefined ? undefined : booleanParam(p.binary_data, `${field}.parameters.binary_data`);
      return { name: o.name, binary };
    });
  }
  return out;
}

/**
 * JSON unless an output is wanted as binary (per-output `binary_data` wins over `binary_data_output`). A JSON body
 * is one native JSON.stringify when no output holds NaN/±Infinity, -0 or a 64-bit integer beyond 2^53 (checked while
 * its values are copied); otherwise the lossless writer.
 */
export function encodeInferResponse(request: DecodedInferRequest, result: InferResult): EncodedInferResponse {
  const wanted = request.outputs;
  const binary: Tensor[] = [];
  let native = true;
  const entries = result.outputs.map((t) => {
    if ((wanted === undefined ? undefined : findOutput(wanted, t.name)?.binary) ?? request.binaryOutput) {
      binary.push(t);
      return { name: t.name };
    }
    let data: JsonScalar[] | undefined = native ? encodeTensorNativeJsonData(t) : undefined;
    if (data === undefined) {
      native = false;
      data = encodeTensorJsonData(t);
    }
    return { name: t.name, datatype: t.datatype, shape: t.shape, data };
  });
  const header: Record<string, unknown> = { model_name: result.modelName, model_version: result.modelVersion };
  if (request.id !== undefined) header.id = request.id;
  header.outputs = entries;
  if (binary.length === 0) {
    // Names, versions and ids are strings and shapes safe integers: only the data decides.
    return {
      body: native ? JSON.stringify(header) : stringifyJson(header),
      contentType: 'application/json; charset=utf-8',
    };
  }
  const { body, headerLength } = encodeBinaryBody(header, binary, { section: 'outputs' });
  return { body, contentType: BINARY_CONTENT_TYPE, headerLength };
}

function findOutput(
  outputs: NonNullable<DecodedInferRequest['outputs']>,
  name: string,
): { binary: boolean | undefined } | undefined {
  for (let i = 0; i < outputs.length; i++) if (outputs[i]!.name === name) return outputs[i];
  return undefined;
}

function objectOrUndefined(value: unknown, field: string): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProtocolError('invalid_input', field, `expected an object, got ${describeValue(value)}`);
  }
  return value as Record<string, unknown>;
}

function booleanParam(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean')
    throw new ProtocolError('invalid_input', field, `expected true or false, got ${describeValue(value)}`);
  return value;
}
