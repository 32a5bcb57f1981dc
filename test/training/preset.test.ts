import { describe, expect, it } from 'vitest';
import { TrainingError } from '../../server/training/errors.js';
import { exportSpec } from '../../server/training/export.js';
import { softenRows, softmaxDistillation, softmaxRows } from '../../server/training/losses.js';
import { Network } from '../../server/training/network.js';
import { Rng } from '../../server/training/rng.js';
import { Trainer } from '../../server/training/trainer.js';
import type { ExportedModel, TrainingSpec } from '../../server/training/types.js';
import { expectGradient } from './gradcheck.js';
import { blobs, linearData, randomArray } from './synthetic.js';

/** The exported layers' W and b, concatenated in the preset layout. */
function flat(e: ExportedModel): Float64Array {
  return Float64Array.from(e.layers.flatMap((l) => [...l.W, ...l.b]));
}

const CENTERS = [
  [0, 0],
  [4, 0],
  [0, 4],
];

describe('training preset: starting weights', () => {
  it('a regression starts from exported weights (last layer in target units) and exports them back unchanged', () => {
    const data = linearData(3, 200, [2, -1], 5, 0.1);
    const spec: TrainingSpec = {
      task: 'regression',
      architecture: { type: 'mlp', hidden_layers: [4] },
      optimizer: { type: 'gd', learning_rate: 1e-12 },
      epochs: 1,
      validation_split: 0,
    };
    const first = new Trainer({ ...spec, optimizer: { type: 'adam' }, epochs: 5 }, data).run();
    const exported = exportSpec(first.model!);
    const again = new Trainer(spec, data, {
      preset: { params: flat(exported), standardization: { mean: exported.mean, std: exported.std } },
    }).run();
    const back = exportSpec(again.model!);
    const a = flat(exported);
    const b = flat(back);
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i]!, 4);
    expect(Array.from(back.mean)).toEqual(Array.from(exported.mean));
  });

  it('refuses params of the wrong length', () => {
    const data = linearData(3, 50, [1], 0, 0.1);
    expect(
      () => new Trainer({ task: 'regression', architecture: { type: 'linear' } }, data, { preset: { params: [1] } }),
    ).toThrow(/preset has 1 parameters, the network 2/);
  });
});

describe('training preset: mask', () => {
  it('holds masked parameters at their starting values (zeros stay exactly zero) while the rest train', () => {
    const data = blobs(5, 40, CENTERS, ['a', 'b', 'c']);
    const spec: TrainingSpec = {
      task: 'classification',
      architecture: { type: 'mlp', hidden_layers: [8] },
      optimizer: { type: 'adam', learning_rate: 0.01, weight_decay: 0.1 },
      epochs: 3,
      validation_split: 0,
      seed: 1,
    };
    const P = Network.paramCount([2, 8, 3]);
    const rng = new Rng(9);
    const params = randomArray(rng, P, 0.5);
    const mask = Float64Array.from({ length: P }, (_, i) => (i % 3 === 0 ? 0 : 1));
    for (let i = 0; i < P; i += 6) params[i] = 0; // some held entries are zeros, some not
    const result = new Trainer(spec, data, { preset: { params, mask } }).run();
    const trained = result.model!.params;
    let changed = 0;
    for (let i = 0; i < P; i++) {
      if (mask[i] === 0) expect(trained[i]).toBe(params[i]);
      else if (trained[i] !== params[i]) changed++;
    }
    expect(changed).toBeGreaterThan((2 * P) / 3 - 3);
  });
});

