import { expect, it } from 'vitest';
import { parseLayerSizes } from '../../server/console/src/lib/job-form.js';
import {
  buildOptimizationRequest,
  defaultOptimizationForm,
  GATE_FIELDS,
  gateDefault,
  type OptimizationForm,
} from '../../server/console/src/lib/optimization-form.js';
import { DEFAULT_GATES } from '../../src/protocol/optimization-gates.js';
import {
  GATE_FIELDS as API_GATE_FIELDS,
  checkOptimizationBody,
  resolveOptimization,
} from '../../src/protocol/optimization-spec.js';

const base = (extra: Partial<OptimizationForm> = {}): OptimizationForm => ({
  ...defaultOptimizationForm(),
  model: 'digits',
  dataset: 'ds_eval',
  target: 'label',
  ...extra,
});

const bodyOf = (form: OptimizationForm) => {
  const built = buildOptimizationRequest(form);
  if ('errors' in built) throw new Error(JSON.stringify(built.errors));
  return built.body;
};

it('int8 dynamic by default: the body the server accepts, resolved to the API defaults', () => {
  const body = bodyOf(base());
  expect(body).toEqual({
    model: 'digits',
    method: { type: 'quantize', precision: 'int8', mode: 'dynamic', per_channel: false },
    evaluation: { dataset: 'ds_eval', target: 'label' },
    promote: false,
  });
  expect(checkOptimizationBody(body)).toEqual(body);
  const resolved = resolveOptimization(body);
  expect(resolved.method).toEqual({
    type: 'quantize',
    precision: 'int8',
    mode: 'dynamic',
    per_channel: false,
    reduce_range: false,
  });
  expect(resolved.gate).toEqual(DEFAULT_GATES.quantize_int8);
  expect(resolved.output_model).toBe('digits');
});

it('fp16 sends no int8 fields; version, features, gate overrides, promote and output model when set', () => {
  const body = bodyOf(
    base({
      precision: 'fp16',
      mode: 'weight_only',
      per_channel: true,
      version: '3',
      features: ['f0', 'f1'],
      min_agreement: '0.99',
      max_abs_diff: ' 0.01 ',
      promote: true,
      output_model: ' digits_fp16 ',
    }),
  );
  expect(body).toEqual({
    model: 'digits',
    version: '3',
    method: { type: 'quantize', precision: 'fp16' },
    evaluation: { dataset: 'ds_eval', target: 'label', features: ['f0', 'f1'] },
    gate: { min_agreement: 0.99, max_abs_diff: 0.01 },
    promote: true,
    output_model: 'digits_fp16',
  });
  expect(checkOptimizationBody(body)).toEqual(body);
  expect(resolveOptimization(body).gate).toEqual({
    ...DEFAULT_GATES.quantize_fp16,
    min_agreement: 0.99,
    max_abs_diff: 0.01,
  });
});

it('prune, with and without fine-tuning, and distill: bodies the server accepts with the training defaults', () => {
  const pruned = bodyOf(base({ method: 'prune' }));
  expect(pruned.method).toEqual({ type: 'prune', sparsity: 0.9, scope: 'global', fine_tune: null });
  expect(checkOptimizationBody(pruned)).toEqual(pruned);

  const tuned = bodyOf(base({ method: 'prune', scope: 'layer', fine_tune: true, train_dataset: 'ds_train' }));
  expect(tuned.method).toEqual({
    type: 'prune',
    sparsity: 0.9,
    scope: 'layer',
    fine_tune: {
      dataset: 'ds_train',
      epochs: 10,
      batch_size: 32,
      seed: 0,
      optimizer: { type: 'adam', learning_rate: 0.001 },
    },
  });
  expect(checkOptimizationBody(tuned)).toEqual(tuned);

  const distilled = bodyOf(
    base({ method: 'distill', train_dataset: 'ds_train', student_hidden_layers: '32, 16', distill_labels: 'none' }),
  );
  expect(distilled.method).toEqual({
    type: 'distill',
    dataset: 'ds_train',
    target: null,
    student: { architecture: { type: 'mlp', hidden_layers: [32, 16] } },
    temperature: 4,
    alpha: 0.5,
    epochs: 10,
    batch_size: 32,
    seed: 0,
    optimizer: { type: 'adam', learning_rate: 0.001 },
  });
  expect(checkOptimizationBody(distilled)).toEqual(distilled);
  const logistic = bodyOf(base({ method: 'distill', train_dataset: 'ds_train', student_architecture: 'logistic' }));
  expect(logistic.method).toMatchObject({ student: { architecture: { type: 'logistic' } } });
  expect('target' in logistic.method).toBe(false);
});

it('names every bad field with what was expected and what came', () => {
  expect(buildOptimizationRequest(base({ model: '', dataset: '', target: '', features: [] }))).toEqual({
    errors: {
      model: 'expected the model to optimise',
      dataset: 'expected the evaluation dataset (upload one on the Datasets page)',
      target: 'expected the column holding the truth',
      features: 'expected at least one feature column',
    },
  });
  expect(buildOptimizationRequest(base({ method: 'prune', sparsity: '1' }))).toEqual({
    errors: { sparsity: 'expected a fraction from 0 up to (not including) 1, got 1' },
  });
  expect(buildOptimizationRequest(base({ method: 'prune', sparsity: 'lots' }))).toEqual({
    errors: { sparsity: 'expected a number, got "lots"' },
  });
  expect(
    buildOptimizationRequest(
      base({
        method: 'distill',
        student_hidden_layers: '32, x',
        epochs: '2.5',
        temperature: '',
        min_agreement: 'high',
      }),
    ),
  ).toEqual({
    errors: {
      train_dataset: 'expected the training data (a dataset)',
      student_hidden_layers: 'expected layer sizes such as "32", got "32, x"',
      epochs: 'expected a whole number, got "2.5"',
      temperature: 'expected a number, got ""',
      min_agreement: 'expected a number, got "high"',
    },
  });
});

it('shows each method’s default gate limits, as the server applies them', () => {
  expect(GATE_FIELDS).toEqual(API_GATE_FIELDS);
  expect(gateDefault({ method: 'quantize', precision: 'int8' }, 'min_agreement')).toBe(0.995);
  expect(gateDefault({ method: 'quantize', precision: 'int8' }, 'max_abs_diff')).toBeUndefined();
  expect(gateDefault({ method: 'quantize', precision: 'fp16' }, 'max_abs_diff')).toBe(2e-3);
  expect(gateDefault({ method: 'prune', precision: 'int8' }, 'max_accuracy_drop_pt')).toBe(1);
  expect(gateDefault({ method: 'distill', precision: 'int8' }, 'max_rmse_increase')).toBe(0.1);
});

it('parses layer sizes', () => {
  expect(parseLayerSizes('128, 64')).toEqual([128, 64]);
  expect(parseLayerSizes(' 32 16 ')).toEqual([32, 16]);
  expect(parseLayerSizes('')).toBeNull();
  expect(parseLayerSizes('32, 0')).toBeNull();
  expect(parseLayerSizes('1.5')).toBeNull();
});
