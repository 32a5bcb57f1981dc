import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../server/onnx/builder.js';
import { mlpForward, mlpModel } from '../../server/onnx/mlp-fixture.js';
import { ModelGraph } from '../../server/onnx/model-graph.js';
import { mulberry32, uniform } from '../../server/onnx/seeded-random.js';
import { tensorValues } from '../../server/onnx/tensor-values.js';
import { OptimizeError } from '../../server/optimize/errors.js';
import { quantize } from '../../server/optimize/quantize.js';
import { convModel, initializer, inputs, maxAbs, maxAbsDiff, mixedDenseModel, ops, run } from './support.js';

const FLOAT16 = 10;
const INT8 = 3;
const UINT8 = 2;

function argmaxAgreement(a: Float32Array, b: ArrayLike<number>, columns: number): number {
  let same = 0;
  const rows = a.length / columns;
  for (let r = 0; r < rows; r++) {
    let ia = 0;
    let ib = 0;
    for (let j = 1; j < columns; j++) {
      if (a[r * columns + j]! > a[r * columns + ia]!) ia = j;
      if (b[r * columns + j]! > b[r * columns + ib]!) ib = j;
    }
    if (ia === ib) same++;
  }
  return same / rows;
}

/** ONNX's DynamicQuantizeLinear in float32 arithmetic: uint8, range always including 0, round half to even. */
function dynamicQuantize(x: Float32Array): { q: Uint8Array; scale: number; zeroPoint: number } {
  let min = 0;
  let max = 0;
  for (const v of x) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const scale = Math.fround((max - min) / 255);
  const roundEven = (v: number) => {
    const r = Math.round(v);
    return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
  };
  const zeroPoint = Math.min(255, Math.max(0, roundEven(-min / scale)));
  const q = Uint8Array.from(x, (v) => Math.min(255, Math.max(0, roundEven(v / scale) + zeroPoint)));
  return { q, scale, zeroPoint };
}

describe('fp16', () => {
  const { bytes, layers } = mlpModel({ inputs: 20, hidden: [128, 64], outputs: 5, seed: 3 });
  const x = inputs(30 * 20);

  it('stores weights and biases as FP16 behind Casts, keeps FP32 inputs and outputs, and stays within fp16 rounding', async () => {
    const result = quantize(bytes, { precision: 'fp16' });
    expect(result.sessionConfig).toEqual({});
    const graph = ModelGraph.parse(result.bytes);
    const half = graph.graph.initializer!.filter((t) => t.dataType === FLOAT16);
    expect(half.map((t) => t.name).sort()).toEqual(
      ['dense_0.bias', 'dense_0.weight', 'dense_1.bias', 'dense_1.weight', 'dense_2.bias', 'dense_2.weight']
        .map((n) => `${n}_fp16`)
        .sort(),
    );
    expect(graph.graph.initializer!.filter((t) => t.dataType === 1)).toEqual([]); // the FP32 originals are gone
    expect(ops(result.bytes).filter((o) => o === 'Cast')).toHaveLength(6);
    expect(graph.graph.input!.map((v) => v.type!.tensorType!.elemType)).toEqual([1]);
    expect(graph.graph.output!.map((v) => v.type!.tensorType!.elemType)).toEqual([1]);
    const [fp16] = await run(result.bytes, { input: [x, [30, 20]] });
    const reference = mlpForward(layers, x, 30);
    expect(maxAbsDiff(fp16!, reference)).toBeLessThan(2e-3);
    expect(maxAbsDiff(fp16!, reference)).toBeGreaterThan(0); // the weights really were rounded
    expect(argmaxAgreement(fp16!, reference, 5)).toBe(1);
    expect(result.report.size_ratio).toBeLessThan(0.56);
    expect(result.report.rewritten).toHaveLength(3);
  });

  it('leaves a weight FP16 cannot hold as it was, and says so', () => {
    const g = new GraphBuilder('big');
    const x = g.input('x', 'FP32', ['N', 2]);
    g.output(g.node('MatMul', [x, g.initializer('W', 'FP32', [2, 2], [1, 1e6, 0, 1])]), 'y', 'FP32', ['N', 2]);
    const result = quantize(g.toModel(), { precision: 'fp16' });
    expect(result.report.skipped).toEqual([
      { node: expect.any(String), op: 'MatMul', reason: 'weight W exceeds the FP16 range' },
    ]);
    expect(initializer(result.bytes, 'W').dataType).toBe(1);
  });
});

