// `InferTensorContents` (the typed form of a tensor in the gRPC messages) ↔ canonical tensor data. Each datatype has
// one repeated field: BOOL bool_contents 1, INT8–32 int_contents 2, INT64 int64_contents 3, UINT8–32 uint_contents 4,
// UINT64 uint64_contents 5, FP32 fp32_contents 6, FP64 fp64_contents 7, BYTES bytes_contents 8. FP16 has none (it
// travels raw only). Packed numbers are read straight into typed arrays: FP32/FP64 as views when aligned.

import { ProtocolError } from '../errors.js';
import { type Datatype, formatShape, type TensorData, utf8ByteLength } from '../tensor.js';
import { tryDecodeUtf8, utf8Encoder } from '../utf8.js';
import {
  lenFieldSize,
  ProtoReader,
  type ProtoWriter,
  varint32Size,
  varint64Size,
  WIRE_FIXED32,
  WIRE_FIXED64,
  WIRE_LEN,
  WIRE_VARINT,
} from './proto-wire.js';

const FIELD_NAMES = [
  '',
  'bool_contents',
  'int_contents',
  'int64_contents',
  'uint_contents',
  'uint64_contents',
  'fp32_contents',
  'fp64_contents',
  'bytes_contents',
] as const;

const FIELD_OF: Record<Datatype, number> = {
  BOOL: 1,
  INT8: 2,
  INT16: 2,
  INT32: 2,
  INT64: 3,
  UINT8: 4,
  UINT16: 4,
  UINT32: 4,
  UINT64: 5,
  FP32: 6,
  FP64: 7,
  BYTES: 8,
  FP16: 0,
};

/** The InferTensorContents field that carries this datatype (`fp32_contents`), or undefined for FP16. */
export function contentsFieldName(datatype: Datatype): string | undefined {
  return FIELD_OF[datatype] ? FIELD_NAMES[FIELD_OF[datatype]] : undefined;
}

/** Whether a datatype can travel in `contents` (all but FP16). */
export function hasContentsField(datatype: Datatype): boolean {
  return FIELD_OF[datatype] !== 0;
}

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const INT_RANGES: Partial<Record<Datatype, [number, number]>> = {
  INT8: [-128, 127],
  INT16: [-32768, 32767],
  UINT8: [0, 255],
  UINT16: [0, 65535],
};

/**
 * Reads the contents of a tensor of `datatype` and `shape` (`count` elements). `what` names the tensor in errors,
 * e.g. `inputs[0].contents`. Values in another datatype's field, or too few or too many, are a ProtocolError.
 */
export function readContents(
  bytes: Uint8Array,
  datatype: Datatype,
  shape: readonly number[],
  count: number,
  what: string,
): TensorData {
  const field = FIELD_OF[datatype];
  if (field === 0) {
    throw new ProtocolError(
      'invalid_input',
      what,
      'FP16 has no typed contents field; send FP16 tensors as raw_input_contents (IEEE half bits, little-endian)',
    );
  }
  const c = new Collector(datatype, count, shape, what);
  const r = new ProtoReader(bytes);
  while (!r.done) {
    const tag = r.tag();
    const number = tag >>> 3;
    const wire = tag & 7;
    if (number !== field) {
      if (number >= 1 && number <= 8) {
        const [start, end] = wire === WIRE_LEN ? r.span() : [0, 1];
        if (wire !== WIRE_LEN) r.skip(wire);
        if (end > start) {
          throw new ProtocolError(
            'datatype_mismatch',
            what,
            `the tensor is ${datatype}, so its values go in ${FIELD_NAMES[field]}; got ${FIELD_NAMES[number]}`,
          );
        }
      } else r.skip(wire);
      continue;
    }
    if (wire === WIRE_LEN && field !== 8) {
      const [start, end] = r.span();
      c.packed(bytes, start, end);
    } else if (field === 8 && wire === WIRE_LEN) {
      c.element(r.bytes());
    } else if (wire === expectedScalarWire(field)) {
      c.scalar(r);
    } else {
      throw new ProtocolError('invalid_input', what, `${FIELD_NAMES[field]} has wire type ${wire}, not a valid one`);
    }
  }
  return c.finish();
}

function expectedScalarWire(field: number): number {
  if (field === 6) return WIRE_FIXED32;
  if (field === 7) return WIRE_FIXED64;
  return WIRE_VARINT;
}

/** Gathers one tensor's values from packed runs and single elements. */
class Collector {
  readonly out: TensorData;
  n = 0;
  readonly u32: Uint32Array | undefined;
  readonly range: [number, number] | undefined;

