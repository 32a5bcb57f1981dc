import { datatypeOfElemType } from '../protocol/onnx-elem-types.js';
import type { Datatype, TensorMetadata } from './types.js';

/**
 * Reads an uploaded ONNX file's graph inputs and outputs with a minimal protobuf walk (no protobuf library, no
 * runtime), so uploaded versions show the same signature the server would read from its session. Anything that is not
 * a well-formed ModelProto with a graph is rejected the way the server rejects what ONNX Runtime cannot load.
 */
export interface OnnxSignature {
  inputs: TensorMetadata[];
  outputs: TensorMetadata[];
}

export class OnnxFormatError extends Error {}

/** What ONNX Runtime says about bytes that are not a protobuf ModelProto. */
const PROTOBUF_FAILED = 'Failed to load model because protobuf parsing failed.';

class WireError extends OnnxFormatError {
  constructor(readonly detail: string) {
    super(PROTOBUF_FAILED);
  }
}

interface Field {
  field: number;
  varint: number;
  start: number;
  end: number;
}

function* fields(buf: Uint8Array, start: number, end: number): Generator<Field> {
  let pos = start;
  const varint = (): number => {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) throw new WireError('truncated varint');
      const byte = buf[pos++] as number;
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return result;
      scale *= 128;
    }
    throw new WireError('varint too long');
  };
  while (pos < end) {
    const tag = varint();
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    if (field < 1) throw new WireError(`invalid field number at byte ${pos}`);
    if (wire === 0) {
      yield { field, varint: varint(), start: pos, end: pos };
    } else if (wire === 1 || wire === 5) {
      pos += wire === 1 ? 8 : 4;
      if (pos > end) throw new WireError('truncated fixed-width field');
    } else if (wire === 2) {
      const length = varint();
      if (pos + length > end) throw new WireError(`field ${field} runs past the end of its message`);
      yield { field, varint: 0, start: pos, end: pos + length };
      pos += length;
    } else {
      throw new WireError(`unsupported wire type ${wire}`);
    }
  }
}

const decoder = new TextDecoder();
const text = (buf: Uint8Array, f: Field) => decoder.decode(buf.subarray(f.start, f.end));

function valueInfo(buf: Uint8Array, info: Field): TensorMetadata {
  let name = '';
  let datatype: Datatype | undefined;
  const shape: number[] = [];
  for (const f of fields(buf, info.start, info.end)) {
    if (f.field === 1) name = text(buf, f);
    if (f.field !== 2) continue;
    for (const t of fields(buf, f.start, f.end)) {
      if (t.field !== 1) throw new OnnxFormatError(`graph value '${name}' is not a tensor`);
      for (const tf of fields(buf, t.start, t.end)) {
        if (tf.field === 1) {
          datatype = datatypeOfElemType(tf.varint);
          if (!datatype) throw new OnnxFormatError(`graph value '${name}' has unsupported element type ${tf.varint}`);
        }
        if (tf.field !== 2) continue;
        for (const dim of fields(buf, tf.start, tf.end)) {
          if (dim.field !== 1) continue;
          let size = -1;
          for (const d of fields(buf, dim.start, dim.end)) if (d.field === 1) size = d.varint;
          shape.push(size);
        }
      }
    }
  }
  if (!datatype) throw new OnnxFormatError(`graph value '${name}' has no tensor type`);
  return { name, datatype, shape };
}

export function readOnnxSignature(bytes: Uint8Array): OnnxSignature {
  if (bytes.length === 0) throw new OnnxFormatError('the file is empty');
  let graph: Field | undefined;
  for (const f of fields(bytes, 0, bytes.length)) if (f.field === 7 && f.end > f.start) graph = f;
  if (!graph) throw new OnnxFormatError('no graph in the model');
  const inputs: TensorMetadata[] = [];
  const outputs: TensorMetadata[] = [];
  const initializers = new Set<string>();
  for (const f of fields(bytes, graph.start, graph.end)) {
    if (f.field === 5) {
      for (const t of fields(bytes, f.start, f.end)) if (t.field === 8) initializers.add(text(bytes, t));
    }
    if (f.field === 11) inputs.push(valueInfo(bytes, f));
    if (f.field === 12) outputs.push(valueInfo(bytes, f));
  }
  if (outputs.length === 0) throw new OnnxFormatError('the graph has no outputs');
  return { inputs: inputs.filter((i) => !initializers.has(i.name)), outputs };
}
