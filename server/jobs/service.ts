import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetService } from '../datasets/service.js';
import { ConflictError, InvalidParameterError, NotFoundError } from '../errors.js';
import { newId } from '../ids.js';
import {
  type Checkpoint,
  type EventDraft,
  type JobEvent,
  type JobKindName,
  type JobRecord,
  jobKind,
  type Page,
} from '../store/records.js';
import type { JobChange, JobNotice, JobRecords, SharedStore } from '../store/store.js';
import { claim, claimable, holds, reap, release, renew, unclaimed } from './claims.js';
import type { Deployer } from './deployer.js';
import type { JobEvents, JobOrigin } from './events.js';
import type { JobKind, Outcome } from './kind.js';
import type { JobQueue } from './queue.js';
import type { RunHandle, Runner } from './runner.js';
import { trainingKind } from './training-kind.js';
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
  /** Kinds besides training (optimisation), on the same queue and machinery. */
  kinds?: JobKind[];
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
 * Jobs of every kind (training, optimisation: kind.ts says what a kind adds) — one queue, one store table. Training: validates and queues them, runs up to maxConcurrentJobs at once through the runner, records every
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
  private readonly kinds = new Map<JobKindName, JobKind>();

  constructor(private readonly options: JobServiceOptions) {
    const training = trainingKind({
      datasets: options.datasets,
      runner: options.runner,
      deployer: options.deployer,
      ...(options.randomSeed ? { randomSeed: options.randomSeed } : {}),
    });
    for (const kind of [training, ...(options.kinds ?? [])]) this.kinds.set(kind.name, kind);
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
      const missing = this.kindOf(job)
        .files(job)
        .find((f) => !existsSync(f));
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
   * Validates the body (400 invalid_input; 404 dataset or model not found; 422 a spec that does not fit the data or
   * the model) and queues the job: a training job, or one of the `kind` given. `origin` (the creating request's
   * trace) goes to the event observers with the job's first events.
   */
  async create<T = TrainingJob>(body: unknown, kindName: JobKindName = 'training', origin?: JobOrigin): Promise<T> {
    const kind = this.kinds.get(kindName);
    if (!kind) throw new Error(`no ${kindName} jobs in this server`);
    const createdAt = this.now();
    const id = newId('job', createdAt.getTime());
    const dir = join(this.options.jobsDir, id);
    let events: JobEvent[];
    let job: JobRecord;
    try {
      const prepared = await kind.prepare(body, { id, createdAt: createdAt.toISOString(), dir });
      job = { ...prepared.record, ...(this.shared ? { claim: unclaimed() } : {}) };
      // What spec resolution chose from the data, right after `queued`: visible before the job even starts.
      const drafts: EventDraft[] = [
        { type: 'status', status: 'queued', ...(origin?.traceId ? { trace_id: origin.traceId } : {}) },
      ];
      for (const message of prepared.notes) drafts.push({ type: 'message', message });
      events = await this.store.insert(job, drafts, this.events.timestamp());
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    this.events.publish(id, events, origin);
    // With a shared store another process may have claimed it already: read it back, so status and position agree.
    const wire = this.shared ? await this.retrieve(id, kindName) : await this.toWire(job);
    this.schedulePump();
    return wire as T;
  }

  /** The job as the API shows it; 404 unless it is a job of `kind` (default training). */
  async retrieve<T = TrainingJob>(id: string, kind: JobKindName = 'training'): Promise<T> {
    return (await this.toWire(await this.require(id, kind))) as T;
  }

  /** Newest first, of one kind, optionally one status; `after` must be a job id an earlier page ended with. */
  async list<T = TrainingJob>(query: {
    limit: number;
    after?: string;
    status?: string;
    kind?: JobKindName;
  }): Promise<Page<T>> {
    const kind = query.kind ?? 'training';
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
      kind,
    });
    const queue = await this.queueOrder();
    return { items: page.items.map((job) => this.wire(job, queue) as T), hasMore: page.hasMore };
  }

  /**
   * A queued job is cancelled at once; a running one is asked to stop at its next batch boundary and keeps
   * showing `running` until it has. A job that ended is a 409 invalid_job_state.
   */
  async cancel<T = TrainingJob>(id: string, kind: JobKindName = 'training'): Promise<T> {
    const job = await this.require(id, kind);
    if (isTerminal(job.status)) throw notCancellable(job);
    if (job.status === 'queued' && (await this.cancelled(id, 'queued'))) {
      this.schedulePump();
      return this.retrieve<T>(id, kind);
    }
    const asked = await this.transition(id, (j) => {
      if (j.status !== 'running' || j.cancelRequested) return undefined;
      j.cancelRequested = true;
      return { events: [] };
    });
    if (asked) this.running.get(id)?.requestCancel();
    const now = await this.require(id);
    if (isTerminal(now.status) && now.status !== 'cancelled') throw notCancellable(now);
    return (await this.toWire(now)) as T;
  }

  /** Events with id > after, at most `limit`, and whether more follow. */
  async listEvents(id: string, after: number, limit: number, kind: JobKindName = 'training'): Promise<Page<JobEvent>> {
    await this.require(id, kind);
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

  /** The stored job, or 404 job_not_found (also when it is a job of another kind than `kind`, when given). */
  async require(id: string, kind?: JobKindName): Promise<JobRecord> {
    const job = await this.store.get(id);
    if (!job || (kind !== undefined && jobKind(job) !== kind)) {
      throw new NotFoundError(
        'job_not_found',
        `${this.kinds.get(kind ?? 'training')?.noun ?? 'Job'} '${id}' not found`,
      );
    }
    return job;
  }

  private kindOf(job: JobRecord): JobKind {
    const kind = this.kinds.get(jobKind(job));
    if (!kind) throw new Error(`job ${job.id} is a ${jobKind(job)} job, which this process does not run`);
    return kind;
  }

  private wire(job: JobRecord, queue: readonly string[]): unknown {
    const position = job.status === 'queued' ? queue.indexOf(job.id) : -1;
    return this.kindOf(job).wire(job, position >= 0 ? position : null);
  }

  private async toWire(job: JobRecord): Promise<unknown> {
    return this.wire(job, job.status === 'queued' ? await this.queueOrder() : []);
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
        .catch((err: unknown) => this.options.log?.error({ err }, 'starting queued jobs failed'))
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
    const missing = this.kindOf(job)
      .files(job)
      .find((f) => !existsSync(f));
    if (missing) {
      await this.fail(id, {
        code: 'interrupted',
        message: `The job's copy of its data is gone (${missing}); is --data-dir shared by every process? Create the job again`,
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
    const progress = 'recording job progress failed';
    const handle = this.kindOf(job).start(job, checkpoint, {
      epoch: (metrics, cp) => this.serial(id, progress, () => this.onEpoch(id, metrics, cp)),
      stage: (stage) =>
        this.serial(id, progress, () =>
          this.fenced(id, (j) => {
            (j as { stage?: string }).stage = stage;
            return { events: [{ type: 'stage', stage: stage as EventDraft['stage'] }] };
          }),
        ),
      message: (text) =>
        this.serial(id, progress, async () => {
          if (this.shared) await this.fenced(id, () => ({ events: [{ type: 'message', message: text }] }));
          else await this.events.append(id, { type: 'message', message: text });
        }),
      finished: (result) => this.serial(id, 'publishing a job result failed', () => this.onFinished(id, result)),
      cancelled: () => this.serial(id, 'recording a cancel failed', () => this.ended(id, () => this.cancelled(id))),
      failed: (error) =>
        this.serial(id, 'recording a failure failed', () => this.ended(id, () => this.fail(id, error))),
    });
    this.running.set(id, handle);
    if (job.cancelRequested) handle.requestCancel();
  }

  private async onEpoch(id: string, metrics: EpochMetrics, checkpoint: Checkpoint | null): Promise<void> {
    await this.fenced(id, (job) => {
      if ('metrics' in job) job.metrics = metrics;
      return { events: [{ type: 'metrics', metrics }], ...(checkpoint ? { checkpoint } : {}) };
    });
  }

  private async onFinished(id: string, result: unknown): Promise<void> {
    const job = await this.require(id);
    const attempt = this.attempts.get(id);
    if (this.shared && (attempt === undefined || !holds(job, this.shared.worker, attempt))) return this.lost(id);
    if (job.cancelRequested) return this.ended(id, () => this.cancelled(id));
    let outcome: Outcome;
    try {
      outcome = await this.kindOf(job).finish(job, result);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return this.ended(id, () =>
        this.fail(id, { code: 'deploy_failed', message: `Deploying the model failed: ${message}` }),
      );
    }
    await this.ended(id, () =>
      this.fenced(id, (j) => {
        if (isTerminal(j.status)) return undefined;
        j.status = outcome.status;
        j.finished_at = this.now().toISOString();
        Object.assign(j, outcome.set);
        if (outcome.error) j.error = outcome.error;
        const status: EventDraft = { type: 'status', status: outcome.status };
        if (outcome.error) status.message = outcome.error.message;
        return { events: [...outcome.events, status], checkpoint: null };
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

function notCancellable(job: JobRecord): ConflictError {
  return new ConflictError(
    'invalid_job_state',
    `Job ${job.id} is ${job.status}; only queued or running jobs can be cancelled`,
  );
}
