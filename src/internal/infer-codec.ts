// Inference request building and response decoding (OIP v2 JSON and Triton's binary tensor extension).
// The wire work is done by the protocol codecs; this file turns friendly inputs into Tensors and back.
import type { ResponseInfo } from '../api-promise.js';
import { APIError, InvalidInputError, InvalidResponseError } from '../errors.js';
import { type InferInput, type InferParams, InferResult, type TypedArray } from '../infer.js';
import { decodeBinaryBody, encodeBinaryBody, parseHeaderLength } from '../protocol/binary-tensor.js';
import { ProtocolError } from '../protocol/errors.js';
import {
  decodeJsonTensorData,
  encodeTensorJsonData,
  encodeTensorNativeJsonData,
  type JsonTensor,
} from '../protocol/json-tensor.js';
import { isNativeJson, stringifyJson } from '../protocol/json-text.js';
import { inferShape } from '../protocol/nested.js';
import {
  byteSizeOf,
  checkTensor,
  type Datatype,
  datatypeOfTypedArray,
  isDatatype,
  type Tensor,
  typedArrayConstructorOf,
} from '../protocol/tensor.js';
import type { InferRequestOutput, InferResponse, TensorParameters } from '../types.js';
import { withArticle } from './describe.js';

/** A ready-to-send inference body. */
export interface EncodedInferRequest {
  contentType: string;
  body: string | Uint8Array;
  /** The inputs whose datatype came from their data (for `explainDatatypeMismatch`). */
  defaulted: DefaultedDatatype[];
  /** The binary extension's Inference-Header-Content-Length (none for JSON). */
  headers: Readonly<Record<string, string>>;
}

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/** The inputs as checked Tensors, which of them had their datatype defaulted, and the requested outputs. */
export function prepareInferInputs(params: InferParams): {
  tensors: EncodedInput[];
  defaulted: DefaultedDatatype[];
  outputs: InferRequestOutput[] | undefined;
} {
  const named = Array.isArray(params.inputs)
    ? (params.inputs as (InferInput & { name: string })[]).map((input) => [input.name, input] as const)
    : Object.entries(params.inputs as Record<string, InferInput>);
  // No inputs is valid: a model with none (a graph of constants) takes `"inputs": []`; one that has inputs says which.
  const tensors = named.map(([name, input]) => toTensor(name, input));
  const defaulted: DefaultedDatatype[] = [];
  for (const t of tensors) if (t.defaulted) defaulted.push(t.defaulted);
  const outputs = params.outputs?.map((o) => (typeof o === 'string' ? { name: o } : o));
  return { tensors, defaulted, outputs };
}

/** Validates the inputs and encodes the request body, JSON or binary. Throws `InvalidInputError` before any I/O. */
export function encodeInferRequest(params: InferParams, binaryThreshold: number): EncodedInferRequest {
  const { tensors, defaulted, outputs } = prepareInferInputs(params);
  let dataBytes = 0;
  for (const { tensor } of tensors) dataBytes += byteSizeOf(tensor);
  const binary = params.binary ?? dataBytes > binaryThreshold;

  const header: Record<string, unknown> = {};
  if (params.id !== undefined) header.id = params.id;
  if (!binary) {
    // One native JSON.stringify when every part allows it: the data is checked while it is copied, the small parts
    // (parameters, outputs) scanned; otherwise the lossless writer (bigint, NaN, -0).
    let native = isNativeJson(header);
    if (params.parameters) {
      header.parameters = params.parameters;
      native &&= isNativeJson(params.parameters);
    }
    header.inputs = tensors.map(({ tensor, parameters }) => {
      const entry: JsonTensor = { name: tensor.name, datatype: tensor.datatype, shape: tensor.shape };
      if (parameters !== undefined) {
        entry.parameters = parameters;
        native &&= isNativeJson(parameters);
      }
      const data = encodeTensorNativeJsonData(tensor);
      if (data === undefined) native = false;
      entry.data = data ?? encodeTensorJsonData(tensor);
      return entry;
    });
    if (outputs) {
      header.outputs = outputs;
      native &&= isNativeJson(outputs);
    }
    const body = native ? JSON.stringify(header) : stringifyJson(header);
    return { contentType: 'application/json', body, headers: NO_HEADERS, defaulted };
  }
  // Binary in, binary out: ask for every output (or each requested one) as raw data too.
  header.parameters = outputs ? params.parameters : { ...params.parameters, binary_data_output: true };
  if (header.parameters === undefined) delete header.parameters;
  header.inputs = tensors.map(({ tensor, parameters }) =>
    parameters ? { name: tensor.name, parameters } : { name: tensor.name },
  );
  if (outputs) header.outputs = outputs.map((o) => ({ ...o, parameters: { ...o.parameters, binary_data: true } }));
  const encoded = encodeBinaryBody(
    header,
    tensors.map((t) => t.tensor),
    { section: 'inputs' },
  );
  return {
    contentType: 'application/octet-stream',
    body: encoded.body,
    headers: { 'inference-header-content-length': String(encoded.headerLength) },
    defaulted,
  };
}

