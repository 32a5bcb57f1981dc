// A training job's create body: its shape (400 invalid_input), its defaults, and its fit to the dataset's columns
// (422 training_spec_invalid). Shared by the server and the msw mock so both accept, reject and resolve alike.
import type { components } from '../generated/openapi.js';
import { ContractError, describeReceived as describe } from './contract-error.js';
import { type ColumnStats, DISTINCT_CAP } from './datasets/table.js';
import { isValidModelName, MODEL_NAME_PATTERN } from './model-names.js';

type Schemas = components['schemas'];
type Architecture = Schemas['Architecture'];
type Dataset = Schemas['Dataset'];
type Hyperparameters = Schemas['TrainingHyperparameters'];
type Optimizer = Schemas['Optimizer'];
type TrainingJobCreateRequest = Schemas['TrainingJobCreateRequest'];

/** What spec resolution reads of a dataset: its description and per-column stats. */
export interface DatasetFacts {
  dataset: Dataset;
  stats: ColumnStats[];
}

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

/** Checks the create body's shape against TrainingJobCreateRequest: 400 invalid_input naming the field. */
export function checkCreateBody(body: unknown): TrainingJobCreateRequest {
  const b = object(body, 'body');
  closed(b, FIELDS, '');
  string(b, 'model');
  if (!isValidModelName(b.model as string))
    invalid('', 'model', `a name matching ${MODEL_NAME_PATTERN.source}`, b.model);
  string(b, 'dataset');
  if (b.validation_dataset !== undefined && b.validation_dataset !== null) string(b, 'validation_dataset');
  oneOf(b, 'task', ['classification', 'regression'], true);
  string(b, 'target');
  if (b.features !== undefined) {
    const f = b.features;
    if (!Array.isArray(f) || f.length === 0) invalid('', 'features', 'a non-empty array of column names', f);
    (f as unknown[]).forEach((name, i) => {
      if (typeof name !== 'string' || name === '') invalid('', `features[${i}]`, 'a column name', name);
    });
  }
  checkArchitecture(b.architecture);
  checkOptimizer(b.optimizer);
  oneOf(b, 'loss', ['cross_entropy', 'mse'], false);
  integer(b, 'epochs', 1, 100000, true);
  integer(b, 'batch_size', 1, 1000000, false);
  number(b, 'validation_split', { min: 0, max: 1, maxExclusive: true });
  if (b.early_stopping !== undefined && b.early_stopping !== null) {
    const es = object(b.early_stopping, 'early_stopping');
    closed(es, ['patience', 'min_delta'], 'early_stopping.');
    integer(es, 'patience', 1, 10000, true, 'early_stopping.');
    number(es, 'min_delta', { min: 0 }, 'early_stopping.');
  }
  integer(b, 'seed', 0, 4294967295, false);
  return b as unknown as TrainingJobCreateRequest;
}

function checkArchitecture(value: unknown): void {
  const a = object(value, 'architecture');
  const p = 'architecture.';
  oneOf(a, 'type', ['linear', 'logistic', 'mlp'], true, p);
  if (a.type !== 'mlp') {
    closed(a, ['type'], p);
    return;
  }
  closed(a, ['type', 'hidden_layers', 'activation'], p);
  if (a.hidden_layers !== undefined) {
    const h = a.hidden_layers;
    if (!Array.isArray(h) || h.length < 1 || h.length > 16) invalid(p, 'hidden_layers', 'an array of 1 to 16 sizes', h);
    (h as unknown[]).forEach((size, i) => {
      if (!Number.isInteger(size) || (size as number) < 1 || (size as number) > 4096) {
        invalid(p, `hidden_layers[${i}]`, 'an integer from 1 to 4096', size);
      }
    });
  }
  oneOf(a, 'activation', ['relu', 'tanh', 'sigmoid'], false, p);
}

function checkOptimizer(value: unknown): void {
  const o = object(value, 'optimizer');
  const p = 'optimizer.';
  oneOf(o, 'type', ['gd', 'sgd', 'adam'], true, p);
  const lr = () => number(o, 'learning_rate', { min: 0, minExclusive: true, max: 10 }, p);
  if (o.type === 'gd') {
    closed(o, ['type', 'learning_rate'], p);
    lr();
  } else if (o.type === 'sgd') {
    closed(o, ['type', 'learning_rate', 'momentum', 'nesterov'], p);
    lr();
    number(o, 'momentum', { min: 0, max: 1, maxExclusive: true }, p);
    if (o.nesterov !== undefined && typeof o.nesterov !== 'boolean') invalid(p, 'nesterov', 'a boolean', o.nesterov);
  } else {
    closed(o, ['type', 'learning_rate', 'beta1', 'beta2', 'epsilon', 'weight_decay'], p);
    lr();
    number(o, 'beta1', { min: 0, max: 1, maxExclusive: true }, p);
    number(o, 'beta2', { min: 0, max: 1, maxExclusive: true }, p);
    number(o, 'epsilon', { min: 0, minExclusive: true }, p);
    number(o, 'weight_decay', { min: 0 }, p);
  }
}

/**
 * Every default filled in, and the spec checked against the data: 422 training_spec_invalid naming the field.
 * `validation` is the validation dataset when the body names one; `randomSeed` picks the seed when the body has none.
 */
