// TensorFlow Serving REST predict: row format (`instances` → `predictions`) and columnar format
// (`inputs` → `outputs`). https://www.tensorflow.org/tfx/serving/api_rest
// The wire carries no datatypes, so decoding needs the model's input metadata.

import { encodeBase64 } from './base64.js';
import { ProtocolError } from './errors.js';
import { type JsonScalar, tensorDataToJsonValues, writeJsonValues } from './json-values.js';
import { forEachRow, indexPath, inferShape, nestFlat } from './nested.js';
import {
  allocateTensorData,
  checkElementLimit,
  checkTensor,
  type DecodeOptions,
  describeValue,
  elementCount,
  formatShape,
  type Tensor,
  type TensorMetadata,
} from './tensor.js';
import { utf8Encoder } from './utf8.js';

export type PredictFormat = 'row' | 'columnar';

export interface DecodedPredictRequest {
  format: PredictFormat;
  signatureName?: string;
  /** The inputs the request provides, in request order (checking that none is missing is the caller's job). */
  tensors: Tensor[];
}

export type PredictResponse = { predictions: unknown[] } | { outputs: unknown };

const B64 = { allowB64: true } as const;

/**
 * Decodes a `:predict` body. A single-input model accepts plain values (`instances: [[1, 2], [3, 4]]`,
 * `inputs: [[1, 2]]`); any model accepts objects keyed by input name. Shapes are inferred from the nesting and
 * checked against the model's declared shapes (-1 matches any size).
 */
export function decodePredictRequest(
  body: unknown,
  modelInputs: readonly TensorMetadata[],
  options?: DecodeOptions,
): DecodedPredictRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ProtocolError(
      'invalid_input',
      '',
      `expected a JSON object with "instances" or "inputs", got ${describeValue(body)}`,
    );
  }
  const b = body as Record<string, unknown>;
  const signatureName = b.signature_name;
  if (signatureName !== undefined && typeof signatureName !== 'string') {
    throw new ProtocolError(
      'invalid_input',
      'signature_name',
      `expected a string, got ${describeValue(signatureName)}`,
    );
  }
  const hasRows = b.instances !== undefined;
  const hasColumns = b.inputs !== undefined;
  if (hasRows === hasColumns) {
    throw new ProtocolError(
      'invalid_input',
      '',
      `expected either "instances" (row format) or "inputs" (columnar format), got ${hasRows ? 'both' : 'neither'}`,
    );
  }
  if (modelInputs.length === 0) throw new ProtocolError('invalid_input', '', 'the model declares no inputs');
  const tensors = hasRows
    ? decodeRows(b.instances, modelInputs, options)
    : decodeColumns(b.inputs, modelInputs, options);
  const out: DecodedPredictRequest = { format: hasRows ? 'row' : 'columnar', tensors };
  if (signatureName !== undefined) out.signatureName = signatureName;
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Named inputs are objects keyed by input name; `{"b64": …}` is a value unless the model has an input "b64". */
function isNamedInputs(v: unknown, modelInputs: readonly TensorMetadata[]): v is Record<string, unknown> {
  if (!isPlainObject(v)) return false;
  const keys = Object.keys(v);
  return !(keys.length === 1 && keys[0] === 'b64' && !modelInputs.some((m) => m.name === 'b64'));
}

function inputNames(modelInputs: readonly TensorMetadata[]): string {
  return modelInputs.map((m) => m.name).join(', ');
}

function findInput(name: string, modelInputs: readonly TensorMetadata[], field: string): TensorMetadata {
  const meta = modelInputs.find((m) => m.name === name);
  if (meta === undefined) {
    throw new ProtocolError(
      'invalid_input',
      field,
      `unexpected input; the model's inputs are ${inputNames(modelInputs)}`,
    );
  }
  return meta;
}

function dimsMatch(declared: readonly number[], actual: readonly number[]): boolean {
  if (declared.length !== actual.length) return false;
  for (let i = 0; i < declared.length; i++) {
    const d = declared[i]!;
    if (d >= 0 && d !== actual[i]) return false;
  }
  return true;
}

// ---- row format ---------------------------------------------------------------------------------------

