import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { TrainingError } from '../../server/training/errors.js';
import { exportSpec } from '../../server/training/export.js';
import { predict } from '../../server/training/predict.js';
import { Trainer, train } from '../../server/training/trainer.js';
import type {
  EpochMetrics,
  ExportedModel,
  TrainerState,
  TrainingData,
  TrainingSpec,
} from '../../server/training/types.js';
import type { TrainingHyperparameters } from '../../src/types.js';
import { blobs, linearData, rowsOf } from './synthetic.js';

const TRUE_W = [2, -3, 0.5];
const TRUE_B = 1;

/** Weights and bias in raw feature units, undoing the export's input standardization. */
function rawLinear(e: ExportedModel): { w: number[]; b: number } {
  const layer = e.layers[0]!;
  const w = Array.from({ length: layer.inputs }, (_, i) => layer.W[i]! / e.std[i]!);
  const b = layer.b[0]! - w.reduce((s, wi, i) => s + wi * e.mean[i]!, 0);
  return { w, b };
}

/** Metrics without wall-clock fields. */
const learned = (m: EpochMetrics[]) => m.map(({ samples_per_second: _s, elapsed_ms: _e, ...rest }) => rest);

function accuracy(labels: (number | string)[], truth: ArrayLike<number | string>): number {
  let ok = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === truth[i]) ok++;
  return ok / labels.length;
}

describe('convergence', () => {
  const data = linearData(1, 400, TRUE_W, TRUE_B, 0.01);

  it('linear regression with gd recovers the generating weights', () => {
    const result = train(
      {
        task: 'regression',
        architecture: { type: 'linear' },
        optimizer: { type: 'gd', learning_rate: 0.2 },
        epochs: 150,
        seed: 3,
      },
      data,
    );
    expect(result.status).toBe('succeeded');
    const { w, b } = rawLinear(exportSpec(result.model!));
    for (const [i, wi] of w.entries()) expect(Math.abs(wi - TRUE_W[i]!)).toBeLessThan(1e-2);
    expect(Math.abs(b - TRUE_B)).toBeLessThan(1e-2);
    const last = result.history.at(-1)!;
    expect(last.train_loss).toBeLessThan(2e-4); // noise variance is 1e-4, in the target's own units
    expect(last.val_loss).toBeLessThan(2e-4);
    expect(last.train_accuracy).toBeUndefined();
  });

  it('linear regression with adam recovers the generating weights', () => {
    const result = train(
      {
        task: 'regression',
        architecture: { type: 'linear' },
        optimizer: { type: 'adam', learning_rate: 0.01 },
        epochs: 60,
        batch_size: 32,
        seed: 3,
      },
      data,
    );
    const { w, b } = rawLinear(exportSpec(result.model!));
    for (const [i, wi] of w.entries()) expect(Math.abs(wi - TRUE_W[i]!)).toBeLessThan(1e-2);
    expect(Math.abs(b - TRUE_B)).toBeLessThan(1e-2);
  });

  const centers = [
    [0, 0, 0],
    [4, 4, 0],
    [0, 4, 4],
  ];
  const train3 = blobs(5, 100, centers, ['setosa', 'versicolor', 'virginica']);
  const test3 = blobs(6, 50, centers, ['setosa', 'versicolor', 'virginica']);

  it('logistic (softmax regression) separates blobs', () => {
    const result = train(
      {
        task: 'classification',
        architecture: { type: 'logistic' },
        optimizer: { type: 'sgd', learning_rate: 0.1, momentum: 0.9, nesterov: true },
        epochs: 20,
        batch_size: 16,
        seed: 1,
      },
      train3,
    );
    expect(result.history.at(-1)!.val_accuracy).toBeGreaterThanOrEqual(0.99);
    const p = predict(result.model!, rowsOf(test3.features));
    expect(accuracy(p.labels!, test3.target)).toBeGreaterThanOrEqual(0.99);
    expect(result.model!.classLabels).toEqual(['setosa', 'versicolor', 'virginica']);
  });

  for (const activation of ['relu', 'tanh', 'sigmoid'] as const) {
    it(`mlp (${activation}) separates blobs, binary classification uses a 2-way softmax`, () => {
      const two = blobs(7, 100, [centers[0]!, centers[1]!], [0, 1]);
      const result = train(
        {
          task: 'classification',
          architecture: { type: 'mlp', hidden_layers: [8, 8], activation },
          optimizer: { type: 'adam', learning_rate: 0.01 },
          epochs: 30,
          batch_size: 16,
          seed: 2,
        },
        two,
      );
      const last = result.history.at(-1)!;
      expect(last.train_accuracy).toBeGreaterThanOrEqual(0.99);
      expect(last.val_accuracy).toBeGreaterThanOrEqual(0.99);
      expect(result.model!.sizes).toEqual([3, 8, 8, 2]);
      expect(result.model!.classLabels).toEqual([0, 1]);
    });
  }

  it('classification with mse loss also learns', () => {
    const result = train(
      {
        task: 'classification',
        loss: 'mse',
        architecture: { type: 'mlp', hidden_layers: [16], activation: 'tanh' },
        optimizer: { type: 'adam', learning_rate: 0.02 },
        epochs: 30,
        seed: 4,
      },
      train3,
    );
    expect(result.history.at(-1)!.val_accuracy).toBeGreaterThanOrEqual(0.99);
  });

  it('mlp regression fits a non-linear target; predict returns values in target units', () => {
    const n = 300;
    const x = Float64Array.from({ length: n }, (_, i) => -3 + (6 * i) / (n - 1));
    const y = Float64Array.from(x, (v) => 100 + 20 * Math.sin(v));
    const result = train(
      {
        task: 'regression',
        architecture: { type: 'mlp', hidden_layers: [32], activation: 'tanh' },
        optimizer: { type: 'adam', learning_rate: 0.01 },
        epochs: 200,
        batch_size: 32,
        validation_split: 0,
        seed: 9,
      },
      { features: [x], target: y },
    );
    const last = result.history.at(-1)!;
    expect(last.val_loss).toBeUndefined();
    // The target's variance is ~190 (units²); mse below 2 means the network explains > 99% of it.
    expect(last.train_loss).toBeLessThan(2);
    const p = predict(result.model!, [[0], [1.5], [-2]]);
    expect(p.columns).toBe(1);
    expect(p.labels).toBeNull();
    expect(Math.abs(p.values[0]! - 100)).toBeLessThan(2);
    expect(Math.abs(p.values[1]! - (100 + 20 * Math.sin(1.5)))).toBeLessThan(2);
    expect(Math.abs(p.values[2]! - (100 + 20 * Math.sin(-2)))).toBeLessThan(2);
  });
});

