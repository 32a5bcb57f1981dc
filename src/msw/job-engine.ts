import type { TrainedModelLayout } from '../protocol/trained-model.js';
import { deployedMessage } from '../protocol/training-job.js';
import { conflict, jobNotFound } from './errors.js';
import { epochMetrics, type MetricsInput } from './fake-metrics.js';
import type { TrainingJob, TrainingJobEvent, TrainingJobStatus } from './types.js';

export interface JobRecord {
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

const TERMINAL: ReadonlySet<TrainingJobStatus> = new Set(['succeeded', 'failed', 'cancelled']);
export const isTerminal = (status: TrainingJobStatus) => TERMINAL.has(status);

export interface Deployment {
  model: string;
  version: string;
}

/**
 * Runs jobs one at a time, like the server with --max-concurrent-jobs 1. One `tick` is one unit of work:
 * - a running job that was asked to cancel ends `cancelled`;
 * - else a running job completes its next epoch (one `metrics` event); the tick that completes the last epoch also
 *   deploys the model (a `message` event) and ends the job `succeeded`;
 * - else the oldest queued job starts (`running`).
 * So a job of E epochs takes E + 1 ticks once it is first in the queue.
 */
export class JobEngine {
  private readonly jobs = new Map<string, JobRecord>();
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

  add(record: JobRecord, atMs: number): void {
    this.jobs.set(record.job.id, record);
    this.emit(record, atMs, { type: 'status', status: 'queued' });
    for (const message of record.notes) this.emit(record, atMs, { type: 'message', message });
    this.renumberQueue();
  }

  find(id: string): JobRecord | undefined {
    return this.jobs.get(id);
  }

  require(id: string): JobRecord {
    const record = this.jobs.get(id);
    if (!record) throw jobNotFound(id);
    return record;
  }

  /** Newest first. */
  list(): JobRecord[] {
    return [...this.jobs.values()].sort((a, b) => b.seq - a.seq);
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
      else this.runEpoch(running, atMs);
      return true;
    }
    const next = this.queued()[0];
    if (!next) return false;
    next.job.status = 'running';
    next.job.started_at = new Date(atMs).toISOString();
    next.job.queue_position = null;
    this.emit(next, atMs, { type: 'status', status: 'running' });
    for (const message of next.startMessages) this.emit(next, atMs, { type: 'message', message });
    this.renumberQueue();
    return true;
  }

  cancel(id: string, atMs: number): TrainingJob {
    const record = this.require(id);
    const { status } = record.job;
    if (isTerminal(status)) {
      throw conflict('invalid_job_state', `Job ${id} is ${status}; only queued or running jobs can be cancelled`);
    }
    if (status === 'queued') this.finish(record, atMs, 'cancelled');
    else record.cancelRequested = true;
    return record.job;
  }

  fail(id: string, error: { code: string; message: string }, atMs: number): TrainingJob {
    const record = this.require(id);
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
    this.emit(record, atMs, { type: 'message', message: deployedMessage(result.model, result.version) });
    this.finish(record, atMs, 'succeeded');
  }

  private finish(record: JobRecord, atMs: number, status: TrainingJobStatus, message?: string): void {
    record.job.status = status;
    record.job.queue_position = null;
    record.job.finished_at = new Date(atMs).toISOString();
    this.emit(record, atMs, message === undefined ? { type: 'status', status } : { type: 'status', status, message });
    this.renumberQueue();
  }

  private queued(): JobRecord[] {
    return [...this.jobs.values()].filter((r) => r.job.status === 'queued').sort((a, b) => a.seq - b.seq);
  }

  private renumberQueue(): void {
    this.queued().forEach((r, i) => {
      r.job.queue_position = i;
    });
  }

  private emit(record: JobRecord, atMs: number, event: Omit<TrainingJobEvent, 'id' | 'object' | 'created_at'>): void {
    record.events.push({
      id: record.events.length + 1,
      object: 'training_job.event',
      created_at: new Date(atMs).toISOString(),
      ...event,
    });
    for (const listener of this.listeners) listener(record.job.id);
  }
}
