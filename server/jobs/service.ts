import { copyFileSync, existsSync, linkSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { deployedMessage, queuedJob } from '../../src/protocol/training-job.js';
import { type DatasetService, datasetExtensions } from '../datasets/service.js';
import { ConflictError, InvalidParameterError, NotFoundError } from '../errors.js';
import { newId } from '../ids.js';
import type {
  Checkpoint,
  DataFile,
  DatasetRecord,
  EventDraft,
  JobRecord,
  Page,
  TrainingJobEvent,
} from '../store/records.js';
import type { JobChange, JobRecords } from '../store/store.js';
import type { Deployer } from './deployer.js';
import type { JobEvents, JobOrigin } from './events.js';
import type { RunHandle, Runner } from './runner.js';
import { checkCreateBody, resolveHyperparameters } from './spec.js';
import { type EpochMetrics, isTerminal, type JobError, type TrainingJob, type TrainingJobStatus } from './types.js';

const statuses: readonly TrainingJobStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];

export interface JobServiceOptions {
  jobs: JobRecords;
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
 * their last checkpoint (see `start`). What one job reports is recorded in the order it was reported.
 */
export class JobService {
  private readonly store: JobRecords;
  private readonly events: JobEvents;
  private readonly running = new Map<string, RunHandle>();
  /** Per job, the tail of its recording work: progress is written in the order the run reported it. */
  private readonly chains = new Map<string, Promise<void>>();
  private readonly now: () => Date;
  private pumpScheduled = false;
  private pumping: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: JobServiceOptions) {
    this.store = options.jobs;
    this.events = options.events;
    this.now = options.now ?? (() => new Date());
    mkdirSync(options.jobsDir, { recursive: true });
  }

  /**
   * Picks up where the last process stopped: a job that was running resumes from its last completed epoch (or ends
   * `cancelled` when a cancel was pending, or `failed` with code `interrupted` when its data is gone); then the
   * queue starts moving.
   */
  async start(): Promise<void> {
    for (const job of await this.store.withStatus('running')) {
      if (job.cancelRequested) {
        await this.cancelled(job.id);
        continue;
      }
      const missing = [job.data.train, job.data.validation].find((f) => f && !existsSync(f.path));
      if (missing) {
        await this.fail(job.id, {
          code: 'interrupted',
          message:
            'The server stopped while the job was running, and its copy of the data is gone; create the job again',
        });
        continue;
      }
      const checkpoint = (await this.store.loadCheckpoint(job.id)) ?? null;
      const from = checkpoint ? `epoch ${checkpoint.epoch}` : 'the start';
      await this.events.append(job.id, { type: 'message', message: `The server restarted; resuming from ${from}` });
      this.launch(job, checkpoint);
    }
    this.schedulePump();
  }

