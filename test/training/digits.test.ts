import { describe, expect, it } from 'vitest';
import { predict } from '../../server/training/predict.js';
import { train } from '../../server/training/trainer.js';
import { loadDigits } from './csv.js';
import { rowsOf } from './synthetic.js';

const digits = loadDigits();

// scikit-learn's MLPClassifier gets ~0.97 on this split with the same network and settings
// (../shared/bench/sklearn_mlp_baseline.py).
describe('digits sanity (test/data/digits)', () => {
  it('MLP 64-64 relu, adam lr 1e-3, batch 32, 10 epochs reaches ≥ 0.95 test accuracy', () => {
    const d = digits;
    const result = train(
      {
        task: 'classification',
        architecture: { type: 'mlp', hidden_layers: [64, 64], activation: 'relu' },
        optimizer: { type: 'adam', learning_rate: 1e-3 },
        epochs: 10,
        batch_size: 32,
        validation_split: 0,
        seed: 0,
      },
      { features: d.train.features, target: d.train.target },
    );
    expect(result.status).toBe('succeeded');
    expect(result.model!.classLabels).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const losses = result.history.map((m) => m.train_loss);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! / 5);
    const p = predict(result.model!, rowsOf(d.test.features));
    let correct = 0;
    for (let r = 0; r < p.rows; r++) if (p.labels![r] === d.test.target[r]) correct++;
    expect(correct / p.rows).toBeGreaterThanOrEqual(0.95);
  });
});
