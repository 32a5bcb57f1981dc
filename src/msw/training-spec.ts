import type { Table, TableColumn } from './datasets/table.js';
import { badRequest, invalidInput, unprocessable } from './errors.js';
import { MODEL_NAME } from './model-store.js';
import type { Architecture, Optimizer, TrainingHyperparameters, TrainingJobCreateRequest } from './types.js';

type Body = Record<string, unknown>;

const FIELDS = [
  'model',
  'dataset',
  'validation_dataset',
  'task',
  'target',
  'features',
  'architecture',
  'optimizer',
  'loss',
  'epochs',
  'batch_size',
  'validation_split',
  'early_stopping',
  'seed',
];

/** Checks the create body against TrainingJobCreateRequest (400 invalid_input naming the field). */
export function checkCreateBody(body: unknown): TrainingJobCreateRequest {
  const b = object(body, 'body');
  closed(b, FIELDS, '');
  requireString(b, 'model');
  if (!MODEL_NAME.test(b.model as string)) throw invalidInput('model', `a name matching ${MODEL_NAME.source}`, b.model);
  requireString(b, 'dataset');
  if (b.validation_dataset !== undefined && b.validation_dataset !== null) requireString(b, 'validation_dataset');
  oneOf(b, 'task', ['classification', 'regression'], true);
  requireString(b, 'target');
  if (b.features !== undefined) {
    const f = b.features;
    if (!Array.isArray(f) || f.length === 0) throw invalidInput('features', 'a non-empty array of column names', f);
    f.forEach((name, i) => {
      if (typeof name !== 'string') throw invalidInput(`features[${i}]`, 'a string', name);
    });
  }
  checkArchitecture(b.architecture);
  checkOptimizer(b.optimizer);
  oneOf(b, 'loss', ['cross_entropy', 'mse'], false);
  integer(b, 'epochs', 1, 100000, true);
  integer(b, 'batch_size', 1, 1000000, false);
  if (b.validation_split !== undefined) {
    const v = b.validation_split;
    if (typeof v !== 'number' || !(v >= 0 && v < 1)) throw invalidInput('validation_split', 'a number in [0, 1)', v);
  }
  if (b.early_stopping !== undefined && b.early_stopping !== null) {
    const es = object(b.early_stopping, 'early_stopping');
    closed(es, ['patience', 'min_delta'], 'early_stopping.');
    integer(es, 'patience', 1, 10000, true, 'early_stopping.');
    number(es, 'min_delta', 0, Number.POSITIVE_INFINITY, false, 'early_stopping.');
  }
  integer(b, 'seed', 0, 4294967295, false);
  return b as unknown as TrainingJobCreateRequest;
}

function checkArchitecture(value: unknown): void {
  const a = object(value, 'architecture');
  oneOf(a, 'type', ['linear', 'logistic', 'mlp'], true, 'architecture.');
  if (a.type !== 'mlp') {
    closed(a, ['type'], 'architecture.');
    return;
  }
  closed(a, ['type', 'hidden_layers', 'activation'], 'architecture.');
  if (a.hidden_layers !== undefined) {
    const h = a.hidden_layers;
    if (!Array.isArray(h) || h.length < 1 || h.length > 16) {
      throw invalidInput('architecture.hidden_layers', 'an array of 1 to 16 layer sizes', h);
    }
    h.forEach((size, i) => {
      if (!Number.isInteger(size) || size < 1 || size > 4096) {
        throw invalidInput(`architecture.hidden_layers[${i}]`, 'an integer from 1 to 4096', size);
      }
    });
  }
  oneOf(a, 'activation', ['relu', 'tanh', 'sigmoid'], false, 'architecture.');
}

function checkOptimizer(value: unknown): void {
  const o = object(value, 'optimizer');
  oneOf(o, 'type', ['gd', 'sgd', 'adam'], true, 'optimizer.');
  const p = 'optimizer.';
  const lr = () => number(o, 'learning_rate', 0, 10, false, p, true);
  if (o.type === 'gd') {
    closed(o, ['type', 'learning_rate'], p);
    lr();
  } else if (o.type === 'sgd') {
    closed(o, ['type', 'learning_rate', 'momentum', 'nesterov'], p);
    lr();
    number(o, 'momentum', 0, 1, false, p, false, true);
    if (o.nesterov !== undefined && typeof o.nesterov !== 'boolean') invalid(p, 'nesterov', 'a boolean', o.nesterov);
  } else {
    closed(o, ['type', 'learning_rate', 'beta1', 'beta2', 'epsilon', 'weight_decay'], p);
    lr();
    number(o, 'beta1', 0, 1, false, p, false, true);
    number(o, 'beta2', 0, 1, false, p, false, true);
    number(o, 'epsilon', 0, Number.POSITIVE_INFINITY, false, p, true);
    number(o, 'weight_decay', 0, Number.POSITIVE_INFINITY, false, p);
  }
}

export interface ResolvedSpec {
  hyperparameters: TrainingHyperparameters;
  /** Sorted class labels for classification, null for regression. */
  classes: Array<string | number> | null;
}

/**
 * Fills in every default and checks the spec against the data (422 training_spec_invalid naming the field).
 * `defaultSeed` stands in for the server's random seed, so the mock stays deterministic.
 */
