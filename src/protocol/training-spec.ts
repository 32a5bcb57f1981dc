// A training job's create body: its shape (400 invalid_input), its defaults, and its fit to the dataset's columns
// (422 training_spec_invalid). Shared by the server and the msw mock so both accept, reject and resolve alike.
// Every problem of a body is reported at once, each in `details` as { field, message }.
import type { components } from '../generated/openapi.js';
import { describeReceived as describe } from './contract-error.js';
import { type ColumnStats, DISTINCT_CAP, type NotNumericCells } from './datasets/table.js';
import { FieldIssues } from './field-issues.js';
import { isValidModelName, MODEL_NAME_PATTERN } from './model-names.js';

type Schemas = components['schemas'];
type Architecture = Schemas['Architecture'];
type Dataset = Schemas['Dataset'];
type DatasetColumn = Schemas['DatasetColumn'];
type Hyperparameters = Schemas['TrainingHyperparameters'];
type Optimizer = Schemas['Optimizer'];
type Task = Hyperparameters['task'];
type TrainingJobCreateRequest = Schemas['TrainingJobCreateRequest'];

/** What spec resolution reads of a dataset: its description and per-column stats. */
export interface DatasetFacts {
  dataset: Dataset;
  stats: ColumnStats[];
}

/** The resolved hyperparameters, and what the user should hear about how they were chosen (message events). */
export interface SpecResolution {
  hyperparameters: Hyperparameters;
  notes: string[];
}

/**
 * Every default of the create body, in one place: the API resolves with it, and the trainer (server/training/spec.ts)
 * fills a direct caller's omissions from it too.
 */
export const SPEC_DEFAULTS = {
  architecture: 'mlp',
  hidden_layers: [64, 64],
  activation: 'relu',
  optimizer: 'adam',
  learning_rate: { gd: 0.1, sgd: 0.01, adam: 0.001 },
  momentum: 0,
  nesterov: false,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  weight_decay: 0,
  epochs: 20,
  batch_size: 32,
  validation_split: 0.2,
  min_delta: 0,
} as const;

/** A string column with more distinct values than this is left out of the default features (it is named). */
export const MAX_DEFAULT_CATEGORIES = 50;

/**
 * The exported model's output names. A model with a string feature takes one input per feature column, named after
 * it, so such a column must not be named like an output.
 */
export const MODEL_OUTPUT_NAMES: readonly string[] = ['probabilities', 'label', 'value'];

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

type Issues = FieldIssues;

/** Checks the create body's shape against TrainingJobCreateRequest: 400 invalid_input listing every bad field. */
export function checkCreateBody(body: unknown): TrainingJobCreateRequest {
  const issues = new FieldIssues();
  const b = object(issues, body, 'body');
  if (b) checkFields(issues, b);
  issues.throwIfAny(400, 'invalid_input');
  return body as TrainingJobCreateRequest;
}

function checkFields(issues: Issues, b: Body): void {
  const c = new ShapeChecker(issues, b, '');
  c.closed(FIELDS);
  if (c.string('model', true) && !isValidModelName(b.model as string)) {
    c.invalid('model', `a name matching ${MODEL_NAME_PATTERN.source}`, b.model);
  }
  c.string('dataset', true);
  if (b.validation_dataset !== null) c.string('validation_dataset', false);
  c.oneOf('task', ['classification', 'regression'], false);
  c.string('target', true);
  if (b.features !== undefined) {
    const f = b.features;
    if (!Array.isArray(f) || f.length === 0) c.invalid('features', 'a non-empty array of column names', f);
    else {
      f.forEach((name, i) => {
        if (typeof name !== 'string' || name === '') c.invalid(`features[${i}]`, 'a column name', name);
      });
    }
  }
  if (b.architecture !== undefined) checkArchitecture(issues, b.architecture);
  if (b.optimizer !== undefined) checkOptimizer(issues, b.optimizer);
  c.oneOf('loss', ['cross_entropy', 'mse'], false);
  c.integer('epochs', 1, 100000, false);
  c.integer('batch_size', 1, 1000000, false);
  c.number('validation_split', { min: 0, max: 1, maxExclusive: true });
  if (b.early_stopping !== undefined && b.early_stopping !== null) {
    const es = object(issues, b.early_stopping, 'early_stopping');
    if (es) {
      const e = new ShapeChecker(issues, es, 'early_stopping.');
      e.closed(['patience', 'min_delta']);
      e.integer('patience', 1, 10000, true);
      e.number('min_delta', { min: 0 });
    }
  }
  c.integer('seed', 0, 4294967295, false);
}

