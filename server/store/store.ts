// The persistence interfaces every service depends on. SQLite (server/store/sqlite, one process) and PostgreSQL
// (server/store/postgres, any number of processes) implement the same calls. Every call is asynchronous and every
// multi-record change is one call, so a store over the network makes it one transaction.
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
  /**
   * Runs `fn` while no other process sharing these records runs one for the same scope + key (so two replicas
   * given one key at once create one resource). Absent where one process owns the records.
   */
  exclusive?<T>(scope: string, key: string, fn: () => Promise<T>): Promise<T>;
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
  /** Present when several processes share the store (PostgreSQL): how they hear of each other and agree. */
  readonly shared?: SharedStore;
  close(): Promise<void>;
}

/** A committed write of one job, as every process sharing the store hears of it. */
export interface JobNotice {
  jobId: string;
  status: TrainingJobStatus;
  cancelRequested: boolean;
  /** Ids of the events the write recorded (none for a write without events). */
  events: { first: number; last: number } | null;
  /** A process now runs the job (null while it waits for one); see JobRecord.claim. */
  worker: string | null;
}

/**
 * What processes sharing one store use to see each other's changes and to agree. Notices arrive in commit order,
 * in every process, the writer included; after a lost connection `onResync` fires (notices may have been missed).
 */
export interface SharedStore {
  onJob(listener: (notice: JobNotice) => void): () => void;
  /** Tells every process (this one included) that `topic` changed; `detail` says what (a model name, say). */
  publish(topic: string, detail: string): Promise<void>;
  subscribe(topic: string, listener: (detail: string) => void): () => void;
  onResync(listener: () => void): () => void;
  /** Runs `fn` holding the lock `key` across every process (released at once if this process dies). */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
}
