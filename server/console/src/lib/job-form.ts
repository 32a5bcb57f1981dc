// The training-job form, as data: every field of the create body with the contract's default (SPEC_DEFAULTS, the
// table the server resolves with), and the body built from what was typed, each bad field named. Fields left on
// "default" (task, loss, features, seed) are left out so the server decides and says how in its message events.
import type { TrainingJobCreateRequest } from '../../../../src/index.js';
import { SPEC_DEFAULTS } from '../../../../src/protocol/training-spec.js';

export type OptimizerType = 'gd' | 'sgd' | 'adam';
export type ArchitectureType = 'linear' | 'logistic' | 'mlp';

export interface JobForm {
  model: string;
  dataset: string;
  /** '' for none. */
  validation_dataset: string;
  /** '' to let the server pick from the target column's type. */
  task: '' | 'classification' | 'regression';
  target: string;
  /** null for the default: every other usable column. */
  features: string[] | null;
  architecture: ArchitectureType;
  hidden_layers: string;
  activation: 'relu' | 'tanh' | 'sigmoid';
  optimizer: OptimizerType;
  learning_rate: string;
  momentum: string;
  nesterov: boolean;
  beta1: string;
  beta2: string;
  epsilon: string;
  weight_decay: string;
  /** '' for the task's default. */
  loss: '' | 'cross_entropy' | 'mse';
  epochs: string;
  batch_size: string;
  validation_split: string;
  early_stopping: boolean;
  patience: string;
  min_delta: string;
  /** '' for a random seed (reported in the job's hyperparameters). */
  seed: string;
}

const d = SPEC_DEFAULTS;

export function defaultJobForm(): JobForm {
  return {
    model: '',
    dataset: '',
    validation_dataset: '',
    task: '',
    target: '',
    features: null,
    architecture: d.architecture,
    hidden_layers: d.hidden_layers.join(', '),
    activation: d.activation,
    optimizer: d.optimizer,
    learning_rate: String(d.learning_rate[d.optimizer]),
    momentum: String(d.momentum),
    nesterov: d.nesterov,
    beta1: String(d.beta1),
    beta2: String(d.beta2),
    epsilon: String(d.epsilon),
    weight_decay: String(d.weight_decay),
    loss: '',
    epochs: String(d.epochs),
    batch_size: String(d.batch_size),
    validation_split: String(d.validation_split),
    early_stopping: false,
    patience: '',
    min_delta: String(d.min_delta),
    seed: '',
  };
}

/** The default learning rate of an optimizer. */
export function defaultLearningRate(optimizer: OptimizerType): string {
  return String(d.learning_rate[optimizer]);
}

/** A new optimizer type; the learning rate follows the new type's default unless it was changed by hand. */
export function withOptimizer(form: JobForm, optimizer: OptimizerType): JobForm {
  const untouched = form.learning_rate === defaultLearningRate(form.optimizer);
  return { ...form, optimizer, learning_rate: untouched ? defaultLearningRate(optimizer) : form.learning_rate };
}

export type FieldErrors = Partial<Record<keyof JobForm, string>>;

/** The create body, or the fields that cannot become one (by form field, each with what was expected). */
export function buildJobRequest(form: JobForm): { body: TrainingJobCreateRequest } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const num = (field: keyof JobForm, integer = false): number => {
    const text = String(form[field]).trim();
    const value = text === '' ? Number.NaN : Number(text);
    if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) {
      errors[field] = `expected ${integer ? 'a whole number' : 'a number'}, got "${text}"`;
    }
    return value;
  };
  if (!form.model.trim()) errors.model = 'expected a model name to deploy the trained version under';
  if (!form.dataset) errors.dataset = 'expected a dataset (upload one on the Datasets page)';
  if (!form.target) errors.target = 'expected the column to predict';

  const architecture: TrainingJobCreateRequest['architecture'] =
    form.architecture === 'mlp'
      ? { type: 'mlp', hidden_layers: hiddenLayers(form.hidden_layers, errors), activation: form.activation }
      : { type: form.architecture };
  const learning_rate = num('learning_rate');
  let optimizer: TrainingJobCreateRequest['optimizer'];
  if (form.optimizer === 'gd') optimizer = { type: 'gd', learning_rate };
  else if (form.optimizer === 'sgd')
    optimizer = { type: 'sgd', learning_rate, momentum: num('momentum'), nesterov: form.nesterov };
  else {
    optimizer = {
      type: 'adam',
      learning_rate,
      beta1: num('beta1'),
      beta2: num('beta2'),
      epsilon: num('epsilon'),
      weight_decay: num('weight_decay'),
    };
  }
  const body: TrainingJobCreateRequest = {
    model: form.model.trim(),
    dataset: form.dataset,
    target: form.target,
    architecture,
    optimizer,
    epochs: num('epochs', true),
    batch_size: num('batch_size', true),
    validation_split: num('validation_split'),
    early_stopping: form.early_stopping ? { patience: num('patience', true), min_delta: num('min_delta') } : null,
  };
  if (form.validation_dataset) body.validation_dataset = form.validation_dataset;
  if (form.task) body.task = form.task;
  if (form.loss) body.loss = form.loss;
  if (form.features) {
    if (form.features.length === 0) errors.features = 'expected at least one feature column';
    body.features = form.features;
  }
  if (form.seed.trim() !== '') body.seed = num('seed', true);
  return Object.keys(errors).length > 0 ? { errors } : { body };
}

function hiddenLayers(text: string, errors: FieldErrors): number[] {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  const sizes = parts.map(Number);
  if (parts.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 1)) {
    errors.hidden_layers = `expected layer sizes such as "64, 64", got "${text}"`;
  }
  return sizes;
}