function checkArchitecture(issues: Issues, value: unknown): void {
  const a = object(issues, value, 'architecture');
  if (!a) return;
  const c = new ShapeChecker(issues, a, 'architecture.');
  if (!c.oneOf('type', ['linear', 'logistic', 'mlp'], true)) return;
  if (a.type !== 'mlp') {
    c.closed(['type']);
    return;
  }
  c.closed(['type', 'hidden_layers', 'activation']);
  if (a.hidden_layers !== undefined) {
    const h = a.hidden_layers;
    if (!Array.isArray(h) || h.length < 1 || h.length > 16) c.invalid('hidden_layers', 'an array of 1 to 16 sizes', h);
    else {
      h.forEach((size, i) => {
        if (!Number.isInteger(size) || (size as number) < 1 || (size as number) > 4096) {
          c.invalid(`hidden_layers[${i}]`, 'an integer from 1 to 4096', size);
        }
      });
    }
  }
  c.oneOf('activation', ['relu', 'tanh', 'sigmoid'], false);
}

function checkOptimizer(issues: Issues, value: unknown): void {
  const o = object(issues, value, 'optimizer');
  if (!o) return;
  const c = new ShapeChecker(issues, o, 'optimizer.');
  if (!c.oneOf('type', ['gd', 'sgd', 'adam'], true)) return;
  const lr = () => c.number('learning_rate', { min: 0, minExclusive: true, max: 10 });
  if (o.type === 'gd') {
    c.closed(['type', 'learning_rate']);
    lr();
  } else if (o.type === 'sgd') {
    c.closed(['type', 'learning_rate', 'momentum', 'nesterov']);
    lr();
    c.number('momentum', { min: 0, max: 1, maxExclusive: true });
    if (o.nesterov !== undefined && typeof o.nesterov !== 'boolean') c.invalid('nesterov', 'a boolean', o.nesterov);
  } else {
    c.closed(['type', 'learning_rate', 'beta1', 'beta2', 'epsilon', 'weight_decay']);
    lr();
    c.number('beta1', { min: 0, max: 1, maxExclusive: true });
    c.number('beta2', { min: 0, max: 1, maxExclusive: true });
    c.number('epsilon', { min: 0, minExclusive: true });
    c.number('weight_decay', { min: 0 });
  }
}

/**
 * Every default filled in, and the spec checked against the data: 422 training_spec_invalid listing every field that
 * does not fit. `validation` is the validation dataset when the body names one; `randomSeed` picks the seed when the
 * body has none. The notes say what was chosen from the data and which columns look mistyped.
 */
