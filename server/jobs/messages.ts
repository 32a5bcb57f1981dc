import type { DatasetFormat } from '../../src/protocol/datasets/table.js';
import type { EvaluateRunInput } from './evaluate-run.js';
import type { OptimizeRunInput } from './optimize-run.js';
import type { DataFile, EpochMetrics, Hyperparameters, JobError } from './types.js';

/** What the worker is started with (its workerData). Structured-cloneable. */
export type WorkerData = WorkerInput | SummarizeInput | EvaluateRunInput;

/** Validate and describe a big dataset upload off the main thread; the worker posts back one UploadSummary. */
export interface SummarizeInput {
  kind: 'summarize';
  bytes: Uint8Array;
  format: DatasetFormat;
}

/** Train one job. */
export interface TrainInput {
  kind: 'train';
  jobId: string;
  hyperparameters: Hyperparameters;
  data: { train: DataFile; validation: DataFile | null };
  /** The last completed epoch's trainer state (v8-serialized), when resuming. */
  checkpoint: Uint8Array | null;
}

/** One run of a job, of either kind. */
export type WorkerRunInput = TrainInput | OptimizeRunInput;

/** A run's input with its cancel flag: Int32Array view index 0, set to 1 to stop at the next batch boundary. */
export type WorkerInput = WorkerRunInput & { cancelFlag: SharedArrayBuffer };

/** Worker → main thread, in order: any number of `message`/`stage`/`epoch`, then exactly one of the last three. */
export type WorkerMessage<R = unknown> =
  | { type: 'message'; message: string }
  | { type: 'stage'; stage: string }
  | {
      type: 'epoch';
      metrics: EpochMetrics;
      /** Trainer state after this epoch (v8-serialized), persisted as the job's checkpoint; null: not resumable. */
      checkpoint: Uint8Array | null;
    }
  | { type: 'done'; result: R }
  | { type: 'cancelled' }
  | { type: 'failed'; error: JobError };

export const CANCEL_INDEX = 0;
