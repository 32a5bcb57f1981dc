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
import type { JobChange, JobNotice, JobRecords, SharedStore } from '../store/store.js';
import { claim, claimable, holds, reap, release, renew, unclaimed } from './claims.js';
import type { Deployer } from './deployer.js';
import type { JobEvents, JobOrigin } from './events.js';
import type { JobQueue } from './queue.js';
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
  log?: { error(obj: unknown, msg?: string): void; warn?(obj: unknown, msg?: string): void };
  /** Several processes share the store: jobs are claimed with a lease, and every write of a run is fenced by it. */
  shared?: SharedJobs;
}

export interface SharedJobs {
  store: SharedStore;
  /** This process, as recorded in the claims it holds. */
  worker: string;
  /** How long a claim lasts unrenewed; renewed every third of it. */
  leaseMs: number;
  /** Jobs come from this queue engine; without one, this process claims queued jobs from the store itself. */
  queue?: JobQueue;
}

/**
 * Training jobs: validates and queues them, runs up to maxConcurrentJobs at once through the runner, records every
 * status change, epoch and message as an event, and deploys the result. Everything a job goes through is persisted
 * before it is published, so a restart (even after SIGKILL) finds every job where it was: running jobs resume from
 * their last checkpoint (see `start`). What one job reports is recorded in the order it was reported.
 *
 * With a shared store (`options.shared`), any number of processes do this on one database: a process claims a job
 * (compare-and-set) with a lease it renews while the job runs; a job whose lease runs out (its process died) is
 * resumed by another from its last checkpoint; every write of a run checks the claim is still its own, so a
 * process that lost a job (it hung past its lease) records nothing more. Jobs come from the queue engine when there
 * is one, else straight from the store.
 */
