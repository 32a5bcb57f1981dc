import type { TableColumn } from '../protocol/datasets/table.js';
import {
  describeTrainedModel,
  oneHotMessage,
  type TrainedModelLayout,
  trainedModelInputs,
  trainedModelOutputs,
} from '../protocol/trained-model.js';
import { queuedJob } from '../protocol/training-job.js';
import { resolveHyperparameters } from '../protocol/training-spec.js';
import { isoTime, makeId } from './ids.js';
import type { JobRecord } from './job-engine.js';
import type { VersionRecord } from './model-store.js';
import type { DatasetRecord } from './state.js';
import type { TrainingJob, TrainingJobCreateRequest } from './types.js';

type Hyperparameters = TrainingJob['hyperparameters'];

/** A queued job for a checked body: the server's spec resolution, with a deterministic default seed. */
export function newJobRecord(
  body: TrainingJobCreateRequest,
  data: DatasetRecord,
  validation: DatasetRecord | null,
  seq: number,
  now: number,
): JobRecord {
  // Stands in for the server's random default seed: deterministic per job.
  const defaultSeed = Math.imul(seq, 2654435761) >>> 0;
  const { hyperparameters, notes } = resolveHyperparameters(body, data, validation, () => defaultSeed);
  const target = column(data, hyperparameters.target);
  const complete = completeRows(data, [hyperparameters.target, ...hyperparameters.features]);
  const classes = hyperparameters.task === 'classification' && target ? classLabels(target, complete) : null;
  const categories = hyperparameters.features.map((name) => categoriesOf(column(data, name), complete));
  const layout = layoutOf(hyperparameters, categories, classes);
  const rows = data.table.rows;
  const job: TrainingJob = {
    object: 'training_job',
    ...queuedJob(makeId('job', now, seq), body, hyperparameters, isoTime(now)),
    queue_position: 0,
  };
  const dropped = rows - complete.length;
  return {
    seq,
    job,
    events: [],
    cancelRequested: false,
    epochsDone: 0,
    classes,
    layout,
    notes,
    startMessages: [
      startMessage(hyperparameters, layout.sizes, complete, data, validation, classes),
      ...(dropped > 0 ? [`Dropped ${dropped} of ${rows} rows with a missing target or feature value`] : []),
      ...hyperparameters.features.flatMap((name, i) => (categories[i] ? [oneHotMessage(name, categories[i])] : [])),
    ],
    metricsInput: {
      hyperparameters,
      classCount: classes?.length ?? 0,
      trainRows: rows - Math.floor(rows * hyperparameters.validation_split),
      validates: validation !== null || hyperparameters.validation_split > 0,
    },
  };
}

/** The version a succeeded job deploys, laid out as the server's exporter lays it out, and its description. */
export function trainedVersion(
  record: JobRecord,
  version: string,
  atMs: number,
): { version: VersionRecord; description: string } {
  const { job, classes, layout } = record;
  let parameters = 0;
  const sizes = layout.sizes;
  for (let i = 1; i < sizes.length; i++) parameters += (sizes[i - 1] ?? 0) * (sizes[i] ?? 0) + (sizes[i] ?? 0);
  const versionRecord: VersionRecord = {
    version,
    state: 'READY',
    reason: '',
    // float32 weights plus a little graph overhead: the right order of magnitude, not the real file size.
    size_bytes: 512 + 4 * parameters,
    created_at: isoTime(atMs),
    inputs: trainedModelInputs(layout),
    outputs: trainedModelOutputs(classes),
    source: 'training',
    training_job: job.id,
  };
  if (classes) versionRecord.labels = [...classes];
  return { version: versionRecord, description: describeTrainedModel(layout) };
}

function layoutOf(
  hp: Hyperparameters,
  categories: (string[] | null)[],
  classes: Array<string | number> | null,
): TrainedModelLayout {
  const hidden = hp.architecture.type === 'mlp' ? (hp.architecture.hidden_layers ?? []) : [];
  const inputs = categories.reduce((n, c) => n + (c ? c.length : 1), 0);
  return {
    task: hp.task,
    target: hp.target,
    features: hp.features,
    categories,
    sizes: [inputs, ...hidden, classes ? classes.length : 1],
    classLabels: classes,
  };
}

function column(record: DatasetRecord, name: string): TableColumn | undefined {
  return record.table.columns.find((c) => c.name === name);
}

/** Rows whose target and features are all present (the server's trainer drops the others). */
function completeRows(record: DatasetRecord, names: readonly string[]): number[] {
  const columns = record.table.columns.filter((c) => names.includes(c.name));
  const rows: number[] = [];
  for (let r = 0; r < record.table.rows; r++) {
    const present = columns.every((c) =>
      c.type === 'number' ? !Number.isNaN(c.values[r] ?? Number.NaN) : (c.values[r] ?? null) !== null,
    );
    if (present) rows.push(r);
  }
  return rows;
}

/** A string feature's one-hot categories: its sorted distinct values on the complete rows, as the server's. */
function categoriesOf(c: TableColumn | undefined, rows: number[]): string[] | null {
  if (c?.type !== 'string') return null;
  const set = new Set<string>();
  for (const r of rows) {
    const v = c.values[r];
    if (v !== null && v !== undefined) set.add(v);
  }
  return [...set].sort();
}

/**
 * The server trainer's first message (server/training/trainer.ts `describe()`): what is trained, on how many rows,
 * with which kernels (here: none, the mock simulates). The validation split is the server's: round(split · n) held
 * out per class (per dataset for regression), keeping at least one training row.
 */
function startMessage(
  hp: Hyperparameters,
  sizes: readonly number[],
  rows: number[],
  data: DatasetRecord,
  validation: DatasetRecord | null,
  classes: Array<string | number> | null,
): string {
  const names = [hp.target, ...hp.features];
  let validationRows = validation ? completeRows(validation, names).length : 0;
  if (!validation && hp.validation_split > 0) {
    const target = column(data, hp.target);
    const groups = new Map<unknown, number>();
    for (const r of rows) {
      const key = classes && target ? target.values[r] : 'all';
      groups.set(key, (groups.get(key) ?? 0) + 1);
    }
    for (const n of groups.values())
      validationRows += Math.min(Math.round(hp.validation_split * n), Math.max(0, n - 1));
  }
  const trainRows = rows.length - (validation ? 0 : validationRows);
  const activation = hp.architecture.type === 'mlp' ? ` ${hp.architecture.activation}` : '';
  const batch = hp.optimizer.type === 'gd' ? 'full batch' : `batch ${Math.min(hp.batch_size, trainRows)}`;
  const validating = validationRows > 0 ? `, validating on ${validationRows}` : '';
  return (
    `Training ${hp.architecture.type}${activation} ${sizes.join(' → ')} with ${hp.optimizer.type} (${batch}, ${hp.loss}) ` +
    `on ${trainRows} rows${validating} (${SIMULATED_KERNELS})`
  );
}

/** Where the server names its matrix kernels (wasm-simd or js), the mock says it runs none. */
export const SIMULATED_KERNELS = 'simulated by maas/msw, no kernels';

/** Class labels of the complete rows, sorted (numbers ascending, strings by code unit), as the export orders them. */
function classLabels(column: TableColumn, rows: number[]): Array<string | number> {
  if (column.type === 'number') {
    const set = new Set<number>();
    for (const r of rows) set.add(column.values[r]!);
    return [...set].sort((a, b) => a - b);
  }
  return categoriesOf(column, rows) ?? [];
}
