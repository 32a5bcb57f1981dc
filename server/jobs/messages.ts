import type { DatasetFormat } from '../../src/protocol/datasets/table.js';
import type { DataFile, EpochMetrics, Hyperparameters, JobError } from './types.js';

/** What the worker is started with (its workerData). Structured-cloneable. */
export type WorkerData = WorkerInput | SummarizeInput;

/** Validate and describe a big dataset upload off the main thread; the worker posts back one UploadSummary. */
export interface SummarizeInput {
  kind: 'summarize';
  bytes: Uint8Array;
  format: DatasetFormat;
}

/** Train one job. */
export interface WorkerInput {
  kind?: 'train';
  jobId: string;
  hyperparameters: Hyperparameters;
  data: { train: DataFile; validation: DataFile | null };
  /** The last completed epoch's trainer state (v8-serialized), when resuming. */
  checkpoint: Uint8Array | null;
  /** Int32Array view index 0: set to 1 to stop at the next batch boundary. */
  cancelFlag: SharedArrayBuffer;
}

/** Worker → main thread, in order: any number of `message`/`epoch`, then exactly one of the last three. */
export type WorkerMessage =
  | { type: 'message'; message: string }
  | {
      type: 'epoch';
      metrics: EpochMetrics;
      /** Trainer state after this epoch (v8-serialized), persisted as the job's checkpoint. */
      checkpoint: Uint8Array;
    }
  | {
      type: 'done';
      /** The exported ONNX model. */
      onnx: Uint8Array;
      /** Human description for the model version: task, features in input order, labels. */
      description: string;
    }
  | { type: 'cancelled' }
  | { type: 'failed'; error: JobError };

export const CANCEL_INDEX = 0;
