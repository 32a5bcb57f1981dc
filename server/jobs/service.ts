import { copyFileSync, existsSync, linkSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { components } from '../../src/generated/openapi.js';
import { deployedMessage, queuedJob } from '../../src/protocol/training-job.js';
import { type DatasetService, datasetExtensions } from '../datasets/service.js';
import { ConflictError, InvalidParameterError, NotFoundError } from '../errors.js';
import type { JobEvents } from './events.js';
import { newId } from './ids.js';
import type { RunHandle, Runner } from './runner.js';
import { checkCreateBody, resolveHyperparameters } from './spec.js';
import type { Checkpoint, JobStore } from './store.js';
import {
  type DataFile,
  type DatasetRecord,
  type EpochMetrics,
  type EventDraft,
  isTerminal,
  type JobError,
  type JobRecord,
  type TrainingJob,
  type TrainingJobEvent,
  type TrainingJobStatus,
} from './types.js';

type TrainingJobList = components['schemas']['TrainingJobList'];
type TrainingJobEventList = components['schemas']['TrainingJobEventList'];

const statuses: readonly TrainingJobStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];

/** Writes a trained model as the next version of `model` and serves it (ModelRegistry.addVersion in the app). */
export interface Deployer {
  deploy(
    model: string,
    onnx: Uint8Array,
    options: { jobId: string; description: string },
  ): Promise<{ version: string }>;
  /** The version an earlier run of this job already deployed (a crash between deploying and recording it). */
  findDeployed?(model: string, jobId: string): string | undefined;
}

export interface JobServiceOptions {
  store: JobStore;
  events: JobEvents;
  datasets: DatasetService;
  runner: Runner;
  deployer: Deployer;
  /** Each job's own copy of its data lives in `<jobsDir>/<job id>/`. */
  jobsDir: string;
  maxConcurrentJobs: number;
  now?: () => Date;
  randomSeed?: () => number;
  log?: { error(obj: unknown, msg?: string): void };
}

/**
 * Training jobs: validates and queues them, runs up to maxConcurrentJobs at once through the runner, records every
 * status change, epoch and message as an event, and deploys the result. Everything a job goes through is persisted
 * before it is published, so a restart (even after SIGKILL) finds every job where it was: running jobs resume from
 * their last checkpoint (see `start`).
 */
export class JobService {
  private readonly store: JobStore;
  private readonly events: JobEvents;
  private readonly running = new Map<string, RunHandle>();
  private readonly now: () => Date;
  private pumpScheduled = false;
  private closed = false;
  /** Resolves when no job is between `finished` and its deploy being recorded. */
  private readonly deploying = new Set<Promise<void>>();

  constructor(private readonly options: JobServiceOptions) {
    this.store = options.store;
    this.events = options.events;
    this.now = options.now ?? (() => new Date());
    mkdirSync(options.jobsDir, { recursive: true });
  }

  /**
   * Picks up where the last process stopped: a job that was running resumes from its last completed epoch (or ends
   * `cancelled` when a cancel was pending, or `failed` with code `interrupted` when its data is gone); then the
   * queue starts moving.
   */
  start(): void {
    for (const job of this.store.jobsWithStatus('running')) {
      if (job.cancelRequested) {
        this.cancelled(job.id);
        continue;
      }
      const missing = [job.data.train, job.data.validation].find((f) => f && !existsSync(f.path));
      if (missing) {
        this.fail(job.id, {
          code: 'interrupted',
          message:
            'The server stopped while the job was running, and its copy of the data is gone; create the job again',
        });
        continue;
      }
      const checkpoint = this.store.loadCheckpoint(job.id) ?? null;
      const from = checkpoint ? `epoch ${checkpoint.epoch}` : 'the start';
      this.events.append(job.id, { type: 'message', message: `The server restarted; resuming from ${from}` });
      this.launch(job, checkpoint);
    }
    this.pump();
  }

