import type { TrainedModelLayout } from '../protocol/trained-model.js';
import { deployedMessage } from '../protocol/training-job.js';
import { conflict, notFound } from './errors.js';
import { epochMetrics, type MetricsInput } from './fake-metrics.js';
import type {
  OptimizationJob,
  OptimizationJobEvent,
  TrainingJob,
  TrainingJobEvent,
  TrainingJobStatus,
} from './types.js';

/** A training job in the mock. */
export interface JobRecord {
  kind?: 'training';
  seq: number;
  job: TrainingJob;
  events: TrainingJobEvent[];
  cancelRequested: boolean;
  epochsDone: number;
  metricsInput: Omit<MetricsInput, 'epochMs'>;
  classes: Array<string | number> | null;
  /** The trained model's inputs, outputs and sizes (what a deploy adds). */
  layout: TrainedModelLayout;
  /** What spec resolution chose from the data: `message` events right after `queued`, as the server records them. */
  notes: string[];
  /** Said (`message` events) when the job starts, as the server's trainer does. */
  startMessages: string[];
}

/** An event before the engine numbers it. */
export type EventDraft = Omit<OptimizationJobEvent, 'id' | 'object' | 'created_at'>;

/** What one step of an optimisation job records, and how the job ends when it is the last. */
export interface StepOutcome {
  events: EventDraft[];
  end?: { status: 'succeeded' | 'failed'; error?: { code: string; message: string } };
}

/** An optimisation job in the mock: its run is a fixed list of steps (see optimization.ts). */
export interface OptimizationRecord {
  kind: 'optimization';
  seq: number;
  job: OptimizationJob;
  events: OptimizationJobEvent[];
  cancelRequested: boolean;
  notes: string[];
  /** One per tick once running; the last ends the job. */
  steps: Array<(atMs: number) => StepOutcome>;
  stepsDone: number;
}

export type AnyJobRecord = JobRecord | OptimizationRecord;
export type JobKind = 'training' | 'optimization';

const kindOf = (record: AnyJobRecord): JobKind => record.kind ?? 'training';
const NOUNS: Record<JobKind, string> = { training: 'Training job', optimization: 'Optimization job' };

const TERMINAL: ReadonlySet<TrainingJobStatus> = new Set(['succeeded', 'failed', 'cancelled']);
export const isTerminal = (status: TrainingJobStatus) => TERMINAL.has(status);

export interface Deployment {
  model: string;
  version: string;
}

/**
 * Runs jobs of both kinds one at a time from one queue, like the server with --max-concurrent-jobs 1. One `tick` is
 * one unit of work:
 * - a running job that was asked to cancel ends `cancelled`;
 * - else a running training job completes its next epoch (one `metrics` event); the tick that completes the last
 *   epoch also deploys the model (a `message` event) and ends the job `succeeded`;
 * - else a running optimisation job takes its next step (a stage: see optimization.ts); the last step ends it;
 * - else the oldest queued job starts (`running`).
 * So a training job of E epochs takes E + 1 ticks once it is first in the queue, an optimisation job 5.
 */
export class JobEngine {
  private readonly jobs = new Map<string, AnyJobRecord>();
  private readonly listeners = new Set<(jobId: string) => void>();

  constructor(
    private readonly deploy: (record: JobRecord, atMs: number) => Deployment,
    private readonly epochMs: () => number,
  ) {}

  /** Drops every job; open event streams hear `'*'` and end. */
  clear(): void {
    this.jobs.clear();
    for (const listener of this.listeners) listener('*');
  }

  add(record: AnyJobRecord, atMs: number): void {
    this.jobs.set(record.job.id, record);
    this.emit(record, atMs, { type: 'status', status: 'queued' });
    for (const message of record.notes) this.emit(record, atMs, { type: 'message', message });
    this.renumberQueue();
  }

  find(id: string): AnyJobRecord | undefined {
    return this.jobs.get(id);
  }

  /** The job, or 404 job_not_found (also for a job of the other kind). */
  require(id: string): JobRecord;
  require(id: string, kind: 'optimization'): OptimizationRecord;
  require(id: string, kind: JobKind): AnyJobRecord;
  require(id: string, kind: JobKind = 'training'): AnyJobRecord {
    const record = this.jobs.get(id);
    if (!record || kindOf(record) !== kind) throw notFound('job_not_found', `${NOUNS[kind]} '${id}' not found`);
    return record;
  }