describe('training preset: fixed encoding, labels and activations', () => {
  it('uses the given standardization, categories, label order and per-layer activations instead of fitting them', () => {
    const data = blobs(7, 30, CENTERS, ['a', 'b', 'c']);
    const color = Array.from({ length: data.target.length }, (_, i) => (i % 2 ? 'red' : 'blue'));
    const messages: string[] = [];
    const result = new Trainer(
      {
        task: 'classification',
        architecture: { type: 'mlp', hidden_layers: [5, 4] },
        epochs: 1,
        validation_split: 0,
      },
      { features: [...data.features, color], target: data.target },
      {
        preset: {
          standardization: { mean: [1, 2, 0, 0, 0], std: [3, 0, 1, 1, 1] },
          categories: [null, null, ['blue', 'green', 'red']],
          classLabels: ['c', 'b', 'a', 'z'],
          hiddenActivations: ['tanh', 'identity'],
        },
      },
    ).run({ onMessage: (m) => messages.push(m) });
    const model = result.model!;
    expect(Array.from(model.mean)).toEqual([1, 2, 0, 0, 0]);
    expect(Array.from(model.std)).toEqual([3, 1, 1, 1, 1]); // std 0 → 1, as fitting does
    expect(model.categories).toEqual([null, null, ['blue', 'green', 'red']]);
    expect(model.classLabels).toEqual(['c', 'b', 'a', 'z']);
    expect(model.sizes).toEqual([5, 5, 4, 4]);
    expect(exportSpec(model).layers.map((l) => l.activation)).toEqual(['tanh', 'identity', 'softmax']);
    expect(messages.some((m) => m.includes("'f2' one-hot over its 3 categories"))).toBe(true);
  });

  it('drops training rows whose label the preset does not know, saying so', () => {
    const data = blobs(7, 20, CENTERS, ['a', 'b', 'c']);
    const messages: string[] = [];
    const trainer = new Trainer(
      { task: 'classification', architecture: { type: 'logistic' }, epochs: 1, validation_split: 0 },
      data,
      { preset: { classLabels: ['a', 'b'] } },
    );
    trainer.run({ onMessage: (m) => messages.push(m) });
    expect(trainer.data.train.rows).toBe(40);
    expect(messages).toContain("Dropped 20 rows whose class is not among the model's (a, b)");
  });

  it('builds the network with one activation per hidden layer (identity last)', () => {
    expect(new Network([3, 4, 4, 2], ['tanh', 'identity'], 8).layers.map((l) => l.activation)).toEqual([
      'tanh',
      'identity',
      'identity',
    ]);
    expect(new Network([3, 4, 4, 2], 'sigmoid', 8).layers.map((l) => l.activation)).toEqual([
      'sigmoid',
      'sigmoid',
      'identity',
    ]);
    expect(() => new Network([3, 4, 2], ['tanh', 'relu'], 8)).toThrow(/2 hidden activations for 1 hidden layers/);
  });

  it('refuses a wrong number of per-layer activations', () => {
    const data = blobs(7, 10, CENTERS, ['a', 'b', 'c']);
    const spec: TrainingSpec = { task: 'classification', architecture: { type: 'mlp', hidden_layers: [3] } };
    expect(() => new Trainer(spec, data, { preset: { hiddenActivations: ['relu', 'tanh'] } })).toThrow(TrainingError);
  });
});