describe('determinism and resume', () => {
  const data: TrainingData = blobs(
    11,
    60,
    [
      [0, 0],
      [2, 2],
      [0, 3],
    ],
    ['a', 'b', 'c'],
    1.2,
  );
  const specs: TrainingSpec[] = [
    {
      task: 'classification',
      architecture: { type: 'mlp', hidden_layers: [16, 8], activation: 'relu' },
      optimizer: { type: 'adam', learning_rate: 0.01, weight_decay: 0.01 },
      epochs: 6,
      batch_size: 10,
      seed: 123,
      early_stopping: { patience: 50, min_delta: 0 },
    },
    {
      task: 'classification',
      architecture: { type: 'mlp', hidden_layers: [12], activation: 'tanh' },
      optimizer: { type: 'sgd', learning_rate: 0.05, momentum: 0.9, nesterov: true },
      epochs: 6,
      batch_size: 7,
      seed: 5,
    },
  ];

  it('two runs with the same seed give bit-identical weights and metrics', () => {
    for (const spec of specs) {
      const a = train(spec, data);
      const b = train(spec, data);
      expect(Array.from(b.model!.params)).toEqual(Array.from(a.model!.params));
      expect(learned(b.history)).toEqual(learned(a.history));
      const c = train({ ...spec, seed: (spec.seed ?? 0) + 1 }, data);
      expect(Array.from(c.model!.params)).not.toEqual(Array.from(a.model!.params));
    }
  });

  it('resuming from an epoch checkpoint (through v8 serialization) equals the uninterrupted run', () => {
    for (const spec of specs) {
      const full = train(spec, data);

      // First session: keep every checkpoint, cancel in the middle of epoch 4.
      const checkpoints: Uint8Array[] = [];
      let batches = 0;
      const perEpoch = Math.ceil(Math.round(data.target.length * 0.8) / (spec.batch_size ?? 32));
      const first = train(spec, data, {
        onEpoch: (_m, checkpoint) => checkpoints.push(new Uint8Array(serialize(checkpoint()))),
        shouldStop: () => ++batches > 3 * perEpoch + 2,
      });
      expect(first.status).toBe('cancelled');
      expect(first.epochs).toBe(3);
      expect(first.model).toBeNull();
      expect(checkpoints).toHaveLength(3);

      const state = deserialize(checkpoints[2]!) as TrainerState;
      expect(state.epoch).toBe(3);
      const messages: string[] = [];
      const second = train(spec, data, { onMessage: (m) => messages.push(m) }, { resumeFrom: state });
      expect(second.status).toBe('succeeded');
      expect(second.epochs).toBe(6);
      expect(messages[0]).toBe('Resuming after epoch 3 (wasm-simd kernels)');
      expect(learned(second.history)).toEqual(learned(full.history.slice(3)));
      expect(Array.from(second.model!.params)).toEqual(Array.from(full.model!.params));
    }
  });

  it('refuses a checkpoint made for another network', () => {
    const spec = specs[0]!;
    let state: TrainerState | null = null;
    train({ ...spec, epochs: 1 }, data, { onEpoch: (_m, cp) => (state = cp()) });
    const other = { ...spec, architecture: { type: 'mlp', hidden_layers: [4], activation: 'relu' } } as TrainingSpec;
    expect(() => new Trainer(other, data, { resumeFrom: state })).toThrow(/different network/);
  });

  it('accepts the job service’s resolved hyperparameters as they are', () => {
    const hp: TrainingHyperparameters = {
      task: 'classification',
      target: 'label',
      features: ['x', 'y'],
      architecture: { type: 'logistic' },
      optimizer: { type: 'gd', learning_rate: 0.5 },
      loss: 'cross_entropy',
      epochs: 2,
      batch_size: 32,
      validation_split: 0.2,
      early_stopping: null,
      seed: 1,
    };
    const spec: TrainingSpec = hp;
    const result = train(spec, data);
    expect(result.model!.featureNames).toEqual(['x', 'y']);
    expect(result.model!.target).toBe('label');
  });
});