  /** Newest first, of one kind. */
  list(kind: JobKind = 'training'): AnyJobRecord[] {
    return [...this.jobs.values()].filter((r) => kindOf(r) === kind).sort((a, b) => b.seq - a.seq);
  }

  hasActive(): boolean {
    for (const r of this.jobs.values()) if (!isTerminal(r.job.status)) return true;
    return false;
  }

  /** Listens to new events of every job; returns the unsubscribe function. */
  subscribe(listener: (jobId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  tick(atMs: number): boolean {
    const running = [...this.jobs.values()].find((r) => r.job.status === 'running');
    if (running) {
      if (running.cancelRequested) this.finish(running, atMs, 'cancelled');
      else if (running.kind === 'optimization') this.runStep(running, atMs);
      else this.runEpoch(running, atMs);
      return true;
    }
    const next = this.queued()[0];
    if (!next) return false;
    next.job.status = 'running';
    next.job.started_at = new Date(atMs).toISOString();
    next.job.queue_position = null;
    this.emit(next, atMs, { type: 'status', status: 'running' });
    if (next.kind !== 'optimization') {
      for (const message of next.startMessages) this.emit(next, atMs, { type: 'message', message });
    }
    this.renumberQueue();
    return true;
  }

  cancel(id: string, atMs: number, kind: JobKind = 'training'): TrainingJob | OptimizationJob {
    const record = this.require(id, kind);
    const { status } = record.job;
    if (isTerminal(status)) {
      throw conflict('invalid_job_state', `Job ${id} is ${status}; only queued or running jobs can be cancelled`);
    }
    if (status === 'queued') this.finish(record, atMs, 'cancelled');
    else record.cancelRequested = true;
    return record.job;
  }

  fail(id: string, error: { code: string; message: string }, atMs: number): TrainingJob | OptimizationJob {
    const record = this.jobs.get(id) ?? this.require(id);
    if (isTerminal(record.job.status)) {
      throw conflict('invalid_job_state', `Job ${id} is ${record.job.status}; only queued or running jobs can fail`);
    }
    record.job.error = { code: error.code, message: error.message };
    this.finish(record, atMs, 'failed', error.message);
    return record.job;
  }

  private runEpoch(record: JobRecord, atMs: number): void {
    record.epochsDone++;
    const metrics = epochMetrics({ ...record.metricsInput, epochMs: this.epochMs() }, record.epochsDone);
    record.job.metrics = metrics;
    this.emit(record, atMs, { type: 'metrics', metrics });
    if (record.epochsDone < record.job.hyperparameters.epochs) return;
    const result = this.deploy(record, atMs);
    record.job.result = result;
    this.emit(record, atMs, {
      type: 'message',
      message: deployedMessage(result.model, result.version, record.job.promote),
    });
    this.finish(record, atMs, 'succeeded');
  }

  private runStep(record: OptimizationRecord, atMs: number): void {
    const step = record.steps[record.stepsDone++];
    const outcome = step ? step(atMs) : { events: [], end: { status: 'succeeded' as const } };
    for (const event of outcome.events) {
      if (event.type === 'stage' && event.stage) record.job.stage = event.stage;
      this.emit(record, atMs, event);
    }
    if (!outcome.end) return;
    if (outcome.end.error) record.job.error = { ...outcome.end.error };
    this.finish(record, atMs, outcome.end.status, outcome.end.error?.message);
  }

  private finish(record: AnyJobRecord, atMs: number, status: TrainingJobStatus, message?: string): void {
    record.job.status = status;
    record.job.queue_position = null;
    record.job.finished_at = new Date(atMs).toISOString();
    this.emit(record, atMs, message === undefined ? { type: 'status', status } : { type: 'status', status, message });
    this.renumberQueue();
  }

  private queued(): AnyJobRecord[] {
    return [...this.jobs.values()].filter((r) => r.job.status === 'queued').sort((a, b) => a.seq - b.seq);
  }

  private renumberQueue(): void {
    this.queued().forEach((r, i) => {
      r.job.queue_position = i;
    });
  }

  private emit(record: AnyJobRecord, atMs: number, event: EventDraft): void {
    const base = { id: record.events.length + 1, created_at: new Date(atMs).toISOString() };
    if (record.kind === 'optimization') record.events.push({ ...base, object: 'optimization_job.event', ...event });
    else
      record.events.push({
        ...base,
        object: 'training_job.event',
        ...(event as Omit<TrainingJobEvent, 'id' | 'object' | 'created_at'>),
      });
    for (const listener of this.listeners) listener(record.job.id);
  }
}