describe('distillation through the trainer', () => {
  const data = blobs(11, 40, CENTERS, [0, 1, 2]);
  const n = data.target.length;
  const oneHot = (labels: ArrayLike<number | string>) => {
    const out = new Float64Array(labels.length * 3);
    for (let r = 0; r < labels.length; r++) out[r * 3 + Number(labels[r])] = 1;
    return out;
  };
  const spec: TrainingSpec = {
    task: 'classification',
    architecture: { type: 'mlp', hidden_layers: [6] },
    optimizer: { type: 'adam', learning_rate: 0.01 },
    epochs: 4,
    batch_size: 16,
    validation_split: 0,
    seed: 2,
  };

  it('with one-hot teacher outputs, T = 1 and α = 0 it is cross-entropy training on those labels', () => {
    const hard = new Trainer(spec, data).run();
    const soft = new Trainer(
      spec,
      { features: data.features, target: new Array(n).fill(null), teacher: oneHot(data.target) },
      { preset: { classLabels: [0, 1, 2] }, distillation: { temperature: 1, alpha: 0 } },
    ).run();
    const a = hard.model!.params;
    const b = soft.model!.params;
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i]!, 9);
    expect(soft.history.at(-1)!.train_loss).toBeCloseTo(hard.history.at(-1)!.train_loss, 9);
  });

  it('keeps unlabelled rows, reports how many are labelled, and scores them against the teacher', () => {
    const target = Array.from(data.target, (t, i) => (i % 4 === 0 ? t : null));
    const messages: string[] = [];
    // A teacher that is sure, but not certain: 0.8 on the class, 0.1 on each other.
    const teacher = Float64Array.from(oneHot(data.target), (v) => 0.1 + 0.7 * v);
    const result = new Trainer(
      { ...spec, epochs: 20 },
      { features: data.features, target, teacher },
      { preset: { classLabels: [0, 1, 2] }, distillation: { temperature: 3, alpha: 0.5 } },
    ).run({ onMessage: (m) => messages.push(m) });
    expect(messages).toContain(`Distilling at temperature 3 on ${n} rows, ${n / 4} of them labelled`);
    expect(result.history.at(-1)!.train_accuracy).toBeGreaterThan(0.9);
  });

  it('refuses distillation without the teacher, or with bad options', () => {
    const plain = { features: data.features, target: data.target };
    const preset = { classLabels: [0, 1, 2] };
    expect(() => new Trainer(spec, plain, { preset, distillation: { temperature: 2, alpha: 0.5 } })).toThrow(
      /teacher's probabilities for every row/,
    );
    const withTeacher = { ...plain, teacher: oneHot(data.target) };
    expect(() => new Trainer(spec, withTeacher, { preset, distillation: { temperature: 0, alpha: 0.5 } })).toThrow(
      /temperature/,
    );
    expect(() => new Trainer(spec, withTeacher, { preset, distillation: { temperature: 2, alpha: 2 } })).toThrow(
      /alpha/,
    );
    const short = { ...plain, teacher: new Float64Array(3) };
    expect(() => new Trainer(spec, short, { preset, distillation: { temperature: 2, alpha: 0.5 } })).toThrow(
      /expected 120 × 3 teacher probabilities, got 3/,
    );
  });
});

describe('distillation loss', () => {
  const [m, n] = [5, 4];
  const rng = new Rng(21);
  const teacher = randomArray(rng, m * n, 2);
  softmaxRows(teacher, m, n);
  const labels = Int32Array.from([2, -1, 0, -1, 3]);

  it('matches finite differences of the batch mean, labelled and unlabelled rows mixed', () => {
    const T = 3;
    const Q = teacher.slice();
    softenRows(Q, m, n, T);
    const Z = randomArray(rng, m * n, 2);
    const loss = () => softmaxDistillation(Z.slice(), labels, Q, m, n, null, 1, T, 0.3) / m;
    const grad = new Float64Array(m * n);
    softmaxDistillation(Z.slice(), labels, Q, m, n, grad, 1 / m, T, 0.3);
    expectGradient(Z, grad, loss);
  });

  it('is T²·KL (zero when the student matches the teacher) plus α·cross-entropy, and leaves probabilities in Z', () => {
    const T = 2;
    const logits = Float64Array.from([1, 2, 0.5, -1]);
    const Q = Float64Array.from(logits, (z) => z / T);
    softmaxRows(Q, 1, n);
    const Z = logits.slice();
    expect(softmaxDistillation(Z, Int32Array.from([-1]), Q, 1, n, null, 1, T, 0.4)).toBeCloseTo(0, 14);
    const p = logits.slice();
    softmaxRows(p, 1, n);
    for (let j = 0; j < n; j++) expect(Z[j]).toBeCloseTo(p[j]!, 15);
    // Labelled: the soft term is still 0, the hard one α · −log p[label].
    expect(softmaxDistillation(logits.slice(), Int32Array.from([1]), Q, 1, n, null, 1, T, 0.4)).toBeCloseTo(
      -0.4 * Math.log(p[1]!),
      14,
    );
  });

  it('softens probabilities as p^(1/T), normalized', () => {
    const P = Float64Array.from([0.7, 0.2, 0.1, 0]);
    softenRows(P, 1, 4, 2);
    const root = [0.7, 0.2, 0.1, 0].map(Math.sqrt);
    const total = root.reduce((a, b) => a + b, 0);
    for (const [j, v] of root.entries()) expect(P[j]).toBeCloseTo(v / total, 15);
  });
});