/** Decodes a JSON or binary inference response body (`headerLength`: its Inference-Header-Content-Length). */
export function decodeInferResponse(
  body: Uint8Array | string,
  headerLengthValue: string | null,
  response: ResponseInfo,
): InferResult {
  try {
    const headerLength = parseHeaderLength(headerLengthValue);
    const decoded = decodeBinaryBody(body, headerLength, { section: 'outputs' });
    return new InferResult(decoded.header as unknown as InferResponse, decoded.tensors, response);
  } catch (err) {
    if (!(err instanceof ProtocolError)) throw err;
    const text = typeof body === 'string' ? body.slice(0, 200) : new TextDecoder().decode(body.subarray(0, 200));
    throw new InvalidResponseError(
      `Inference response could not be decoded: ${err.message}`,
      response.status,
      text,
      response.requestId,
      { cause: err },
    );
  }
}

/** An input whose datatype the SDK chose from its data because the caller gave none. */
export interface DefaultedDatatype {
  name: string;
  datatype: Datatype;
  /** What the data was, e.g. `an array of numbers`, `a Uint8Array`. */
  source: string;
}

export interface EncodedInput {
  tensor: Tensor;
  parameters: TensorParameters | undefined;
  defaulted: DefaultedDatatype | undefined;
}

function toTensor(name: string, input: InferInput): EncodedInput {
  try {
    if (input === null || typeof input !== 'object' || !('data' in input)) {
      throw new ProtocolError('invalid_input', '', 'expected { data, shape?, datatype? }');
    }
    if (input.datatype !== undefined && !isDatatype(input.datatype)) {
      throw new ProtocolError('invalid_input', 'datatype', `expected an OIP datatype, got ${String(input.datatype)}`);
    }
    const typed = ArrayBuffer.isView(input.data);
    const tensor = typed
      ? fromTypedArray(name, input.data as TypedArray, input.datatype, input.shape)
      : fromNestedArray(name, input.data, input.datatype, input.shape);
    checkTensor(tensor, '');
    const defaulted =
      input.datatype === undefined
        ? {
            name,
            datatype: tensor.datatype,
            source: typed ? withArticle(input.data.constructor.name) : arrayKind(input.data),
          }
        : undefined;
    return { tensor, parameters: input.parameters, defaulted };
  } catch (err) {
    if (err instanceof ProtocolError) {
      const field = `inputs.${name}`;
      const where = err.field ? `${field}.${err.field}` : field;
      throw new InvalidInputError(`${where}: ${err.detail}`, where, { cause: err });
    }
    throw err;
  }
}

function fromTypedArray(
  name: string,
  data: TypedArray,
  datatype: Datatype | undefined,
  shape: readonly number[] | undefined,
): Tensor {
  const array = data instanceof Uint8ClampedArray ? new Uint8Array(data.buffer, data.byteOffset, data.length) : data;
  const resolved = datatype ?? datatypeOfTypedArray(array);
  const dims = checkedShape(shape ?? [array.length]);
  const count = product(dims);
  if (array.length !== count) {
    throw new ProtocolError(
      'input_shape_mismatch',
      'data',
      `expected ${count} values for shape [${dims.join(',')}], got ${array.length}`,
    );
  }
  const canonical = typedArrayConstructorOf(resolved);
  if (canonical && array instanceof canonical) return { name, datatype: resolved, shape: dims, data: array };
  if (resolved === 'BYTES') throw new ProtocolError('datatype_mismatch', 'data', 'expected a string array for BYTES');
  // Another numeric class than the datatype's own (e.g. FP16 from a Float32Array): convert with range checks.
  const values = Array.from(array as ArrayLike<number | bigint>);
  return { name, datatype: resolved, shape: dims, data: decodeJsonTensorData(resolved, dims, values, 'data') };
}