export function resolveSpec(
  body: TrainingJobCreateRequest,
  data: Table,
  validation: Table | null,
  defaultSeed: number,
): ResolvedSpec {
  const columnNames = data.columns.map((c) => c.name);
  const target = data.columns.findIndex((c) => c.name === body.target);
  const targetColumn = data.columns[target];
  if (!targetColumn) {
    throw specInvalid(`target: column '${body.target}' is not in the dataset; columns are ${columnNames.join(', ')}`);
  }
  if (body.task === 'regression' && targetColumn.type !== 'number') {
    throw specInvalid(`target: column '${body.target}' is a string column; regression needs a number column`);
  }
  const features =
    body.features ?? data.columns.filter((c) => c.type === 'number' && c.name !== body.target).map((c) => c.name);
  if (features.length === 0) throw specInvalid('features: the dataset has no numeric column besides the target');
  for (const name of features) {
    const column = data.columns.find((c) => c.name === name);
    if (!column)
      throw specInvalid(`features: column '${name}' is not in the dataset; columns are ${columnNames.join(', ')}`);
    if (column.type !== 'number')
      throw specInvalid(`features: column '${name}' is a string column; features must be numeric`);
    if (name === body.target) throw specInvalid(`features: column '${name}' is the target`);
  }
  if (validation) {
    for (const name of [...features, body.target]) {
      if (!validation.columns.some((c) => c.name === name)) {
        throw specInvalid(`validation_dataset: column '${name}' is missing from the validation dataset`);
      }
    }
  }
  const loss = body.loss ?? (body.task === 'classification' ? 'cross_entropy' : 'mse');
  if (loss === 'cross_entropy' && body.task === 'regression') {
    throw specInvalid('loss: cross_entropy needs task classification');
  }
  const optimizer = resolveOptimizer(body.optimizer);
  if (optimizer.type === 'sgd' && optimizer.nesterov && !optimizer.momentum) {
    throw specInvalid('optimizer.nesterov: needs momentum > 0');
  }
  const hyperparameters: TrainingHyperparameters = {
    task: body.task,
    target: body.target,
    features: [...features],
    architecture: resolveArchitecture(body.architecture),
    optimizer,
    loss,
    epochs: body.epochs,
    batch_size: body.batch_size ?? 32,
    validation_split: body.validation_split ?? 0.2,
    early_stopping: body.early_stopping
      ? { patience: body.early_stopping.patience, min_delta: body.early_stopping.min_delta ?? 0 }
      : null,
    seed: body.seed ?? defaultSeed,
  };
  const classes = body.task === 'classification' ? distinct(targetColumn) : null;
  return { hyperparameters, classes };
}

function resolveArchitecture(a: Architecture): Architecture {
  if (a.type !== 'mlp') return { type: a.type };
  return { type: 'mlp', hidden_layers: [...(a.hidden_layers ?? [64, 64])], activation: a.activation ?? 'relu' };
}

function resolveOptimizer(o: Optimizer): Optimizer {
  switch (o.type) {
    case 'gd':
      return { type: 'gd', learning_rate: o.learning_rate ?? 0.1 };
    case 'sgd':
      return {
        type: 'sgd',
        learning_rate: o.learning_rate ?? 0.01,
        momentum: o.momentum ?? 0,
        nesterov: o.nesterov ?? false,
      };
    default:
      return {
        type: 'adam',
        learning_rate: o.learning_rate ?? 0.001,
        beta1: o.beta1 ?? 0.9,
        beta2: o.beta2 ?? 0.999,
        epsilon: o.epsilon ?? 1e-8,
        weight_decay: o.weight_decay ?? 0,
      };
  }
}

/** Class labels, sorted (numbers ascending, strings by code unit), as the exported model orders them. */
function distinct(column: TableColumn): Array<string | number> {
  if (column.type === 'number') {
    const set = new Set<number>();
    for (const v of column.values) if (!Number.isNaN(v)) set.add(v);
    return [...set].sort((a, b) => a - b);
  }
  const set = new Set<string>();
  for (const v of column.values) if (v !== null) set.add(v);
  return [...set].sort();
}

const specInvalid = (message: string) => unprocessable('training_spec_invalid', message);

function invalid(prefix: string, key: string, expected: string, got: unknown): never {
  throw invalidInput(`${prefix}${key}`, expected, got);
}

function object(value: unknown, field: string): Body {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw invalidInput(field, 'an object', value);
  return value as Body;
}

function closed(b: Body, allowed: string[], prefix: string): void {
  for (const key of Object.keys(b)) {
    if (!allowed.includes(key)) {
      throw badRequest('invalid_input', `${prefix}${key}: unknown field; expected one of ${allowed.join(', ')}`);
    }
  }
}

function requireString(b: Body, key: string): void {
  if (typeof b[key] !== 'string' || b[key] === '') invalid('', key, 'a non-empty string', b[key]);
}

function oneOf(b: Body, key: string, values: string[], required: boolean, prefix = ''): void {
  if (b[key] === undefined && !required) return;
  if (!values.includes(b[key] as string)) invalid(prefix, key, `one of ${values.join(', ')}`, b[key]);
}

function integer(b: Body, key: string, min: number, max: number, required: boolean, prefix = ''): void {
  const v = b[key];
  if (v === undefined && !required) return;
  if (!Number.isInteger(v) || (v as number) < min || (v as number) > max) {
    invalid(prefix, key, `an integer from ${min} to ${max}`, v);
  }
}

function number(
  b: Body,
  key: string,
  min: number,
  max: number,
  required: boolean,
  prefix = '',
  exclusiveMin = false,
  exclusiveMax = false,
): void {
  const v = b[key];
  if (v === undefined && !required) return;
  const ok =
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (exclusiveMin ? v > min : v >= min) &&
    (exclusiveMax ? v < max : v <= max);
  if (!ok) {
    const lo = exclusiveMin ? `> ${min}` : `>= ${min}`;
    const hi = max === Number.POSITIVE_INFINITY ? '' : exclusiveMax ? ` and < ${max}` : ` and <= ${max}`;
    invalid(prefix, key, `a number ${lo}${hi}`, v);
  }
}
