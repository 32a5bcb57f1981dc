// What the store keeps: the wire resources plus what the server needs beside them. No behaviour here.
import type { components } from '../../src/generated/openapi.js';
import type { ColumnStats, DatasetFormat } from '../../src/protocol/datasets/table.js';
import type { GateMethod, GateThresholds } from '../../src/protocol/optimization-gates.js';

type Schemas = components['schemas'];
export type Dataset = Schemas['Dataset'];
export type TrainingJob = Schemas['TrainingJob'];
export type OptimizationJob = Schemas['OptimizationJob'];
/** Training and optimisation jobs go through the same statuses. */
export type TrainingJobStatus = Schemas['TrainingJobStatus'];
export type JobStatus = TrainingJobStatus;
export type TrainingJobEvent = Schemas['TrainingJobEvent'];
export type OptimizationJobEvent = Schemas['OptimizationJobEvent'];

/** What a job does; one queue, one store table and one service run both (the kind says which a record is). */
export type JobKindName = 'training' | 'optimization';

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

/** What every stored job has besides its wire fields. */
interface JobRecordBase {
  cancelRequested: boolean;
  /** Who runs the job when several processes share the store (absent with one process). */
  claim?: JobClaim;
}

/** A training job as stored: the wire job minus what is computed on read (object, queue_position). */
export interface TrainingJobRecord extends Omit<TrainingJob, 'object' | 'queue_position'>, JobRecordBase {
  /** Absent in records written before jobs had kinds: those are training jobs. */
  kind?: 'training';
  data: { train: DataFile; validation: DataFile | null };
}

/** An optimisation job as stored: the wire job minus object and queue_position, plus its own copies of its inputs. */
export interface OptimizationJobRecord extends Omit<OptimizationJob, 'object' | 'queue_position'>, JobRecordBase {
  kind: 'optimization';
  data: OptimizationData;
  /** Whose default limits the gate started from, and what the body's `gate` overrode. */
  gateMethod: GateMethod;
  gateOverrides: GateThresholds;
}

/** An optimisation job's snapshots: the parent model, the evaluation data, and the data fine-tuning or distillation trains on. */
export interface OptimizationData {
  parent: ModelFile;
  evaluation: DataFile;
  training: DataFile | null;
}

/** A model file a job reads, with the session config entries its version is served with. */
export interface ModelFile {
  path: string;
  sessionConfig: Record<string, string>;
}

export type JobRecord = TrainingJobRecord | OptimizationJobRecord;

export const jobKind = (job: { kind?: JobKindName }): JobKindName => job.kind ?? 'training';

/** The wire `object` of a job's events. */
export const eventObject = (kind: JobKindName): JobEvent['object'] =>
  kind === 'optimization' ? 'optimization_job.event' : 'training_job.event';

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

/** An event before the store numbers it (either kind's: `stage` is an optimisation job's). */
export interface EventDraft {
  type: OptimizationJobEvent['type'];
  status?: TrainingJobStatus;
  message?: string;
  metrics?: Schemas['EpochMetrics'];
  stage?: Schemas['OptimizationJobStage'];
  /** On `queued`: the trace of the request that created the job. */
  trace_id?: string;
}

/** A stored event, numbered, as the wire has it (`object` by the job's kind). */
export type JobEvent = EventDraft & {
  id: number;
  object: 'training_job.event' | 'optimization_job.event';
  created_at: string;
};

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
  /**
   * Versions published without being promoted (optimisation candidates, training with `promote: false`): loaded
   * whatever the version policy says, taking no unversioned traffic until pinned. Absent in older records.
   */
  candidates?: number[];
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
