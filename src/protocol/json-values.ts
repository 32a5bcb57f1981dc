// JSON element values ↔ canonical tensor data, shared by the OIP JSON and TF-Serving codecs.
// One tight loop per datatype (hot path: 150k-element FP32 arrays); error text is only built on failure.

import { decodeBase64 } from './base64.js';
import { ProtocolError } from './errors.js';
import {
  type Datatype,
  describeValue,
  FP16_OVERFLOW_THRESHOLD,
  float16BitsToNumber,
  numberToFloat16Bits,
  type TensorData,
} from './tensor.js';
import { tryDecodeUtf8 } from './utf8.js';

/** A JSON-ready element: bigint for 64-bit integers beyond 2^53, strings for non-finite floats and BYTES. */
export type JsonScalar = number | string | boolean | bigint;

export interface WriteValuesOptions {
  /** Accept TF-Serving's `{"b64": "..."}` objects for BYTES elements. */
  allowB64?: boolean;
}

/** Names element `i` of the source array, e.g. `inputs[0].data[1][2]`. Only called to build an error. */
export type DescribeElement = (i: number) => string;

const INT_RANGE: Partial<Record<Datatype, readonly [number, number]>> = {
  UINT8: [0, 0xff],
  UINT16: [0, 0xffff],
  UINT32: [0, 0xffffffff],
  INT8: [-0x80, 0x7f],
  INT16: [-0x8000, 0x7fff],
  INT32: [-0x80000000, 0x7fffffff],
};

const BIG_RANGE = {
  INT64: [-(2n ** 63n), 2n ** 63n - 1n],
  UINT64: [0n, 2n ** 64n - 1n],
} as const;

// FLT_MAX plus half an ulp: a float64 at or beyond this rounds to infinity in a Float32Array.
const FP32_OVERFLOW_THRESHOLD = (2 - 2 ** -24) * 2 ** 127;
const FP32_MAX = (2 - 2 ** -23) * 2 ** 127;
const TWO_POW_63 = 2 ** 63;
const TWO_POW_64 = 2 ** 64;
const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Validates `src` against `datatype` and writes it into `out` from `offset`. Throws `datatype_mismatch`
 * naming the element, what the datatype accepts and what came.
 */
export function writeJsonValues(
  datatype: Datatype,
  src: readonly unknown[],
  out: TensorData,
  offset: number,
  describe: DescribeElement,
  options?: WriteValuesOptions,
): void {
  const n = src.length;
  switch (datatype) {
    case 'BOOL': {
      const o = out as Uint8Array;
      for (let i = 0; i < n; i++) {
        const v = src[i];
        if (v === true) o[offset + i] = 1;
        else if (v === false) o[offset + i] = 0;
        else throw mismatch(describe(i), `expected true or false for BOOL, got ${describeValue(v)}`);
      }
      return;
    }
    case 'UINT8':
    case 'UINT16':
    case 'UINT32':
    case 'INT8':
    case 'INT16':
    case 'INT32': {
      const [min, max] = INT_RANGE[datatype]!;
      const o = out as Uint8Array | Uint16Array | Uint32Array | Int8Array | Int16Array | Int32Array;
      for (let i = 0; i < n; i++) {
        const v = src[i];
        if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) o[offset + i] = v;
        else o[offset + i] = smallIntSlow(v, datatype, min, max, describe, i);
      }
      return;
    }
    case 'INT64':
    case 'UINT64': {
      const isSigned = datatype === 'INT64';
      const lo = isSigned ? -TWO_POW_63 : 0;
      const hi = isSigned ? TWO_POW_63 : TWO_POW_64;
      const o = out as BigInt64Array | BigUint64Array;
      for (let i = 0; i < n; i++) {
        const v = src[i];
        if (typeof v === 'number' && Number.isInteger(v) && v >= lo && v < hi) o[offset + i] = BigInt(v);
        else o[offset + i] = bigIntSlow(v, datatype, describe, i);
      }
      return;
    }
    case 'FP32': {
      const o = out as Float32Array;
      for (let i = 0; i < n; i++) {
        const v = src[i];
        if (typeof v === 'number' && v < FP32_OVERFLOW_THRESHOLD && v > -FP32_OVERFLOW_THRESHOLD) o[offset + i] = v;
        else o[offset + i] = floatSlow(v, datatype, describe, i);
      }
      return;
    }
    case 'FP64': {
      const o = out as Float64Array;
      for (let i = 0; i < n; i++) {
        const v = src[i];
        if (typeof v === 'number') o[offset + i] = v;
        else o[offset + i] = floatSlow(v, datatype, describe, i);
      }
      return;
    }
    case 'FP16': {
      const o = out as Uint16Array;
      for (let i = 0; i < n; i++) {
        const v = src[i];
        const x =
          typeof v === 'number' && v < FP16_OVERFLOW_THRESHOLD && v > -FP16_OVERFLOW_THRESHOLD
            ? v
            : floatSlow(v, datatype, describe, i);
        o[offset + i] = numberToFloat16Bits(x);
      }
      return;
    }
    case 'BYTES': {
      const o = out as string[];
      const allowB64 = options?.allowB64 === true;
      for (let i = 0; i < n; i++) {
        const v = src[i];
        if (typeof v === 'string') o[offset + i] = v;
        else o[offset + i] = bytesSlow(v, allowB64, describe, i);
      }
      return;
    }
  }
}

