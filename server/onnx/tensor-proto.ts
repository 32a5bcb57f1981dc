// Constant tensors (initializers, tensor attributes) as TensorProto: fixed-size types as little-endian raw_data,
// BYTES (ONNX STRING) as string_data, which is the only place ONNX allows strings.
import type { onnx } from 'onnx-proto';
import type { Datatype } from '../../src/protocol/tensor.js';
import { onnxElemType } from './datatypes.js';
import { float16Bits } from './float16.js';

type ITensorProto = onnx.ITensorProto;

/**
 * Values for a constant tensor. Numeric types take their typed array or plain numbers (bigints for 64-bit
 * integers); BOOL takes booleans or 0/1; FP16 takes a Uint16Array of raw half bits or plain numbers (rounded);
 * BYTES takes strings (written as UTF-8) or raw byte strings.
 */
export type TensorValues = ArrayLike<number | bigint | boolean> | readonly string[] | readonly Uint8Array[];

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const utf8 = new TextEncoder();

type FixedArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

function toBigInts(values: TensorValues, datatype: Datatype): bigint[] {
  return Array.from(values as ArrayLike<unknown>, (v, i) => {
    if (typeof v === 'bigint') return v;
    if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
    throw new TypeError(`${datatype} value ${i} must be an integer or a bigint, got ${String(v)}`);
  });
}

function toNumbers(values: TensorValues, datatype: Datatype): number[] {
  return Array.from(values as ArrayLike<unknown>, (v, i) => {
    if (typeof v === 'number') return v;
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (typeof v === 'bigint') return Number(v);
    throw new TypeError(`${datatype} value ${i} must be a number, got ${typeof v}`);
  });
}

/** The canonical typed array for a fixed-size datatype. */
function fixedArray(datatype: Exclude<Datatype, 'BYTES'>, values: TensorValues): FixedArray {
  switch (datatype) {
    case 'INT64':
      return values instanceof BigInt64Array ? values : BigInt64Array.from(toBigInts(values, datatype));
    case 'UINT64':
      return values instanceof BigUint64Array ? values : BigUint64Array.from(toBigInts(values, datatype));
    case 'FP16':
      return values instanceof Uint16Array ? values : Uint16Array.from(toNumbers(values, datatype), float16Bits);
    case 'BOOL':
      return Uint8Array.from(toNumbers(values, datatype), (v) => (v ? 1 : 0));
    case 'FP32':
      return values instanceof Float32Array ? values : Float32Array.from(toNumbers(values, datatype));
    case 'FP64':
      return values instanceof Float64Array ? values : Float64Array.from(toNumbers(values, datatype));
    case 'INT8':
      return Int8Array.from(toNumbers(values, datatype));
    case 'UINT8':
      return Uint8Array.from(toNumbers(values, datatype));
    case 'INT16':
      return Int16Array.from(toNumbers(values, datatype));
    case 'UINT16':
      return Uint16Array.from(toNumbers(values, datatype));
    case 'INT32':
      return Int32Array.from(toNumbers(values, datatype));
    case 'UINT32':
      return Uint32Array.from(toNumbers(values, datatype));
  }
}

/** A copy of the array's bytes in little-endian order, whatever the host's order. */
function littleEndianBytes(arr: FixedArray): Uint8Array {
  const bytes = new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength).slice();
  const width = arr.BYTES_PER_ELEMENT;
  if (!HOST_LITTLE_ENDIAN && width > 1) {
    for (let i = 0; i < bytes.length; i += width) bytes.subarray(i, i + width).reverse();
  }
  return bytes;
}

function elementCountOf(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) {
    if (!Number.isInteger(d) || d < 0) throw new TypeError(`constant tensor dims must be non-negative integers`);
    n *= d;
  }
  return n;
}

/** A TensorProto holding `values` with shape `dims` (all fixed: constants have no dynamic dimensions). */
export function tensorProto(
  name: string,
  datatype: Datatype,
  dims: readonly number[],
  values: TensorValues,
): ITensorProto {
  const count = elementCountOf(dims);
  if (values.length !== count) {
    throw new TypeError(`tensor ${name}: shape [${dims.join(', ')}] needs ${count} values, got ${values.length}`);
  }
  const proto: ITensorProto = { name, dataType: onnxElemType(datatype), dims: [...dims] };
  if (datatype === 'BYTES') {
    proto.stringData = Array.from(values as ArrayLike<unknown>, (v, i) => {
      if (typeof v === 'string') return utf8.encode(v);
      if (v instanceof Uint8Array) return v;
      throw new TypeError(`tensor ${name}: BYTES value ${i} must be a string or a Uint8Array`);
    });
  } else {
    proto.rawData = littleEndianBytes(fixedArray(datatype, values));
  }
  return proto;
}