  /** Validates the body (400 invalid_input / 404 dataset_not_found / 422 training_spec_invalid) and queues the job. */
  create(body: unknown): TrainingJob {
    const request = checkCreateBody(body);
    const datasets = this.options.datasets;
    const train = datasets.record(request.dataset);
    const validation = request.validation_dataset ? datasets.record(request.validation_dataset) : null;
    const { hyperparameters, notes } = resolveHyperparameters(request, train, validation, this.options.randomSeed);
    const createdAt = this.now();
    const id = newId('job', createdAt.getTime());
    const dir = join(this.options.jobsDir, id);
    const data = {
      train: snapshot(train, dir, 'train'),
      validation: validation ? snapshot(validation, dir, 'validation') : null,
    };
    const job: JobRecord = {
      ...queuedJob(id, request, hyperparameters, createdAt.toISOString()),
      data,
      cancelRequested: false,
    };
    let recorded: TrainingJobEvent[];
    try {
      recorded = this.store.atomically(() => {
        this.store.insertJob(job);
        // What spec resolution chose from the data, right after `queued`: visible before the job even starts.
        const drafts: EventDraft[] = [{ type: 'status', status: 'queued' }];
        for (const message of notes) drafts.push({ type: 'message', message });
        return drafts.map((d) => this.events.record(id, d));
      });
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    for (const event of recorded) this.events.publish(id, event);
    const wire = this.toWire(job);
    this.schedulePump();
    return wire;
  }

  retrieve(id: string): TrainingJob {
    return this.toWire(this.require(id));
  }

  list(query: { limit: number; after?: string; status?: string }): TrainingJobList {
    const status = query.status;
    if (status !== undefined && !statuses.includes(status as TrainingJobStatus)) {
      throw new InvalidParameterError('status', `one of ${statuses.join(', ')}`, status);
    }
    if (query.after !== undefined && !this.store.hasCursor('jobs', query.after)) {
      throw new InvalidParameterError('after', 'the next_cursor of an earlier page (a job id)', query.after);
    }
    const page = this.store.listJobs({
      limit: query.limit,
      ...(query.after !== undefined ? { after: query.after } : {}),
      ...(status !== undefined ? { status: status as TrainingJobStatus } : {}),
    });
    const queue = this.queueOrder();
    const data = page.items.map((job) => this.toWire(job, queue));
    return {
      object: 'list',
      data,
      has_more: page.hasMore,
      next_cursor: page.hasMore ? (data[data.length - 1]?.id ?? null) : null,
    };
  }

  /**
   * A queued job is cancelled at once; a running one is asked to stop at its next batch boundary and keeps
   * showing `running` until it has. A job that ended is a 409 invalid_job_state.
   */
  cancel(id: string): TrainingJob {
    const job = this.require(id);
    if (isTerminal(job.status)) {
      throw new ConflictError(
        'invalid_job_state',
        `Job ${id} is ${job.status}; only queued or running jobs can be cancelled`,
      );
    }
    if (job.status === 'queued') {
      this.cancelled(id);
      this.schedulePump();
    } else if (!job.cancelRequested) {
      job.cancelRequested = true;
      this.store.updateJob(job);
      this.running.get(id)?.requestCancel();
    }
    return this.retrieve(id);
  }

  /** One page of events with id > after. */
  listEvents(id: string, after: number, limit: number): TrainingJobEventList {
    this.require(id);
    const rows = this.events.list(id, after, limit + 1);
    const data = rows.slice(0, limit);
    const hasMore = rows.length > limit;
    const last = data[data.length - 1];
    return { object: 'list', data, has_more: hasMore, next_cursor: last ? String(last.id) : null };
  }

  /** Stops running workers without changing their jobs: the next start resumes them from their checkpoints. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.deploying]);
    const handles = [...this.running.values()];
    this.running.clear();
    await Promise.all(handles.map((h) => h.stop()));
  }

  /** Jobs running in this process right now. */
  get runningCount(): number {
    return this.running.size;
  }

  require(id: string): JobRecord {
    const job = this.store.getJob(id);
    if (!job) throw new NotFoundError('job_not_found', `Training job '${id}' not found`);
    return job;
  }

  private toWire(job: JobRecord, queue = job.status === 'queued' ? this.queueOrder() : []): TrainingJob {
    const position = job.status === 'queued' ? queue.indexOf(job.id) : -1;
    return {
      id: job.id,
      object: 'training_job',
      status: job.status,
      model: job.model,
      dataset: job.dataset,
      validation_dataset: job.validation_dataset,
      queue_position: position >= 0 ? position : null,
      created_at: job.created_at,
      started_at: job.started_at,
      finished_at: job.finished_at,
      hyperparameters: job.hyperparameters,
      metrics: job.metrics,
      error: job.error,
      result: job.result,
    };
  }

  private queueOrder(): string[] {
    return this.store.jobsWithStatus('queued').map((j) => j.id);
  }

  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    // After the current request has answered with the job as created (queued).
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    if (this.closed) return;
    while (this.running.size < this.options.maxConcurrentJobs) {
      const next = this.store.jobsWithStatus('queued')[0];
      if (!next) return;
      const started = this.transition(next.id, (job) => {
        job.status = 'running';
        job.started_at = this.now().toISOString();
        return [{ type: 'status', status: 'running' }];
      });
      this.launch(started, null);
    }
  }

