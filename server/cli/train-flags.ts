// `maas train`'s flags → the training job's create body, checked in full (with the same shape rules the server
// applies) before anything is uploaded, so a typo never leaves a dataset behind.
import { parseArgs } from 'node:util';
import { ContractError } from '../../src/protocol/contract-error.js';
import { checkCreateBody } from '../../src/protocol/training-spec.js';
import type { TrainingJobCreateRequest } from '../../src/types.js';
import { clientOptions } from './client.js';
import { UsageError } from './command.js';

export function parseTrainArgs(args: string[]) {
  return parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      ...clientOptions,
      data: { type: 'string' },
      target: { type: 'string' },
      model: { type: 'string' },
      task: { type: 'string' },
      features: { type: 'string' },
      arch: { type: 'string' },
      hidden: { type: 'string' },
      activation: { type: 'string' },
      optimizer: { type: 'string' },
      lr: { type: 'string' },
      momentum: { type: 'string' },
      nesterov: { type: 'boolean' },
      'weight-decay': { type: 'string' },
      loss: { type: 'string' },
      epochs: { type: 'string' },
      'batch-size': { type: 'string' },
      'validation-split': { type: 'string' },
      'validation-data': { type: 'string' },
      patience: { type: 'string' },
      'min-delta': { type: 'string' },
      seed: { type: 'string' },
      detach: { type: 'boolean' },
    },
  }).values;
}

export type TrainFlags = ReturnType<typeof parseTrainArgs>;

/** Stands in for the dataset ids until the files are uploaded (the shape check needs a value there). */
const PENDING = 'ds_pending';

/** The flag that sets each body field, for messages that speak the user's language. */
const FLAG_OF: Record<string, string> = {
  model: '--model',
  dataset: '--data',
  validation_dataset: '--validation-data',
  task: '--task',
  target: '--target',
  features: '--features',
  'architecture.type': '--arch',
  'architecture.hidden_layers': '--hidden',
  'architecture.activation': '--activation',
  'optimizer.type': '--optimizer',
  'optimizer.learning_rate': '--lr',
  'optimizer.momentum': '--momentum',
  'optimizer.nesterov': '--nesterov',
  'optimizer.weight_decay': '--weight-decay',
  loss: '--loss',
  epochs: '--epochs',
  batch_size: '--batch-size',
  validation_split: '--validation-split',
  'early_stopping.patience': '--patience',
  'early_stopping.min_delta': '--min-delta',
  seed: '--seed',
};

/**
 * The create body from the flags (dataset ids still pending): only what was given, so the server resolves every
 * default and says in the job's events what it chose from the data. Throws UsageError listing every bad flag.
 */
export function trainBody(values: TrainFlags): TrainingJobCreateRequest {
  const missing = (['data', 'target', 'model'] as const).filter((k) => values[k] === undefined);
  if (missing.length > 0) throw new UsageError(`missing ${missing.map((m) => `--${m}`).join(', ')}`);
  const problems: string[] = [];
  const num = (flag: keyof TrainFlags): number | undefined => {
    const raw = values[flag];
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(n)) return n;
    problems.push(`--${flag}: expected a number, got '${raw}'`);
    return undefined;
  };
  const list = (flag: 'hidden' | 'features') => values[flag]?.split(',').map((s) => s.trim());
  const body: Record<string, unknown> = { model: values.model, dataset: PENDING, target: values.target };
  const set = (key: string, value: unknown) => {
    if (value !== undefined) body[key] = value;
  };
  set('task', values.task);
  set('features', list('features'));
  set('validation_dataset', values['validation-data'] !== undefined ? PENDING : undefined);
  set('loss', values.loss);

  const architecture: Record<string, unknown> = {};
  if (values.hidden !== undefined) {
    architecture.hidden_layers = list('hidden')!.map((s) => {
      const n = Number(s);
      if (s === '' || !Number.isFinite(n)) problems.push(`--hidden: expected sizes like 64,64, got '${values.hidden}'`);
      return n;
    });
  }
  if (values.activation !== undefined) architecture.activation = values.activation;
  if (values.arch !== undefined || Object.keys(architecture).length > 0) {
    body.architecture = { type: values.arch ?? 'mlp', ...architecture };
  }

  const optimizer: Record<string, unknown> = {};
  const lr = num('lr');
  if (lr !== undefined) optimizer.learning_rate = lr;
  const momentum = num('momentum');
  if (momentum !== undefined) optimizer.momentum = momentum;
  if (values.nesterov) optimizer.nesterov = true;
  const weightDecay = num('weight-decay');
  if (weightDecay !== undefined) optimizer.weight_decay = weightDecay;
  if (values.optimizer !== undefined || Object.keys(optimizer).length > 0) {
    body.optimizer = { type: values.optimizer ?? 'adam', ...optimizer };
  }

  set('epochs', num('epochs'));
  set('batch_size', num('batch-size'));
  set('validation_split', num('validation-split'));
  const patience = num('patience');
  const minDelta = num('min-delta');
  if (patience !== undefined) {
    body.early_stopping = { patience, ...(minDelta !== undefined ? { min_delta: minDelta } : {}) };
  } else if (minDelta !== undefined) problems.push('--min-delta: needs --patience (early stopping)');
  set('seed', num('seed'));

  if (problems.length === 0) {
    try {
      return checkCreateBody(body);
    } catch (err) {
      if (!(err instanceof ContractError)) throw err;
      for (const d of err.details ?? []) problems.push(describeProblem(d.field ?? '', d.message, body));
    }
  }
  throw new UsageError(
    problems.length === 1 ? problems[0]! : `${problems.length} problems with the flags:\n  ${problems.join('\n  ')}`,
  );
}

/** A body problem in flag terms: `optimizer.momentum` → `--momentum`, `architecture.hidden_layers[1]` → `--hidden`. */
function describeProblem(field: string, message: string, body: Record<string, unknown>): string {
  const path = field.replace(/\[\d+\]$/, '');
  const flag = FLAG_OF[path] ?? field;
  if (!message.startsWith('unknown field')) return `${flag}: ${message}`;
  // A flag the chosen optimizer or architecture does not take, e.g. --momentum with adam.
  const [group] = path.split('.');
  const type = (body[group!] as { type?: string } | undefined)?.type;
  const chooser = group === 'optimizer' ? '--optimizer' : '--arch';
  return `${flag}: does not apply to ${chooser} ${type}`;
}
