import type { components } from '../../src/generated/openapi.js';
import type { ColumnStats, DatasetFormat } from '../../src/protocol/datasets/table.js';

type Schemas = components['schemas'];
export type TrainingJob = Schemas['TrainingJob'];
export type TrainingJobStatus = Schemas['TrainingJobStatus'];
export type TrainingJobEvent = Schemas['TrainingJobEvent'];
export type TrainingJobCreateRequest = Schemas['TrainingJobCreateRequest'];
export type Hyperparameters = Schemas['TrainingHyperparameters'];
export type EpochMetrics = Schemas['EpochMetrics'];
export type JobError = Schemas['TrainingJobError'];
export type JobResult = Schemas['TrainingJobResult'];
export type Dataset = Schemas['Dataset'];
export type Architecture = Schemas['Architecture'];
export type Optimizer = Schemas['Optimizer'];

export const terminalStatuses: readonly TrainingJobStatus[] = ['succeeded', 'failed', 'cancelled'];
export const isTerminal = (status: TrainingJobStatus): boolean => terminalStatuses.includes(status);

/** A data file a job reads: its own snapshot of a dataset, so deleting the dataset does not pull rows from under it. */
export interface DataFile {
  path: string;
  format: DatasetFormat;
}

/** A job as stored: the wire job minus what is computed on read (object, queue_position). */
export interface JobRecord extends Omit<TrainingJob, 'object' | 'queue_position'> {
  data: { train: DataFile; validation: DataFile | null };
  cancelRequested: boolean;
}

/** A dataset as stored: the wire dataset plus where its bytes are and per-column facts for spec checks. */
export interface DatasetRecord {
  dataset: Dataset;
  path: string;
  stats: ColumnStats[];
}

/** An event before the store numbers it. */
export type EventDraft = Omit<TrainingJobEvent, 'id' | 'object' | 'created_at'>;

export interface PageQuery {
  limit: number;
  /** Id of the last item of the previous page (must exist). */
  after?: string;
}

export interface Page<T> {
  items: T[];
  hasMore: boolean;
}
