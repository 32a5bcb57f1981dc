import { describe, expect, it } from 'vitest';
import { mlpForward, mlpModel } from '../../server/onnx/mlp-fixture.js';
import { OptimizeError } from '../../server/optimize/errors.js';
import { evaluateVersion } from '../../server/optimize/evaluate.js';
import { importDense } from '../../server/optimize/import-dense.js';
import { pruneByMagnitude } from '../../server/optimize/magnitude.js';
import { readLayout } from '../../server/optimize/model-layout.js';
import { prune } from '../../server/optimize/prune.js';
import { parseParent } from '../../server/optimize/rewrite.js';
import type { Table } from '../../src/protocol/datasets/table.js';
import { blobs } from '../training/synthetic.js';
import {
  chainModel,
  convModel,
  DIGITS_TEST,
  DIGITS_TRAIN,
  denseForward,
  initializer,
  inputs,
  maxAbsDiff,
  numericTable,
  readTable,
  run,
  trainedModel,
} from './support.js';

const zeros = (a: ArrayLike<number>) => Array.from(a).filter((v) => v === 0).length;

describe('magnitude selection', () => {
  it('zeros exactly round(sparsity · n) of the smallest magnitudes, ties in order', () => {
    const a = Float32Array.from([0.5, -0.1, 0.3, -0.3, 0.2, 0.9]);
    const masks = pruneByMagnitude([{ name: 'a', values: a }], 0.5, 'layer');
    expect(Array.from(a)).toEqual([0.5, 0, 0, -0.3, 0, 0.9].map(Math.fround));
    expect(Array.from(masks.get('a')!)).toEqual([1, 0, 0, 1, 0, 1]);
  });

  it('global uses one threshold (a layer of small weights loses more); layer the same fraction everywhere', () => {
    const make = () => [
      { name: 'small', values: Float32Array.from({ length: 10 }, (_, i) => 0.01 * (i + 1)) },
      { name: 'large', values: Float32Array.from({ length: 10 }, (_, i) => 1 + i) },
    ];
    const global = make();
    pruneByMagnitude(global, 0.5, 'global');
    expect(zeros(global[0]!.values)).toBe(10);
    expect(zeros(global[1]!.values)).toBe(0);
    const layer = make();
    pruneByMagnitude(layer, 0.5, 'layer');
    expect(zeros(layer[0]!.values)).toBe(5);
    expect(zeros(layer[1]!.values)).toBe(5);
  });
});

describe('prune', () => {
  const { bytes } = mlpModel({ inputs: 32, hidden: [64, 32], outputs: 10, seed: 4 });

  it('writes the zeros into the weights (not the biases), runs in ONNX Runtime, and reports sizes and sparsity', async () => {
    const result = prune(bytes, { sparsity: 0.8, scope: 'layer' });
    const names = ['dense_0.weight', 'dense_1.weight', 'dense_2.weight'];
    expect(result.report.rewritten).toEqual(names);
    for (const name of names) {
      const w = initializer(result.bytes, name).values;
      expect(zeros(w)).toBe(Math.round(0.8 * w.length));
    }
    expect(zeros(initializer(result.bytes, 'dense_0.bias').values)).toBe(0);
    for (const w of result.report.weights!) expect(w.sparsity).toBeCloseTo(0.8, 3);
    expect(result.report.sparsity.before).toBe(0);
    expect(result.report.sparsity.after).toBeGreaterThan(0.78);
    expect(result.report.size_ratio).toBeCloseTo(1, 2); // dense storage: same bytes, different values
    expect(result.report.gzip_ratio).toBeLessThan(0.35);
    expect(result.report.notes.join(' ')).toMatch(/ONNX Runtime densifies on load.*runs no faster/);

    const layers = mlpModel({ inputs: 32, hidden: [64, 32], outputs: 10, seed: 4 }).layers.map((layer, i) => ({
      ...layer,
      weight: initializer(result.bytes, `dense_${i}.weight`).values,
    }));
    const x = inputs(20 * 32);
    const [y] = await run(result.bytes, { input: [x, [20, 32]] });
    expect(maxAbsDiff(y!, mlpForward(layers, x, 20))).toBeLessThan(1e-5);
  });

  it('prunes Conv kernels too', async () => {
    const result = prune(convModel(), { sparsity: 0.5 });
    expect(result.report.rewritten).toEqual(['K1', 'K2', 'W']);
    const [y] = await run(result.bytes, { x: [inputs(3 * 64), [1, 3, 8, 8]] });
    expect(y).toHaveLength(3);
  });

  it('names the option at fault', () => {
    const cases: [unknown, string][] = [
      [{ sparsity: 1 }, 'sparsity: expected a number from 0 to less than 1, got 1'],
      [{ sparsity: '0.5' }, 'sparsity: expected a number from 0 to less than 1, got "0.5"'],
      [{ sparsity: 0.5, scope: 'row' }, 'scope: expected "global" or "layer", got "row"'],
    ];
    for (const [spec, message] of cases) {
      expect(() => prune(bytes, spec as never)).toThrow(
        expect.objectContaining({ code: 'optimize_spec_invalid', message, field: message.split(':')[0] }),
      );
    }
  });
});