export function resolveHyperparameters(
  body: TrainingJobCreateRequest,
  data: DatasetFacts,
  validation: DatasetFacts | null,
  randomSeed: () => number,
): SpecResolution {
  const issues = new FieldIssues();
  const notes: string[] = [];
  const columns = data.dataset.columns;
  const rows = data.dataset.rows;
  const column = (name: string) => columns.find((c) => c.name === name);
  const stats = (name: string) => data.stats.find((s) => s.name === name);

  const target = column(body.target);
  const task = resolveTask(body, target, stats(body.target), rows, columns, issues, notes);
  const features = resolveFeatures(body, data, issues, notes);
  const used = [body.target, ...features];
  for (const name of used) {
    const stray = stats(name)?.notNumeric;
    const c = column(name);
    if (!stray || !c) continue;
    const asIs =
      name === body.target
        ? task === 'classification'
          ? 'as it is, its values are class labels'
          : 'as it is, it cannot be a regression target'
        : 'as it is, it is one-hot encoded as categories';
    notes.push(`${name === body.target ? 'target' : 'features'}: ${strayNote(name, stray)}; ${asIs}`);
  }
  const usable = features.filter((name) => name !== body.target && column(name));
  if (usable.some((name) => column(name)?.type === 'string')) {
    for (const name of usable) {
      if (MODEL_OUTPUT_NAMES.includes(name)) {
        issues.add(
          body.features ? `features[${features.indexOf(name)}]` : 'features',
          `column '${name}' would be an input of the model (a model with a string feature takes one input per column) named like one of its outputs (${MODEL_OUTPUT_NAMES.join(', ')}); rename the column`,
        );
      }
    }
  }
  if (validation) checkValidation(validation, used, body.target, column, issues);

  if (body.loss === 'cross_entropy' && task === 'regression')
    issues.add('loss', 'cross_entropy needs task classification');
  const architecture = resolveArchitecture(body.architecture);
  if (architecture.type === 'logistic' && task === 'regression') {
    issues.add(
      'architecture.type',
      'logistic is softmax regression for classification; use linear or mlp for regression',
    );
  }
  const optimizer = resolveOptimizer(body.optimizer);
  if (optimizer.type === 'sgd' && optimizer.nesterov && !optimizer.momentum) {
    issues.add('optimizer.nesterov', 'needs momentum > 0');
  }
  issues.throwIfAny(422, 'training_spec_invalid');
  const resolvedTask = task as Task;
  return {
    hyperparameters: {
      task: resolvedTask,
      target: body.target,
      features,
      architecture,
      optimizer,
      loss: body.loss ?? defaultLoss(resolvedTask),
      epochs: body.epochs ?? SPEC_DEFAULTS.epochs,
      batch_size: body.batch_size ?? SPEC_DEFAULTS.batch_size,
      validation_split: validation ? 0 : (body.validation_split ?? SPEC_DEFAULTS.validation_split),
      early_stopping: body.early_stopping
        ? {
            patience: body.early_stopping.patience,
            min_delta: body.early_stopping.min_delta ?? SPEC_DEFAULTS.min_delta,
          }
        : null,
      seed: body.seed ?? randomSeed(),
    },
    notes,
  };
}

/** The task as given, or chosen from the target's type (with a note); undefined when the target is unusable. */
function resolveTask(
  body: TrainingJobCreateRequest,
  target: DatasetColumn | undefined,
  s: ColumnStats | undefined,
  rows: number,
  columns: DatasetColumn[],
  issues: Issues,
  notes: string[],
): Task | undefined {
  const name = body.target;
  if (!target) {
    issues.add(
      'target',
      `column '${name}' is not in the dataset; columns are ${columns.map((c) => c.name).join(', ')}`,
    );
    return body.task;
  }
  if (target.missing === rows) issues.add('target', `column '${name}' has no values`);
  let task = body.task;
  if (!task) {
    task = target.type === 'string' ? 'classification' : 'regression';
    let why = `task: not given; ${task}, because the target '${name}' is a ${target.type} column`;
    if (task === 'regression' && s?.integer && s.distinct <= DISTINCT_CAP) {
      why +=
        `. Its values are ${s.distinct} distinct whole numbers: if they are classes, set task: classification ` +
        '(maas train --task classification)';
    }
    notes.push(why);
  }
  if (task === 'regression' && target.type !== 'number') {
    const hint = s?.notNumeric ? ` (${strayNote(name, s.notNumeric)})` : '';
    issues.add('target', `column '${name}' is a string column; regression needs a number column${hint}`);
  }
  if (task === 'classification' && s) {
    if (target.type === 'number' && !s.integer) {
      issues.add(
        'target',
        `column '${name}' has non-integer numbers; classification needs class labels (strings or integers)`,
      );
    }
    if (s.distinct < 2 && target.missing < rows) {
      issues.add('target', `column '${name}' has one class; classification needs two or more`);
    }
    if (s.distinct > DISTINCT_CAP) {
      issues.add('target', `column '${name}' has more than ${DISTINCT_CAP} distinct values; too many classes`);
    }
  }
  return task;
}

