// Protocol Buffers wire format, the few primitives the inference messages need: varints (32 and 64 bits, the
// latter as two uint32 halves so INT64/UINT64 stay exact without BigInt arithmetic), fixed 32/64, length-delimited.
// https://protobuf.dev/programming-guides/encoding/ — pure and browser-safe (Uint8Array and DataView only).

import { utf8ByteLength } from '../tensor.js';
import { utf8Encoder } from '../utf8.js';

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;

/** A message the reader cannot read: truncated, a bad wire type, a varint too long. */
export class ProtoWireError extends Error {
  override readonly name = 'ProtoWireError';
}

/** Reads one message (or a length-delimited part of one) from `buf[pos, end)`. */
export class ProtoReader {
  pos: number;
  readonly end: number;
  /** The halves of the last `varint64()`. */
  lo = 0;
  hi = 0;
  #view: DataView | undefined;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    end = buf.length,
  ) {
    this.pos = start;
    this.end = end;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** A field's tag: `field << 3 | wireType`. */
  tag(): number {
    return this.uint32();
  }

  /** A varint truncated to its low 32 bits, unsigned. */
  uint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    let b = buf[pos++]!;
    let value = b & 0x7f;
    if (b >= 0x80) {
      b = buf[pos++]!;
      value |= (b & 0x7f) << 7;
      if (b >= 0x80) {
        b = buf[pos++]!;
        value |= (b & 0x7f) << 14;
        if (b >= 0x80) {
          b = buf[pos++]!;
          value |= (b & 0x7f) << 21;
          if (b >= 0x80) {
            b = buf[pos++]!;
            value |= b << 28;
            // The 64-bit tail of a negative int32 (or a longer uint64): up to five more bytes, ignored.
            for (let i = 0; b >= 0x80 && i < 5; i++) b = buf[pos++]!;
            if (b >= 0x80) throw new ProtoWireError('a varint is longer than 10 bytes');
          }
        }
      }
    }
    if (pos > this.end) throw new ProtoWireError('the message ends inside a varint');
    this.pos = pos;
    return value >>> 0;
  }

  /** A varint read as int32 (negative values are sign-extended to 10 bytes on the wire). */
  int32(): number {
    return this.uint32() | 0;
  }

  /** A 64-bit varint into `lo` and `hi` (unsigned halves). */
  varint64(): void {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    let b = 0;
    let shift = 0;
    for (; shift < 28; shift += 7) {
      b = buf[pos++]!;
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) break;
    }
    if (b >= 0x80) {
      b = buf[pos++]!;
      lo |= (b & 0x7f) << 28;
      hi = (b & 0x7f) >> 4;
      for (shift = 3; b >= 0x80 && shift < 32; shift += 7) {
        b = buf[pos++]!;
        hi |= (b & 0x7f) << shift;
      }
      if (b >= 0x80) throw new ProtoWireError('a varint is longer than 10 bytes');
    }
    if (pos > this.end) throw new ProtoWireError('the message ends inside a varint');
    this.pos = pos;
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }

  /** An int64 varint as a number; undefined when it is negative or beyond 2^53 (not a valid dimension or count). */
  safeUint(): number | undefined {
    this.varint64();
    if (this.hi >= 0x200000) return undefined;
    return this.hi * 0x100000000 + this.lo;
  }

  /** An int64 varint as a number (exact within ±2^53, rounded beyond). */
  int64Number(): number {
    this.varint64();
    if (this.hi & 0x80000000) return -((~this.hi >>> 0) * 0x100000000 + (~this.lo >>> 0) + 1);
    return this.hi * 0x100000000 + this.lo;
  }

  bool(): boolean {
    return this.uint32() !== 0;
  }

  #dataView(): DataView {
    this.#view ??= new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    return this.#view;
  }

  double(): number {
    const value = this.#dataView().getFloat64(this.#advance(8), true);
    return value;
  }

  float(): number {
    return this.#dataView().getFloat32(this.#advance(4), true);
  }

  #advance(n: number): number {
    const at = this.pos;
    if (at + n > this.end) throw new ProtoWireError('the message ends inside a fixed-size field');
    this.pos = at + n;
    return at;
  }

  /** A length-delimited field's bounds: [start, end) in `buf`. */
  span(): [number, number] {
    const n = this.uint32();
    const start = this.pos;
    if (start + n > this.end) throw new ProtoWireError(`a field declares ${n} bytes, only ${this.end - start} remain`);
    this.pos = start + n;
    return [start, start + n];
  }

  /** A length-delimited field as a view of the message's bytes (no copy). */
  bytes(): Uint8Array {
    const [start, end] = this.span();
    return this.buf.subarray(start, end);
  }

  string(): string {
    const [start, end] = this.span();
    return decodeUtf8(this.buf, start, end);
  }

  /** A reader over an embedded message. */
  sub(): ProtoReader {
    const [start, end] = this.span();
    return new ProtoReader(this.buf, start, end);
  }

  /** Skips a field of an unknown number (proto3 readers ignore them). */
  skip(wireType: number): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.varint64();
        return;
      case WIRE_FIXED64:
        this.#advance(8);
        return;
      case WIRE_LEN:
        this.span();
        return;
      case WIRE_FIXED32:
        this.#advance(4);
        return;
      default:
        throw new ProtoWireError(`wire type ${wireType} is not supported (groups are not part of proto3)`);
    }
  }
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Short ASCII strings (tensor names, datatypes) are the common case: decoded without TextDecoder's call cost. */
function decodeUtf8(buf: Uint8Array, start: number, end: number): string {
  if (end - start <= 32) {
    let ascii = '';
    for (let i = start; i < end; i++) {
      const c = buf[i]!;
      if (c >= 0x80) return utf8Decode(buf, start, end);
      ascii += String.fromCharCode(c);
    }
    return ascii;
  }
  return utf8Decode(buf, start, end);
}

