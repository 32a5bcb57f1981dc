import { describe, expect, it } from 'vitest';
import { exportSpec } from '../../server/training/export.js';
import { softmaxRows } from '../../server/training/losses.js';
import { predict } from '../../server/training/predict.js';
import { Trainer } from '../../server/training/trainer.js';
import { blobs, linearData, rowsOf } from './synthetic.js';

describe('exportSpec', () => {
  const data = blobs(
    21,
    40,
    [
      [0, 0, 1],
      [3, 1, 0],
      [1, 3, 2],
    ],
    [30, 10, 20],
  );

  function trained() {
    const trainer = new Trainer(
      {
        task: 'classification',
        features: ['a', 'b', 'c'],
        target: 'kind',
        architecture: { type: 'mlp', hidden_layers: [5, 4], activation: 'tanh' },
        optimizer: { type: 'adam', learning_rate: 0.01 },
        epochs: 3,
        seed: 8,
      },
      data,
    );
    const result = trainer.run();
    return { trainer, model: result.model! };
  }

  it('describes layers as float32 inputs×outputs row-major with activations, labels in output order', () => {
    const { model } = trained();
    const e = exportSpec(model);
    expect(e.formatVersion).toBe(1);
    expect(e.featureNames).toEqual(['a', 'b', 'c']);
    expect(e.target).toBe('kind');
    expect(e.task).toBe('classification');
    expect(e.output).toBe('probabilities');
    expect(e.classLabels).toEqual([10, 20, 30]);
    expect(e.mean).toBeInstanceOf(Float32Array);
    expect(Array.from(e.mean)).toEqual(Array.from(model.mean, Math.fround));
    expect(Array.from(e.std)).toEqual(Array.from(model.std, Math.fround));
    expect(e.layers.map((l) => [l.inputs, l.outputs, l.activation])).toEqual([
      [3, 5, 'tanh'],
      [5, 4, 'tanh'],
      [4, 3, 'softmax'],
    ]);
    // Layer 1's W[i=2, j=3] sits at params offset (3·5 + 5) + 2·4 + 3; its b after the 5×4 weights.
    const l1 = e.layers[1]!;
    expect(l1.W).toBeInstanceOf(Float32Array);
    expect(l1.W[2 * 4 + 3]).toBe(Math.fround(model.params[20 + 2 * 4 + 3]!));
    expect(l1.b[1]).toBe(Math.fround(model.params[20 + 20 + 1]!));
  });

  it('predict (standardize → layers on the float32 weights) matches the trainer’s float64 network within 1e-5', () => {
    const { trainer, model } = trained();
    const rows = rowsOf(data.features);
    const p = predict(model, rows);
    expect([p.rows, p.columns]).toEqual([120, 3]);
    // Reference: standardize in float64, run the trainer's own network, softmax.
    const d = 3;
    const X = new Float64Array(rows.length * d);
    for (const [r, row] of rows.entries()) {
      for (const [c, v] of row.entries()) X[r * d + c] = (v - model.mean[c]!) / model.std[c]!;
    }
    let worst = 0;
    for (let start = 0; start < rows.length; start += trainer.network.capacity) {
      const m = Math.min(trainer.network.capacity, rows.length - start);
      const out = trainer.network.forward(X.subarray(start * d, (start + m) * d), m).slice(0, m * 3);
      softmaxRows(out, m, 3);
      for (let i = 0; i < m * 3; i++) worst = Math.max(worst, Math.abs(out[i]! - p.values[start * 3 + i]!));
    }
    expect(worst).toBeLessThan(1e-5);
    expect(worst).toBeGreaterThan(0); // the export really is float32
    for (let r = 0; r < rows.length; r++) {
      const probs = p.values.subarray(r * 3, r * 3 + 3);
      expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(p.labels![r]).toBe(model.classLabels![probs.indexOf(Math.max(...probs))]);
    }
    expect(Array.from(predict(exportSpec(model), rows).values)).toEqual(Array.from(p.values));
  });

  it('folds the regression target scaling into the last layer', () => {
    const reg = linearData(4, 200, [1.5, -2], 50, 0.5);
    const trainer = new Trainer(
      {
        task: 'regression',
        architecture: { type: 'linear' },
        optimizer: { type: 'gd', learning_rate: 0.3 },
        epochs: 80,
      },
      reg,
    );
    const model = trainer.run().model!;
    expect(model.targetStd).toBeGreaterThan(1);
    const e = exportSpec(model);
    expect(e.output).toBe('values');
    expect(e.classLabels).toBeNull();
    expect(e.layers).toHaveLength(1);
    expect(e.layers[0]!.activation).toBe('identity');
    expect(e.layers[0]!.b[0]).toBeCloseTo(model.params[2]! * model.targetStd! + model.targetMean!, 3);
    const p = predict(e, [
      [0, 0],
      [1, 1],
    ]);
    // y = 50 + 1.5·x0 − 2·x1 in raw units.
    expect(p.values[0]).toBeCloseTo(50, 0);
    expect(p.values[1]).toBeCloseTo(49.5, 0);
  });

  it('rejects rows of the wrong width', () => {
    const { model } = trained();
    expect(() => predict(model, [[1, 2]])).toThrow(/expected 3/);
  });
});
