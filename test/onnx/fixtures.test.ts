import { describe, expect, it } from 'vitest';
import {
  ADD_DATATYPES,
  addModel,
  corruptModel,
  IDENTITY_DATATYPES,
  identityModel,
  mlpForward,
  mlpModel,
  multiIoModel,
  slowModel,
  unsupportedOpModel,
} from '../../server/onnx/fixtures.js';
import { float16Bits } from '../../server/onnx/float16.js';
import { parseModel } from '../../server/onnx/model.js';
import { mulberry32 } from '../../server/onnx/seeded-random.js';
import type { Datatype } from '../../src/protocol/tensor.js';
import { loadError, ORT_TYPE, runOnce } from './ort-helpers.js';

/** Six values per datatype, including each type's extremes, so a wrong width or sign shows. */
const SAMPLES: Record<Datatype, ArrayLike<unknown>> = {
  BOOL: Uint8Array.from([1, 0, 0, 1, 1, 0]),
  UINT8: Uint8Array.from([0, 1, 127, 128, 254, 255]),
  INT8: Int8Array.from([-128, -1, 0, 1, 100, 127]),
  UINT16: Uint16Array.from([0, 1, 255, 256, 40000, 65535]),
  INT16: Int16Array.from([-32768, -1, 0, 1, 300, 32767]),
  UINT32: Uint32Array.from([0, 1, 65536, 2 ** 31, 3e9, 2 ** 32 - 1]),
  INT32: Int32Array.from([-(2 ** 31), -1, 0, 1, 70000, 2 ** 31 - 1]),
  UINT64: BigUint64Array.from([0n, 1n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 2n, 2n ** 64n - 1n]),
  INT64: BigInt64Array.from([-(2n ** 63n), -(2n ** 53n) - 1n, -1n, 0n, 2n ** 53n + 1n, 2n ** 63n - 1n]),
  FP16: Uint16Array.from([1, -2.5, 0.1, 65504, -0, 1e-7].map(float16Bits)),
  FP32: Float32Array.from([1.5, -2.25, 1e-30, 3.4e38, -0, Math.PI]),
  FP64: Float64Array.from([1.5, -2.25, 1e-300, 1.7e308, -0, Math.PI]),
  BYTES: ['', 'a', 'héllo wörld', '日本語', 'emoji 🙂', 'x'.repeat(300)],
};

describe('identityModel', () => {
  it.each(IDENTITY_DATATYPES)('returns its %s input unchanged', async (datatype) => {
    const out = await runOnce(identityModel(datatype, [-1, 3]), {
      x: { datatype, shape: [2, 3], data: SAMPLES[datatype] },
    });
    expect(out.y!.type).toBe(ORT_TYPE[datatype]);
    expect(out.y!.dims).toEqual([2, 3]);
    expect(Array.from(out.y!.data as ArrayLike<unknown>)).toEqual(Array.from(SAMPLES[datatype]));
  });

  it('declares a fixed shape and a named dynamic dimension as given', () => {
    const graph = parseModel(identityModel('FP32', ['batch', 7])).graph!;
    const dims = graph.input![0]!.type!.tensorType!.shape!.dim!;
    expect(dims.map((d) => d.dimParam || Number(d.dimValue))).toEqual(['batch', 7]);
  });
});

/** Small operands whose sums fit every type, so the expected value is exact and type-independent. */
const ADD_A = [0, 1, 2, 3, 4, 5, 6, 7];
const ADD_B = [7, 6, 5, 10, 20, 30, 40, 50];

function typed(datatype: Datatype, values: number[]): ArrayLike<unknown> {
  if (datatype === 'INT64') return BigInt64Array.from(values, BigInt);
  if (datatype === 'UINT64') return BigUint64Array.from(values, BigInt);
  if (datatype === 'FP16') return Uint16Array.from(values, float16Bits);
  const arrays: Partial<Record<Datatype, { from(v: number[]): ArrayLike<unknown> }>> = {
    UINT8: Uint8Array,
    UINT16: Uint16Array,
    UINT32: Uint32Array,
    INT8: Int8Array,
    INT16: Int16Array,
    INT32: Int32Array,
    FP32: Float32Array,
    FP64: Float64Array,
  };
  return arrays[datatype]!.from(values);
}

describe('addModel', () => {
  it('covers every numeric datatype and nothing else', () => {
    expect([...ADD_DATATYPES].sort()).toEqual(
      ['UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64'].sort(),
    );
    expect(() => addModel('BOOL')).toThrow(/BOOL/);
  });

  it.each(ADD_DATATYPES)('adds two %s tensors', async (datatype) => {
    const out = await runOnce(addModel(datatype, [-1, 4]), {
      a: { datatype, shape: [2, 4], data: typed(datatype, ADD_A) },
      b: { datatype, shape: [2, 4], data: typed(datatype, ADD_B) },
    });
    const sum = ADD_A.map((a, i) => a + ADD_B[i]!);
    expect(out.y!.type).toBe(ORT_TYPE[datatype]);
    expect(Array.from(out.y!.data as ArrayLike<unknown>)).toEqual(Array.from(typed(datatype, sum)));
  });

  it('adds FP32 values element-wise (not just small integers)', async () => {
    const a = Float32Array.from([0.5, -1.25, 1e10, 3]);
    const b = Float32Array.from([0.25, 1.25, -1e10, -7.5]);
    const out = await runOnce(addModel('FP32', [4]), {
      a: { datatype: 'FP32', shape: [4], data: a },
      b: { datatype: 'FP32', shape: [4], data: b },
    });
    expect(Array.from(out.y!.data as Float32Array)).toEqual([0.75, 0, 0, -4.5]);
  });
});