function mismatch(field: string, detail: string): ProtocolError {
  return new ProtocolError('datatype_mismatch', field, detail);
}

function smallIntSlow(
  v: unknown,
  datatype: Datatype,
  min: number,
  max: number,
  describe: DescribeElement,
  i: number,
): number {
  if (typeof v === 'bigint' && v >= BigInt(min) && v <= BigInt(max)) return Number(v);
  throw mismatch(describe(i), `expected an integer in [${min}, ${max}] for ${datatype}, got ${describeValue(v)}`);
}

function bigIntSlow(v: unknown, datatype: 'INT64' | 'UINT64', describe: DescribeElement, i: number): bigint {
  const [min, max] = BIG_RANGE[datatype];
  let b: bigint | undefined;
  if (typeof v === 'bigint') b = v;
  // Decimal strings are accepted too: the protobuf JSON mapping writes 64-bit integers that way.
  else if (typeof v === 'string' && /^-?\d{1,20}$/.test(v)) b = BigInt(v);
  if (b !== undefined && b >= min && b <= max) return b;
  throw mismatch(describe(i), `expected an integer in [${min}, ${max}] for ${datatype}, got ${describeValue(v)}`);
}

function floatSlow(v: unknown, datatype: 'FP16' | 'FP32' | 'FP64', describe: DescribeElement, i: number): number {
  let x: number | undefined;
  if (typeof v === 'number') x = v;
  else if (typeof v === 'bigint') x = Number(v);
  else if (v === 'NaN') return Number.NaN;
  else if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  else if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (x === undefined) {
    throw mismatch(
      describe(i),
      `expected a number (or "NaN", "Infinity", "-Infinity") for ${datatype}, got ${describeValue(v)}`,
    );
  }
  const limit =
    datatype === 'FP16'
      ? FP16_OVERFLOW_THRESHOLD
      : datatype === 'FP32'
        ? FP32_OVERFLOW_THRESHOLD
        : Number.POSITIVE_INFINITY;
  if (Number.isFinite(x) && Math.abs(x) >= limit) {
    const largest = datatype === 'FP16' ? 65504 : FP32_MAX;
    throw mismatch(
      describe(i),
      `expected a ${datatype} value of magnitude at most ${largest}, got ${describeValue(v)}`,
    );
  }
  return x;
}

