// What the store keeps: the wire resources plus what the server needs beside them. No behaviour here.
import type { components } from '../../src/generated/openapi.js';
import type { ColumnStats, DatasetFormat } from '../../src/protocol/datasets/table.js';

type Schemas = components['schemas'];
export type Dataset = Schemas['Dataset'];
export type TrainingJob = Schemas['TrainingJob'];
export type TrainingJobStatus = Schemas['TrainingJobStatus'];
export type TrainingJobEvent = Schemas['TrainingJobEvent'];

/** A data file a job reads: its own snapshot of a dataset, so deleting the dataset does not pull rows from under it. */
export interface DataFile {
  path: string;
  format: DatasetFormat;
}

/** A dataset as stored: the wire dataset plus where its bytes are and per-column facts for spec checks. */
export interface DatasetRecord {
  dataset: Dataset;
  path: string;
  stats: ColumnStats[];
}

/** A job as stored: the wire job minus what is computed on read (object, queue_position). */
export interface JobRecord extends Omit<TrainingJob, 'object' | 'queue_position'> {
  data: { train: DataFile; validation: DataFile | null };
  cancelRequested: boolean;
}

/** An event before the store numbers it. */
export type EventDraft = Omit<TrainingJobEvent, 'id' | 'object' | 'created_at'>;

export interface Checkpoint {
  /** Epochs completed when the state was taken. */
  epoch: number;
  state: Uint8Array;
}

/** A create call's stored outcome under its Idempotency-Key. */
export interface IdempotencyRecord {
  /** sha256 of what identifies the request (path, query, body): another request under the same key is a 409. */
  fingerprint: string;
  status: number;
  body: unknown;
  /** ms since the epoch. */
  createdAt: number;
}

export interface PageQuery {
  limit: number;
  /** Id of the last item of the previous page (must exist). */
  after?: string;
}

export interface Page<T> {
  items: T[];
  hasMore: boolean;
}