function decodeRows(instances: unknown, modelInputs: readonly TensorMetadata[], options?: DecodeOptions): Tensor[] {
  if (!Array.isArray(instances)) {
    throw new ProtocolError(
      'invalid_input',
      'instances',
      `expected an array of instances, got ${describeValue(instances)}`,
    );
  }
  if (instances.length === 0) {
    throw new ProtocolError('invalid_input', 'instances', 'expected at least one instance, got an empty array');
  }
  const first = instances[0];
  if (!isNamedInputs(first, modelInputs)) {
    if (modelInputs.length > 1) {
      throw new ProtocolError(
        'invalid_input',
        'instances[0]',
        `expected an object keyed by input name (the model has inputs ${inputNames(modelInputs)}), got ${describeValue(first)}`,
      );
    }
    const meta = modelInputs[0]!;
    return [decodeRowInput(meta, instances, (j) => `instances[${j}]`, options)];
  }
  const names = Object.keys(first);
  if (names.length === 0) {
    throw new ProtocolError(
      'invalid_input',
      'instances[0]',
      `expected inputs ${inputNames(modelInputs)}, got an empty object`,
    );
  }
  const metas = names.map((name) => findInput(name, modelInputs, `instances[0].${name}`));
  for (let j = 1; j < instances.length; j++) {
    const inst = instances[j];
    if (!isPlainObject(inst)) {
      throw new ProtocolError(
        'invalid_input',
        `instances[${j}]`,
        `expected an object keyed by input name like instances[0], got ${describeValue(inst)}`,
      );
    }
    for (const name of names) {
      if (!Object.hasOwn(inst, name)) {
        throw new ProtocolError(
          'invalid_input',
          `instances[${j}]`,
          `missing input "${name}" (present in instances[0])`,
        );
      }
    }
    for (const key of Object.keys(inst)) {
      if (!Object.hasOwn(first, key)) {
        throw new ProtocolError(
          'invalid_input',
          `instances[${j}].${key}`,
          'unexpected input (absent from instances[0])',
        );
      }
    }
  }
  return metas.map((meta) => {
    const values = instances.map((inst) => (inst as Record<string, unknown>)[meta.name]);
    return decodeRowInput(meta, values, (j) => `instances[${j}].${meta.name}`, options);
  });
}

/** One input's values, one per instance, → a tensor of shape [instances, ...instance shape]. */
function decodeRowInput(
  meta: TensorMetadata,
  values: readonly unknown[],
  fieldOf: (instance: number) => string,
  options?: DecodeOptions,
): Tensor {
  const n = values.length;
  const instShape = inferShape(values[0]);
  const shape = [n, ...instShape];
  const declared = meta.shape;
  if (declared.length === 0) {
    throw new ProtocolError(
      'input_shape_mismatch',
      fieldOf(0),
      `input ${meta.name} is a scalar (shape []) and has no batch dimension; use the columnar format ("inputs")`,
    );
  }
  if (!dimsMatch(declared.slice(1), instShape)) {
    throw new ProtocolError(
      'input_shape_mismatch',
      fieldOf(0),
      `expected shape ${formatShape(declared.slice(1))} per instance (input ${meta.name} has shape ${formatShape(declared)}), got ${formatShape(instShape)}`,
    );
  }
  const batch = declared[0]!;
  if (batch >= 0 && batch !== n) {
    throw new ProtocolError(
      'input_shape_mismatch',
      'instances',
      `expected ${batch} instances (input ${meta.name} has shape ${formatShape(declared)}), got ${n}`,
    );
  }
  const count = elementCount(shape);
  checkElementLimit(count, 'instances', options);
  const data = allocateTensorData(meta.datatype, count);
  if (instShape.length === 0) {
    writeJsonValues(meta.datatype, values, data, 0, fieldOf, B64);
    return { name: meta.name, datatype: meta.datatype, shape, data };
  }
  const per = count / n || 0;
  const label = `the shape ${formatShape(instShape)} of ${fieldOf(0)}`;
  for (let j = 0; j < n; j++) {
    const v = values[j];
    const field = fieldOf(j);
    if (!Array.isArray(v)) {
      throw new ProtocolError('input_shape_mismatch', field, `expected an array (${label}), got ${describeValue(v)}`);
    }
    const base = j * per;
    forEachRow(
      v,
      instShape,
      field,
      (row, offset) =>
        writeJsonValues(meta.datatype, row, data, base + offset, (i) => field + indexPath(offset + i, instShape), B64),
      label,
    );
  }
  return { name: meta.name, datatype: meta.datatype, shape, data };
}

// ---- columnar format ----------------------------------------------------------------------------------