export class JobService {
  private readonly store: JobRecords;
  private readonly events: JobEvents;
  private readonly running = new Map<string, RunHandle>();
  /** Shared store: the claim attempt this process holds per running job. */
  private readonly attempts = new Map<string, number>();
  private readonly shared: SharedJobs | undefined;
  private maintenance: NodeJS.Timeout | undefined;
  private unlisten: (() => void) | undefined;
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
    this.shared = options.shared;
    mkdirSync(options.jobsDir, { recursive: true });
  }

  /**
   * Picks up where the last process stopped: a job that was running resumes from its last completed epoch (or ends
   * `cancelled` when a cancel was pending, or `failed` with code `interrupted` when its data is gone); then the
   * queue starts moving.
   */
  async start(): Promise<void> {
    if (this.shared) return this.startShared(this.shared);
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
      ...(this.shared ? { claim: unclaimed() } : {}),
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
    // With a shared store another process may have claimed it already: read it back, so status and position agree.
    const wire = this.shared ? await this.retrieve(id) : await this.toWire(job);
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

  /**
   * Stops running workers without changing their jobs: the next start resumes them from their checkpoints. With a
   * shared store the jobs are handed back, so another process resumes them at once.
   */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.maintenance);
    this.unlisten?.();
    const handles = [...this.running.values()];
    this.running.clear();
    await Promise.all(handles.map((h) => h.stop()));
    await this.pumping;
    // What runs reported before they stopped (a deploy included) is recorded before the store closes.
    while (this.chains.size > 0) await Promise.all([...this.chains.values()]);
    const shared = this.shared;
    if (shared) {
      await Promise.all(
        [...this.attempts].map(([id, attempt]) =>
          this.transition(id, release(shared.worker, attempt)).catch((err: unknown) =>
            this.options.log?.error({ err, job: id }, 'handing a job back failed; it resumes when its lease ends'),
          ),
        ),
      );
      this.attempts.clear();
      await shared.queue?.close();
    }
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
    if (this.shared) return this.pumpShared(this.shared);
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

  // ---- shared store ----------------------------------------------------------------------------------------------

  /** Listens for other processes' job writes, and renews, reaps and polls every third of the lease. */
  private async startShared(shared: SharedJobs): Promise<void> {
    this.unlisten = shared.store.onJob((notice) => this.onNotice(notice));
    const resync = shared.store.onResync(() => this.schedulePump());
    const unlisten = this.unlisten;
    this.unlisten = () => {
      unlisten();
      resync();
    };
    this.maintenance = setInterval(() => {
      this.maintain(shared).catch((err: unknown) => this.options.log?.error({ err }, 'renewing job leases failed'));
    }, shared.leaseMs / 3);
    this.maintenance.unref();
    this.schedulePump();
  }

  private onNotice(notice: JobNotice): void {
    if (notice.status === 'running' && notice.cancelRequested) this.running.get(notice.jobId)?.requestCancel();
    // A job that needs a process: new, handed back, or taken from a process that stopped.
    if (notice.worker === null && (notice.status === 'queued' || notice.status === 'running')) this.schedulePump();
  }

  /** Renews this process's leases (dropping runs whose job was taken over), reaps expired ones, polls for work. */
  private async maintain(shared: SharedJobs): Promise<void> {
    if (this.closed) return;
    const now = this.now().getTime();
    for (const [id, attempt] of this.attempts) {
      const renewed = await this.transition(id, renew(shared.worker, attempt, now, shared.leaseMs));
      if (renewed?.cancelRequested) this.running.get(id)?.requestCancel();
      if (!renewed && this.attempts.get(id) === attempt && this.running.has(id)) await this.lost(id);
    }
    // With a queue, an expired claim goes back to it (the queue picks the next process); without one, the pump
    // below claims it directly.
    if (shared.queue) {
      for (const job of await this.store.withStatus('running')) await this.transition(job.id, reap(now));
    }
    this.schedulePump();
  }

  /** The job was taken over elsewhere (this process hung past its lease): stop the run, record nothing more. */
  private async lost(id: string): Promise<void> {
    const handle = this.running.get(id);
    this.running.delete(id);
    this.attempts.delete(id);
    this.options.log?.warn?.({ job: id }, 'another process took over this job; stopping its run here');
    await handle?.stop();
    this.schedulePump();
  }

  /** Claims jobs while slots are free: from the queue engine when there is one, else oldest first from the store. */
  private async pumpShared(shared: SharedJobs): Promise<void> {
    while (!this.closed && this.running.size < this.options.maxConcurrentJobs) {
      let claimed: JobRecord | undefined;
      if (shared.queue) {
        const entry = await shared.queue.take();
        if (!entry) return;
        claimed = await this.claim(shared, entry.jobId);
        await entry.ack();
        if (!claimed) continue;
      } else {
        const now = this.now().getTime();
        const candidates = [
          ...(await this.store.withStatus('queued')),
          ...(await this.store.withStatus('running')).filter((job) => claimable(job, now)),
        ];
        for (const next of candidates) {
          claimed = await this.claim(shared, next.id);
          if (claimed) break;
        }
        if (!claimed) return;
      }
      if (this.closed) return;
      await this.begin(shared, claimed);
    }
  }

  private async claim(shared: SharedJobs, id: string): Promise<JobRecord | undefined> {
    const now = this.now();
    const job = await this.transition(id, claim(shared.worker, now.getTime(), shared.leaseMs, now.toISOString()));
    if (job?.claim) this.attempts.set(id, job.claim.attempt);
    return job;
  }

  /** Runs a job just claimed: from its checkpoint when it ran before (read now: the claim fences out the last holder). */
  private async begin(shared: SharedJobs, job: JobRecord): Promise<void> {
    const id = job.id;
    if (job.cancelRequested) {
      await this.cancelled(id);
      this.attempts.delete(id);
      return;
    }
    const missing = [job.data.train, job.data.validation].find((f) => f && !existsSync(f.path));
    if (missing) {
      await this.fail(id, {
        code: 'interrupted',
        message: `The job's copy of its data is gone (${missing.path}); is --data-dir shared by every process? Create the job again`,
      });
      this.attempts.delete(id);
      return;
    }
    const checkpoint = (await this.store.loadCheckpoint(id)) ?? null;
    // Where it runs, for whoever follows the job (and which process to look at when it misbehaves).
    const resumed = job.claim!.attempt > 1 || checkpoint;
    const from = checkpoint ? `epoch ${checkpoint.epoch}` : 'the start';
    const message = resumed ? `Resuming from ${from} in ${shared.worker}` : `Running in ${shared.worker}`;
    await this.fenced(id, () => ({ events: [{ type: 'message', message }] }));
    this.launch(job, checkpoint);
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
            if (this.shared) await this.fenced(id, () => ({ events: [{ type: 'message', message: text }] }));
            else await this.events.append(id, { type: 'message', message: text });
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
    await this.fenced(id, (job) => {
      job.metrics = metrics;
      return { events: [{ type: 'metrics', metrics }], checkpoint };
    });
  }

  private async onFinished(id: string, result: { onnx: Uint8Array; description: string }): Promise<void> {
    const job = await this.require(id);
    const attempt = this.attempts.get(id);
    if (this.shared && (attempt === undefined || !holds(job, this.shared.worker, attempt))) return this.lost(id);
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
      this.fenced(id, (j) => {
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
      // A job taken over elsewhere (see `lost`) keeps its data: its new holder reads it.
      if (!this.shared || this.attempts.has(id))
        rmSync(join(this.options.jobsDir, id), { recursive: true, force: true });
      this.attempts.delete(id);
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
    const job = await this.fenced(id, (j) => {
      if (isTerminal(j.status) || (onlyFrom !== undefined && j.status !== onlyFrom)) return undefined;
      j.status = status;
      j.finished_at = this.now().toISOString();
      return { ...change(j), checkpoint: null };
    });
    if (job) rmSync(join(this.options.jobsDir, id), { recursive: true, force: true });
    return job;
  }

  /**
   * A transition by the holder of a run: with a shared store, written only while this process's claim is the job's
   * claim (a job taken over elsewhere is `lost` here instead). Other writes, and every write with one process, are
   * plain transitions.
   */
  private async fenced(id: string, change: (job: JobRecord) => JobChange | undefined): Promise<JobRecord | undefined> {
    const shared = this.shared;
    const attempt = this.attempts.get(id);
    if (!shared || attempt === undefined) return this.transition(id, change);
    let taken = false;
    const job = await this.transition(id, (j) => {
      if (holds(j, shared.worker, attempt)) return change(j);
      taken = true;
      return undefined;
    });
    if (taken && this.attempts.get(id) === attempt) await this.lost(id);
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