  /**
   * Validates the body (400 invalid_input / 404 dataset_not_found / 422 training_spec_invalid) and queues the job.
   * `origin` (the creating request's trace) goes to the event observers with the job's first events.
   */
  async create(body: unknown, origin?: JobOrigin): Promise<TrainingJob> {
    const request = checkCreateBody(body);
    const datasets = this.options.datasets;
    const train = await datasets.record(request.dataset);
    const validation = request.validation_dataset ? await datasets.record(request.validation_dataset) : null;
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
    // What spec resolution chose from the data, right after `queued`: visible before the job even starts.
    const drafts: EventDraft[] = [{ type: 'status', status: 'queued' }];
    for (const message of notes) drafts.push({ type: 'message', message });
    let events: TrainingJobEvent[];
    try {
      events = await this.store.insert(job, drafts, this.events.timestamp());
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    this.events.publish(id, events, origin);
    const wire = await this.toWire(job);
    this.schedulePump();
    return wire;
  }

  async retrieve(id: string): Promise<TrainingJob> {
    return this.toWire(await this.require(id));
  }

  /** Newest first, optionally one status; `after` must be a job id an earlier page ended with. */
  async list(query: { limit: number; after?: string; status?: string }): Promise<Page<TrainingJob>> {
    const status = query.status;
    if (status !== undefined && !statuses.includes(status as TrainingJobStatus)) {
      throw new InvalidParameterError('status', `one of ${statuses.join(', ')}`, status);
    }
    if (query.after !== undefined && !(await this.store.isCursor(query.after))) {
      throw new InvalidParameterError('after', 'the next_cursor of an earlier page (a job id)', query.after);
    }
    const page = await this.store.list({
      limit: query.limit,
      ...(query.after !== undefined ? { after: query.after } : {}),
      ...(status !== undefined ? { status: status as TrainingJobStatus } : {}),
    });
    const queue = await this.queueOrder();
    return { items: page.items.map((job) => wireJob(job, queue)), hasMore: page.hasMore };
  }

  /**
   * A queued job is cancelled at once; a running one is asked to stop at its next batch boundary and keeps
   * showing `running` until it has. A job that ended is a 409 invalid_job_state.
   */
  async cancel(id: string): Promise<TrainingJob> {
    const job = await this.require(id);
    if (isTerminal(job.status)) throw notCancellable(job);
    if (job.status === 'queued' && (await this.cancelled(id, 'queued'))) {
      this.schedulePump();
      return this.retrieve(id);
    }
    const asked = await this.transition(id, (j) => {
      if (j.status !== 'running' || j.cancelRequested) return undefined;
      j.cancelRequested = true;
      return { events: [] };
    });
    if (asked) this.running.get(id)?.requestCancel();
    const now = await this.require(id);
    if (isTerminal(now.status) && now.status !== 'cancelled') throw notCancellable(now);
    return this.toWire(now);
  }

  /** Events with id > after, at most `limit`, and whether more follow. */
  async listEvents(id: string, after: number, limit: number): Promise<Page<TrainingJobEvent>> {
    await this.require(id);
    const rows = await this.events.list(id, after, limit + 1);
    return { items: rows.slice(0, limit), hasMore: rows.length > limit };
  }

  /** Stops running workers without changing their jobs: the next start resumes them from their checkpoints. */
  async close(): Promise<void> {
    this.closed = true;
    const handles = [...this.running.values()];
    this.running.clear();
    await Promise.all(handles.map((h) => h.stop()));
    await this.pumping;
    // What runs reported before they stopped (a deploy included) is recorded before the store closes.
    while (this.chains.size > 0) await Promise.all([...this.chains.values()]);
  }

  /** Jobs running in this process right now. */
  get runningCount(): number {
    return this.running.size;
  }

  /** The stored job, or 404 job_not_found. */
  async require(id: string): Promise<JobRecord> {
    const job = await this.store.get(id);
    if (!job) throw new NotFoundError('job_not_found', `Training job '${id}' not found`);
    return job;
  }

  private async toWire(job: JobRecord): Promise<TrainingJob> {
    return wireJob(job, job.status === 'queued' ? await this.queueOrder() : []);
  }

  private async queueOrder(): Promise<string[]> {
    return (await this.store.withStatus('queued')).map((j) => j.id);
  }

  private schedulePump(): void {
    if (this.pumpScheduled || this.closed) return;
    this.pumpScheduled = true;
    // After the current request has answered with the job as created (queued).
    setImmediate(() => {
      this.pumpScheduled = false;
      if (this.pumping) {
        void this.pumping.then(() => this.schedulePump());
        return;
      }
      this.pumping = this.pump()
        .catch((err: unknown) => this.options.log?.error({ err }, 'starting queued training jobs failed'))
        .finally(() => {
          this.pumping = undefined;
        });
    });
  }

  /** Starts queued jobs, oldest first, while slots are free. A claim only succeeds on a job still queued. */
  private async pump(): Promise<void> {
    while (!this.closed && this.running.size < this.options.maxConcurrentJobs) {
      const queued = await this.store.withStatus('queued');
      let started: JobRecord | undefined;
      for (const next of queued) {
        started = await this.transition(next.id, (job) => {
          if (job.status !== 'queued') return undefined;
          job.status = 'running';
          job.started_at = this.now().toISOString();
          return { events: [{ type: 'status', status: 'running' }] };
        });
        if (started) break;
      }
      if (!started || this.closed) return;
      this.launch(started, null);
    }
  }

  private launch(job: JobRecord, checkpoint: Checkpoint | null): void {
    const id = job.id;
    const handle = this.options.runner(
      { jobId: id, hyperparameters: job.hyperparameters, data: job.data, checkpoint },
      {
        epoch: (metrics, cp) =>
          this.serial(id, 'recording training progress failed', () => this.onEpoch(id, metrics, cp)),
        message: (text) =>
          this.serial(id, 'recording training progress failed', async () => {
            await this.events.append(id, { type: 'message', message: text });
          }),
        finished: (result) => this.serial(id, 'deploying a trained model failed', () => this.onFinished(id, result)),
        cancelled: () => this.serial(id, 'recording a cancel failed', () => this.ended(id, () => this.cancelled(id))),
        failed: (error) =>
          this.serial(id, 'recording a failure failed', () => this.ended(id, () => this.fail(id, error))),
      },
    );
    this.running.set(id, handle);
    if (job.cancelRequested) handle.requestCancel();
  }

  private async onEpoch(id: string, metrics: EpochMetrics, checkpoint: Checkpoint): Promise<void> {
    await this.transition(id, (job) => {
      job.metrics = metrics;
      return { events: [{ type: 'metrics', metrics }], checkpoint };
    });
  }

  private async onFinished(id: string, result: { onnx: Uint8Array; description: string }): Promise<void> {
    const job = await this.require(id);
    if (job.cancelRequested) return this.ended(id, () => this.cancelled(id));
    const deployer = this.options.deployer;
    let version: string;
    try {
      version =
        (await deployer.findDeployed?.(job.model, id)) ??
        (await deployer.deploy(job.model, result.onnx, { jobId: id, description: result.description })).version;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return this.ended(id, () =>
        this.fail(id, { code: 'deploy_failed', message: `Deploying the model failed: ${message}` }),
      );
    }
    await this.ended(id, () =>
      this.transition(id, (j) => {
        j.status = 'succeeded';
        j.finished_at = this.now().toISOString();
        j.result = { model: j.model, version };
        return {
          events: [
            { type: 'message', message: deployedMessage(j.model, version) },
            { type: 'status', status: 'succeeded' },
          ],
          checkpoint: null,
        };
      }),
    );
  }

  /**
   * Runs `work` after what this job reported before. Progress that cannot be recorded (a full disk, say) is
   * logged; it must not take the server down.
   */
  private serial(id: string, failure: string, work: () => Promise<unknown>): void {
    const previous = this.chains.get(id) ?? Promise.resolve();
    const next = previous.then(work).then(
      () => {},
      (err: unknown) => this.options.log?.error({ err, job: id }, failure),
    );
    this.chains.set(id, next);
    void next.then(() => {
      if (this.chains.get(id) === next) this.chains.delete(id);
    });
  }

  /** A run is over: record its outcome (unless the job already ended), free its slot, drop its data, move the queue. */
  private async ended(id: string, record: () => Promise<unknown>): Promise<void> {
    this.running.delete(id);
    try {
      if (!isTerminal((await this.require(id)).status)) await record();
    } finally {
      rmSync(join(this.options.jobsDir, id), { recursive: true, force: true });
      this.schedulePump();
    }
  }

  /** Ends the job `cancelled` (only from `onlyFrom` when given); true when this call ended it. */
  private async cancelled(id: string, onlyFrom?: TrainingJobStatus): Promise<boolean> {
    const ended = await this.end(id, 'cancelled', onlyFrom, () => ({
      events: [{ type: 'status', status: 'cancelled' }],
    }));
    return ended !== undefined;
  }

  private async fail(id: string, error: JobError): Promise<void> {
    await this.end(id, 'failed', undefined, (job) => {
      job.error = error;
      return { events: [{ type: 'status', status: 'failed', message: error.message }] };
    });
  }

  private async end(
    id: string,
    status: TrainingJobStatus,
    onlyFrom: TrainingJobStatus | undefined,
    change: (job: JobRecord) => JobChange,
  ): Promise<JobRecord | undefined> {
    const job = await this.transition(id, (j) => {
      if (isTerminal(j.status) || (onlyFrom !== undefined && j.status !== onlyFrom)) return undefined;
      j.status = status;
      j.finished_at = this.now().toISOString();
      return { ...change(j), checkpoint: null };
    });
    if (job) rmSync(join(this.options.jobsDir, id), { recursive: true, force: true });
    return job;
  }

  /** Changes a job and records its events in one store transaction, then publishes the events. */
  private async transition(
    id: string,
    change: (job: JobRecord) => JobChange | undefined,
  ): Promise<JobRecord | undefined> {
    const outcome = await this.store.update(id, change, this.events.timestamp());
    if (!outcome) return undefined;
    this.events.publish(id, outcome.events);
    return outcome.job;
  }
}

function wireJob(job: JobRecord, queue: readonly string[]): TrainingJob {
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

function notCancellable(job: JobRecord): ConflictError {
  return new ConflictError(
    'invalid_job_state',
    `Job ${job.id} is ${job.status}; only queued or running jobs can be cancelled`,
  );
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
