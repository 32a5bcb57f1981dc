// What one kind of job (training, optimisation) adds to the job machinery (service.ts, scheduler.ts, runs.ts): how
// a create body becomes a stored record, how the record reads on the wire, what a run reads and how it starts, and
// how a finished run's output is published. The machinery itself — queue, claims and leases, serial recording,
// cancel, restart — is the same for every kind.
import type { Checkpoint, EventDraft, JobKindName, JobRecord } from '../store/records.js';
import type { RunCallbacks, RunHandle } from './runner.js';
import type { JobError } from './types.js';

/** Where a new job's own copies of its inputs go, and its identity. */
export interface NewJob {
  id: string;
  createdAt: string;
  /** `<jobsDir>/<id>/`: the job's own snapshots (removed when it ends). */
  dir: string;
}

/** A validated job, ready to store: the record (status queued) and what spec resolution said (message events). */
export interface PreparedJob {
  record: JobRecord;
  notes: string[];
}

/** How a finished run ends its job: succeeded or failed, the fields it sets, and the events before its status. */
export interface Outcome {
  status: 'succeeded' | 'failed';
  /** With status failed. */
  error?: JobError;
  /** Applied to the record (e.g. `result`, `report`). */
  set: Record<string, unknown>;
  events: EventDraft[];
}

export interface JobKind {
  readonly name: JobKindName;
  /** How messages name a job of this kind ("Training job"). */
  readonly noun: string;
  /** Checks the body (400/404/422 MaasServerErrors) and builds the queued record with its snapshots under `job.dir`. */
  prepare(body: unknown, job: NewJob): Promise<PreparedJob>;
  /** The record as the API shows it. */
  wire(record: JobRecord, queuePosition: number | null): unknown;
  /** Files a run reads; a run whose file is gone cannot start (the job fails `interrupted`). */
  files(record: JobRecord): string[];
  /** Starts a run (from `checkpoint` when resuming); it reports through `callbacks`. */
  start(record: JobRecord, checkpoint: Checkpoint | null, callbacks: RunCallbacks<unknown>): RunHandle;
  /** Publishes what a run produced; a throw fails the job `deploy_failed` with its message. */
  finish(record: JobRecord, output: unknown): Promise<Outcome>;
}
