import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attr } from '../../server/onnx/attributes.js';
import { GraphBuilder } from '../../server/onnx/builder.js';
import { OptimizeError } from '../../server/optimize/errors.js';
import { importDense } from '../../server/optimize/import-dense.js';
import { chainModel, convModel, denseForward as forward, inputs, maxAbsDiff, mixedDenseModel, run } from './support.js';

const IRIS_MODEL = new URL('../../examples/models/iris_classifier/1/model.onnx', import.meta.url);

function refusal(bytes: Uint8Array): OptimizeError {
  try {
    importDense(bytes);
  } catch (err) {
    expect(err).toBeInstanceOf(OptimizeError);
    expect((err as OptimizeError).code).toBe('fine_tune_unsupported');
    expect((err as Error).message).toMatch(/^fine-tuning needs a chain of Gemm or MatMul/);
    return err as OptimizeError;
  }
  throw new Error('importDense accepted the graph');
}

describe('importDense: the server export', () => {
  const bytes = new Uint8Array(readFileSync(IRIS_MODEL));

  it('reads features, labels, standardization, sizes and activations, and computes what ONNX Runtime computes', async () => {
    const imported = importDense(bytes);
    expect(imported.task).toBe('classification');
    expect(imported.features).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    expect(imported.classLabels).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(imported.categories).toEqual([null, null, null, null]);
    expect(imported.sizes).toEqual([4, 16, 3]);
    expect(imported.hiddenActivations).toEqual(['relu']);
    expect(imported.layers.map((l) => [l.weight, l.bias, l.transposed, l.activation])).toEqual([
      ['layer0_W', 'layer0_b', false, 'relu'],
      ['layer1_W', 'layer1_b', false, 'softmax'],
    ]);
    expect(Array.from(imported.trainable).every((t) => t === 1)).toBe(true);
    const x = Float32Array.from(inputs(10 * 4, 5, 2), (v, i) => v + [5.8, 3, 3.7, 1.2][i % 4]!);
    const [probabilities] = await run(bytes, { input: [x, [10, 4]] });
    expect(maxAbsDiff(forward(imported, x, 10), probabilities!)).toBeLessThan(1e-5);
  });
});

describe('importDense: uploaded chains', () => {
  it('reads MatMul + Add (bias first), Gemm with transB, a linear layer, a missing bias and Sub/Div standardization', async () => {
    for (const head of ['softmax', 'none'] as const) {
      const bytes = chainModel(head);
      const imported = importDense(bytes);
      expect(imported.task).toBe(head === 'softmax' ? 'classification' : 'regression');
      expect(imported.classLabels).toEqual(head === 'softmax' ? [0, 1, 2] : null);
      expect(imported.features).toBeNull();
      expect(imported.sizes).toEqual([4, 6, 5, 3]);
      expect(imported.hiddenActivations).toEqual(['tanh', 'identity']);
      expect(Array.from(imported.standardization.mean)).toEqual([1, -1, 0.5, 2]);
      expect(Array.from(imported.standardization.std)).toEqual([2, 0.5, 1, 4]);
      expect(imported.layers.map((l) => [l.transposed, l.bias])).toEqual([
        [false, 'b1'],
        [true, 'b2'],
        [false, null],
      ]);
      // The last layer's bias does not exist in the graph: held at zero.
      const lastBias = imported.trainable.subarray(imported.trainable.length - 3);
      expect(Array.from(lastBias)).toEqual([0, 0, 0]);
      const x = inputs(12 * 4, 9, 3);
      const [y] = await run(bytes, { x: [x, [12, 4]] });
      expect(maxAbsDiff(forward(imported, x, 12), y!)).toBeLessThan(1e-5);
    }
  });

  it('refuses what the trainer cannot hold, naming the first node that does not fit', () => {
    expect(refusal(convModel()).message).toMatch(/node 'Conv_\d+' is a Conv$/);
    expect(refusal(chainModel('sigmoid')).message).toMatch(/the last layer ends in sigmoid/);
    expect(refusal(mixedDenseModel()).message).toMatch(/'x' feeds 2 nodes \(MatMul, MatMul\), not a chain/);

    const g = new GraphBuilder('norm');
    const x = g.input('x', 'FP32', ['N', 4]);
    const h = g.node('Gemm', [
      x,
      g.initializer('W', 'FP32', [4, 4], new Float32Array(16)),
      g.initializer('b', 'FP32', [4], new Float32Array(4)),
    ]);
    const n = g.node('LayerNormalization', [h, g.initializer('s', 'FP32', [4], [1, 1, 1, 1])], {}, { name: 'norm' });
    g.output(g.node('Softmax', [n]), 'y', 'FP32', ['N', 4]);
    expect(refusal(g.toModel({ opset: 17 })).message).toMatch(/node 'norm' is a LayerNormalization$/);

    const scaled = new GraphBuilder('alpha');
    const input = scaled.input('x', 'FP32', ['N', 2]);
    const gemm = scaled.node('Gemm', [input, scaled.initializer('W', 'FP32', [2, 2], [1, 0, 0, 1])], {
      alpha: attr.float(0.5),
    });
    scaled.output(gemm, 'y', 'FP32', ['N', 2]);
    expect(refusal(scaled.toModel()).message).toMatch(/with transA, alpha or beta other than 0, 1, 1/);
  });
});
