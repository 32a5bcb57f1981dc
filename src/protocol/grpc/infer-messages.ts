// The messages of `inference.GRPCInferenceService/ModelInfer` and `/ModelStreamInfer` (Triton's grpc_service.proto,
// vendored in server/grpc/proto): ModelInferRequest, ModelInferResponse, ModelStreamInferResponse. Written by hand
// over proto-wire.ts because it is the hot path: raw contents stay views of the received message, typed contents
// become typed arrays without an intermediate JS array, INT64/UINT64 stay exact (docs/benchmarks.md#grpc measures it
// against @grpc/proto-loader). Field numbers are the upstream ones; test/grpc checks both codecs agree.

import { bytesToTensor, tensorToBytes } from '../binary-tensor.js';
import { ProtocolError } from '../errors.js';
import { checkShape, elementCount, isDatatype, type Tensor } from '../tensor.js';
import {
  type GrpcParameters,
  parametersSize,
  planParameters,
  readParameterEntry,
  writeParameters,
} from './infer-parameters.js';
import {
  lenFieldSize,
  ProtoReader,
  ProtoWireError,
  ProtoWriter,
  stringFieldSize,
  uintSize,
  WIRE_LEN,
  WIRE_VARINT,
} from './proto-wire.js';
import { type ContentsPlan, hasContentsField, planContents, readContents, writeContents } from './tensor-contents.js';

/** One tensor entry of a request (`InferInputTensor`) or a response (`InferOutputTensor`), contents undecoded. */
export interface WireTensor {
  name: string;
  datatype: string;
  shape: number[];
  parameters?: GrpcParameters;
  /** The InferTensorContents message's bytes, when the tensor had one. */
  contents?: Uint8Array;
}

export interface WireInferRequest {
  modelName: string;
  modelVersion: string;
  id: string;
  parameters?: GrpcParameters;
  inputs: WireTensor[];
  outputs: Array<{ name: string; parameters?: GrpcParameters }>;
  /** Views of the received message (no copy). */
  rawInputContents: Uint8Array[];
}

export interface WireInferResponse {
  modelName: string;
  modelVersion: string;
  id: string;
  parameters?: GrpcParameters;
  outputs: WireTensor[];
  rawOutputContents: Uint8Array[];
}

/** A message that is not valid protobuf, as a ProtocolError (the server answers INVALID_ARGUMENT). */
function wireFailure(err: unknown, message: string): never {
  if (err instanceof ProtoWireError) throw new ProtocolError('invalid_input', message, err.message);
  throw err;
}

// ---- reading --------------------------------------------------------------------------------------------------

function readTensor(r: ProtoReader): WireTensor {
  const t: WireTensor = { name: '', datatype: '', shape: [] };
  while (!r.done) {
    const tag = r.tag();
    switch (tag) {
      case (1 << 3) | WIRE_LEN:
        t.name = r.string();
        break;
      case (2 << 3) | WIRE_LEN:
        t.datatype = r.string();
        break;
      case (3 << 3) | WIRE_LEN: {
        const [start, end] = r.span();
        const packed = new ProtoReader(r.buf, start, end);
        while (!packed.done) t.shape.push(packed.int64Number());
        break;
      }
      case (3 << 3) | WIRE_VARINT:
        t.shape.push(r.int64Number());
        break;
      case (4 << 3) | WIRE_LEN:
        readParameterEntry(r, (t.parameters ??= {}));
        break;
      case (5 << 3) | WIRE_LEN:
        t.contents = r.bytes();
        break;
      default:
        r.skip(tag & 7);
    }
  }
  return t;
}

function readRequestedOutput(r: ProtoReader): { name: string; parameters?: GrpcParameters } {
  const out: { name: string; parameters?: GrpcParameters } = { name: '' };
  while (!r.done) {
    const tag = r.tag();
    if (tag === ((1 << 3) | WIRE_LEN)) out.name = r.string();
    else if (tag === ((2 << 3) | WIRE_LEN)) readParameterEntry(r, (out.parameters ??= {}));
    else r.skip(tag & 7);
  }
  return out;
}

