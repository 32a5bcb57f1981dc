// Reading constant tensors (initializers, tensor attributes) back: TensorProto → dims, OIP datatype and values, from
// raw_data or from whichever typed field the producer used (onnx.proto allows either for most types).
import type { onnx } from 'onnx-proto';
import type { Datatype } from '../../src/protocol/tensor.js';
import { datatypeOfElemType } from './datatypes.js';
import { float16Value } from './float16.js';

type ITensorProto = onnx.ITensorProto;

/** What a protobuf int64 decodes to: a number, or a Long-like object when the `long` package is present. */
export type Int64 = number | { toNumber(): number } | null | undefined;

/**
 * A constant tensor's values in the canonical typed array of its datatype (FP16 as raw half bits in a Uint16Array,
 * BOOL as 0/1 bytes, as src/protocol/tensor.ts has them); BYTES as one byte string per element.
 */
export type ConstantValues =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Uint8Array[];

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A protobuf int64 (number or Long) as a number; throws beyond 2^53. */
export function int64Number(value: Int64): number {
  if (value === null || value === undefined) return 0;
  const n = typeof value === 'number' ? value : value.toNumber();
  if (!Number.isSafeInteger(n)) throw new RangeError(`int64 ${String(n)} is not a safe integer`);
  return n;
}

export function tensorDims(tensor: ITensorProto): number[] {
  return (tensor.dims ?? []).map((d) => int64Number(d as Int64));
}

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((n, d) => n * d, 1);
}

/** The tensor's OIP datatype; throws for element types OIP has no name for (bfloat16, float8, complex, int4). */
export function tensorDatatype(tensor: ITensorProto): Datatype {
  const datatype = datatypeOfElemType(tensor.dataType ?? 0);
  if (!datatype) throw new TypeError(`tensor ${tensor.name ?? ''}: element type ${tensor.dataType} is not supported`);
  return datatype;
}

/** Whether the values live outside the model file (data_location EXTERNAL), which a bytes-only rewrite cannot read. */
export function isExternal(tensor: ITensorProto): boolean {
  return tensor.dataLocation === 1 || (tensor.externalData?.length ?? 0) > 0;
}

/** The tensor's values (see ConstantValues); throws for external data and for a value count that does not fit dims. */
export function tensorValues(tensor: ITensorProto): ConstantValues {
  const name = tensor.name ?? '';
  if (isExternal(tensor)) throw new TypeError(`tensor ${name}: its values are stored in an external file`);
  const datatype = tensorDatatype(tensor);
  const count = elementCount(tensorDims(tensor));
  const values = datatype === 'BYTES' ? [...(tensor.stringData ?? [])] : fixedValues(tensor, datatype, count);
  if (values.length !== count) {
    throw new TypeError(
      `tensor ${name}: dims [${tensorDims(tensor).join(', ')}] need ${count} values, found ${values.length}`,
    );
  }
  return values;
}

/** The values of a floating-point tensor (FP32, FP16 or FP64) as float32; throws for other datatypes. */
export function floatValues(tensor: ITensorProto): Float32Array {
  const datatype = tensorDatatype(tensor);
  const values = tensorValues(tensor);
  if (datatype === 'FP32') return values as Float32Array;
  if (datatype === 'FP64') return Float32Array.from(values as Float64Array);
  if (datatype === 'FP16') return Float32Array.from(values as Uint16Array, float16Value);
  throw new TypeError(`tensor ${tensor.name ?? ''} is ${datatype}, not a floating-point tensor`);
}

type FixedDatatype = Exclude<Datatype, 'BYTES'>;

const ARRAY_OF: Record<
  FixedDatatype,
  { new (n: number): Exclude<ConstantValues, Uint8Array[]>; BYTES_PER_ELEMENT: number }
> = {
  FP32: Float32Array,
  FP64: Float64Array,
  INT8: Int8Array,
  UINT8: Uint8Array,
  BOOL: Uint8Array,
  INT16: Int16Array,
  UINT16: Uint16Array,
  FP16: Uint16Array,
  INT32: Int32Array,
  UINT32: Uint32Array,
  INT64: BigInt64Array,
  UINT64: BigUint64Array,
};

function fixedValues(
  tensor: ITensorProto,
  datatype: FixedDatatype,
  count: number,
): Exclude<ConstantValues, Uint8Array[]> {
  const Ctor = ARRAY_OF[datatype];
  const raw = tensor.rawData;
  if (raw && raw.length > 0) {
    const width = Ctor.BYTES_PER_ELEMENT;
    if (raw.length !== count * width) {
      throw new TypeError(`tensor ${tensor.name ?? ''}: raw_data has ${raw.length} bytes, expected ${count * width}`);
    }
    // A copy: raw_data is a view into the model bytes, at any alignment, in little-endian order.
    const bytes = Uint8Array.from(raw);
    if (!HOST_LITTLE_ENDIAN && width > 1) {
      for (let i = 0; i < bytes.length; i += width) bytes.subarray(i, i + width).reverse();
    }
    const out = new Ctor(count);
    new Uint8Array(out.buffer).set(bytes);
    return out;
  }
  const field = typedField(tensor, datatype);
  if (field.length !== count) {
    throw new TypeError(`tensor ${tensor.name ?? ''}: dims need ${count} values, found ${field.length}`);
  }
  const out = new Ctor(count);
  if (out instanceof BigInt64Array || out instanceof BigUint64Array) {
    // Long's decimal string keeps every digit, also beyond 2^53 (and unsigned for uint64_data).
    for (let i = 0; i < count; i++)
      out[i] = BigInt(typeof field[i] === 'number' ? (field[i] as number) : String(field[i]));
  } else {
    for (let i = 0; i < count; i++) {
      const v = field[i];
      out[i] = typeof v === 'number' ? v : int64Number(v as Int64);
    }
  }
  return out;
}

/** The typed field onnx.proto stores a datatype in when raw_data is not used. */
function typedField(tensor: ITensorProto, datatype: FixedDatatype): ArrayLike<number | Int64> {
  switch (datatype) {
    case 'FP32':
      return tensor.floatData ?? [];
    case 'FP64':
      return tensor.doubleData ?? [];
    case 'INT64':
      return (tensor.int64Data ?? []) as ArrayLike<Int64>;
    case 'UINT32':
    case 'UINT64':
      return (tensor.uint64Data ?? []) as ArrayLike<Int64>;
    default:
      // INT8, UINT8, INT16, UINT16, INT32, BOOL and FP16 (its bits) all live in int32_data.
      return tensor.int32Data ?? [];
  }
}