describe('multiIoModel', () => {
  it('computes every output from mixed INT64, BOOL and BYTES inputs', async () => {
    const out = await runOnce(multiIoModel(), {
      ids: { datatype: 'INT64', shape: [2, 3], data: BigInt64Array.from([1n, -1n, 2n ** 53n, 4n, 5n, 2n ** 62n]) },
      mask: { datatype: 'BOOL', shape: [3, 3], data: Uint8Array.from([1, 0, 1, 0, 0, 0, 1, 1, 1]) },
      text: { datatype: 'BYTES', shape: [2], data: ['héllo', ''] },
    });
    expect(Object.keys(out).sort()).toEqual(['count', 'ids_plus_one', 'mask_not', 'text_out']);
    expect(out.ids_plus_one!.type).toBe('int64');
    expect(out.ids_plus_one!.dims).toEqual([2, 3]);
    expect(Array.from(out.ids_plus_one!.data as BigInt64Array)).toEqual([
      2n,
      0n,
      2n ** 53n + 1n,
      5n,
      6n,
      2n ** 62n + 1n,
    ]);
    expect(out.mask_not!.type).toBe('bool');
    expect(Array.from(out.mask_not!.data as Uint8Array)).toEqual([0, 1, 0, 1, 1, 1, 0, 0, 0]);
    expect(out.text_out!.type).toBe('string');
    expect(out.text_out!.data).toEqual(['héllo', '']);
    expect(out.count!.type).toBe('int64');
    expect(out.count!.dims).toEqual([3]);
    expect(Array.from(out.count!.data as BigInt64Array)).toEqual([2n, 0n, 3n]);
  });
});

describe('mlpModel', () => {
  it('matches a plain-JS forward pass within 1e-5 for a batch of 5', async () => {
    const { bytes, layers } = mlpModel({ inputs: 100, hidden: [64, 64], outputs: 10, seed: 7 });
    const random = mulberry32(123);
    const input = Float32Array.from({ length: 5 * 100 }, () => random() * 4 - 2);
    const out = await runOnce(bytes, { input: { datatype: 'FP32', shape: [5, 100], data: input } });
    const got = out.probabilities!.data as Float32Array;
    const want = mlpForward(layers, input, 5);
    expect(out.probabilities!.dims).toEqual([5, 10]);
    expect(got.length).toBe(want.length);
    for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-5);
    // Softmax rows sum to 1, and the rows differ (the input reaches the output).
    for (let r = 0; r < 5; r++) expect(got.subarray(r * 10, r * 10 + 10).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
    expect(Array.from(got.subarray(0, 10))).not.toEqual(Array.from(got.subarray(10, 20)));
  });

  it('is deterministic per seed and differs between seeds', () => {
    const bytes = (seed: number) => Buffer.from(mlpModel({ seed }).bytes);
    expect(bytes(42).equals(bytes(42))).toBe(true);
    expect(bytes(42).equals(bytes(43))).toBe(false);
  });

  it('has Glorot-uniform weights and the requested layer sizes', () => {
    const { layers } = mlpModel({ inputs: 100, hidden: [64, 64], outputs: 10, seed: 42 });
    expect(layers.map((l) => [l.inputs, l.outputs, l.activation])).toEqual([
      [100, 64, 'relu'],
      [64, 64, 'relu'],
      [64, 10, 'softmax'],
    ]);
    const limit = Math.sqrt(6 / (100 + 64));
    const w = layers[0]!.weight;
    expect(Math.max(...w)).toBeLessThanOrEqual(limit);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(-limit);
    expect(Math.max(...w)).toBeGreaterThan(limit * 0.95); // spread over the whole range, not a narrow one
  });
});

describe('models ONNX Runtime refuses', () => {
  it('corruptModel fails to load as unparsable protobuf', async () => {
    expect(() => parseModel(corruptModel())).toThrow();
    expect((await loadError(corruptModel())).message).toMatch(/protobuf parsing failed/i);
  });

  it('unsupportedOpModel is valid protobuf but its operator is unknown', async () => {
    expect(parseModel(unsupportedOpModel()).graph!.node![0]!.opType).toBe('Nope');
    expect((await loadError(unsupportedOpModel())).message).toMatch(/com\.example:Nope/);
  });
});

describe('slowModel', () => {
  it.each([1, 3])('sums ones(n×n)² to n³ with %i MatMul(s)', async (matmuls) => {
    const out = await runOnce(slowModel({ matmuls }), {
      size: { datatype: 'INT64', shape: [2], data: BigInt64Array.from([64n, 64n]) },
    });
    expect(out.total!.dims).toEqual([]);
    expect(out.total!.data[0]).toBe(64 ** 3);
  });

  it('counts its MatMuls', () => {
    const ops = (m: number) => parseModel(slowModel({ matmuls: m })).graph!.node!.filter((n) => n.opType === 'MatMul');
    expect(ops(1)).toHaveLength(1);
    expect(ops(4)).toHaveLength(4);
  });
});