function bytesSlow(v: unknown, allowB64: boolean, describe: DescribeElement, i: number): string {
  if (allowB64 && typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const b64 = (v as { b64?: unknown }).b64;
    const keys = Object.keys(v);
    if (typeof b64 === 'string' && keys.length === 1) {
      const field = `${describe(i)}.b64`;
      const text = tryDecodeUtf8(decodeBase64(b64, field));
      if (text === undefined) {
        throw mismatch(field, 'expected base64 of UTF-8 text (BYTES tensors carry UTF-8 strings), got other bytes');
      }
      return text;
    }
  }
  const expected = allowB64 ? 'a string or {"b64": "..."}' : 'a string';
  throw mismatch(describe(i), `expected ${expected} for BYTES, got ${describeValue(v)}`);
}

/**
 * Canonical data → flat JSON-ready values: BOOL as booleans, FP16 decoded, non-finite floats as
 * "NaN"/"Infinity"/"-Infinity", 64-bit integers as numbers when safe and bigint otherwise.
 */
export function tensorDataToJsonValues(datatype: Datatype, data: TensorData): JsonScalar[] {
  return toJsonValues(datatype, data, false) as JsonScalar[];
}

/** An element native `JSON.stringify` writes exactly as the lossless writer would. */
export type NativeJsonScalar = number | string | boolean;

/**
 * The values of `tensorDataToJsonValues` when native `JSON.stringify` writes every one of them exactly, checked in
 * the same loop that copies them; undefined as soon as one needs the lossless writer (NaN or ±Infinity, -0, a
 * 64-bit integer beyond 2^53). Lets a body of such values be serialized by one `JSON.stringify`.
 */
export function tensorDataToNativeJsonValues(datatype: Datatype, data: TensorData): NativeJsonScalar[] | undefined {
  return toJsonValues(datatype, data, true) as NativeJsonScalar[] | undefined;
}

/** Whether native JSON cannot write `v` as is: NaN, ±Infinity (no JSON numbers) or -0 (written as 0). */
function notNative(v: number): boolean {
  return v - v !== 0 || (v === 0 && 1 / v < 0);
}

// One loop per datatype for both forms; `nativeOnly` gives up at the first value native JSON would not write exactly.
function toJsonValues(datatype: Datatype, data: TensorData, nativeOnly: boolean): JsonScalar[] | undefined {
  const n = data.length;
  // push() keeps the array packed (a preallocated one is holey), which native JSON.stringify writes faster.
  const out: JsonScalar[] = [];
  switch (datatype) {
    case 'BOOL': {
      const d = data as Uint8Array;
      for (let i = 0; i < n; i++) out.push(d[i] !== 0);
      return out;
    }
    case 'INT64':
    case 'UINT64': {
      const d = data as BigInt64Array | BigUint64Array;
      for (let i = 0; i < n; i++) {
        const v = d[i]!;
        if (v <= MAX_SAFE_BIG && v >= -MAX_SAFE_BIG) out.push(Number(v));
        else if (nativeOnly) return undefined;
        else out.push(v);
      }
      return out;
    }
    case 'FP16':
    case 'FP32':
    case 'FP64': {
      const half = datatype === 'FP16';
      const d = data as Uint16Array | Float32Array | Float64Array;
      for (let i = 0; i < n; i++) {
        const v = half ? float16BitsToNumber(d[i]!) : d[i]!;
        if (!notNative(v)) out.push(v);
        else if (nativeOnly) return undefined;
        else out.push(finiteOrName(v));
      }
      return out;
    }
    case 'BYTES':
      return (data as string[]).slice();
    default: {
      const d = data as Uint8Array | Uint16Array | Uint32Array | Int8Array | Int16Array | Int32Array;
      for (let i = 0; i < n; i++) out.push(d[i]!);
      return out;
    }
  }
}

/** JSON cannot carry NaN or ±Infinity: they travel as strings. */
export function finiteOrName(v: number): number | string {
  if (v - v === 0) return v;
  if (Number.isNaN(v)) return 'NaN';
  return v > 0 ? 'Infinity' : '-Infinity';
}
