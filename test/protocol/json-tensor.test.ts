import { describe, expect, it } from 'vitest';
import {
  DATATYPES,
  decodeJsonTensor,
  encodeJsonTensor,
  encodeTensorJsonData,
  float16BitsToNumber,
  ProtocolError,
  parseJsonLossless,
  stringifyJson,
  type Tensor,
} from '../../src/protocol/index.js';
import { INT64_MAX, INT64_MIN, plain, SAMPLES, UINT64_MAX } from './fixtures.js';

function errorOf(fn: () => unknown): ProtocolError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ProtocolError) return e;
    throw e;
  }
  throw new Error('expected a ProtocolError');
}

function input(datatype: string, shape: unknown, data: unknown): unknown {
  return { name: 'x', datatype, shape, data };
}

describe('OIP JSON tensors', () => {
  it.each(DATATYPES)('round-trips %s through JSON text exactly', (dt) => {
    const t = SAMPLES[dt];
    const text = stringifyJson({ outputs: [encodeJsonTensor(t)] });
    const parsed = parseJsonLossless(text) as { outputs: unknown[] };
    const back = decodeJsonTensor(parsed.outputs[0], 'outputs[0]');
    expect(back.name).toBe(t.name);
    expect(back.datatype).toBe(dt);
    expect(back.shape).toEqual(t.shape);
    expect(back.data.constructor).toBe(t.data.constructor);
    expect(plain(back.data)).toEqual(plain(t.data));
  });

  it('writes 64-bit extremes as exact integer literals and reads them back', () => {
    const text = stringifyJson(encodeJsonTensor(SAMPLES.INT64));
    expect(text).toContain('[-9223372036854775808,9223372036854775807,-9007199254740993,5]');
    const u = stringifyJson(encodeJsonTensor(SAMPLES.UINT64));
    expect(u).toContain('[0,18446744073709551615,9007199254740993,42]');
    const back = decodeJsonTensor(parseJsonLossless(text), 'x').data as BigInt64Array;
    expect([...back]).toEqual([INT64_MIN, INT64_MAX, -9007199254740993n, 5n]);
    const ub = decodeJsonTensor(parseJsonLossless(u), 'x').data as BigUint64Array;
    expect(ub[1]).toBe(UINT64_MAX);
  });

  it('encodes safe 64-bit integers as plain numbers, unsafe ones as bigint', () => {
    expect(encodeTensorJsonData(SAMPLES.INT64)).toEqual([INT64_MIN, INT64_MAX, -9007199254740993n, 5]);
  });

  it('carries NaN and ±Infinity as strings and accepts them for every float type', () => {
    const text = stringifyJson(encodeJsonTensor(SAMPLES.FP32));
    expect(text).toContain('"NaN","Infinity","-Infinity"');
    expect(() => JSON.parse(text)).not.toThrow();
    for (const dt of ['FP16', 'FP32', 'FP64']) {
      const t = decodeJsonTensor(input(dt, [3], ['NaN', 'Infinity', '-Infinity']), 'inputs[0]');
      const values = dt === 'FP16' ? Array.from(t.data as Uint16Array, float16BitsToNumber) : plain(t.data);
      expect(values).toEqual([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    }
  });

  it('encodes BOOL as JSON booleans and FP16 as decoded numbers', () => {
    expect(encodeTensorJsonData(SAMPLES.BOOL)).toEqual([true, false, false, true]);
    expect(encodeTensorJsonData(SAMPLES.FP16)).toEqual([1, -2, 65504, 2 ** -24, 'Infinity', 'NaN']);
  });

  it('rounds FP32 inputs to float32 and FP16 inputs to half bits', () => {
    const f32 = decodeJsonTensor(input('FP32', [1], [0.1]), 'x').data as Float32Array;
    expect(f32[0]).toBe(Math.fround(0.1));
    const f16 = decodeJsonTensor(input('FP16', [2], [1, 6.1e-5]), 'x').data as Uint16Array;
    expect([...f16]).toEqual([0x3c00, 0x03ff]);
  });

  it('accepts 64-bit integers as numbers, bigints and decimal strings', () => {
    const t = decodeJsonTensor(input('INT64', [3], [7, -8n, '-9223372036854775808']), 'x');
    expect([...(t.data as BigInt64Array)]).toEqual([7n, -8n, INT64_MIN]);
  });

  it('flattens nested data that matches the shape', () => {
    const t = decodeJsonTensor(
      input(
        'INT32',
        [2, 2, 3],
        [
          [
            [1, 2, 3],
            [4, 5, 6],
          ],
          [
            [7, 8, 9],
            [10, 11, 12],
          ],
        ],
      ),
      'inputs[0]',
    );
    expect([...(t.data as Int32Array)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(t.shape).toEqual([2, 2, 3]);
  });

  it('accepts flat data for a multi-dimensional shape, a scalar, and empty tensors', () => {
    expect([...(decodeJsonTensor(input('FP64', [2, 3], [1, 2, 3, 4, 5, 6]), 'x').data as Float64Array)]).toEqual([
      1, 2, 3, 4, 5, 6,
    ]);
    expect([...(decodeJsonTensor(input('FP64', [], [4.5]), 'x').data as Float64Array)]).toEqual([4.5]);
    expect(decodeJsonTensor(input('FP32', [0, 3], []), 'x').data).toHaveLength(0);
  });

  it('decodes a 150k-element FP32 array', () => {
    const values = Array.from({ length: 150_528 }, (_, i) => (i % 100) / 8);
    const t = decodeJsonTensor(input('FP32', [1, 3, 224, 224], values), 'x');
    const d = t.data as Float32Array;
    expect(d.length).toBe(150_528);
    expect(d[150_527]).toBe(values[150_527]);
  });

  describe('error messages', () => {
    const cases: [string, unknown, string, string][] = [
      [
        'flat count',
        input('FP32', [2, 3], [1, 2, 3, 4, 5]),
        'input_shape_mismatch',
        'inputs[0].data: expected 6 values for shape [2,3], got 5',
      ],
      [
        'outer nesting',
        input(
          'FP32',
          [2, 3],
          [
            [1, 2, 3],
            [4, 5, 6],
            [7, 8, 9],
          ],
        ),
        'input_shape_mismatch',
        'inputs[0].data: expected 2 nested arrays (dimension 0 of shape [2,3]) or 6 flat values, got 3',
      ],
      [
        'inner length',
        input(
          'FP32',
          [2, 3],
          [
            [1, 2, 3],
            [4, 5],
          ],
        ),
        'input_shape_mismatch',
        'inputs[0].data[1]: expected 3 values (dimension 1 of shape [2,3]), got 2',
      ],
      [
        'mixed nesting',
        input('FP32', [2, 3], [[1, 2, 3], 4]),
        'input_shape_mismatch',
        'inputs[0].data[1]: expected an array of 3 values (dimension 1 of shape [2,3]), got 4',
      ],
      [
        'too deep',
        input('FP32', [2, 1], [[[1]], [[2]]]),
        'datatype_mismatch',
        'inputs[0].data[0][0]: expected a number (or "NaN", "Infinity", "-Infinity") for FP32, got an array of 1',
      ],
      [
        'string in floats',
        input('FP32', [2], [1, 'abc']),
        'datatype_mismatch',
        'inputs[0].data[1]: expected a number (or "NaN", "Infinity", "-Infinity") for FP32, got "abc"',
      ],
      [
        'nested element path',
        input(
          'INT8',
          [2, 2],
          [
            [1, 2],
            [3, 300],
          ],
        ),
        'datatype_mismatch',
        'inputs[0].data[1][1]: expected an integer in [-128, 127] for INT8, got 300',
      ],
      [
        'uint8 negative',
        input('UINT8', [1], [-1]),
        'datatype_mismatch',
        'inputs[0].data[0]: expected an integer in [0, 255] for UINT8, got -1',
      ],
      [
        'int32 fraction',
        input('INT32', [1], [1.5]),
        'datatype_mismatch',
        'inputs[0].data[0]: expected an integer in [-2147483648, 2147483647] for INT32, got 1.5',
      ],
      [
        'uint32 over',
        input('UINT32', [1], [4294967296]),
        'datatype_mismatch',
        'inputs[0].data[0]: expected an integer in [0, 4294967295] for UINT32, got 4294967296',
      ],
      [
        'uint16 over',
        input('UINT16', [1], [65536]),
        'datatype_mismatch',
        'inputs[0].data[0]: expected an integer in [0, 65535] for UINT16, got 65536',
      ],
      [
        'int16 under',
        input('INT16', [1], [-32769]),
        'datatype_mismatch',
        'inputs[0].data[0]: expected an integer in [-32768, 32767] for INT16, got -32769',
      ],
      [
        'int64 over',
        input('INT64', [1], [9223372036854775808n]),
        'datatype_mismatch',
        'inputs[0].data[0]: expected an integer in [-9223372036854775808, 9223372036854775807] for INT64, got 9223372036854775808',
      ],
      [
        'uint64 negative',
        input('UINT64', [1], [-1]),
        'datatype_mismatch',
        'inputs[0].data[0]: expected an integer in [0, 18446744073709551615] for UINT64, got -1',
      ],
      [
        'bool number',
        input('BOOL', [1], [1]),
        'datatype_mismatch',
        'inputs[0].data[0]: expected true or false for BOOL, got 1',
      ],
      [
        'bytes number',
        input('BYTES', [1], [5]),
        'datatype_mismatch',
        'inputs[0].data[0]: expected a string for BYTES, got 5',
      ],
      [
        'fp32 overflow',
        input('FP32', [1], [1e39]),
        'datatype_mismatch',
        'inputs[0].data[0]: expected a FP32 value of magnitude at most 3.4028234663852886e+38, got 1e+39',
      ],
      [
        'fp16 overflow',
        input('FP16', [1], [70000]),
        'datatype_mismatch',
        'inputs[0].data[0]: expected a FP16 value of magnitude at most 65504, got 70000',
      ],
      [
        'null element',
        input('FP64', [1], [null]),
        'datatype_mismatch',
        'inputs[0].data[0]: expected a number (or "NaN", "Infinity", "-Infinity") for FP64, got null',
      ],
      [
        'missing data',
        { name: 'x', datatype: 'FP32', shape: [1] },
        'invalid_input',
        'inputs[0].data: expected an array of values, got nothing',
      ],
      [
        'not an object',
        [1, 2],
        'invalid_input',
        'inputs[0]: expected a tensor object {name, shape, datatype, data}, got an array of 2',
      ],
      [
        'bad name',
        { name: '', datatype: 'FP32', shape: [1], data: [1] },
        'invalid_input',
        'inputs[0].name: expected a non-empty string, got ""',
      ],
      [
        'bad datatype',
        input('FLOAT32', [1], [1]),
        'invalid_input',
        'inputs[0].datatype: expected one of BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES, got "FLOAT32"',
      ],
      [
        'negative dim',
        input('FP32', [2, -1], [1, 2]),
        'invalid_input',
        'inputs[0].shape: expected an array of non-negative integers, got -1 at index 1',
      ],
      [
        'shape not array',
        input('FP32', 3, [1, 2, 3]),
        'invalid_input',
        'inputs[0].shape: expected an array of non-negative integers, got 3',
      ],
      [
        'bad parameters',
        { ...(input('FP32', [1], [1]) as object), parameters: 'x' },
        'invalid_input',
        'inputs[0].parameters: expected an object, got "x"',
      ],
    ];
    it.each(cases)('%s', (_label, value, code, message) => {
      const e = errorOf(() => decodeJsonTensor(value, 'inputs[0]'));
      expect(e.message).toBe(message);
      expect(e.code).toBe(code);
      expect(message.startsWith(`${e.field}: `)).toBe(true);
    });

    it('rejects shapes whose element count is not a safe integer', () => {
      const e = errorOf(() => decodeJsonTensor(input('FP32', [2 ** 40, 2 ** 40], []), 'inputs[0]'));
      expect(e.code).toBe('payload_too_large');
      expect(e.message).toBe('inputs[0].shape: shape [1099511627776,1099511627776] has too many elements');
    });

    it('does not accept TF-Serving b64 objects in OIP BYTES data', () => {
      expect(errorOf(() => decodeJsonTensor(input('BYTES', [1], [{ b64: 'YQ==' }]), 'inputs[0]')).message).toBe(
        'inputs[0].data[0]: expected a string for BYTES, got an object',
      );
    });

    it('rejects tensors beyond maxElements with payload_too_large', () => {
      const e = errorOf(() => decodeJsonTensor(input('FP32', [10, 10], []), 'inputs[0]', { maxElements: 50 }));
      expect(e.code).toBe('payload_too_large');
      expect(e.message).toBe('inputs[0].data: expected at most 50 elements, got 100');
    });

    it('rejects encoding a tensor whose data does not fit its shape or datatype', () => {
      const short: Tensor = { name: 'y', datatype: 'FP32', shape: [2, 2], data: new Float32Array(3) };
      expect(errorOf(() => encodeJsonTensor(short)).message).toBe('y: expected 4 values for shape [2,2], got 3');
      const wrong: Tensor = { name: 'y', datatype: 'FP32', shape: [2], data: new Float64Array(2) };
      expect(errorOf(() => encodeJsonTensor(wrong)).message).toBe(
        'y: expected Float32Array data for FP32, got Float64Array',
      );
    });
  });
});