  constructor(
    readonly datatype: Datatype,
    readonly count: number,
    readonly shape: readonly number[],
    readonly what: string,
  ) {
    this.range = INT_RANGES[datatype];
    switch (datatype) {
      case 'BYTES':
        this.out = [];
        break;
      case 'BOOL':
      case 'UINT8':
        this.out = new Uint8Array(count);
        break;
      case 'INT8':
        this.out = new Int8Array(count);
        break;
      case 'INT16':
        this.out = new Int16Array(count);
        break;
      case 'UINT16':
        this.out = new Uint16Array(count);
        break;
      case 'INT32':
        this.out = new Int32Array(count);
        break;
      case 'UINT32':
        this.out = new Uint32Array(count);
        break;
      case 'INT64':
        this.out = new BigInt64Array(count);
        break;
      case 'UINT64':
        this.out = new BigUint64Array(count);
        break;
      case 'FP64':
        this.out = new Float64Array(count);
        break;
      default:
        this.out = new Float32Array(count);
    }
    if (datatype === 'INT64' || datatype === 'UINT64') {
      const o = this.out as BigInt64Array;
      this.u32 = new Uint32Array(o.buffer, o.byteOffset, count * 2);
    }
  }

  #room(k: number): void {
    if (this.n + k > this.count) this.#wrongCount(`more than ${this.count}`);
  }

  #wrongCount(got: string): never {
    throw new ProtocolError(
      'input_shape_mismatch',
      this.what,
      `expected ${this.count} values for shape ${formatShape(this.shape)}, got ${got}`,
    );
  }

  packed(buf: Uint8Array, start: number, end: number): void {
    const dt = this.datatype;
    if (dt === 'FP32' || dt === 'FP64') {
      const size = dt === 'FP32' ? 4 : 8;
      const bytes = end - start;
      if (bytes % size !== 0) {
        throw new ProtocolError(
          'invalid_input',
          this.what,
          `${FIELD_NAMES[FIELD_OF[dt]]} has ${bytes} bytes, not a multiple of ${size}`,
        );
      }
      const k = bytes / size;
      this.#room(k);
      const target = new Uint8Array((this.out as Float32Array).buffer, this.n * size, bytes);
      if (HOST_IS_LITTLE_ENDIAN) target.set(buf.subarray(start, end));
      else {
        const view = new DataView(buf.buffer, buf.byteOffset + start, bytes);
        const out = this.out as Float32Array | Float64Array;
        for (let i = 0; i < k; i++)
          out[this.n + i] = size === 4 ? view.getFloat32(i * 4, true) : view.getFloat64(i * 8, true);
      }
      this.n += k;
      return;
    }
    const r = new ProtoReader(buf, start, end);
    while (!r.done) this.scalar(r);
  }

  scalar(r: ProtoReader): void {
    this.#room(1);
    const i = this.n++;
    switch (this.datatype) {
      case 'FP32':
        (this.out as Float32Array)[i] = r.float();
        return;
      case 'FP64':
        (this.out as Float64Array)[i] = r.double();
        return;
      case 'INT64':
      case 'UINT64':
        r.varint64();
        this.#put64(i, r.lo, r.hi);
        return;
      case 'BOOL':
        (this.out as Uint8Array)[i] = r.uint32() !== 0 ? 1 : 0;
        return;
      default: {
        const signed = this.datatype.startsWith('INT');
        const v = signed ? r.int32() : r.uint32();
        const range = this.range;
        if (range && (v < range[0] || v > range[1])) {
          throw new ProtocolError(
            'invalid_input',
            `${this.what}.${FIELD_NAMES[FIELD_OF[this.datatype]]}[${i}]`,
            `${v} is out of range for ${this.datatype} [${range[0]}, ${range[1]}]`,
          );
        }
        (this.out as Int32Array)[i] = v;
      }
    }
  }

  #put64(i: number, lo: number, hi: number): void {
    if (HOST_IS_LITTLE_ENDIAN) {
      this.u32![2 * i] = lo;
      this.u32![2 * i + 1] = hi;
    } else {
      const big = (BigInt(hi) << 32n) | BigInt(lo);
      if (this.datatype === 'INT64') (this.out as BigInt64Array)[i] = BigInt.asIntN(64, big);
      else (this.out as BigUint64Array)[i] = big;
    }
  }

  element(bytes: Uint8Array): void {
    this.#room(1);
    const s = tryDecodeUtf8(bytes);
    if (s === undefined) {
      throw new ProtocolError(
        'invalid_input',
        `${this.what}.bytes_contents[${this.n}]`,
        'expected UTF-8 text, got bytes that are not',
      );
    }
    (this.out as string[]).push(s);
    this.n++;
  }

  finish(): TensorData {
    if (this.n !== this.count) this.#wrongCount(String(this.n));
    return this.out;
  }
}