/** The features as given (checked), or every usable column besides the target (what is left out is noted). */
function resolveFeatures(
  body: TrainingJobCreateRequest,
  data: DatasetFacts,
  issues: Issues,
  notes: string[],
): string[] {
  const { columns, rows } = data.dataset;
  const names = columns.map((c) => c.name).join(', ');
  const distinct = (name: string) => data.stats.find((s) => s.name === name)?.distinct ?? 0;
  if (body.features === undefined) {
    const features: string[] = [];
    for (const c of columns) {
      if (c.name === body.target) continue;
      if (c.missing === rows) notes.push(`features: left out column '${c.name}': it has no values`);
      else if (c.type === 'string' && distinct(c.name) > MAX_DEFAULT_CATEGORIES) {
        notes.push(
          `features: left out string column '${c.name}': it has ${countText(distinct(c.name))} distinct values, more ` +
            `than the ${MAX_DEFAULT_CATEGORIES} a default one-hot encoding takes; list it in features to encode it anyway`,
        );
      } else features.push(c.name);
    }
    if (features.length === 0) issues.add('features', 'the dataset has no column with values besides the target');
    return features;
  }
  const seen = new Set<string>();
  body.features.forEach((name, i) => {
    const field = `features[${i}]`;
    const c = columns.find((col) => col.name === name);
    if (!c) issues.add(field, `column '${name}' is not in the dataset; columns are ${names}`);
    else if (name === body.target) issues.add(field, `column '${name}' is the target`);
    else if (seen.has(name)) issues.add(field, `column '${name}' is listed twice`);
    else if (c.missing === rows) issues.add(field, `column '${name}' has no values`);
    else if (c.type === 'string' && distinct(name) > DISTINCT_CAP) {
      issues.add(field, `column '${name}' has more than ${DISTINCT_CAP} distinct strings; too many to one-hot encode`);
    }
    seen.add(name);
  });
  return [...body.features];
}

function checkValidation(
  validation: DatasetFacts,
  used: string[],
  target: string,
  column: (name: string) => DatasetColumn | undefined,
  issues: Issues,
): void {
  for (const name of used) {
    const v = validation.dataset.columns.find((c) => c.name === name);
    const t = column(name);
    if (!t) continue;
    if (!v) {
      issues.add('validation_dataset', `column '${name}' is missing from the validation dataset`);
    } else if (t.type === 'number' && v.type !== 'number') {
      const stray = validation.stats.find((s) => s.name === name)?.notNumeric;
      issues.add(
        'validation_dataset',
        `column '${name}' is a string column there but a number column in the dataset${stray ? ` (${strayNote(name, stray)})` : ''}`,
      );
    } else if (t.type === 'string' && v.type === 'number' && name !== target) {
      issues.add(
        'validation_dataset',
        `column '${name}' is a number column there but a string (category) column in the dataset`,
      );
    }
  }
}

/** Where a mostly numeric column has text, and how to fix it. */
function strayNote(name: string, s: NotNumericCells): string {
  const more = s.count > 1 ? ` and ${s.count - 1} more cell${s.count > 2 ? 's' : ''} that are not numbers` : '';
  return (
    `column '${name}' is read as text, not numbers: line ${s.line} has '${s.value}'${more}, while ${s.numbers} ` +
    `other cells are numbers. If it is numeric, fix ${s.count > 1 ? 'those cells' : 'that cell'} (leave a cell ` +
    'empty for a missing value) and upload the data again'
  );
}

function countText(distinct: number): string {
  return distinct > DISTINCT_CAP ? `more than ${DISTINCT_CAP}` : String(distinct);
}

/** cross_entropy for classification, mse for regression. */
export function defaultLoss(task: Task): 'cross_entropy' | 'mse' {
  return task === 'classification' ? 'cross_entropy' : 'mse';
}

