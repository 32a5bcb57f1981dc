import { describe, expect, it } from 'vitest';
import {
  byteSizeOf,
  DATATYPES,
  datatypeByteSize,
  datatypeOfTypedArray,
  elementCount,
  indexPath,
  inferShape,
  isDatatype,
  nestFlat,
  ProtocolError,
  typedArrayConstructorOf,
  utf8ByteLength,
} from '../../src/protocol/index.js';
import { SAMPLES } from './fixtures.js';

describe('datatype table', () => {
  it('lists the 13 OIP datatypes', () => {
    expect(DATATYPES).toEqual([
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
    ]);
  });

  it('recognises datatypes by exact name', () => {
    expect(isDatatype('FP32')).toBe(true);
    expect(isDatatype('fp32')).toBe(false);
    expect(isDatatype('FLOAT')).toBe(false);
    expect(isDatatype(3)).toBe(false);
  });

  it('gives element sizes and containers', () => {
    const sizes = Object.fromEntries(DATATYPES.map((d) => [d, datatypeByteSize(d)]));
    expect(sizes).toEqual({
      BOOL: 1,
      UINT8: 1,
      UINT16: 2,
      UINT32: 4,
      UINT64: 8,
      INT8: 1,
      INT16: 2,
      INT32: 4,
      INT64: 8,
      FP16: 2,
      FP32: 4,
      FP64: 8,
      BYTES: undefined,
    });
    expect(typedArrayConstructorOf('FP16')).toBe(Uint16Array);
    expect(typedArrayConstructorOf('BOOL')).toBe(Uint8Array);
    expect(typedArrayConstructorOf('INT64')).toBe(BigInt64Array);
    expect(typedArrayConstructorOf('BYTES')).toBeUndefined();
    for (const d of DATATYPES) {
      if (d !== 'BYTES') expect(SAMPLES[d].data).toBeInstanceOf(typedArrayConstructorOf(d)!);
    }
  });

  it('maps typed arrays to datatypes', () => {
    expect(datatypeOfTypedArray(new Float32Array(1))).toBe('FP32');
    expect(datatypeOfTypedArray(new Float64Array(1))).toBe('FP64');
    expect(datatypeOfTypedArray(new BigInt64Array(1))).toBe('INT64');
    expect(datatypeOfTypedArray(new BigUint64Array(1))).toBe('UINT64');
    expect(datatypeOfTypedArray(new Uint8Array(1))).toBe('UINT8');
    expect(datatypeOfTypedArray(new Int8Array(1))).toBe('INT8');
    expect(datatypeOfTypedArray(new Int16Array(1))).toBe('INT16');
    expect(datatypeOfTypedArray(new Uint16Array(1))).toBe('UINT16');
    expect(datatypeOfTypedArray(new Int32Array(1))).toBe('INT32');
    expect(datatypeOfTypedArray(new Uint32Array(1))).toBe('UINT32');
    expect(datatypeOfTypedArray(['a'])).toBe('BYTES');
    expect(() => datatypeOfTypedArray(new DataView(new ArrayBuffer(1)))).toThrow(
      'data: expected a typed array or a string array, got DataView',
    );
  });

  it('counts elements, with 1 for a scalar and 0 for an empty dimension', () => {
    expect(elementCount([2, 3, 4])).toBe(24);
    expect(elementCount([])).toBe(1);
    expect(elementCount([5, 0])).toBe(0);
  });

  it('sizes tensors as the binary extension writes them', () => {
    expect(byteSizeOf(SAMPLES.FP32)).toBe(24);
    expect(byteSizeOf(SAMPLES.INT64)).toBe(32);
    // Each BYTES element is a 4-byte length prefix plus its UTF-8 bytes.
    const bytes = SAMPLES.BYTES.data as string[];
    const expected = bytes.reduce((n, s) => n + 4 + new TextEncoder().encode(s).length, 0);
    expect(byteSizeOf(SAMPLES.BYTES)).toBe(expected);
  });

  it('measures UTF-8 exactly as TextEncoder writes it, lone surrogates included', () => {
    for (const s of ['', 'abc', 'é', '€', '😀', 'a\ud800b', '\udc00', '\ud83d', 'x\ud83d\ude00y']) {
      expect(utf8ByteLength(s)).toBe(new TextEncoder().encode(s).length);
    }
  });
});

describe('nesting helpers', () => {
  it('names element positions', () => {
    expect(indexPath(5, [2, 3])).toBe('[1][2]');
    expect(indexPath(0, [])).toBe('');
  });

  it('infers shapes from first elements', () => {
    expect(
      inferShape([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    ).toEqual([2, 3]);
    expect(inferShape(7)).toEqual([]);
    expect(inferShape([])).toEqual([0]);
  });

  it('rebuilds nested arrays', () => {
    expect(nestFlat([1, 2, 3, 4, 5, 6], [2, 3])).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(nestFlat([1, 2, 3, 4], [2], 2)).toEqual([3, 4]);
    expect(nestFlat([9], [])).toBe(9);
    expect(nestFlat([], [0, 3])).toEqual([]);
  });
});

describe('ProtocolError', () => {
  it('carries code, field and detail, and prefixes the message with the field', () => {
    const e = new ProtocolError('input_shape_mismatch', 'inputs[0].data', 'expected 6 values for shape [2,3], got 5');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('ProtocolError');
    expect(e.code).toBe('input_shape_mismatch');
    expect(e.field).toBe('inputs[0].data');
    expect(e.detail).toBe('expected 6 values for shape [2,3], got 5');
    expect(e.message).toBe('inputs[0].data: expected 6 values for shape [2,3], got 5');
    expect(new ProtocolError('invalid_json', '', 'bad').message).toBe('bad');
  });
});