// ---- writing --------------------------------------------------------------------------------------------------

/** A tensor's contents, sized: `size` is the InferTensorContents message's length. */
export interface ContentsPlan {
  datatype: Datatype;
  data: TensorData;
  /** Bytes of the packed run (fixed types and varints); for BYTES, each element's UTF-8 length. */
  payload: number;
  lengths: number[] | undefined;
  size: number;
}

export function planContents(datatype: Datatype, data: TensorData): ContentsPlan {
  const field = FIELD_OF[datatype];
  if (field === 0) throw new Error('FP16 has no contents field: send it raw');
  if (datatype === 'BYTES') {
    const strings = data as string[];
    const lengths = new Array<number>(strings.length);
    let size = 0;
    for (let i = 0; i < strings.length; i++) {
      const n = utf8ByteLength(strings[i]!);
      lengths[i] = n;
      size += lenFieldSize(n);
    }
    return { datatype, data, payload: 0, lengths, size };
  }
  const payload = packedSize(datatype, data);
  return { datatype, data, payload, lengths: undefined, size: data.length === 0 ? 0 : lenFieldSize(payload) };
}

function packedSize(datatype: Datatype, data: TensorData): number {
  switch (datatype) {
    case 'FP32':
      return data.length * 4;
    case 'FP64':
      return data.length * 8;
    case 'BOOL':
      return data.length;
    case 'INT64':
    case 'UINT64': {
      const a = data as BigInt64Array;
      const u32 = new Uint32Array(a.buffer, a.byteOffset, a.length * 2);
      let n = 0;
      if (HOST_IS_LITTLE_ENDIAN) for (let i = 0; i < u32.length; i += 2) n += varint64Size(u32[i]!, u32[i + 1]!);
      else
        for (const v of a)
          n += varint64Size(Number(BigInt.asUintN(64, v) & 0xffffffffn), Number(BigInt.asUintN(64, v) >> 32n));
      return n;
    }
    default: {
      const a = data as Int32Array;
      let n = 0;
      for (let i = 0; i < a.length; i++) n += varint32Size(a[i]!);
      return n;
    }
  }
}

export function writeContents(w: ProtoWriter, plan: ContentsPlan): void {
  const { datatype, data } = plan;
  const field = FIELD_OF[datatype];
  if (datatype === 'BYTES') {
    const strings = data as string[];
    const lengths = plan.lengths!;
    for (let i = 0; i < strings.length; i++) {
      const n = lengths[i]!;
      w.lenHeader(8, n);
      utf8Encoder.encodeInto(strings[i]!, w.buf.subarray(w.pos, w.pos + n));
      w.pos += n;
    }
    return;
  }
  if (data.length === 0) return;
  w.lenHeader(field, plan.payload);
  switch (datatype) {
    case 'FP32':
    case 'FP64': {
      const a = data as Float32Array | Float64Array;
      if (HOST_IS_LITTLE_ENDIAN) w.raw(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
      else for (const v of a) datatype === 'FP32' ? writeFloatLE(w, v) : w.double(v);
      return;
    }
    case 'BOOL': {
      const a = data as Uint8Array;
      for (let i = 0; i < a.length; i++) w.buf[w.pos++] = a[i] ? 1 : 0;
      return;
    }
    case 'INT64':
    case 'UINT64': {
      const a = data as BigInt64Array;
      if (HOST_IS_LITTLE_ENDIAN) {
        const u32 = new Uint32Array(a.buffer, a.byteOffset, a.length * 2);
        for (let i = 0; i < u32.length; i += 2) w.varint64(u32[i]!, u32[i + 1]!);
      } else {
        for (const v of a) {
          const u = BigInt.asUintN(64, v);
          w.varint64(Number(u & 0xffffffffn), Number(u >> 32n));
        }
      }
      return;
    }
    default: {
      const a = data as Int32Array;
      const signed = datatype.startsWith('INT');
      for (let i = 0; i < a.length; i++) {
        if (signed) w.int32(a[i]!);
        else w.uint32(a[i]!);
      }
    }
  }
}

function writeFloatLE(w: ProtoWriter, v: number): void {
  new DataView(w.buf.buffer, w.buf.byteOffset + w.pos, 4).setFloat32(0, v, true);
  w.pos += 4;
}
