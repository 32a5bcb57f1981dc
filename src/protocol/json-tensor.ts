// OIP v2 JSON tensors ↔ Tensor. `data` may be flat or nested to match the shape.

import { ProtocolError } from './errors.js';
import {
  type JsonScalar,
  type NativeJsonScalar,
  tensorDataToJsonValues,
  tensorDataToNativeJsonValues,
  writeJsonValues,
} from './json-values.js';
import { forEachRow, indexPath } from './nested.js';
import {
  allocateTensorData,
  checkElementLimit,
  checkShape,
  checkTensor,
  DATATYPES,
  type Datatype,
  type DecodeOptions,
  describeValue,
  elementCount,
  formatShape,
  isDatatype,
  type Tensor,
  type TensorData,
} from './tensor.js';

export { parseJsonLossless, stringifyJson } from './json-text.js';
export type { JsonScalar } from './json-values.js';

/** An OIP tensor as it appears on the wire (input of a request, output of a response). */
export interface JsonTensor {
  name: string;
  shape: number[];
  datatype: Datatype;
  parameters?: Record<string, unknown>;
  data?: JsonScalar[];
}

/** The name/datatype/shape of a wire tensor entry, validated; `parameters` checked to be an object. */
export interface TensorHeader {
  name: string;
  datatype: Datatype;
  shape: number[];
  parameters: Record<string, unknown> | undefined;
}

export function decodeTensorHeader(input: unknown, field: string): TensorHeader {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ProtocolError(
      'invalid_input',
      field,
      `expected a tensor object {name, shape, datatype, data}, got ${describeValue(input)}`,
    );
  }
  const entry = input as Record<string, unknown>;
  const { name, datatype, parameters } = entry;
  if (typeof name !== 'string' || name.length === 0) {
    throw new ProtocolError(
      'invalid_input',
      `${field}.name`,
      `expected a non-empty string, got ${describeValue(name)}`,
    );
  }
  if (!isDatatype(datatype)) {
    throw new ProtocolError(
      'invalid_input',
      `${field}.datatype`,
      `expected one of ${DATATYPES.join(', ')}, got ${describeValue(datatype)}`,
    );
  }
  const shape = checkShape(entry.shape, `${field}.shape`);
  if (
    parameters !== undefined &&
    (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters))
  ) {
    throw new ProtocolError(
      'invalid_input',
      `${field}.parameters`,
      `expected an object, got ${describeValue(parameters)}`,
    );
  }
  return { name, datatype, shape, parameters: parameters as Record<string, unknown> | undefined };
}

/** Decodes one OIP JSON tensor (`field` names it in errors, e.g. `inputs[0]`). */
export function decodeJsonTensor(input: unknown, field: string, options?: DecodeOptions): Tensor {
  const { name, datatype, shape } = decodeTensorHeader(input, field);
  const data = decodeJsonTensorData(datatype, shape, (input as { data?: unknown }).data, `${field}.data`, options);
  return { name, datatype, shape, data };
}

/** Validates flat or nested JSON `data` against `datatype` and `shape` and returns canonical data. */
export function decodeJsonTensorData(
  datatype: Datatype,
  shape: number[],
  data: unknown,
  field: string,
  options?: DecodeOptions,
): TensorData {
  const count = elementCount(shape);
  checkElementLimit(count, field, options);
  if (!Array.isArray(data)) {
    throw new ProtocolError('invalid_input', field, `expected an array of values, got ${describeValue(data)}`);
  }
  const rank = shape.length;
  if (rank <= 1 || data.length === 0 || !Array.isArray(data[0])) {
    if (data.length !== count) {
      throw new ProtocolError(
        'input_shape_mismatch',
        field,
        `expected ${count} values for shape ${formatShape(shape)}, got ${data.length}`,
      );
    }
    const out = allocateTensorData(datatype, count);
    writeJsonValues(datatype, data, out, 0, (i) => `${field}[${i}]`);
    return out;
  }
  if (data.length !== shape[0]) {
    throw new ProtocolError(
      'input_shape_mismatch',
      field,
      `expected ${shape[0]} nested arrays (dimension 0 of shape ${formatShape(shape)}) or ${count} flat values, got ${data.length}`,
    );
  }
  const out = allocateTensorData(datatype, count);
  forEachRow(data, shape, field, (row, offset) => {
    writeJsonValues(datatype, row, out, offset, (i) => field + indexPath(offset + i, shape));
  });
  return out;
}

/** Flat JSON-ready data for a tensor (serialize with `stringifyJson` when it may hold bigint). */
export function encodeTensorJsonData(t: Tensor): JsonScalar[] {
  checkTensor(t);
  return tensorDataToJsonValues(t.datatype, t.data);
}

/**
 * Flat data for a tensor when native JSON.stringify writes it exactly (no NaN/±Infinity, -0, or 64-bit integer beyond
 * 2^53); undefined otherwise, and then `encodeTensorJsonData` + `stringifyJson` are the way.
 */
export function encodeTensorNativeJsonData(t: Tensor): NativeJsonScalar[] | undefined {
  checkTensor(t);
  return tensorDataToNativeJsonValues(t.datatype, t.data);
}

/** A full OIP JSON tensor `{name, datatype, shape, parameters?, data}`. */
export function encodeJsonTensor(t: Tensor, parameters?: Record<string, unknown>): JsonTensor {
  const out: JsonTensor = { name: t.name, datatype: t.datatype, shape: t.shape.slice() };
  if (parameters !== undefined) out.parameters = parameters;
  out.data = encodeTensorJsonData(t);
  return out;
}
