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
  /** Who runs the job when several processes share the store (absent with one process). */
  claim?: JobClaim;
}

/**
 * A running job's holder, with a shared store: a process claims the job with a compare-and-set, renews its lease
 * while it runs, and writes nothing once the claim is no longer its own (another process took over).
 */
export interface JobClaim {
  /** 1 for the first run, +1 each time the job is handed to another process (the fencing token). */
  attempt: number;
  /** The process running it, or null while the job waits for one. */
  worker: string | null;
  /** ms since the epoch: past it, without a renewal, another process may take the job over. */
  leaseUntil: number;
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

/** How one model's unversioned traffic is routed, as stored (versions as numbers). See server/inference/routing.ts. */
export interface ModelRouting {
  /** Pinned default version: unversioned requests go here (when no split); null = the highest READY version. */
  defaultVersion: number | null;
  /** Names for versions (`stable`, `canary`), usable wherever a version is. */
  labels: Record<string, number>;
  /** Weighted split of unversioned requests; null = none. */
  traffic: Array<{ version: number; weight: number }> | null;
  /** Guard on the split: a canary that does worse than the stable version loses its weight. */
  rollback: { maxErrorRate: number | null; maxP99Ratio: number | null; minRequests: number } | null;
  /** A fraction of unversioned requests mirrored to this version off the response path. */
  shadow: { version: number; fraction: number } | null;
}

export interface ModelRoutingRecord {
  model: string;
  routing: ModelRouting;
  updatedAt: string;
}

/** One change of a model's routing, kept with its time and why (GET /v1/models/{model}/events). */
export interface ModelEventRecord {
  id: number;
  model: string;
  createdAt: string;
  /** What changed: default, labels, traffic, shadow, rollback (an automatic weight change). */
  kind: 'default' | 'labels' | 'traffic' | 'shadow' | 'rollback';
  reason: string;
  /** The routing after the change. */
  routing: ModelRouting;
}
