import { readFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import { parseDataset } from '../../src/protocol/datasets/parse.js';
import type { Table } from '../../src/protocol/datasets/table.js';
import { describeModel, exportOnnx } from '../training/export-onnx.js';
import { exportSpec, TrainingError, train } from '../training/index.js';
import { columnsFor } from '../training/table-columns.js';
import type { EpochMetrics, TrainerState, TrainingSpec } from '../training/types.js';
import type { DataFile, Hyperparameters, JobError } from './types.js';

export interface TrainJobInput {
  /** Recorded in the model's metadata (training_job); null for a model trained outside a job. */
  jobId: string | null;
  hyperparameters: Hyperparameters;
  data: { train: DataFile; validation: DataFile | null };
  /** v8-serialized TrainerState of the last completed epoch, when resuming. */
  checkpoint: Uint8Array | null;
}

export interface TrainJobHooks {
  epoch(metrics: EpochMetrics, checkpoint: Uint8Array): void;
  message(text: string): void;
  /** Polled at batch boundaries. */
  shouldStop(): boolean;
}

export type TrainJobOutcome =
  | { type: 'done'; onnx: Uint8Array; description: string }
  | { type: 'cancelled' }
  | { type: 'failed'; error: JobError };

/**
 * One training job from its data files to ONNX bytes: read and parse the job's copy of the data, train (resuming
 * from the checkpoint when there is one), export. Synchronous and free of threads: the worker runs it, and so does
 * scripts/train-demo-iris.ts, in-process, on the same code path.
 */
export function trainJob(input: TrainJobInput, hooks: TrainJobHooks): TrainJobOutcome {
  const spec = input.hyperparameters as TrainingSpec;
  let resumeFrom: TrainerState | null = null;
  if (input.checkpoint) {
    try {
      resumeFrom = deserialize(input.checkpoint) as TrainerState;
    } catch (err) {
      return interrupted(`its checkpoint cannot be read (${(err as Error).message})`);
    }
  }
  try {
    const trainSplit = columnsFor(readTable(input.data.train), spec);
    const validation = input.data.validation ? columnsFor(readTable(input.data.validation), spec) : null;
    const result = train(
      spec,
      { ...trainSplit, validation },
      {
        onEpoch: (metrics, checkpoint) => hooks.epoch(metrics, new Uint8Array(serialize(checkpoint()))),
        onMessage: (text) => hooks.message(text),
        shouldStop: () => hooks.shouldStop(),
      },
      { resumeFrom },
    );
    if (result.status === 'cancelled' || !result.model) return { type: 'cancelled' };
    const exported = exportSpec(result.model);
    const onnx = exportOnnx(exported, input.jobId ? { metadata: { training_job: input.jobId } } : {});
    return { type: 'done', onnx, description: describeModel(exported) };
  } catch (err) {
    if (err instanceof TrainingError) {
      if (err.code === 'checkpoint_invalid') return interrupted(err.message);
      return { type: 'failed', error: { code: err.code, message: err.message } };
    }
    return { type: 'failed', error: { code: 'training_failed', message: (err as Error).message ?? String(err) } };
  }
}

function interrupted(why: string): TrainJobOutcome {
  return {
    type: 'failed',
    error: { code: 'interrupted', message: `The job was interrupted and cannot resume: ${why}` },
  };
}

function readTable(file: DataFile): Table {
  const parsed = parseDataset(readFileSync(file.path), file.format);
  if (!parsed.ok) throw new Error(`the job's data no longer parses: ${parsed.summary}`);
  return parsed.table;
}
