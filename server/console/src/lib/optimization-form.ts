// The optimisation-job form, as data: every field of the create body with its default — the API's where it has one
// (mode, scope, batch size, seed, the optimizer's learning rate, each method's gate), and where a field is required
// without one (sparsity, epochs, temperature, alpha) the value `maas optimize` starts from. Fields left empty are left
// out of the body, so the server resolves them and the job shows what it used.
import type { OptimizationJobCreateRequest } from '../../../../src/index.js';
import { DEFAULT_GATES, type GateMethod } from '../../../../src/protocol/optimization-gates.js';
import { TRAINING_DEFAULTS } from '../../../../src/protocol/optimization-spec.js';
import { SPEC_DEFAULTS } from '../../../../src/protocol/training-spec.js';
import { numberReader } from './form-numbers.js';
import { defaultLearningRate, type OptimizerType, parseLayerSizes } from './job-form.js';

export const GATE_FIELDS = ['min_agreement', 'max_accuracy_drop_pt', 'max_abs_diff', 'max_rmse_increase'] as const;
export type GateField = (typeof GATE_FIELDS)[number];

export interface OptimizationForm {
  model: string;
  /** '' for the version unversioned requests go to. */
  version: string;
  method: 'quantize' | 'prune' | 'distill';
  precision: 'int8' | 'fp16';
  mode: 'dynamic' | 'weight_only';
  per_channel: boolean;
  /** '' for the default (on with per-channel dynamic int8). */
  reduce_range: '' | 'true' | 'false';
  sparsity: string;
  scope: 'global' | 'layer';
  fine_tune: boolean;
  /** The training data of fine-tuning and distillation ('' : none chosen). */
  train_dataset: string;
  epochs: string;
  batch_size: string;
  seed: string;
  optimizer: OptimizerType;
  learning_rate: string;
  student_architecture: 'mlp' | 'logistic';
  student_hidden_layers: string;
  temperature: string;
  alpha: string;
  /** Distillation's hard labels: 'evaluation' (the evaluation target) or 'none' (the teacher alone). */
  distill_labels: 'evaluation' | 'none';
  dataset: string;
  target: string;
  /** null for the default: the model's metadata, else every column but the target. */
  features: string[] | null;
  /** Gate overrides; '' keeps the method's default. */
  min_agreement: string;
  max_accuracy_drop_pt: string;
  max_abs_diff: string;
  max_rmse_increase: string;
  promote: boolean;
  /** '' for the parent model. */
  output_model: string;
}

export function defaultOptimizationForm(): OptimizationForm {
  return {
    model: '',
    version: '',
    method: 'quantize',
    precision: 'int8',
    mode: 'dynamic',
    per_channel: false,
    reduce_range: '',
    sparsity: '0.9',
    scope: 'global',
    fine_tune: false,
    train_dataset: '',
    epochs: '10',
    batch_size: String(TRAINING_DEFAULTS.batch_size),
    seed: String(TRAINING_DEFAULTS.seed),
    optimizer: SPEC_DEFAULTS.optimizer,
    learning_rate: defaultLearningRate(SPEC_DEFAULTS.optimizer),
    student_architecture: 'mlp',
    student_hidden_layers: '32',
    temperature: '4',
    alpha: '0.5',
    distill_labels: 'evaluation',
    dataset: '',
    target: '',
    features: null,
    min_agreement: '',
    max_accuracy_drop_pt: '',
    max_abs_diff: '',
    max_rmse_increase: '',
    promote: false,
    output_model: '',
  };
}

/** Whose default gate the method gets (as the server picks it). */
export function gateMethodOf(form: Pick<OptimizationForm, 'method' | 'precision'>): GateMethod {
  if (form.method === 'quantize') return form.precision === 'fp16' ? 'quantize_fp16' : 'quantize_int8';
  return form.method;
}

/** The method's default limit for a gate field, or undefined where the method sets none. */
export function gateDefault(
  form: Pick<OptimizationForm, 'method' | 'precision'>,
  field: GateField,
): number | undefined {
  return DEFAULT_GATES[gateMethodOf(form)][field];
}

export type OptimizationFieldErrors = Partial<Record<keyof OptimizationForm, string>>;

/** The create body, or the fields that cannot become one (by form field, each with what was expected). */
export function buildOptimizationRequest(
  form: OptimizationForm,
): { body: OptimizationJobCreateRequest } | { errors: OptimizationFieldErrors } {
  const errors: OptimizationFieldErrors = {};
  const num = numberReader(form, errors);
  if (!form.model) errors.model = 'expected the model to optimise';
  if (!form.dataset) errors.dataset = 'expected the evaluation dataset (upload one on the Datasets page)';
  if (!form.target) errors.target = 'expected the column holding the truth';
  if (form.features?.length === 0) errors.features = 'expected at least one feature column';

  const training = () => {
    if (!form.train_dataset) errors.train_dataset = 'expected the training data (a dataset)';
    return {
      dataset: form.train_dataset,
      epochs: num('epochs', true),
      batch_size: num('batch_size', true),
      seed: num('seed', true),
      optimizer: { type: form.optimizer, learning_rate: num('learning_rate') },
    };
  };
  let method: OptimizationJobCreateRequest['method'];
  if (form.method === 'quantize') {
    method = { type: 'quantize', precision: form.precision };
    if (form.precision === 'int8') {
      method.mode = form.mode;
      method.per_channel = form.per_channel;
      if (form.reduce_range) method.reduce_range = form.reduce_range === 'true';
    }
  } else if (form.method === 'prune') {
    const sparsity = num('sparsity');
    if (!errors.sparsity && (sparsity < 0 || sparsity >= 1))
      errors.sparsity = `expected a fraction from 0 up to (not including) 1, got ${sparsity}`;
    method = { type: 'prune', sparsity, scope: form.scope, fine_tune: form.fine_tune ? training() : null };
  } else {
    const layers = parseLayerSizes(form.student_hidden_layers) ?? [];
    if (form.student_architecture === 'mlp' && layers.length === 0)
      errors.student_hidden_layers = `expected layer sizes such as "32", got "${form.student_hidden_layers}"`;
    method = {
      type: 'distill',
      ...training(),
      student: {
        architecture:
          form.student_architecture === 'mlp' ? { type: 'mlp', hidden_layers: layers } : { type: 'logistic' },
      },
      temperature: num('temperature'),
      alpha: num('alpha'),
      ...(form.distill_labels === 'none' ? { target: null } : {}),
    };
  }
  const gate: NonNullable<OptimizationJobCreateRequest['gate']> = {};
  for (const field of GATE_FIELDS) if (form[field].trim() !== '') gate[field] = num(field);

  const body: OptimizationJobCreateRequest = {
    model: form.model,
    method,
    evaluation: { dataset: form.dataset, target: form.target, ...(form.features ? { features: form.features } : {}) },
    promote: form.promote,
  };
  if (form.version) body.version = form.version;
  if (Object.keys(gate).length > 0) body.gate = gate;
  if (form.output_model.trim()) body.output_model = form.output_model.trim();
  return Object.keys(errors).length > 0 ? { errors } : { body };
}