  private launch(job: JobRecord, checkpoint: Checkpoint | null): void {
    const id = job.id;
    const handle = this.options.runner(
      { jobId: id, hyperparameters: job.hyperparameters, data: job.data, checkpoint },
      {
        epoch: (metrics, cp) => this.guard(id, () => this.onEpoch(id, metrics, cp)),
        message: (text) => this.guard(id, () => this.events.append(id, { type: 'message', message: text })),
        finished: (result) => this.track(this.onFinished(id, result)),
        cancelled: () => this.ended(id, () => this.cancelled(id)),
        failed: (error) => this.ended(id, () => this.fail(id, error)),
      },
    );
    this.running.set(id, handle);
    if (job.cancelRequested) handle.requestCancel();
  }

  private onEpoch(id: string, metrics: EpochMetrics, checkpoint: Checkpoint): void {
    this.transition(id, (job) => {
      this.store.saveCheckpoint(id, checkpoint);
      job.metrics = metrics;
      return [{ type: 'metrics', metrics }];
    });
  }

  private async onFinished(id: string, result: { onnx: Uint8Array; description: string }): Promise<void> {
    const job = this.require(id);
    if (job.cancelRequested) return this.ended(id, () => this.cancelled(id));
    const deployer = this.options.deployer;
    let version: string;
    try {
      version =
        deployer.findDeployed?.(job.model, id) ??
        (await deployer.deploy(job.model, result.onnx, { jobId: id, description: result.description })).version;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return this.ended(id, () =>
        this.fail(id, { code: 'deploy_failed', message: `Deploying the model failed: ${message}` }),
      );
    }
    this.ended(id, () =>
      this.transition(id, (j) => {
        j.status = 'succeeded';
        j.finished_at = this.now().toISOString();
        j.result = { model: j.model, version };
        this.store.deleteCheckpoint(id);
        return [
          { type: 'message', message: deployedMessage(j.model, version) },
          { type: 'status', status: 'succeeded' },
        ];
      }),
    );
  }

  /** Progress that cannot be recorded (a full disk, say) is logged; it must not take the server down. */
  private guard(id: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.options.log?.error({ err, job: id }, 'recording training progress failed');
    }
  }

  /** A run is over: record its outcome, free its slot, clean up its data copy and move the queue. */
  private ended(id: string, record: () => void): void {
    this.running.delete(id);
    try {
      if (!isTerminal(this.require(id).status)) record();
    } catch (err) {
      this.options.log?.error({ err, job: id }, 'recording the end of a training job failed');
    }
    rmSync(join(this.options.jobsDir, id), { recursive: true, force: true });
    this.schedulePump();
  }

  private cancelled(id: string): void {
    this.transition(id, (job) => {
      job.status = 'cancelled';
      job.finished_at = this.now().toISOString();
      this.store.deleteCheckpoint(id);
      return [{ type: 'status', status: 'cancelled' }];
    });
    rmSync(join(this.options.jobsDir, id), { recursive: true, force: true });
  }

  private fail(id: string, error: JobError): void {
    this.transition(id, (job) => {
      job.status = 'failed';
      job.finished_at = this.now().toISOString();
      job.error = error;
      this.store.deleteCheckpoint(id);
      return [{ type: 'status', status: 'failed', message: error.message }];
    });
    rmSync(join(this.options.jobsDir, id), { recursive: true, force: true });
  }

  /** Changes a job and records its events in one transaction, then publishes the events. */
  private transition(id: string, change: (job: JobRecord) => EventDraft[]): JobRecord {
    const { job, events } = this.store.atomically(() => {
      const job = this.require(id);
      const drafts = change(job);
      this.store.updateJob(job);
      return { job, events: drafts.map((d) => this.events.record(id, d)) };
    });
    for (const event of events) this.events.publish(id, event);
    return job;
  }

  private track(work: Promise<void>): void {
    const p = work.catch((err: unknown) => this.options.log?.error({ err, job: 'deploy' }, 'training job'));
    this.deploying.add(p);
    void p.finally(() => this.deploying.delete(p));
  }
}

/** The job's own copy of a dataset's file: a hard link when possible (no bytes copied), else a copy. */
function snapshot(record: DatasetRecord, dir: string, name: string): DataFile {
  mkdirSync(dir, { recursive: true });
  const format = record.dataset.format;
  const path = join(dir, `${name}.${datasetExtensions[format]}`);
  try {
    linkSync(record.path, path);
  } catch {
    copyFileSync(record.path, path);
  }
  return { path, format };
}