describe('int8 dynamic', () => {
  it('computes Σ(q − zero point)·w_q · (x_scale · w_scale) exactly as ONNX defines it, bias added after', async () => {
    const random = mulberry32(2);
    const g = new GraphBuilder('one');
    const x = g.input('x', 'FP32', ['N', 16]);
    const W = uniform(random, 16 * 4, 0.5);
    const b = uniform(random, 4, 0.3);
    g.output(
      g.node('Gemm', [x, g.initializer('W', 'FP32', [16, 4], W), g.initializer('b', 'FP32', [4], b)]),
      'y',
      'FP32',
      ['N', 4],
    );
    const parent = g.toModel();
    const result = quantize(parent, { precision: 'int8', mode: 'dynamic' });
    expect(ops(result.bytes)).toEqual(['DynamicQuantizeLinear', 'MatMulInteger', 'Cast', 'Mul', 'Mul', 'Add']);
    const wq = tensorValues(ModelGraph.parse(result.bytes).constant('W_quantized')!) as Int8Array;
    const ws = initializer(result.bytes, 'W_scale').values;
    expect(ws).toHaveLength(1); // per tensor
    expect(Math.max(...Array.from(wq, Math.abs))).toBe(127);

    const rows = 8;
    const data = inputs(rows * 16, 3, 1.5);
    data[5] = -3; // an asymmetric range: the zero point is not 128
    const [y] = await run(result.bytes, { x: [data, [rows, 16]] });
    const { q, scale, zeroPoint } = dynamicQuantize(data);
    expect(zeroPoint).not.toBe(128);
    const expected = new Float32Array(rows * 4);
    for (let r = 0; r < rows; r++) {
      for (let o = 0; o < 4; o++) {
        let acc = 0;
        for (let k = 0; k < 16; k++) acc += (q[r * 16 + k]! - zeroPoint) * wq[k * 4 + o]!;
        expected[r * 4 + o] = Math.fround(acc * Math.fround(scale * ws[0]!)) + b[o]!;
      }
    }
    // One quantisation step of x times the largest weight is the most a rounding tie can move a value.
    expect(maxAbsDiff(y!, expected)).toBeLessThan(scale * ws[0]! * 127 + 1e-6);
    expect(maxAbsDiff(y!, expected)).toBeLessThan(1e-2);
    const [fp32] = await run(parent, { x: [data, [rows, 16]] });
    expect(maxAbsDiff(y!, fp32!)).toBeLessThan(0.05 * maxAbs(fp32!));
  });

  it('rewrites MatMul + Add, Gemm with transB, alpha and beta, quantises a shared input once, and matches fp32', async () => {
    const parent = mixedDenseModel();
    const x = inputs(40 * 6);
    const [reference] = await run(parent, { x: [x, [40, 6]] });
    for (const perChannel of [false, true]) {
      const result = quantize(parent, { precision: 'int8', mode: 'dynamic', per_channel: perChannel });
      const list = ops(result.bytes);
      expect(list.filter((o) => o === 'DynamicQuantizeLinear')).toHaveLength(2); // x (shared) and the Tanh output
      expect(list.filter((o) => o === 'MatMulInteger')).toHaveLength(3);
      expect(list).not.toContain('Gemm');
      expect(result.report.rewritten).toHaveLength(3);
      const w2 = initializer(result.bytes, 'W2_quantized');
      expect(w2.dataType).toBe(INT8);
      expect(w2.dims).toEqual([8, 5]); // transB folded: stored [K, N]
      expect(initializer(result.bytes, 'W2_scale').dims).toEqual(perChannel ? [5] : []);
      // per_channel defaults to 7-bit weights (u8s8 without VNNI cannot saturate on them).
      const q = tensorValues(ModelGraph.parse(result.bytes).constant('W1_quantized')!) as Int8Array;
      expect(Math.max(...Array.from(q, Math.abs))).toBe(perChannel ? 63 : 127);
      const [y] = await run(result.bytes, { x: [x, [40, 6]] });
      expect(maxAbsDiff(y!, reference!)).toBeLessThan(0.02);
    }
  });

  it('quantises an MLP to about a quarter of its size and keeps its predictions', async () => {
    const { bytes, layers } = mlpModel({ inputs: 64, hidden: [128, 64], outputs: 10, seed: 9 });
    const result = quantize(bytes, { precision: 'int8', mode: 'dynamic' });
    expect(result.report.size_ratio).toBeLessThan(0.3);
    expect(result.report.opset).toBe(13);
    expect(result.report.ir_version).toBe(8);
    const x = inputs(200 * 64, 4, 3);
    const [y] = await run(result.bytes, { input: [x, [200, 64]] });
    const reference = mlpForward(layers, x, 200);
    expect(argmaxAgreement(y!, reference, 10)).toBeGreaterThanOrEqual(0.97);
    expect(maxAbsDiff(y!, reference)).toBeLessThan(0.05);
  });

  it('turns Conv into ConvInteger with uint8 weights (bias broadcast over channels) and stays correct', async () => {
    const parent = convModel();
    const x = inputs(4 * 3 * 64, 8, 1);
    const [reference] = await run(parent, { x: [x, [4, 3, 8, 8]] });
    const result = quantize(parent, { precision: 'int8', mode: 'dynamic' });
    const list = ops(result.bytes);
    expect(list.filter((o) => o === 'ConvInteger')).toHaveLength(2);
    expect(list).not.toContain('Conv');
    expect(initializer(result.bytes, 'K1_quantized').dataType).toBe(UINT8);
    expect(initializer(result.bytes, 'B1_broadcast').dims).toEqual([1, 4, 1, 1]);
    const [y] = await run(result.bytes, { x: [x, [4, 3, 8, 8]] });
    expect(maxAbsDiff(y!, reference!)).toBeLessThan(0.02);
    expect(argmaxAgreement(y!, reference!, 3)).toBe(1);
    expect(result.report.notes.join(' ')).toContain('ConvInteger');
  });

  it('leaves a MatMul without a constant operand alone and reports it', () => {
    const g = new GraphBuilder('dyn');
    const a = g.input('a', 'FP32', [2, 3]);
    const b = g.input('b', 'FP32', [3, 2]);
    g.output(g.node('MatMul', [a, b], {}, { name: 'product' }), 'y', 'FP32', [2, 2]);
    const result = quantize(g.toModel(), { precision: 'int8', mode: 'dynamic' });
    expect(result.report.rewritten).toEqual([]);
    expect(result.report.skipped).toEqual([
      { node: 'product', op: 'MatMul', reason: 'its weight operand is not a constant initializer' },
    ]);
  });

  it('leaves a weight that is also a graph input alone (it can be fed at run time), saying why', () => {
    const graph = ModelGraph.parse(mlpModel({ inputs: 4, hidden: [4], outputs: 2 }).bytes);
    graph.graph.input!.push({ name: 'dense_0.weight' });
    const result = quantize(graph.toBytes(), { precision: 'int8', mode: 'dynamic' });
    expect(result.report.rewritten).toHaveLength(1);
    expect(result.report.skipped.map((s) => s.reason)).toEqual([
      'its weight dense_0.weight is also a graph input, so it can be fed at run time (export without keep_initializers_as_inputs)',
    ]);
  });

  it('refuses a model older than opset 11, naming the opset', () => {
    const { bytes } = mlpModel({ inputs: 4, hidden: [4], outputs: 2, model: { opset: 10 } });
    expect(() => quantize(bytes, { precision: 'int8', mode: 'dynamic' })).toThrow(
      /int8 dynamic quantisation \(DynamicQuantizeLinear\) needs opset 11 or later; the model imports opset 10/,
    );
  });
});

