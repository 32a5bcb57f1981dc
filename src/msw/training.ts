import type { TableColumn } from '../protocol/datasets/table.js';
import { queuedJob } from '../protocol/training-job.js';
import { resolveHyperparameters } from '../protocol/training-spec.js';
import { isoTime, makeId } from './ids.js';
import type { JobRecord } from './job-engine.js';
import type { VersionRecord } from './model-store.js';
import type { DatasetRecord } from './state.js';
import type { TensorMetadata, TrainingJob, TrainingJobCreateRequest } from './types.js';

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
  const hyperparameters = resolveHyperparameters(body, data, validation, () => defaultSeed);
  const target = data.table.columns.find((c) => c.name === hyperparameters.target);
  const classes = hyperparameters.task === 'classification' && target ? classLabels(target) : null;
  const rows = data.table.rows;
  const job: TrainingJob = {
    object: 'training_job',
    ...queuedJob(makeId('job', now, seq), body, hyperparameters, isoTime(now)),
    queue_position: 0,
  };
  return {
    seq,
    job,
    events: [],
    cancelRequested: false,
    epochsDone: 0,
    classes,
    startMessage: startMessage(hyperparameters, data, validation, classes),
    metricsInput: {
      hyperparameters,
      classCount: classes?.length ?? 0,
      trainRows: rows - Math.floor(rows * hyperparameters.validation_split),
      validates: validation !== null || hyperparameters.validation_split > 0,
    },
  };
}

/** The version a succeeded job deploys, laid out as server/training/export-onnx.ts exports it, and its description. */
export function trainedVersion(
  record: JobRecord,
  version: string,
  atMs: number,
): { version: VersionRecord; description: string } {
  const { job, classes } = record;
  const hp = job.hyperparameters;
  const outputs: TensorMetadata[] = classes
    ? [
        { name: 'probabilities', datatype: 'FP32', shape: [-1, classes.length] },
        { name: 'label', datatype: classes.some((c) => typeof c === 'string') ? 'BYTES' : 'INT64', shape: [-1] },
      ]
    : [{ name: 'value', datatype: 'FP32', shape: [-1, 1] }];
  const hidden = hp.architecture.type === 'mlp' ? (hp.architecture.hidden_layers ?? []) : [];
  const layers = [hp.features.length, ...hidden, classes ? classes.length : 1];
  let parameters = 0;
  for (let i = 1; i < layers.length; i++) parameters += (layers[i - 1] ?? 0) * (layers[i] ?? 0) + (layers[i] ?? 0);
  const versionRecord: VersionRecord = {
    version,
    state: 'READY',
    reason: '',
    // float32 weights plus a little graph overhead: the right order of magnitude, not the real file size.
    size_bytes: 512 + 4 * parameters,
    created_at: isoTime(atMs),
    inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, hp.features.length] }],
    outputs,
    source: 'training',
    training_job: job.id,
  };
  if (classes) versionRecord.labels = [...classes];
  const input = `Input 'input': FP32 [N, ${hp.features.length}], raw (unstandardized) columns in this order: ${hp.features.join(', ')}.`;
  const output = classes
    ? `Outputs 'probabilities' [N, ${classes.length}] over the labels ${classes.join(', ')} (in that order) and 'label' [N].`
    : `Output 'value' [N, 1].`;
  const description = `Predicts '${hp.target}' (${hp.task}) with a ${layers.join(' → ')} network. ${input} ${output}`;
  return { version: versionRecord, description };
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

/**
 * The server trainer's first message (server/training/trainer.ts `describe()`): what is trained, on how many rows.
 * The validation split is the server's: round(split · n) held out per class (per dataset for regression), keeping at
 * least one training row.
 */
function startMessage(
  hp: TrainingJob['hyperparameters'],
  data: DatasetRecord,
  validation: DatasetRecord | null,
  classes: Array<string | number> | null,
): string {
  const names = [hp.target, ...hp.features];
  const rows = completeRows(data, names);
  let validationRows = validation ? completeRows(validation, names).length : 0;
  if (!validation && hp.validation_split > 0) {
    const target = data.table.columns.find((c) => c.name === hp.target);
    const groups = new Map<unknown, number>();
    for (const r of rows) {
      const key = classes && target ? target.values[r] : 'all';
      groups.set(key, (groups.get(key) ?? 0) + 1);
    }
    for (const n of groups.values())
      validationRows += Math.min(Math.round(hp.validation_split * n), Math.max(0, n - 1));
  }
  const trainRows = rows.length - (validation ? 0 : validationRows);
  const hidden = hp.architecture.type === 'mlp' ? (hp.architecture.hidden_layers ?? []) : [];
  const sizes = [hp.features.length, ...hidden, classes ? classes.length : 1].join(' → ');
  const activation = hp.architecture.type === 'mlp' ? ` ${hp.architecture.activation}` : '';
  const batch = hp.optimizer.type === 'gd' ? 'full batch' : `batch ${Math.min(hp.batch_size, trainRows)}`;
  const validating = validationRows > 0 ? `, validating on ${validationRows}` : '';
  return (
    `Training ${hp.architecture.type}${activation} ${sizes} with ${hp.optimizer.type} (${batch}, ${hp.loss}) ` +
    `on ${trainRows} rows${validating}`
  );
}

/** Class labels, sorted (numbers ascending, strings by code unit), as the exported model orders them. */
function classLabels(column: TableColumn): Array<string | number> {
  if (column.type === 'number') {
    const set = new Set<number>();
    for (const v of column.values) if (!Number.isNaN(v)) set.add(v);
    return [...set].sort((a, b) => a - b);
  }
  const set = new Set<string>();
  for (const v of column.values) if (v !== null) set.add(v);
  return [...set].sort();
}