function decodeColumns(inputs: unknown, modelInputs: readonly TensorMetadata[], options?: DecodeOptions): Tensor[] {
  if (!isNamedInputs(inputs, modelInputs)) {
    if (modelInputs.length > 1) {
      throw new ProtocolError(
        'invalid_input',
        'inputs',
        `expected an object keyed by input name (the model has inputs ${inputNames(modelInputs)}), got ${describeValue(inputs)}`,
      );
    }
    return [decodeColumn(modelInputs[0]!, inputs, 'inputs', options)];
  }
  const names = Object.keys(inputs);
  if (names.length === 0) {
    throw new ProtocolError(
      'invalid_input',
      'inputs',
      `expected inputs ${inputNames(modelInputs)}, got an empty object`,
    );
  }
  return names.map((name) => {
    const field = `inputs.${name}`;
    return decodeColumn(findInput(name, modelInputs, field), inputs[name], field, options);
  });
}

function decodeColumn(meta: TensorMetadata, value: unknown, field: string, options?: DecodeOptions): Tensor {
  const shape = inferShape(value);
  if (!dimsMatch(meta.shape, shape)) {
    throw new ProtocolError(
      'input_shape_mismatch',
      field,
      `expected shape ${formatShape(meta.shape)} (input ${meta.name}), got ${formatShape(shape)}`,
    );
  }
  const count = elementCount(shape);
  checkElementLimit(count, field, options);
  const data = allocateTensorData(meta.datatype, count);
  if (shape.length === 0) writeJsonValues(meta.datatype, [value], data, 0, () => field, B64);
  else {
    const label = `the shape ${formatShape(shape)} of ${field}`;
    forEachRow(
      value as unknown[],
      shape,
      field,
      (row, offset) =>
        writeJsonValues(meta.datatype, row, data, offset, (i) => field + indexPath(offset + i, shape), B64),
      label,
    );
  }
  return { name: meta.name, datatype: meta.datatype, shape, data };
}

// ---- responses ----------------------------------------------------------------------------------------

/**
 * Row: `{predictions}` with one entry per instance (plain values for a single output, objects keyed by output
 * name for several); every output needs the same first (batch) dimension. Columnar: `{outputs}` with the nested
 * array itself for a single output, an object keyed by name for several. Serialize with `stringifyJson`
 * (64-bit integers beyond 2^53 are bigint; without any, it is one native JSON.stringify). BYTES outputs whose name ends in `_bytes` are written as
 * `{"b64": …}`, as TF Serving does.
 */
export function encodePredictResponse(format: PredictFormat, outputs: readonly Tensor[]): PredictResponse {
  const flat = outputs.map((t) => outputValues(t));
  if (format === 'columnar') {
    if (outputs.length === 1) return { outputs: nestFlat(flat[0]!, outputs[0]!.shape) };
    const named: Record<string, unknown> = {};
    outputs.forEach((t, k) => {
      named[t.name] = nestFlat(flat[k]!, t.shape);
    });
    return { outputs: named };
  }
  if (outputs.length === 0) return { predictions: [] };
  const first = outputs[0]!;
  const batch = first.shape[0];
  for (const t of outputs) {
    if (t.shape.length === 0 || t.shape[0] !== batch) {
      throw new ProtocolError(
        'invalid_input',
        'outputs',
        `the row format needs every output to share the first (batch) dimension, but "${first.name}" has shape ${formatShape(first.shape)} and "${t.name}" has shape ${formatShape(t.shape)}; use the columnar format ("inputs")`,
      );
    }
  }
  const n = batch ?? 0;
  const predictions = new Array<unknown>(n);
  const inner = outputs.map((t) => t.shape.slice(1));
  const per = inner.map((s) => elementCount(s));
  for (let j = 0; j < n; j++) {
    if (outputs.length === 1) predictions[j] = nestFlat(flat[0]!, inner[0]!, j * per[0]!);
    else {
      const row: Record<string, unknown> = {};
      outputs.forEach((t, k) => {
        row[t.name] = nestFlat(flat[k]!, inner[k]!, j * per[k]!);
      });
      predictions[j] = row;
    }
  }
  return { predictions };
}

function outputValues(t: Tensor): unknown[] {
  checkTensor(t);
  const values: JsonScalar[] = tensorDataToJsonValues(t.datatype, t.data);
  if (t.datatype !== 'BYTES' || !t.name.endsWith('_bytes')) return values;
  return values.map((s) => ({ b64: encodeBase64(utf8Encoder.encode(s as string)) }));
}
