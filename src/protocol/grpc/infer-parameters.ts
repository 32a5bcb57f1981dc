// `map<string, InferParameter>` of the inference messages ↔ a plain object of JSON-like values, as OIP's REST
// `parameters` are. InferParameter is a oneof: bool 1, int64 2, string 3, double 4, uint64 5.

import {
  lenFieldSize,
  type ProtoReader,
  type ProtoWriter,
  stringFieldSize,
  uintSize,
  varint64Size,
  WIRE_FIXED64,
  WIRE_LEN,
  WIRE_VARINT,
} from './proto-wire.js';

/** A parameter value: integers beyond 2^53 stay exact as bigint. */
export type GrpcParameter = boolean | number | string | bigint;
export type GrpcParameters = Record<string, GrpcParameter>;

/** Reads one map entry (its bytes) into `into`. */
export function readParameterEntry(r: ProtoReader, into: GrpcParameters): void {
  const entry = r.sub();
  let key = '';
  let value: GrpcParameter = '';
  while (!entry.done) {
    const tag = entry.tag();
    if (tag === ((1 << 3) | WIRE_LEN)) key = entry.string();
    else if (tag === ((2 << 3) | WIRE_LEN)) value = readParameter(entry.sub());
    else entry.skip(tag & 7);
  }
  into[key] = value;
}

function readParameter(r: ProtoReader): GrpcParameter {
  let value: GrpcParameter = '';
  while (!r.done) {
    const tag = r.tag();
    switch (tag) {
      case (1 << 3) | WIRE_VARINT:
        value = r.bool();
        break;
      case (2 << 3) | WIRE_VARINT:
        r.varint64();
        value = exactInteger(r.lo, r.hi, true);
        break;
      case (3 << 3) | WIRE_LEN:
        value = r.string();
        break;
      case (4 << 3) | WIRE_FIXED64:
        value = r.double();
        break;
      case (5 << 3) | WIRE_VARINT:
        r.varint64();
        value = exactInteger(r.lo, r.hi, false);
        break;
      default:
        r.skip(tag & 7);
    }
  }
  return value;
}

/** A 64-bit integer from its halves: a number when exact, else a bigint. */
function exactInteger(lo: number, hi: number, signed: boolean): number | bigint {
  if (signed && hi & 0x80000000) {
    const big = BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
    return big >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(big) : big;
  }
  if (hi < 0x200000) return hi * 0x100000000 + lo;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

interface Encoded {
  key: string;
  value: GrpcParameter;
  /** Size of the InferParameter message. */
  valueSize: number;
  /** Size of the map entry message. */
  entrySize: number;
}

/** Map entries ready to size and write (values that are null or undefined are left out). */
export function planParameters(parameters: Readonly<Record<string, unknown>> | undefined): Encoded[] {
  if (!parameters) return [];
  const out: Encoded[] = [];
  for (const key in parameters) {
    const value = parameters[key];
    if (value === undefined || value === null) continue;
    if (
      typeof value !== 'boolean' &&
      typeof value !== 'number' &&
      typeof value !== 'string' &&
      typeof value !== 'bigint'
    )
      continue;
    const valueSize = parameterSize(value);
    out.push({ key, value, valueSize, entrySize: stringFieldSize(key) + lenFieldSize(valueSize) });
  }
  return out;
}

/** Bytes of the map field (field `field`) with every entry, tags included. */
export function parametersSize(plan: readonly Encoded[]): number {
  let n = 0;
  for (const e of plan) n += lenFieldSize(e.entrySize);
  return n;
}

export function writeParameters(w: ProtoWriter, field: number, plan: readonly Encoded[]): void {
  for (const e of plan) {
    w.lenHeader(field, e.entrySize);
    w.stringField(1, e.key);
    w.lenHeader(2, e.valueSize);
    writeParameter(w, e.value);
  }
}

function parameterSize(v: GrpcParameter): number {
  if (typeof v === 'boolean') return 2;
  if (typeof v === 'string') return stringFieldSize(v);
  if (typeof v === 'number') return Number.isSafeInteger(v) ? 1 + int64Size(v) : 9;
  const [lo, hi] = halves(v);
  return 1 + varint64Size(lo, hi);
}

function writeParameter(w: ProtoWriter, v: GrpcParameter): void {
  if (typeof v === 'boolean') {
    w.tag(1, WIRE_VARINT);
    w.uint32(v ? 1 : 0);
  } else if (typeof v === 'string') {
    w.stringField(3, v);
  } else if (typeof v === 'number') {
    if (Number.isSafeInteger(v)) {
      w.tag(2, WIRE_VARINT);
      w.int64Number(v);
    } else {
      w.tag(4, WIRE_FIXED64);
      w.double(v);
    }
  } else {
    // Beyond int64's range only uint64 can hold it.
    w.tag(v > 0x7fffffffffffffffn ? 5 : 2, WIRE_VARINT);
    const [lo, hi] = halves(v);
    w.varint64(lo, hi);
  }
}

function int64Size(n: number): number {
  return n < 0 ? 10 : uintSize(n);
}

function halves(v: bigint): [number, number] {
  const u = BigInt.asUintN(64, v);
  return [Number(u & 0xffffffffn), Number(u >> 32n)];
}
