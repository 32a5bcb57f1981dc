import { defaultLoss, resolveArchitecture, resolveOptimizer, SPEC_DEFAULTS } from '../../src/protocol/training-spec.js';
import { TrainingError } from './errors.js';
import type { ResolvedSpec, TrainingSpec } from './types.js';

/**
 * The spec with the API's defaults filled in (they live once, in src/protocol/training-spec.ts) and checked for what
 * the math depends on. The job service validates the wire body first; the checks keep the trainer safe to call
 * directly too.
 */
export function resolveSpec(spec: TrainingSpec, featureCount: number): ResolvedSpec {
  const task = spec.task;
  if (task !== 'classification' && task !== 'regression') invalid(`task: expected classification or regression`);
  if (!Number.isInteger(featureCount) || featureCount < 1) invalid('features: at least one feature column is needed');

  const features = spec.features ? [...spec.features] : Array.from({ length: featureCount }, (_, i) => `f${i}`);
  if (features.length !== featureCount) {
    invalid(`features: the spec names ${features.length} features but the data has ${featureCount} columns`);
  }

  const loss = spec.loss ?? defaultLoss(task);
  if (loss !== 'cross_entropy' && loss !== 'mse') invalid('loss: expected cross_entropy or mse');
  if (loss === 'cross_entropy' && task === 'regression') invalid('loss: cross_entropy needs task classification');

  const type = spec.architecture?.type ?? SPEC_DEFAULTS.architecture;
  if (type !== 'linear' && type !== 'logistic' && type !== 'mlp') {
    invalid('architecture.type: expected linear, logistic or mlp');
  }
  if (type === 'logistic' && task === 'regression') {
    invalid('architecture.type: logistic is softmax regression for classification; use linear or mlp for regression');
  }
  const a = resolveArchitecture(spec.architecture);
  const hidden = a.type === 'mlp' ? [...(a.hidden_layers ?? [])] : [];
  if (a.type === 'mlp' && hidden.length === 0) invalid('architecture.hidden_layers: expected at least one layer');
  hidden.forEach((h, i) => {
    if (!Number.isInteger(h) || h < 1) invalid(`architecture.hidden_layers[${i}]: expected a positive integer`);
  });
  // linear/logistic have no hidden layer; the activation only labels the (empty) hidden stack.
  const activation = a.type === 'mlp' ? (a.activation ?? SPEC_DEFAULTS.activation) : SPEC_DEFAULTS.activation;
  if (!['relu', 'tanh', 'sigmoid'].includes(activation)) {
    invalid('architecture.activation: expected relu, tanh or sigmoid');
  }

  const optimizer = checkOptimizer(spec);
  const epochs = spec.epochs ?? SPEC_DEFAULTS.epochs;
  if (!Number.isInteger(epochs) || epochs < 1) invalid('epochs: expected an integer >= 1');
  const batchSize = spec.batch_size ?? SPEC_DEFAULTS.batch_size;
  if (!Number.isInteger(batchSize) || batchSize < 1) invalid('batch_size: expected an integer >= 1');
  const split = spec.validation_split ?? SPEC_DEFAULTS.validation_split;
  if (!(split >= 0 && split < 1)) invalid('validation_split: expected a number >= 0 and < 1');
  const es = spec.early_stopping;
  if (es) {
    if (!Number.isInteger(es.patience) || es.patience < 1) invalid('early_stopping.patience: expected an integer >= 1');
    if (es.min_delta !== undefined && !(es.min_delta >= 0)) invalid('early_stopping.min_delta: expected a number >= 0');
  }
  const seed = spec.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) invalid('seed: expected an integer from 0 to 2^32 − 1');

  return {
    task,
    features,
    target: spec.target ?? 'target',
    architecture: { type, hidden_layers: hidden, activation },
    optimizer,
    loss,
    epochs,
    batch_size: batchSize,
    validation_split: split,
    early_stopping: es ? { patience: es.patience, min_delta: es.min_delta ?? SPEC_DEFAULTS.min_delta } : null,
    seed,
  };
}

function checkOptimizer(spec: TrainingSpec): ResolvedSpec['optimizer'] {
  const type = spec.optimizer?.type ?? SPEC_DEFAULTS.optimizer;
  if (type !== 'gd' && type !== 'sgd' && type !== 'adam') invalid('optimizer.type: expected gd, sgd or adam');
  const resolved = resolveOptimizer(spec.optimizer) as ResolvedSpec['optimizer'];
  if (resolved.type === 'sgd') {
    if (!(resolved.momentum >= 0 && resolved.momentum < 1)) invalid('optimizer.momentum: expected >= 0 and < 1');
    if (resolved.nesterov && resolved.momentum === 0) invalid('optimizer.nesterov: needs momentum > 0');
  } else if (resolved.type === 'adam') {
    if (!(resolved.beta1 >= 0 && resolved.beta1 < 1)) invalid('optimizer.beta1: expected >= 0 and < 1');
    if (!(resolved.beta2 >= 0 && resolved.beta2 < 1)) invalid('optimizer.beta2: expected >= 0 and < 1');
    if (!(resolved.epsilon > 0)) invalid('optimizer.epsilon: expected > 0');
    if (!(resolved.weight_decay >= 0)) invalid('optimizer.weight_decay: expected >= 0');
  }
  if (!(resolved.learning_rate > 0 && Number.isFinite(resolved.learning_rate))) {
    invalid('optimizer.learning_rate: expected a finite number > 0');
  }
  return resolved;
}

function invalid(message: string): never {
  throw new TrainingError('training_spec_invalid', message);
}