describe('int8 weight-only', () => {
  const parent = mixedDenseModel();
  const x = inputs(25 * 6);

  for (const perChannel of [false, true]) {
    it(`dequantises int8 weights (${perChannel ? 'per channel' : 'per tensor'}) in front of FP32 ops and asks for disable_quant_qdq`, async () => {
      const result = quantize(parent, { precision: 'int8', mode: 'weight_only', per_channel: perChannel });
      expect(result.sessionConfig).toEqual({ 'session.disable_quant_qdq': '1' });
      const list = ops(result.bytes);
      expect(list.filter((o) => o === 'DequantizeLinear')).toHaveLength(3);
      expect(list.filter((o) => o === 'Gemm' || o === 'MatMul')).toHaveLength(3);
      const scale = initializer(result.bytes, 'W2_scale');
      // W2 is Gemm's B with transB = 1, stored [5, 8]: its output channels run along axis 0.
      expect(scale.dims).toEqual(perChannel ? [5] : []);
      // The same graph with the dequantised weights in FP32 is the exact reference.
      const graph = ModelGraph.parse(result.bytes);
      const ref = ModelGraph.parse(parent);
      for (const name of ['W1', 'W2', 'W3']) {
        const q = tensorValues(graph.constant(`${name}_quantized`)!) as Int8Array;
        const s = initializer(result.bytes, `${name}_scale`).values;
        const dims = initializer(parent, name).dims;
        const inner = perChannel && name !== 'W2' ? 1 : dims[1]!;
        const channels = perChannel ? s.length : 1;
        ref.setInitializer(
          name,
          'FP32',
          dims,
          Float32Array.from(q, (v, i) => v * s[perChannel ? Math.floor(i / inner) % channels : 0]!),
        );
      }
      const [expected] = await run(ref.toBytes(), { x: [x, [25, 6]] });
      const [y] = await run(result.bytes, { x: [x, [25, 6]] }, result.sessionConfig);
      expect(maxAbsDiff(y!, expected!)).toBeLessThan(1e-6);
      // Without the option it still runs, but ONNX Runtime's QDQ handling rewrites the graph: close, not exact.
      const [plain] = await run(result.bytes, { x: [x, [25, 6]] });
      expect(maxAbsDiff(plain!, expected!)).toBeLessThan(5e-3);
      const [fp32] = await run(parent, { x: [x, [25, 6]] });
      expect(maxAbsDiff(y!, fp32!)).toBeLessThan(0.01);
    });
  }

  it('quantises Conv weights per output channel along axis 0 and stays correct', async () => {
    const conv = convModel();
    const input = inputs(2 * 3 * 64, 12, 1);
    const result = quantize(conv, { precision: 'int8', mode: 'weight_only', per_channel: true });
    expect(initializer(result.bytes, 'K1_scale').dims).toEqual([4]);
    const [y] = await run(result.bytes, { x: [input, [2, 3, 8, 8]] }, result.sessionConfig);
    const [reference] = await run(conv, { x: [input, [2, 3, 8, 8]] });
    expect(maxAbsDiff(y!, reference!)).toBeLessThan(5e-3);
  });

  it('refuses per-channel below opset 13 (DequantizeLinear has no axis before it)', () => {
    expect(() => quantize(mixedDenseModel(12), { precision: 'int8', mode: 'weight_only', per_channel: true })).toThrow(
      /per channel needs opset 13 or later; the model imports opset 12/,
    );
    expect(() => quantize(mixedDenseModel(12), { precision: 'int8', mode: 'weight_only' })).not.toThrow();
  });
});