describe('cancellation, early stopping, divergence, metrics', () => {
  const data = blobs(
    3,
    50,
    [
      [0, 0],
      [3, 3],
    ],
    ['no', 'yes'],
  );
  const base: TrainingSpec = {
    task: 'classification',
    architecture: { type: 'logistic' },
    optimizer: { type: 'sgd', learning_rate: 0.1 },
    epochs: 5,
    batch_size: 10,
    validation_split: 0.2,
    seed: 1,
  };

  it('polls shouldStop before every batch and stops at the first true', () => {
    let calls = 0;
    const epochs: number[] = [];
    const trainer = new Trainer(base, data);
    const result = trainer.run({
      shouldStop: () => ++calls === 10, // 80 training rows / 10 = 8 batches per epoch: stop before batch 2 of epoch 2
      onEpoch: (m) => epochs.push(m.epoch),
    });
    expect(calls).toBe(10);
    expect(result.status).toBe('cancelled');
    expect(result.epochs).toBe(1);
    expect(epochs).toEqual([1]);
    expect(() => trainer.getState()).toThrow(/mid-epoch/);
    expect(() => trainer.run()).toThrow(/mid-epoch/);
  });

  it('gd is one step per epoch over every row', () => {
    let calls = 0;
    const result = train({ ...base, optimizer: { type: 'gd', learning_rate: 0.5 } }, data, {
      shouldStop: () => {
        calls++;
        return false;
      },
    });
    expect(result.status).toBe('succeeded');
    expect(calls).toBe(5);
  });

  it('early stopping ends the run after patience epochs without improvement and keeps the best weights', () => {
    const messages: string[] = [];
    const states: TrainerState[] = [];
    const result = train({ ...base, epochs: 20, early_stopping: { patience: 2, min_delta: 1e9 } }, data, {
      onMessage: (m) => messages.push(m),
      onEpoch: (_m, cp) => states.push(cp()),
    });
    // Epoch 1 improves on +∞; nothing can improve by 1e9 afterwards: epochs 2 and 3 exhaust the patience.
    expect(result.status).toBe('succeeded');
    expect(result.stoppedEarly).toBe(true);
    expect(result.epochs).toBe(3);
    expect(result.history.map((m) => m.epoch)).toEqual([1, 2, 3]);
    expect(
      messages.some((m) =>
        /^Early stopping after epoch 3: val_loss has not improved by more than 1000000000 for 2 epochs/.test(m),
      ),
    ).toBe(true);
    expect(messages.at(-1)).toMatch(/Keeping the weights of epoch 1/);
    expect(result.model!.epoch).toBe(1);
    expect(Array.from(result.model!.params)).toEqual(Array.from(states[0]!.params));
    expect(states[2]!.earlyStopping!.stopped).toBe(true);
  });

  it('resuming a run that already stopped early finishes at once with the best weights', () => {
    const spec = { ...base, epochs: 20, early_stopping: { patience: 2, min_delta: 1e9 } };
    const states: TrainerState[] = [];
    const first = train(spec, data, { onEpoch: (_m, cp) => states.push(cp()) });
    let polled = 0;
    const again = train(spec, data, { shouldStop: () => ++polled > 0 }, { resumeFrom: states.at(-1)! });
    expect(polled).toBe(0);
    expect(again.status).toBe('succeeded');
    expect(again.stoppedEarly).toBe(true);
    expect(again.history).toEqual([]);
    expect(Array.from(again.model!.params)).toEqual(Array.from(first.model!.params));
  });

  it('uses a given validation set instead of splitting the training data', () => {
    const held = blobs(
      4,
      10,
      [
        [0, 0],
        [3, 3],
      ],
      ['no', 'yes'],
    );
    const messages: string[] = [];
    const result = train(base, { ...data, validation: held }, { onMessage: (m) => messages.push(m) });
    expect(messages[0]).toBe(
      'Training logistic 2 → 2 with sgd (batch 10, cross_entropy) on 100 rows, validating on 20 (wasm-simd kernels)',
    );
    expect(result.history.at(-1)!.val_accuracy).toBe(1);
  });

  it('early stopping with improving loss runs to the end', () => {
    const result = train({ ...base, epochs: 8, early_stopping: { patience: 3 } }, data);
    expect(result.stoppedEarly).toBe(false);
    expect(result.epochs).toBe(8);
  });

  it('a diverging run fails with training_diverged', () => {
    const reg = linearData(2, 100, [1, 2], 0, 0.1);
    try {
      train(
        {
          task: 'regression',
          architecture: { type: 'linear' },
          optimizer: { type: 'gd', learning_rate: 9 },
          epochs: 2000,
        },
        reg,
      );
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(TrainingError);
      expect((err as TrainingError).code).toBe('training_diverged');
    }
  });

  it('reports every metric field, with the injected clock', () => {
    let t = 0;
    const messages: string[] = [];
    const result = train(base, data, { onMessage: (m) => messages.push(m) }, { now: () => (t += 10) });
    const m = result.history[0]!;
    expect(Object.keys(m).sort()).toEqual(
      [
        'elapsed_ms',
        'epoch',
        'learning_rate',
        'samples_per_second',
        'train_accuracy',
        'train_loss',
        'val_accuracy',
        'val_loss',
      ].sort(),
    );
    expect(m.learning_rate).toBe(0.1);
    expect(m.samples_per_second).toBe(8000); // 80 rows in 10 ms
    expect(result.history.map((h) => h.elapsed_ms)).toEqual([30, 60, 90, 120, 150]);
    expect(m.train_loss).toBeGreaterThan(0);
    expect(messages[0]).toBe(
      'Training logistic 2 → 2 with sgd (batch 10, cross_entropy) on 80 rows, validating on 20 (wasm-simd kernels)',
    );
  });
});
