// The datatype table and the Tensor shape every codec decodes into and encodes from.
// Pure and browser-safe: no Node built-ins, no Buffer.

import { ProtocolError } from './errors.js';

export type Datatype =
  | 'BOOL'
  | 'UINT8'
  | 'UINT16'
  | 'UINT32'
  | 'UINT64'
  | 'INT8'
  | 'INT16'
  | 'INT32'
  | 'INT64'
  | 'FP16'
  | 'FP32'
  | 'FP64'
  | 'BYTES';

export const DATATYPES: readonly Datatype[] = [
  'BOOL',
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'FP16',
  'FP32',
  'FP64',
  'BYTES',
];

/**
 * Canonical decoded contents. BOOL is a Uint8Array of 0/1; FP16 is a Uint16Array of raw IEEE half bits;
 * BYTES is one UTF-8 string per element.
 */
export type TensorData =
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Float32Array
  | Float64Array
  | string[];

export interface Tensor {
  name: string;
  datatype: Datatype;
  shape: number[];
  data: TensorData;
}

/** OIP tensor metadata (a model's declared input or output); -1 marks a dynamic dimension. */
export interface TensorMetadata {
  name: string;
  datatype: Datatype;
  shape: number[];
}

export type FixedDatatype = Exclude<Datatype, 'BYTES'>;

export type TypedArrayConstructor =
  | Uint8ArrayConstructor
  | Uint16ArrayConstructor
  | Uint32ArrayConstructor
  | BigUint64ArrayConstructor
  | Int8ArrayConstructor
  | Int16ArrayConstructor
  | Int32ArrayConstructor
  | BigInt64ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor;

export type TypedTensorData = Exclude<TensorData, string[]>;

interface FixedInfo {
  byteSize: number;
  arrayType: TypedArrayConstructor;
}

const FIXED: Record<FixedDatatype, FixedInfo> = {
  BOOL: { byteSize: 1, arrayType: Uint8Array },
  UINT8: { byteSize: 1, arrayType: Uint8Array },
  UINT16: { byteSize: 2, arrayType: Uint16Array },
  UINT32: { byteSize: 4, arrayType: Uint32Array },
  UINT64: { byteSize: 8, arrayType: BigUint64Array },
  INT8: { byteSize: 1, arrayType: Int8Array },
  INT16: { byteSize: 2, arrayType: Int16Array },
  INT32: { byteSize: 4, arrayType: Int32Array },
  INT64: { byteSize: 8, arrayType: BigInt64Array },
  FP16: { byteSize: 2, arrayType: Uint16Array },
  FP32: { byteSize: 4, arrayType: Float32Array },
  FP64: { byteSize: 8, arrayType: Float64Array },
};

const DATATYPE_SET: ReadonlySet<string> = new Set(DATATYPES);

export function isDatatype(x: unknown): x is Datatype {
  return typeof x === 'string' && DATATYPE_SET.has(x);
}

/** Bytes per element; undefined for BYTES (variable length). */
export function datatypeByteSize(datatype: Datatype): number | undefined {
  return datatype === 'BYTES' ? undefined : FIXED[datatype].byteSize;
}

/** The typed array that holds decoded data; undefined for BYTES (string[]). */
export function typedArrayConstructorOf(datatype: Datatype): TypedArrayConstructor | undefined {
  return datatype === 'BYTES' ? undefined : FIXED[datatype].arrayType;
}

/** A zero-filled data container of the canonical kind for `datatype`. */
export function allocateTensorData(datatype: Datatype, count: number): TensorData {
  if (datatype === 'BYTES') return new Array<string>(count).fill('');
  return new FIXED[datatype].arrayType(count);
}

/** Product of the dimensions (1 for a scalar shape []). */
export function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i]!;
  return n;
}

/**
 * The datatype a typed array naturally maps to. Uint8Array maps to UINT8 (not BOOL) and Uint16Array to UINT16
 * (not FP16): those need an explicit datatype. A string array maps to BYTES.
 */
export function datatypeOfTypedArray(arr: ArrayBufferView | readonly string[]): Datatype {
  if (Array.isArray(arr)) return 'BYTES';
  if (arr instanceof Float32Array) return 'FP32';
  if (arr instanceof Float64Array) return 'FP64';
  if (arr instanceof Int32Array) return 'INT32';
  if (arr instanceof BigInt64Array) return 'INT64';
  if (arr instanceof Uint8Array || arr instanceof Uint8ClampedArray) return 'UINT8';
  if (arr instanceof Int8Array) return 'INT8';
  if (arr instanceof Int16Array) return 'INT16';
  if (arr instanceof Uint16Array) return 'UINT16';
  if (arr instanceof Uint32Array) return 'UINT32';
  if (arr instanceof BigUint64Array) return 'UINT64';
  throw new ProtocolError(
    'invalid_input',
    'data',
    `expected a typed array or a string array, got ${arr.constructor.name}`,
  );
}