/** The architecture with its defaults ({ type: mlp } when absent). */
export function resolveArchitecture(a: Architecture | undefined): Architecture {
  const type = a?.type ?? SPEC_DEFAULTS.architecture;
  if (type !== 'mlp') return { type };
  const mlp = a?.type === 'mlp' ? a : undefined;
  return {
    type: 'mlp',
    hidden_layers: [...(mlp?.hidden_layers ?? SPEC_DEFAULTS.hidden_layers)],
    activation: mlp?.activation ?? SPEC_DEFAULTS.activation,
  };
}

/** The optimizer with its defaults ({ type: adam } when absent). */
export function resolveOptimizer(o: Optimizer | undefined): Optimizer {
  const d = SPEC_DEFAULTS;
  const given = o ?? { type: d.optimizer };
  switch (given.type) {
    case 'gd':
      return { type: 'gd', learning_rate: given.learning_rate ?? d.learning_rate.gd };
    case 'sgd':
      return {
        type: 'sgd',
        learning_rate: given.learning_rate ?? d.learning_rate.sgd,
        momentum: given.momentum ?? d.momentum,
        nesterov: given.nesterov ?? d.nesterov,
      };
    default:
      return {
        type: 'adam',
        learning_rate: given.learning_rate ?? d.learning_rate.adam,
        beta1: given.beta1 ?? d.beta1,
        beta2: given.beta2 ?? d.beta2,
        epsilon: given.epsilon ?? d.epsilon,
        weight_decay: given.weight_decay ?? d.weight_decay,
      };
  }
}

// ---- shape checks -------------------------------------------------------------------------------------------------

function object(issues: Issues, value: unknown, field: string): Body | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    issues.add(field, `expected an object, got ${describe(value)}`);
    return undefined;
  }
  return value as Body;
}

interface Range {
  min: number;
  max?: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
}

/** Field checks on one object of the body; each records its problem and says whether the field passed. */
class ShapeChecker {
  constructor(
    private readonly issues: Issues,
    private readonly b: Body,
    private readonly prefix: string,
  ) {}

  invalid(key: string, expected: string, got: unknown): false {
    this.issues.add(`${this.prefix}${key}`, `expected ${expected}, got ${describe(got)}`);
    return false;
  }

  closed(allowed: string[]): void {
    for (const key of Object.keys(this.b)) {
      if (!allowed.includes(key)) {
        this.issues.add(`${this.prefix}${key}`, `unknown field; expected one of ${allowed.join(', ')}`);
      }
    }
  }

  string(key: string, required: boolean): boolean {
    const v = this.b[key];
    if (v === undefined && !required) return true;
    return (typeof v === 'string' && v !== '') || this.invalid(key, 'a non-empty string', v);
  }

  oneOf(key: string, values: string[], required: boolean): boolean {
    const v = this.b[key];
    if (v === undefined && !required) return true;
    return values.includes(v as string) || this.invalid(key, `one of ${values.join(', ')}`, v);
  }

  integer(key: string, min: number, max: number, required: boolean): boolean {
    const v = this.b[key];
    if (v === undefined && !required) return true;
    const ok = Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
    return ok || this.invalid(key, `an integer from ${min} to ${max}`, v);
  }

  number(key: string, r: Range): boolean {
    const v = this.b[key];
    if (v === undefined) return true;
    const max = r.max ?? Number.POSITIVE_INFINITY;
    const ok =
      typeof v === 'number' &&
      Number.isFinite(v) &&
      (r.minExclusive ? v > r.min : v >= r.min) &&
      (r.maxExclusive ? v < max : v <= max);
    if (ok) return true;
    const lo = r.minExclusive ? `> ${r.min}` : `>= ${r.min}`;
    const hi = r.max === undefined ? '' : r.maxExclusive ? ` and < ${r.max}` : ` and <= ${r.max}`;
    return this.invalid(key, `a number ${lo}${hi}`, v);
  }
}