describe('quantize spec and input errors', () => {
  const { bytes } = mlpModel({ inputs: 4, hidden: [4], outputs: 2 });
  const cases: [unknown, string, RegExp][] = [
    [{ precision: 'int4' }, 'precision', /precision: expected "fp16" or "int8", got "int4"/],
    [{ precision: 'int8' }, 'mode', /mode: expected "dynamic" or "weight_only", got nothing/],
    [{ precision: 'fp16', mode: 'dynamic' }, 'mode', /mode: expected nothing or "weight_only" with precision fp16/],
    [{ precision: 'int8', mode: 'dynamic', per_channel: 'yes' }, 'per_channel', /per_channel: expected a boolean/],
    [{ type: 'prune', precision: 'fp16' }, 'type', /type: expected "quantize"/],
  ];
  for (const [spec, field, message] of cases) {
    it(`names ${field}`, () => {
      try {
        quantize(bytes, spec as never);
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(OptimizeError);
        expect((err as OptimizeError).code).toBe('optimize_spec_invalid');
        expect((err as OptimizeError).field).toBe(field);
        expect((err as Error).message).toMatch(message);
      }
    });
  }

  it('says when the bytes are not an ONNX model', () => {
    expect(() => quantize(new Uint8Array([1, 2, 3, 4, 5]), { precision: 'fp16' })).toThrow(
      expect.objectContaining({
        code: 'model_unsupported',
        message: expect.stringMatching(/not a readable ONNX model/),
      }),
    );
  });
});
