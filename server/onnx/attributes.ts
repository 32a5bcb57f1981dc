// Node attributes. A JS number cannot say whether it is an int or a float, so plain values are inferred
// (integer → INT, otherwise FLOAT) and the explicit wrappers settle the rest, e.g. Gemm's alpha: `attr.float(1)`.
import type { onnx } from 'onnx-proto';
import type { Datatype } from '../../src/protocol/tensor.js';
import { type TensorValues, tensorProto } from './tensor-proto.js';

type IAttributeProto = onnx.IAttributeProto;

// onnx.proto AttributeProto.AttributeType
const FLOAT = 1;
const INT = 2;
const STRING = 3;
const TENSOR = 4;
const FLOATS = 6;
const INTS = 7;
const STRINGS = 8;

/** A constant tensor as an attribute value (e.g. Constant's `value`, ConstantOfShape's `value`). */
export interface TensorAttribute {
  kind: 'tensor';
  datatype: Datatype;
  dims: readonly number[];
  values: TensorValues;
}

/** An attribute whose ONNX type is stated rather than inferred. */
export type TypedAttribute =
  | { kind: 'int'; value: number | bigint }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'ints'; value: ReadonlyArray<number | bigint> }
  | { kind: 'floats'; value: readonly number[] }
  | { kind: 'strings'; value: readonly string[] }
  | TensorAttribute;

/**
 * An attribute value: a typed wrapper, or a plain value whose type is inferred — bigint or integer number → INT,
 * other number → FLOAT, string → STRING, array → INTS if every element is an integer, else FLOATS
 * (an empty array is INTS; use `attr.floats([])` for FLOATS).
 */
export type AttributeValue = TypedAttribute | number | bigint | string | ReadonlyArray<number | bigint>;

export type Attributes = Record<string, AttributeValue>;

/** Explicit attribute constructors, for when inference would pick the wrong type. */
export const attr = {
  int: (value: number | bigint): TypedAttribute => ({ kind: 'int', value }),
  float: (value: number): TypedAttribute => ({ kind: 'float', value }),
  string: (value: string): TypedAttribute => ({ kind: 'string', value }),
  ints: (value: ReadonlyArray<number | bigint>): TypedAttribute => ({ kind: 'ints', value }),
  floats: (value: readonly number[]): TypedAttribute => ({ kind: 'floats', value }),
  strings: (value: readonly string[]): TypedAttribute => ({ kind: 'strings', value }),
  tensor: (datatype: Datatype, dims: readonly number[], values: TensorValues): TensorAttribute => ({
    kind: 'tensor',
    datatype,
    dims,
    values,
  }),
};

const utf8 = new TextEncoder();

function isInteger(v: number | bigint): boolean {
  return typeof v === 'bigint' || Number.isInteger(v);
}

function toTyped(name: string, value: AttributeValue): TypedAttribute {
  if (typeof value === 'bigint') return { kind: 'int', value };
  if (typeof value === 'number') return Number.isInteger(value) ? { kind: 'int', value } : { kind: 'float', value };
  if (typeof value === 'string') return { kind: 'string', value };
  if (Array.isArray(value)) {
    const list = value as ReadonlyArray<number | bigint>;
    return list.every(isInteger) ? { kind: 'ints', value: list } : { kind: 'floats', value: list.map(Number) };
  }
  if (typeof value === 'object' && value !== null && 'kind' in value) return value as TypedAttribute;
  throw new TypeError(`attribute ${name}: unsupported value ${String(value)}`);
}

// protobufjs takes int64 as number or Long; a bigint outside the safe range would silently lose digits.
function int64(name: string, v: number | bigint): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new TypeError(`attribute ${name}: ${String(v)} is not a safe integer`);
  return n;
}

export function attributeProto(name: string, value: AttributeValue): IAttributeProto {
  const typed = toTyped(name, value);
  switch (typed.kind) {
    case 'int':
      return { name, type: INT, i: int64(name, typed.value) };
    case 'float':
      return { name, type: FLOAT, f: typed.value };
    case 'string':
      return { name, type: STRING, s: utf8.encode(typed.value) };
    case 'ints':
      return { name, type: INTS, ints: typed.value.map((v) => int64(name, v)) };
    case 'floats':
      return { name, type: FLOATS, floats: [...typed.value] };
    case 'strings':
      return { name, type: STRINGS, strings: typed.value.map((s) => utf8.encode(s)) };
    case 'tensor':
      return { name, type: TENSOR, t: tensorProto('', typed.datatype, typed.dims, typed.values) };
  }
}

/** Attribute protos in insertion order, so the same attributes always serialize to the same bytes. */
export function attributeProtos(attributes: Attributes | undefined): IAttributeProto[] {
  if (!attributes) return [];
  return Object.entries(attributes).map(([name, value]) => attributeProto(name, value));
}
