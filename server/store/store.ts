// The persistence interfaces every service depends on. SQLite implements them (server/store/sqlite); a second store
// (PostgreSQL) implements the same calls. Every call is asynchronous and every multi-record change is one call, so
// a store over the network can make it one transaction.
import type {
  Checkpoint,
  DatasetRecord,
  EventDraft,
  IdempotencyRecord,
  JobRecord,
  ModelEventRecord,
  ModelRoutingRecord,
  Page,
  PageQuery,
  TrainingJobEvent,
  TrainingJobStatus,
} from './records.js';

export interface DatasetRecords {
  insert(record: DatasetRecord): Promise<void>;
  /** Undefined for unknown and deleted datasets. */
  get(id: string): Promise<DatasetRecord | undefined>;
  /** Newest first. An unknown `after` gives an empty page (check `isCursor` first). */
  list(query: PageQuery): Promise<Page<DatasetRecord>>;
  /** Hides the dataset; its id stays known as a page cursor. False when it was not there. */
  delete(id: string): Promise<boolean>;
  /** Whether `id` was ever stored (deleted ones included): the check for an `after` cursor. */
  isCursor(id: string): Promise<boolean>;
}

/** What one atomic job update writes besides the job itself. */
export interface JobChange {
  /** Events recorded with the change, numbered after the job's last event. */
  events: EventDraft[];
  /** A new checkpoint, or null to delete the job's checkpoint; absent leaves it as it is. */
  checkpoint?: Checkpoint | null;
}

export interface JobRecords {
  /** Stores a new job and its first events in one transaction; returns the numbered events. */
  insert(job: JobRecord, events: EventDraft[], createdAt: string): Promise<TrainingJobEvent[]>;
  get(id: string): Promise<JobRecord | undefined>;
  /** Newest first. An unknown `after` gives an empty page (check `isCursor` first). */
  list(query: PageQuery & { status?: TrainingJobStatus }): Promise<Page<JobRecord>>;
  /** Oldest first: the queue order. */
  withStatus(status: TrainingJobStatus): Promise<JobRecord[]>;
  isCursor(id: string): Promise<boolean>;
  /**
   * Reads the job, lets `change` edit it in place, and writes the job, its events and its checkpoint in one
   * transaction (no other writer sees the job in between). `change` returning undefined writes nothing: that makes
   * compare-and-set claims (`status === 'queued'` → running) safe with several servers on one database.
   * Resolves to undefined when the job does not exist or nothing was written.
   */
  update(
    id: string,
    change: (job: JobRecord) => JobChange | undefined,
    createdAt: string,
  ): Promise<{ job: JobRecord; events: TrainingJobEvent[] } | undefined>;
  /** Numbers the events (after the job's last) and stores them. */
  appendEvents(jobId: string, drafts: EventDraft[], createdAt: string): Promise<TrainingJobEvent[]>;
  /** Events with id > after, ascending, at most limit. */
  listEvents(jobId: string, after: number, limit: number): Promise<TrainingJobEvent[]>;
  loadCheckpoint(jobId: string): Promise<Checkpoint | undefined>;
}

export interface IdempotencyRecords {
  get(scope: string, key: string): Promise<IdempotencyRecord | undefined>;
  /** Stores (or replaces) the record under scope + key. */
  put(scope: string, key: string, record: IdempotencyRecord): Promise<void>;
  deleteBefore(createdAt: number): Promise<void>;
}

export interface ModelRoutingRecords {
  get(model: string): Promise<ModelRoutingRecord | undefined>;
  /** Every model with a stored routing. */
  list(): Promise<ModelRoutingRecord[]>;
  /** Stores the routing and the events that explain it, in one transaction; returns the numbered events. */
  put(
    record: ModelRoutingRecord,
    events: Array<Omit<ModelEventRecord, 'id' | 'model' | 'createdAt' | 'routing'>>,
  ): Promise<ModelEventRecord[]>;
  /** Events of one model with id > after, ascending, at most limit. */
  events(model: string, after: number, limit: number): Promise<ModelEventRecord[]>;
}

/** Everything the server persists. Opened once by the composition root (server/app.ts). */
export interface Store {
  /** Which engine, for logs and errors (`sqlite`, `postgres`). */
  readonly kind: string;
  readonly datasets: DatasetRecords;
  readonly jobs: JobRecords;
  readonly idempotency: IdempotencyRecords;
  readonly routing: ModelRoutingRecords;
  close(): Promise<void>;
}