/** Decodes a ModelInferRequest. Throws ProtocolError when the bytes are not one. */
export function decodeWireInferRequest(bytes: Uint8Array): WireInferRequest {
  const req: WireInferRequest = {
    modelName: '',
    modelVersion: '',
    id: '',
    inputs: [],
    outputs: [],
    rawInputContents: [],
  };
  try {
    const r = new ProtoReader(bytes);
    while (!r.done) {
      const tag = r.tag();
      switch (tag) {
        case (1 << 3) | WIRE_LEN:
          req.modelName = r.string();
          break;
        case (2 << 3) | WIRE_LEN:
          req.modelVersion = r.string();
          break;
        case (3 << 3) | WIRE_LEN:
          req.id = r.string();
          break;
        case (4 << 3) | WIRE_LEN:
          readParameterEntry(r, (req.parameters ??= {}));
          break;
        case (5 << 3) | WIRE_LEN:
          req.inputs.push(readTensor(r.sub()));
          break;
        case (6 << 3) | WIRE_LEN:
          req.outputs.push(readRequestedOutput(r.sub()));
          break;
        case (7 << 3) | WIRE_LEN:
          req.rawInputContents.push(r.bytes());
          break;
        default:
          r.skip(tag & 7);
      }
    }
  } catch (err) {
    wireFailure(err, 'ModelInferRequest');
  }
  return req;
}

/** Decodes a ModelInferResponse (from `r`'s bounds, so a stream response's embedded one reads in place). */
function readInferResponse(r: ProtoReader): WireInferResponse {
  const res: WireInferResponse = { modelName: '', modelVersion: '', id: '', outputs: [], rawOutputContents: [] };
  while (!r.done) {
    const tag = r.tag();
    switch (tag) {
      case (1 << 3) | WIRE_LEN:
        res.modelName = r.string();
        break;
      case (2 << 3) | WIRE_LEN:
        res.modelVersion = r.string();
        break;
      case (3 << 3) | WIRE_LEN:
        res.id = r.string();
        break;
      case (4 << 3) | WIRE_LEN:
        readParameterEntry(r, (res.parameters ??= {}));
        break;
      case (5 << 3) | WIRE_LEN:
        res.outputs.push(readTensor(r.sub()));
        break;
      case (6 << 3) | WIRE_LEN:
        res.rawOutputContents.push(r.bytes());
        break;
      default:
        r.skip(tag & 7);
    }
  }
  return res;
}

export function decodeWireInferResponse(bytes: Uint8Array): WireInferResponse {
  try {
    return readInferResponse(new ProtoReader(bytes));
  } catch (err) {
    return wireFailure(err, 'ModelInferResponse');
  }
}

/** A ModelStreamInferResponse: an error message, or a response. */
export function decodeWireStreamResponse(bytes: Uint8Array): { errorMessage: string; response?: WireInferResponse } {
  const out: { errorMessage: string; response?: WireInferResponse } = { errorMessage: '' };
  try {
    const r = new ProtoReader(bytes);
    while (!r.done) {
      const tag = r.tag();
      if (tag === ((1 << 3) | WIRE_LEN)) out.errorMessage = r.string();
      else if (tag === ((2 << 3) | WIRE_LEN)) out.response = readInferResponse(r.sub());
      else r.skip(tag & 7);
    }
  } catch (err) {
    wireFailure(err, 'ModelStreamInferResponse');
  }
  return out;
}

// ---- tensors ----------------------------------------------------------------------------------------------------

/**
 * The tensors of a request's `inputs` (or a response's `outputs`): from the raw contents when there are any (one per
 * tensor, in order), else from each tensor's typed `contents`. `section` names them in errors (`inputs[0]`).
 */
export function wireTensors(
  entries: readonly WireTensor[],
  raw: readonly Uint8Array[],
  section: 'inputs' | 'outputs',
): Tensor[] {
  const rawField = section === 'inputs' ? 'raw_input_contents' : 'raw_output_contents';
  if (raw.length > 0 && raw.length !== entries.length) {
    throw new ProtocolError(
      'invalid_input',
      rawField,
      `expected one entry per tensor in ${section} (${entries.length}), got ${raw.length}`,
    );
  }
  const tensors = new Array<Tensor>(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const field = `${section}[${i}]`;
    if (!isDatatype(e.datatype)) {
      throw new ProtocolError(
        'invalid_input',
        `${field}.datatype`,
        `expected one of BOOL, UINT8…UINT64, INT8…INT64, FP16, FP32, FP64, BYTES, got ${JSON.stringify(e.datatype)}`,
      );
    }
    const shape = checkShape(e.shape, `${field}.shape`);
    if (raw.length > 0) {
      if (e.contents !== undefined && e.contents.length > 0) {
        throw new ProtocolError(
          'invalid_input',
          `${field}.contents`,
          `expected no contents when ${rawField} is used (the two forms cannot be mixed), got contents for tensor '${e.name}'`,
        );
      }
      tensors[i] = bytesToTensor(e.name, e.datatype, shape, raw[i]!, `${rawField}[${i}]`);
    } else {
      const data = readContents(e.contents ?? EMPTY, e.datatype, shape, elementCount(shape), `${field}.contents`);
      tensors[i] = { name: e.name, datatype: e.datatype, shape, data };
    }
  }
  return tensors;
}