function utf8Decode(buf: Uint8Array, start: number, end: number): string {
  try {
    return utf8.decode(buf.subarray(start, end));
  } catch {
    throw new ProtoWireError(`a string field is not valid UTF-8 (${latin1.decode(buf.subarray(start, end))})`);
  }
}

// ---- sizes ----------------------------------------------------------------------------------------------------

export function varint32Size(n: number): number {
  if (n < 0) return 10; // a negative int32 is sign-extended to 64 bits
  if (n < 0x80) return 1;
  if (n < 0x4000) return 2;
  if (n < 0x200000) return 3;
  if (n < 0x10000000) return 4;
  return 5;
}

/** Size of a 64-bit varint given as unsigned halves. */
export function varint64Size(lo: number, hi: number): number {
  if (hi === 0) return varint32Size(lo >>> 0);
  if (hi < 0x8) return 5;
  if (hi < 0x400) return 6;
  if (hi < 0x20000) return 7;
  if (hi < 0x1000000) return 8;
  if (hi < 0x80000000) return 9;
  return 10;
}

/** Size of a non-negative integer (a dimension, a count) as a varint. */
export function uintSize(n: number): number {
  return n < 0x100000000 ? varint32Size(n) : varint64Size(n >>> 0, Math.floor(n / 0x100000000));
}

/** Size of a length-delimited field of `n` bytes, tag included (field numbers below 16: a 1-byte tag). */
export function lenFieldSize(n: number): number {
  return 1 + varint32Size(n) + n;
}

export function stringFieldSize(s: string): number {
  return lenFieldSize(utf8ByteLength(s));
}

// ---- writing --------------------------------------------------------------------------------------------------

/** Writes into a buffer of the exact size, computed first. */
export class ProtoWriter {
  readonly buf: Uint8Array;
  pos = 0;
  #view: DataView | undefined;

  constructor(size: number) {
    this.buf = new Uint8Array(size);
  }

  tag(field: number, wireType: number): void {
    this.uint32((field << 3) | wireType);
  }

  uint32(n: number): void {
    const buf = this.buf;
    let pos = this.pos;
    let v = n >>> 0;
    while (v >= 0x80) {
      buf[pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[pos++] = v;
    this.pos = pos;
  }

  int32(n: number): void {
    if (n >= 0) this.uint32(n);
    else this.varint64(n >>> 0, 0xffffffff);
  }

  varint64(lo: number, hi: number): void {
    if (hi === 0) {
      this.uint32(lo);
      return;
    }
    const buf = this.buf;
    let pos = this.pos;
    let l = lo >>> 0;
    let h = hi >>> 0;
    while (h > 0 || l >= 0x80) {
      buf[pos++] = (l & 0x7f) | 0x80;
      l = ((l >>> 7) | (h << 25)) >>> 0;
      h >>>= 7;
    }
    buf[pos++] = l;
    this.pos = pos;
  }

  /** A non-negative integer within 2^53. */
  uint(n: number): void {
    if (n < 0x100000000) this.uint32(n);
    else this.varint64(n >>> 0, Math.floor(n / 0x100000000));
  }

  /** An int64 given as a number within ±2^53. */
  int64Number(n: number): void {
    if (n >= 0) this.uint(n);
    else {
      const m = -n;
      const lo = m >>> 0;
      const hi = Math.floor(m / 0x100000000);
      // Two's complement of the 64-bit magnitude.
      const nlo = (~lo + 1) >>> 0;
      const nhi = (~hi + (nlo === 0 ? 1 : 0)) >>> 0;
      this.varint64(nlo, nhi);
    }
  }

  double(x: number): void {
    this.#dataView().setFloat64(this.pos, x, true);
    this.pos += 8;
  }

  #dataView(): DataView {
    this.#view ??= new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    return this.#view;
  }

  raw(bytes: Uint8Array): void {
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  bytesField(field: number, bytes: Uint8Array): void {
    this.tag(field, WIRE_LEN);
    this.uint32(bytes.length);
    this.raw(bytes);
  }

  stringField(field: number, s: string): void {
    this.tag(field, WIRE_LEN);
    const n = utf8ByteLength(s);
    this.uint32(n);
    if (n === s.length) {
      const buf = this.buf;
      let pos = this.pos;
      for (let i = 0; i < n; i++) buf[pos++] = s.charCodeAt(i);
      this.pos = pos;
    } else {
      utf8Encoder.encodeInto(s, this.buf.subarray(this.pos, this.pos + n));
      this.pos += n;
    }
  }

  /** Starts a length-delimited field whose content is `n` bytes; the caller writes them next. */
  lenHeader(field: number, n: number): void {
    this.tag(field, WIRE_LEN);
    this.uint32(n);
  }

  /** The written bytes; throws when the size computed beforehand was wrong (a bug, never the caller's data). */
  finish(): Uint8Array {
    if (this.pos !== this.buf.length) {
      throw new Error(`protobuf writer: wrote ${this.pos} bytes into a ${this.buf.length}-byte message`);
    }
    return this.buf;
  }
}
