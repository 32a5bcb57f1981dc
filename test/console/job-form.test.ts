import { expect, it } from 'vitest';
import { addEpoch, emptyCurves } from '../../server/console/src/lib/curves.js';
import { buildJobRequest, defaultJobForm, withOptimizer } from '../../server/console/src/lib/job-form.js';
import { SPEC_DEFAULTS } from '../../src/protocol/training-spec.js';

it('starts from the contract defaults and sends them explicitly, leaving the server-decided fields out', () => {
  const form = { ...defaultJobForm(), model: 'iris', dataset: 'ds_1', target: 'species' };
  expect(form.epochs).toBe(String(SPEC_DEFAULTS.epochs));
  expect(buildJobRequest(form)).toEqual({
    body: {
      model: 'iris',
      dataset: 'ds_1',
      target: 'species',
      architecture: { type: 'mlp', hidden_layers: [64, 64], activation: 'relu' },
      optimizer: { type: 'adam', learning_rate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weight_decay: 0 },
      epochs: 20,
      batch_size: 32,
      validation_split: 0.2,
      early_stopping: null,
    },
  });
});

it('follows the optimizer default learning rate unless it was changed, and names every bad field', () => {
  const form = defaultJobForm();
  expect(withOptimizer(form, 'gd').learning_rate).toBe('0.1');
  expect(withOptimizer({ ...form, learning_rate: '0.05' }, 'sgd').learning_rate).toBe('0.05');
  const bad = buildJobRequest({
    ...withOptimizer(form, 'sgd'),
    hidden_layers: '64, x',
    epochs: '2.5',
    momentum: '',
    early_stopping: true,
    features: [],
  });
  expect(bad).toEqual({
    errors: {
      model: 'expected a model name to deploy the trained version under',
      dataset: 'expected a dataset (upload one on the Datasets page)',
      target: 'expected the column to predict',
      hidden_layers: 'expected layer sizes such as "64, 64", got "64, x"',
      momentum: 'expected a number, got ""',
      epochs: 'expected a whole number, got "2.5"',
      patience: 'expected a whole number, got ""',
      features: 'expected at least one feature column',
    },
  });
});

it('grows curves per epoch and skips replayed epochs', () => {
  const curves = emptyCurves();
  const m = (epoch: number, val?: number) => ({
    epoch,
    train_loss: 1 / epoch,
    learning_rate: 0.1,
    samples_per_second: 1,
    elapsed_ms: 1,
    ...(val === undefined ? {} : { val_loss: val }),
  });
  expect(addEpoch(curves, m(1, 0.9))).toBe(true);
  expect(addEpoch(curves, m(2))).toBe(true);
  expect(addEpoch(curves, m(2))).toBe(false);
  expect(curves.epochs).toEqual([1, 2]);
  expect(curves.series.train_loss).toEqual([1, 0.5]);
  expect(curves.series.val_loss).toEqual([0.9, null]);
  expect(curves.series.train_accuracy).toEqual([null, null]);
});