export function resolveHyperparameters(
  body: TrainingJobCreateRequest,
  data: DatasetFacts,
  validation: DatasetFacts | null,
  randomSeed: () => number,
): Hyperparameters {
  const columns = data.dataset.columns;
  const names = columns.map((c) => c.name).join(', ');
  const column = (name: string) => columns.find((c) => c.name === name);
  const stats = (name: string) => data.stats.find((s) => s.name === name);
  const rows = data.dataset.rows;

  const target = column(body.target);
  if (!target) specInvalid(`target: column '${body.target}' is not in the dataset; columns are ${names}`);
  if (target.missing === rows) specInvalid(`target: column '${body.target}' has no values`);
  if (body.task === 'regression' && target.type !== 'number') {
    specInvalid(`target: column '${body.target}' is a string column; regression needs a number column`);
  }
  if (body.task === 'classification') {
    const s = stats(body.target);
    if (target.type === 'number' && s && !s.integer) {
      specInvalid(
        `target: column '${body.target}' has non-integer numbers; classification needs class labels (strings or integers)`,
      );
    }
    if (s && s.distinct < 2)
      specInvalid(`target: column '${body.target}' has one class; classification needs two or more`);
    if (s && s.distinct > DISTINCT_CAP) {
      specInvalid(`target: column '${body.target}' has more than ${DISTINCT_CAP} distinct values; too many classes`);
    }
  }

  const features =
    body.features ?? columns.filter((c) => c.type === 'number' && c.name !== body.target).map((c) => c.name);
  if (features.length === 0) specInvalid('features: the dataset has no numeric column besides the target');
  const seen = new Set<string>();
  for (const name of features) {
    const c = column(name);
    if (!c) specInvalid(`features: column '${name}' is not in the dataset; columns are ${names}`);
    if (c.type !== 'number') specInvalid(`features: column '${name}' is a string column; features must be numeric`);
    if (name === body.target) specInvalid(`features: column '${name}' is the target`);
    if (seen.has(name)) specInvalid(`features: column '${name}' is listed twice`);
    if (c.missing === rows) specInvalid(`features: column '${name}' has no values`);
    seen.add(name);
  }

  if (validation) {
    for (const name of [...features, body.target]) {
      const v = validation.dataset.columns.find((c) => c.name === name);
      if (!v) specInvalid(`validation_dataset: column '${name}' is missing from the validation dataset`);
      const t = name === body.target ? target : column(name);
      if (t && t.type === 'number' && v.type !== 'number') {
        specInvalid(`validation_dataset: column '${name}' is a string column there but a number column in the dataset`);
      }
    }
  }

  const loss = body.loss ?? (body.task === 'classification' ? 'cross_entropy' : 'mse');
  if (loss === 'cross_entropy' && body.task === 'regression')
    specInvalid('loss: cross_entropy needs task classification');
  if (body.architecture.type === 'logistic' && body.task === 'regression') {
    specInvalid(
      'architecture.type: logistic is softmax regression for classification; use linear or mlp for regression',
    );
  }
  const optimizer = resolveOptimizer(body.optimizer);
  if (optimizer.type === 'sgd' && optimizer.nesterov && !optimizer.momentum) {
    specInvalid('optimizer.nesterov: needs momentum > 0');
  }
  return {
    task: body.task,
    target: body.target,
    features: [...features],
    architecture: resolveArchitecture(body.architecture),
    optimizer,
    loss,
    epochs: body.epochs,
    batch_size: body.batch_size ?? 32,
    validation_split: validation ? 0 : (body.validation_split ?? 0.2),
    early_stopping: body.early_stopping
      ? { patience: body.early_stopping.patience, min_delta: body.early_stopping.min_delta ?? 0 }
      : null,
    seed: body.seed ?? randomSeed(),
  };
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

function specInvalid(message: string): never {
  throw new ContractError(422, 'training_spec_invalid', message);
}

function invalid(prefix: string, key: string, expected: string, got: unknown): never {
  throw new ContractError(400, 'invalid_input', `${prefix}${key}: expected ${expected}, got ${describe(got)}`);
}

function object(value: unknown, field: string): Body {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) invalid('', field, 'an object', value);
  return value as Body;
}

function closed(b: Body, allowed: string[], prefix: string): void {
  for (const key of Object.keys(b)) {
    if (!allowed.includes(key)) {
      throw new ContractError(
        400,
        'invalid_input',
        `${prefix}${key}: unknown field; expected one of ${allowed.join(', ')}`,
      );
    }
  }
}

function string(b: Body, key: string): void {
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

interface Range {
  min: number;
  max?: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
}

function number(b: Body, key: string, r: Range, prefix = ''): void {
  const v = b[key];
  if (v === undefined) return;
  const max = r.max ?? Number.POSITIVE_INFINITY;
  const ok =
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (r.minExclusive ? v > r.min : v >= r.min) &&
    (r.maxExclusive ? v < max : v <= max);
  if (!ok) {
    const lo = r.minExclusive ? `> ${r.min}` : `>= ${r.min}`;
    const hi = r.max === undefined ? '' : r.maxExclusive ? ` and < ${r.max}` : ` and <= ${r.max}`;
    invalid(prefix, key, `a number ${lo}${hi}`, v);
  }
}
