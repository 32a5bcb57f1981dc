import { describe, expect, it } from 'vitest';
import { TrainingError } from '../../server/training/errors.js';
import { LabelEncoder } from '../../server/training/labels.js';
import { prepareData } from '../../server/training/prepare.js';
import { deriveRng, Rng } from '../../server/training/rng.js';
import { resolveSpec } from '../../server/training/spec.js';
import { randomSplit, stratifiedSplit } from '../../server/training/split.js';
import { fitStandardization, standardizedMatrix } from '../../server/training/standardize.js';
import type { TrainingSpec } from '../../server/training/types.js';

describe('Rng (xoshiro128**)', () => {
  it('produces the reference stream from state [1, 2, 3, 4]', () => {
    // By hand: rotl(2·5, 7)·9 = 11520; the update leaves s1 = 0 (→ 0), then s1 = 1029 (→ rotl(5145, 7)·9).
    // The published xoshiro128** sequence for this state starts 11520, 0, 5927040, 70819200.
    const rng = Rng.fromState([1, 2, 3, 4]);
    const first = Array.from({ length: 4 }, () => rng.nextUint32());
    expect(first).toEqual([11520, 0, 5927040, 70819200]);
  });

  it('is deterministic per seed, differs across seeds, and resumes from its state', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const seqA = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(seqA);
    expect(new Rng(43).nextUint32()).not.toBe(seqA[0]);
    const saved = a.getState();
    const next = a.float();
    expect(Rng.fromState(saved).float()).toBe(next);
    expect(deriveRng(42, 1).nextUint32()).not.toBe(deriveRng(42, 2).nextUint32());
  });

  it('draws floats in [0, 1), unbiased-looking integers, and shuffles into a permutation', () => {
    const rng = new Rng(7);
    let sum = 0;
    const counts = [0, 0, 0];
    for (let i = 0; i < 30000; i++) {
      const x = rng.float();
      expect(x >= 0 && x < 1).toBe(true);
      sum += x;
      counts[rng.int(3)]!++;
    }
    expect(sum / 30000).toBeCloseTo(0.5, 1);
    for (const c of counts) expect(Math.abs(c - 10000)).toBeLessThan(500);
    const perm = rng.shuffle(Int32Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(perm).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(perm)).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});

describe('labels', () => {
  it('sorts numeric labels numerically and string labels by code unit; missing → −1', () => {
    const rows = Int32Array.from([0, 1, 2, 3, 4]);
    const num = LabelEncoder.fromTarget(Float64Array.from([10, 2, Number.NaN, 2, 1]), rows);
    expect(num.labels).toEqual([1, 2, 10]);
    expect([num.encode(10), num.encode(1), num.encode(Number.NaN), num.encode(3)]).toEqual([2, 0, -1, -1]);
    const str = LabelEncoder.fromTarget(['b', 'a', null, 'B', ''], rows);
    expect(str.labels).toEqual(['B', 'a', 'b']);
    expect([str.encode('a'), str.encode(null), str.encode('')]).toEqual([1, -1, -1]);
  });
});

describe('splits', () => {
  it('stratified: about the same fraction of every class, seeded, disjoint and complete', () => {
    const classes = Int32Array.from({ length: 100 }, (_, i) => (i < 60 ? 0 : i < 90 ? 1 : 2));
    const rows = Int32Array.from({ length: 100 }, (_, i) => i);
    const split = stratifiedSplit(rows, classes, 3, 0.2, deriveRng(5, 1));
    const perClass = (idx: Int32Array) => [0, 1, 2].map((c) => Array.from(idx).filter((r) => classes[r] === c).length);
    expect(perClass(split.validation)).toEqual([12, 6, 2]);
    expect(perClass(split.train)).toEqual([48, 24, 8]);
    expect(new Set([...split.train, ...split.validation]).size).toBe(100);
    expect(Array.from(stratifiedSplit(rows, classes, 3, 0.2, deriveRng(5, 1)).validation)).toEqual(
      Array.from(split.validation),
    );
    expect(Array.from(stratifiedSplit(rows, classes, 3, 0.2, deriveRng(6, 1)).validation)).not.toEqual(
      Array.from(split.validation),
    );
  });

  it('stratified: a class always keeps a training row', () => {
    const split = stratifiedSplit(Int32Array.from([0, 1, 2]), Int32Array.from([0, 1, 1]), 2, 0.9, new Rng(1));
    expect(split.train.length).toBe(2);
    expect(split.validation.length).toBe(1);
  });

  it('random: round(n·fraction) rows held out, ascending', () => {
    const rows = Int32Array.from({ length: 10 }, (_, i) => i * 2);
    const split = randomSplit(rows, 0.25, new Rng(3));
    expect(split.validation.length).toBe(3);
    expect(split.train.length).toBe(7);
    expect(Array.from(split.train)).toEqual(Array.from(split.train).sort((a, b) => a - b));
  });
});

describe('standardization', () => {
  it('uses the population std, and std 1 for constant columns', () => {
    const cols = [Float64Array.from([1, 2, 3, 4]), Float64Array.from([0.1, 0.1, 0.1, 0.1])];
    const rows = Int32Array.from([0, 1, 2, 3]);
    const { mean, std } = fitStandardization(cols, rows);
    expect(mean[0]).toBe(2.5);
    expect(std[0]).toBeCloseTo(Math.sqrt(1.25), 15);
    expect(std[1]).toBe(1);
    const X = standardizedMatrix(cols, Int32Array.from([3, 0]), mean, std);
    expect(X[0]).toBeCloseTo(1.5 / Math.sqrt(1.25), 15);
    expect(X[1]).toBeCloseTo(0, 15);
    expect(X[2]).toBeCloseTo(-1.5 / Math.sqrt(1.25), 15);
  });
});

describe('prepareData', () => {
  const spec = (over: Partial<TrainingSpec> = {}) =>
    resolveSpec(
      { task: 'classification', architecture: { type: 'logistic' }, optimizer: { type: 'gd' }, epochs: 1, ...over },
      2,
    );

  it('drops rows with a missing target or feature and says so; statistics come from training rows only', () => {
    const features = [Float64Array.from([1, 2, Number.NaN, 4, 5, 100]), Float64Array.from([0, 0, 0, 0, 0, 0])];
    const target = ['x', 'y', 'x', null, 'y', 'x'];
    const validation = { features: [Float64Array.from([7]), Float64Array.from([1])], target: ['y'] };
    const p = prepareData(spec(), { features, target, validation });
    expect(p.messages).toEqual(['Dropped 2 of 6 rows with a missing target or feature value']);
    expect(p.train.rows).toBe(4);
    expect(p.classLabels).toEqual(['x', 'y']);
    expect(Array.from(p.train.labels!)).toEqual([0, 1, 1, 0]);
    expect(p.mean[0]).toBe(27); // (1 + 2 + 5 + 100) / 4: validation rows do not count
    expect(p.validation!.rows).toBe(1);
    expect(p.validation!.X[0]).toBeCloseTo((7 - 27) / p.std[0]!, 14);
  });

  it('drops validation rows of classes the training data lacks', () => {
    const features = [Float64Array.from([1, 2, 3]), Float64Array.from([1, 2, 3])];
    const validation = { features: [Float64Array.from([1, 2]), Float64Array.from([1, 2])], target: ['a', 'z'] };
    const p = prepareData(spec(), { features, target: ['a', 'b', 'a'], validation });
    expect(p.validation!.rows).toBe(1);
    expect(p.messages).toContain('Dropped 1 validation rows whose class is not in the training data');
  });

  it('splits off validation rows (seeded) and standardizes regression targets', () => {
    const n = 50;
    const features = [Float64Array.from({ length: n }, (_, i) => i), Float64Array.from({ length: n }, (_, i) => -i)];
    const target = Float64Array.from({ length: n }, (_, i) => 10 + 2 * i);
    const s = resolveSpec(
      {
        task: 'regression',
        architecture: { type: 'linear' },
        optimizer: { type: 'gd' },
        epochs: 1,
        validation_split: 0.2,
      },
      2,
    );
    const p = prepareData(s, { features, target });
    expect([p.train.rows, p.validation!.rows]).toEqual([40, 10]);
    const t = p.train.targets!;
    expect(t.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 10);
    expect(t.reduce((a, b) => a + b * b, 0) / t.length).toBeCloseTo(1, 10);
    expect(p.targetStd! > 0 && p.targetMean! > 10).toBe(true);
    expect(Array.from(prepareData(s, { features, target }).validation!.X)).toEqual(Array.from(p.validation!.X));
  });

  it('refuses data it cannot train on, with training_data_invalid', () => {
    const one = { features: [Float64Array.from([1, 2]), Float64Array.from([1, 2])], target: ['a', 'a'] };
    expect(() => prepareData(spec(), one)).toThrow(/at least two classes/);
    const ragged = { features: [Float64Array.from([1, 2]), Float64Array.from([1])], target: ['a', 'b'] };
    expect(() => prepareData(spec(), ragged)).toThrow(TrainingError);
    const reg = resolveSpec(
      { task: 'regression', architecture: { type: 'linear' }, optimizer: { type: 'gd' }, epochs: 1 },
      2,
    );
    try {
      prepareData(reg, { features: one.features, target: ['1', 'x'] });
      expect.unreachable();
    } catch (err) {
      expect((err as TrainingError).code).toBe('training_data_invalid');
      expect((err as Error).message).toMatch(/numeric target/);
    }
  });
});

describe('resolveSpec', () => {
  it('fills the documented defaults', () => {
    const r = resolveSpec(
      { task: 'classification', architecture: { type: 'mlp' }, optimizer: { type: 'adam' }, epochs: 3 },
      4,
    );
    expect(r).toEqual({
      task: 'classification',
      features: ['f0', 'f1', 'f2', 'f3'],
      target: 'target',
      architecture: { type: 'mlp', hidden_layers: [64, 64], activation: 'relu' },
      optimizer: { type: 'adam', learning_rate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weight_decay: 0 },
      loss: 'cross_entropy',
      epochs: 3,
      batch_size: 32,
      validation_split: 0.2,
      early_stopping: null,
      seed: 0,
    });
    const sgd = resolveSpec(
      { task: 'regression', architecture: { type: 'linear' }, optimizer: { type: 'sgd' }, epochs: 1 },
      1,
    );
    expect(sgd.optimizer).toEqual({ type: 'sgd', learning_rate: 0.01, momentum: 0, nesterov: false });
    expect(sgd.loss).toBe('mse');
  });

  it('rejects combinations the math cannot do', () => {
    const base = { architecture: { type: 'linear' }, optimizer: { type: 'gd' }, epochs: 1 } as const;
    expect(() => resolveSpec({ ...base, task: 'regression', loss: 'cross_entropy' }, 1)).toThrow(/cross_entropy/);
    expect(() => resolveSpec({ ...base, task: 'regression', architecture: { type: 'logistic' } }, 1)).toThrow(
      /logistic/,
    );
    expect(() => resolveSpec({ ...base, task: 'regression', optimizer: { type: 'sgd', nesterov: true } }, 1)).toThrow(
      /nesterov/,
    );
    expect(() => resolveSpec({ ...base, task: 'regression', features: ['a', 'b'] }, 1)).toThrow(/2 features/);
  });
});