const EMPTY = new Uint8Array(0);

// ---- writing ----------------------------------------------------------------------------------------------------

/** What a request or response carries, with tensors as canonical data. */
export interface InferMessage {
  modelName: string;
  modelVersion?: string | undefined;
  id?: string | undefined;
  parameters?: Readonly<Record<string, unknown>> | undefined;
  tensors: readonly Tensor[];
  /** Requested outputs (requests only). */
  outputs?: ReadonlyArray<{ name: string; parameters?: Readonly<Record<string, unknown>> | undefined }> | undefined;
  /** Tensor data as raw contents (else typed `contents`; FP16 forces raw for the whole message). */
  raw: boolean;
}

interface TensorPlan {
  tensor: Tensor;
  shapeBytes: number;
  contents: ContentsPlan | undefined;
  rawBytes: Uint8Array | undefined;
  size: number;
}

/** Whether the message will use raw contents: asked for, or needed (FP16 has no typed field). */
export function usesRaw(tensors: readonly Tensor[], raw: boolean): boolean {
  return raw || tensors.some((t) => !hasContentsField(t.datatype));
}

function planTensor(tensor: Tensor, raw: boolean): TensorPlan {
  let shapeBytes = 0;
  for (const d of tensor.shape) shapeBytes += uintSize(d);
  let size = stringFieldSize(tensor.name) + stringFieldSize(tensor.datatype);
  if (tensor.shape.length > 0) size += lenFieldSize(shapeBytes);
  let contents: ContentsPlan | undefined;
  let rawBytes: Uint8Array | undefined;
  if (raw) rawBytes = tensorToBytes(tensor);
  else {
    contents = planContents(tensor.datatype, tensor.data);
    size += lenFieldSize(contents.size);
  }
  return { tensor, shapeBytes, contents, rawBytes, size };
}

function writeTensor(w: ProtoWriter, field: number, p: TensorPlan): void {
  w.lenHeader(field, p.size);
  w.stringField(1, p.tensor.name);
  w.stringField(2, p.tensor.datatype);
  if (p.tensor.shape.length > 0) {
    w.lenHeader(3, p.shapeBytes);
    for (const d of p.tensor.shape) w.uint(d);
  }
  if (p.contents) {
    w.lenHeader(5, p.contents.size);
    writeContents(w, p.contents);
  }
}

function optionalString(s: string | undefined): number {
  return s ? stringFieldSize(s) : 0;
}

/**
 * Encodes a ModelInferRequest (`kind: 'request'`: tensors are `inputs`, raw data in field 7) or a ModelInferResponse
 * (`'response'`: `outputs`, field 6). `wrapStream` wraps a response as ModelStreamInferResponse.infer_response.
 */
export function encodeInferMessage(kind: 'request' | 'response', m: InferMessage, wrapStream = false): Uint8Array {
  const raw = usesRaw(m.tensors, m.raw);
  const params = planParameters(m.parameters);
  const tensors = m.tensors.map((t) => planTensor(t, raw));
  let size =
    stringFieldSize(m.modelName) + optionalString(m.modelVersion) + optionalString(m.id) + parametersSize(params);
  for (const t of tensors) size += lenFieldSize(t.size);
  const outputs = (m.outputs ?? []).map((o) => {
    const p = planParameters(o.parameters);
    return { name: o.name, params: p, size: stringFieldSize(o.name) + parametersSize(p) };
  });
  for (const o of outputs) size += lenFieldSize(o.size);
  if (raw) for (const t of tensors) size += lenFieldSize(t.rawBytes!.length);

  const total = wrapStream ? lenFieldSize(size) : size;
  const w = new ProtoWriter(total);
  if (wrapStream) w.lenHeader(2, size);
  w.stringField(1, m.modelName);
  if (m.modelVersion) w.stringField(2, m.modelVersion);
  if (m.id) w.stringField(3, m.id);
  writeParameters(w, 4, params);
  for (const t of tensors) writeTensor(w, 5, t);
  for (const o of outputs) {
    w.lenHeader(6, o.size);
    w.stringField(1, o.name);
    writeParameters(w, 2, o.params);
  }
  const rawField = kind === 'request' ? 7 : 6;
  if (raw) for (const t of tensors) w.bytesField(rawField, t.rawBytes!);
  return w.finish();
}

/** A ModelStreamInferResponse carrying only an error message. */
export function encodeStreamError(message: string): Uint8Array {
  const w = new ProtoWriter(stringFieldSize(message));
  w.stringField(1, message);
  return w.finish();
}
