import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DATATYPES,
  type Datatype,
  numberToFloat16Bits,
  parseJsonLossless,
  stringifyJson,
  type Tensor,
  tensorDataToJsonValues,
  tensorDataToNativeJsonValues,
} from '../../src/protocol/index.js';
import { decodeInferRequest, encodeInferResponse } from '../../src/protocol/oip-request.js';
import { encodePredictResponse } from '../../src/protocol/tf-serving.js';
import { SAMPLES } from './fixtures.js';

// The fast path of JSON responses: one native JSON.stringify when every value is one it writes exactly, the lossless
// writer otherwise. Both must give the same text.

/** A sample of each datatype with only values native JSON writes exactly (no NaN/±Inf, -0, 64-bit beyond 2^53). */
const FINITE: Record<Datatype, Tensor> = {
  ...SAMPLES,
  UINT64: { name: 'u64', datatype: 'UINT64', shape: [3], data: new BigUint64Array([0n, 9007199254740991n, 42n]) },
  INT64: { name: 'i64', datatype: 'INT64', shape: [3], data: new BigInt64Array([-9007199254740991n, 0n, 5n]) },
  FP16: { name: 'f16', datatype: 'FP16', shape: [3], data: new Uint16Array([1, -2, 65504].map(numberToFloat16Bits)) },
  FP32: { name: 'f32', datatype: 'FP32', shape: [3], data: new Float32Array([1.5, -0.1, 3.4028234663852886e38]) },
  FP64: { name: 'f64', datatype: 'FP64', shape: [3], data: new Float64Array([Math.PI, -1e308, 5e-324]) },
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('tensorDataToNativeJsonValues', () => {
  it('gives the lossless values whenever native JSON can carry them, for every datatype', () => {
    for (const datatype of DATATYPES) {
      const t = FINITE[datatype];
      const native = tensorDataToNativeJsonValues(t.datatype, t.data);
      expect(native, datatype).toEqual(tensorDataToJsonValues(t.datatype, t.data));
      expect(JSON.stringify(native), datatype).toBe(stringifyJson(tensorDataToJsonValues(t.datatype, t.data)));
    }
  });

  it('declines NaN, ±Infinity, -0 and 64-bit integers beyond 2^53', () => {
    for (const datatype of ['FP16', 'FP32', 'FP64', 'INT64', 'UINT64'] as const) {
      expect(tensorDataToNativeJsonValues(datatype, SAMPLES[datatype].data), datatype).toBeUndefined();
    }
    expect(tensorDataToNativeJsonValues('FP32', new Float32Array([1, -0]))).toBeUndefined();
    expect(tensorDataToNativeJsonValues('FP16', new Uint16Array([0x8000]))).toBeUndefined();
    expect(tensorDataToNativeJsonValues('INT64', new BigInt64Array([2n ** 53n]))).toBeUndefined();
    expect(tensorDataToNativeJsonValues('FP32', new Float32Array([0, 1]))).toEqual([0, 1]);
  });
});

describe('encodeInferResponse', () => {
  const request = decodeInferRequest({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1], data: [1] }] }, undefined);
  const respond = (outputs: Tensor[]) =>
    encodeInferResponse(request, { modelName: 'm', modelVersion: '1', outputs }).body as string;

  it('is one native JSON.stringify when every output is finite', () => {
    const spy = vi.spyOn(JSON, 'stringify');
    const body = respond([FINITE.FP32, FINITE.INT64, FINITE.BOOL, FINITE.BYTES]);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(body).toBe(
      '{"model_name":"m","model_version":"1","outputs":[' +
        `{"name":"f32","datatype":"FP32","shape":[3],"data":[1.5,${Math.fround(-0.1)},${Math.fround(3.4028234663852886e38)}]},` +
        '{"name":"i64","datatype":"INT64","shape":[3],"data":[-9007199254740991,0,5]},' +
        '{"name":"b","datatype":"BOOL","shape":[2,2],"data":[true,false,false,true]},' +
        `{"name":"s","datatype":"BYTES","shape":[5],"data":${JSON.stringify(SAMPLES.BYTES.data)}}]}`,
    );
  });

  it('falls back to the lossless writer for NaN, ±Infinity, -0 and large 64-bit integers, values exact', () => {
    const body = respond([FINITE.FP32, SAMPLES.FP64, SAMPLES.INT64]);
    expect(body).toContain('"data":[3.141592653589793,-1e+308,5e-324,"NaN",-0]');
    expect(body).toContain('"data":[-9223372036854775808,9223372036854775807,-9007199254740993,5]');
    const parsed = parseJsonLossless(body) as { outputs: Array<{ data: unknown[] }> };
    expect(parsed.outputs[0]!.data).toEqual(tensorDataToJsonValues('FP32', FINITE.FP32.data));
  });
});

describe('stringifyJson', () => {
  const value = {
    model_name: 'm',
    nested: [
      [1, 2.5],
      [-3, 1e21],
    ],
    flags: [true, false, null],
    text: 'a"b\\c\u2028😀',
    empty: {},
    skipped: undefined,
    object: { deep: { deeper: [{ x: 1 }] } },
  };

  it('writes what native JSON.stringify writes, in one native call', () => {
    const expected = JSON.stringify(value);
    const spy = vi.spyOn(JSON, 'stringify');
    expect(stringifyJson(value)).toBe(expected);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('writes the same text through the lossless writer when one value needs it', () => {
    // A bigint at the end forces the writer for the whole body: everything before it must read as native JSON does.
    expect(stringifyJson({ ...value, big: 2n ** 64n })).toBe(
      `${JSON.stringify(value).slice(0, -1)},"big":18446744073709551616}`,
    );
    expect(stringifyJson({ ...value, minusZero: [-0] })).toBe(
      `${JSON.stringify(value).slice(0, -1)},"minusZero":[-0]}`,
    );
  });

  it('leaves objects with their own serialization (Date, typed arrays, class instances) to the writer', () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    const mixed = { at: new Date(0), v: new Uint8Array([1, 2]), p: new Point(1, 2) };
    expect(stringifyJson(mixed)).toBe(JSON.stringify(mixed));
  });

  it('TF-Serving responses of finite outputs go through one native call too', () => {
    const body = encodePredictResponse('row', [{ ...FINITE.FP32, shape: [3, 1] }]);
    const rows = [[1.5], [Math.fround(-0.1)], [Math.fround(3.4028234663852886e38)]];
    const expected = `{"predictions":${JSON.stringify(rows)}}`;
    const spy = vi.spyOn(JSON, 'stringify');
    expect(stringifyJson(body)).toBe(expected);
    expect(spy).toHaveBeenCalledTimes(1);
  });
});