describe('prune with fine-tuning', () => {
  const train = readTable(DIGITS_TRAIN);
  const test = readTable(DIGITS_TEST);
  const parent = trainedModel(train, {
    task: 'classification',
    target: 'label',
    architecture: { type: 'mlp', hidden_layers: [64] },
    epochs: 10,
  });

  it('retrains a server-trained digits MLP with the pruned weights held at zero, keeping its labels and metadata', async () => {
    const base = await evaluateVersion(parent, test, { latency: false });
    const plain = prune(parent, { sparsity: 0.9 });
    const tuned = prune(parent, {
      sparsity: 0.9,
      fine_tune: { data: train, epochs: 8, optimizer: { type: 'adam', learning_rate: 0.003 } },
    });
    const before = await evaluateVersion(plain.bytes, test, { latency: false });
    const after = await evaluateVersion(tuned.bytes, test, { latency: false, reference: base.outputs });
    expect(base.metrics.accuracy!).toBeGreaterThan(0.93);
    expect(after.metrics.accuracy!).toBeGreaterThan(before.metrics.accuracy! + 0.1);
    expect(after.metrics.accuracy!).toBeGreaterThan(base.metrics.accuracy! - 0.05);
    // Same zeros as plain pruning: the mask was held.
    for (const name of ['layer0_W', 'layer1_W']) {
      const a = initializer(plain.bytes, name).values;
      const b = initializer(tuned.bytes, name).values;
      for (let i = 0; i < a.length; i++) expect(a[i] === 0).toBe(b[i] === 0);
    }
    const report = tuned.report.fine_tune!;
    expect(report.epochs).toBe(8);
    expect(report.history).toHaveLength(8);
    expect(report.rows).toBe(train.rows);
    expect(report.target).toBe('label');
    expect(readLayout(parseParent(tuned.bytes)).metadata).toEqual(readLayout(parseParent(parent)).metadata);
    expect(tuned.report.notes.at(-1)).toBe('Fine-tuned with the pruned weights held at zero.');
  });

  it('fine-tunes a model with a string feature through its one-hot inputs', async () => {
    const data = blobs(
      3,
      60,
      [
        [0, 0],
        [3, 0],
        [0, 3],
      ],
      ['a', 'b', 'c'],
    );
    const color = Array.from(data.target, (t, i) => (i % 5 === 0 ? 'grey' : t === 'a' ? 'red' : 'blue'));
    const table: Table = {
      rows: color.length,
      columns: [
        { name: 'x', type: 'number', values: Float64Array.from(data.features[0]!), missing: 0 },
        { name: 'y', type: 'number', values: Float64Array.from(data.features[1]!), missing: 0 },
        { name: 'color', type: 'string', values: color, missing: 0 },
        { name: 'class', type: 'string', values: data.target as string[], missing: 0 },
      ],
    };
    const model = trainedModel(table, {
      task: 'classification',
      target: 'class',
      architecture: { type: 'mlp', hidden_layers: [8] },
      epochs: 20,
    });
    const imported = importDense(model);
    expect(imported.categories).toEqual([null, null, ['blue', 'grey', 'red']]);
    expect(imported.features).toEqual(['x', 'y', 'color']);
    const tuned = prune(model, {
      sparsity: 0.5,
      fine_tune: { data: table, epochs: 5, optimizer: { type: 'adam', learning_rate: 0.01 } },
    });
    const evaluation = await evaluateVersion(tuned.bytes, table, { latency: false });
    expect(evaluation.metrics.accuracy!).toBeGreaterThan(0.9);
  });

  it('writes fine-tuned weights of an uploaded chain back in its own layout (transposed Gemm, MatMul + Add)', async () => {
    const chain = chainModel('softmax');
    const data = blobs(
      4,
      40,
      [
        [0, 0, 0, 0],
        [2, 0, 1, 0],
        [0, 2, 0, 1],
      ],
      [0, 1, 2],
    );
    const names = ['a', 'b', 'c', 'd'];
    const table = numericTable({
      ...Object.fromEntries(names.map((name, i) => [name, data.features[i]!])),
      label: data.target as number[],
    });
    const tuned = prune(chain, {
      sparsity: 0.3,
      fine_tune: { data: table, target: 'label', epochs: 40, optimizer: { type: 'adam', learning_rate: 0.01 } },
    });
    expect(tuned.report.fine_tune!.features).toEqual(names);
    // The weights read back from the written graph compute what ONNX Runtime computes on it.
    const imported = importDense(tuned.bytes);
    expect(imported.layers.map((l) => l.transposed)).toEqual([false, true, false]);
    const x = Float32Array.from({ length: 480 }, (_, i) => data.features[i % 4]![Math.floor(i / 4)]!);
    const [y] = await run(tuned.bytes, { x: [x, [120, 4]] });
    expect(maxAbsDiff(denseForward(imported, x, 120), y!)).toBeLessThan(1e-5);
    // The missing last bias stayed absent, the Sub/Div stayed as they were.
    expect(Array.from(imported.standardization.mean)).toEqual([1, -1, 0.5, 2]);
    const evaluation = await evaluateVersion(tuned.bytes, table, { latency: false, target: 'label' });
    expect(evaluation.metrics.accuracy!).toBeGreaterThan(0.9);
  });

  it('refuses to fine-tune a graph that is not a dense network, naming the op, before pruning anything', () => {
    try {
      prune(convModel(), { sparsity: 0.5, fine_tune: { data: train, epochs: 1 } });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(OptimizeError);
      expect((err as OptimizeError).code).toBe('fine_tune_unsupported');
      expect((err as Error).message).toMatch(/^fine-tuning needs .*; node 'Conv_\d+' is a Conv$/);
    }
  });

  it('says which column is missing', () => {
    expect(() => prune(parent, { sparsity: 0.5, fine_tune: { data: train, target: 'digit', epochs: 1 } })).toThrow(
      expect.objectContaining({ code: 'optimize_data_invalid', message: "column 'digit' is not in the data" }),
    );
  });
});