function fromNestedArray(
  name: string,
  data: unknown,
  datatype: Datatype | undefined,
  shape: readonly number[] | undefined,
): Tensor {
  if (!Array.isArray(data)) {
    throw new ProtocolError('invalid_input', 'data', 'expected a typed array or an array of values');
  }
  const dims = checkedShape(shape ?? inferShape(data));
  const resolved = datatype ?? datatypeOfValue(firstLeaf(data));
  return { name, datatype: resolved, shape: dims, data: decodeJsonTensorData(resolved, dims, data, 'data') };
}

function checkedShape(shape: readonly number[]): number[] {
  if (!Array.isArray(shape)) throw new ProtocolError('invalid_input', 'shape', 'expected an array of integers');
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      throw new ProtocolError(
        'invalid_input',
        'shape',
        `expected non-negative integers, got ${String(d)} at index ${i}`,
      );
    }
  }
  return shape.slice();
}

function product(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function firstLeaf(data: readonly unknown[]): unknown {
  let v: unknown = data;
  while (Array.isArray(v)) {
    if (v.length === 0) return undefined;
    v = v[0];
  }
  return v;
}

function arrayKind(data: unknown): string {
  const leaf = firstLeaf(data as unknown[]);
  const kind =
    typeof leaf === 'string'
      ? 'strings'
      : typeof leaf === 'boolean'
        ? 'booleans'
        : typeof leaf === 'bigint'
          ? 'bigints'
          : 'numbers';
  return `an array of ${kind}`;
}

// The data plane's wording (src/protocol/input-signature.ts): "input 'x' has datatype FP32; model 'm' expects INT64".
const MISMATCH = /input '([^']*)' has datatype (\w+); model '[^']*' expects (\w+)/;

/**
 * A server's `datatype_mismatch` for an input whose datatype the SDK chose (plain numbers are FP32): adds to the
 * error's message what to pass instead. The SDK cannot know a model's datatypes without asking, so it says it here.
 */
export function explainDatatypeMismatch(err: unknown, defaulted: readonly DefaultedDatatype[]): unknown {
  if (!(err instanceof APIError) || err.code !== 'datatype_mismatch' || defaulted.length === 0) return err;
  const match = MISMATCH.exec(err.message);
  const named = match ? defaulted.find((d) => d.name === match[1]) : undefined;
  const hints = (named ? [named] : defaulted).map((d) => {
    const expected = named && match && isDatatype(match[3]) ? match[3] : undefined;
    return `inputs.${d.name} was sent as ${d.datatype}, the default for ${d.source}: ${passInstead(expected)}`;
  });
  err.message += ` — ${hints.join('; ')}`;
  return err;
}

function passInstead(expected: Datatype | undefined): string {
  if (expected === undefined) return "pass a typed array of the model's datatype or set the input's `datatype`";
  if (expected === 'BYTES') return "pass an array of strings or set `datatype: 'BYTES'`";
  const own = typedArrayConstructorOf(expected);
  // BOOL and FP16 have no typed array of their own (Uint8Array and Uint16Array read as UINT8 and UINT16).
  const typed = own && datatypeOfTypedArray(new own(0)) === expected ? `${withArticle(own.name)} or ` : '';
  return `pass ${typed}\`datatype: '${expected}'\` on the input`;
}

function datatypeOfValue(value: unknown): Datatype {
  switch (typeof value) {
    case 'string':
      return 'BYTES';
    case 'boolean':
      return 'BOOL';
    case 'bigint':
      return 'INT64';
    default:
      return 'FP32';
  }
}