/**
 * Checks that a tensor's data is the canonical container for its datatype and holds shape's element count.
 * Encoders call this so a bad tensor fails with a clear message instead of producing a corrupt body.
 */
export function checkTensor(t: Tensor, field: string = t.name): void {
  const { datatype, data } = t;
  if (datatype === 'BYTES') {
    if (!Array.isArray(data)) {
      throw new ProtocolError(
        'datatype_mismatch',
        field,
        `expected a string array for BYTES, got ${data.constructor.name}`,
      );
    }
  } else {
    const arrayType = FIXED[datatype].arrayType;
    if (!(data instanceof arrayType)) {
      const got = Array.isArray(data) ? 'an array' : (data as object).constructor.name;
      throw new ProtocolError(
        'datatype_mismatch',
        field,
        `expected ${arrayType.name} data for ${datatype}, got ${got}`,
      );
    }
  }
  const count = elementCount(t.shape);
  if (data.length !== count) {
    throw new ProtocolError(
      'input_shape_mismatch',
      field,
      `expected ${count} values for shape ${formatShape(t.shape)}, got ${data.length}`,
    );
  }
}

/** Size of the tensor's data in the binary tensor extension (BYTES: 4-byte length prefix + UTF-8 per element). */
export function byteSizeOf(tensor: Tensor): number {
  const { datatype, data } = tensor;
  if (datatype !== 'BYTES') return elementCount(tensor.shape) * FIXED[datatype].byteSize;
  let total = 0;
  for (let i = 0; i < data.length; i++) total += 4 + utf8ByteLength((data as string[])[i]!);
  return total;
}

/** UTF-8 length as TextEncoder would write it (lone surrogates become U+FFFD, 3 bytes). */
export function utf8ByteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/** `[2,3]` — the form error messages use. */
export function formatShape(shape: readonly unknown[]): string {
  return `[${shape.join(',')}]`;
}

/**
 * Checks an OIP tensor shape (non-negative integers, no -1) and returns it as a fresh number[].
 * Also bounds the element count so later allocations cannot be absurd.
 */
export function checkShape(shape: unknown, field: string): number[] {
  if (!Array.isArray(shape)) {
    throw new ProtocolError(
      'invalid_input',
      field,
      `expected an array of non-negative integers, got ${describeValue(shape)}`,
    );
  }
  const out = new Array<number>(shape.length);
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    const n = typeof d === 'bigint' ? Number(d) : d;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
      throw new ProtocolError(
        'invalid_input',
        field,
        `expected an array of non-negative integers, got ${describeValue(d)} at index ${i}`,
      );
    }
    out[i] = n;
  }
  if (!Number.isSafeInteger(elementCount(out))) {
    throw new ProtocolError('payload_too_large', field, `shape ${formatShape(out)} has too many elements`);
  }
  return out;
}

export interface DecodeOptions {
  /** Largest element count accepted per tensor; more fails with `payload_too_large`. */
  maxElements?: number;
}

export function checkElementLimit(count: number, field: string, options: DecodeOptions | undefined): void {
  const max = options?.maxElements;
  if (max !== undefined && count > max) {
    throw new ProtocolError('payload_too_large', field, `expected at most ${max} elements, got ${count}`);
  }
}

/** Short, safe rendering of a received value for error messages. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') return 'an object';
  return typeof v;
}

// ---- FP16 -------------------------------------------------------------------------------------------------

/** Converts raw IEEE 754 binary16 bits to a number (exact). */
export function float16BitsToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1024 + frac) * 2 ** (exp - 25);
}

/** Largest finite FP16 plus half an ulp: anything at or beyond rounds to infinity. */
export const FP16_OVERFLOW_THRESHOLD = 65520;

/**
 * Rounds a number to the nearest binary16 (ties to even) and returns its bits. Rounds directly from
 * float64 (going through float32 first would round twice). NaN becomes the quiet NaN 0x7e00.
 */
export function numberToFloat16Bits(x: number): number {
  if (Number.isNaN(x)) return 0x7e00;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a >= FP16_OVERFLOW_THRESHOLD) return sign | 0x7c00;
  if (a < 2 ** -14) {
    // Subnormal: units of 2^-24; a rounding carry into 1024 lands exactly on the smallest normal's bits.
    return sign | roundHalfEven(a * 2 ** 24);
  }
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  let m = roundHalfEven(a * 2 ** (10 - e));
  if (m === 2048) {
    m = 1024;
    e++;
  }
  return sign | ((e + 15) << 10) | (m - 1024);
}

function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

export type { ProtocolErrorCode } from './errors.js';
export { ProtocolError } from './errors.js';
