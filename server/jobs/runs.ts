// The runs of jobs in this process and every write they make: one store transaction per change, its events
// published after. Split from the scheduler (scheduler.ts, which picks what runs) and the API (service.ts), which
// both change jobs through the helpers here, so a change is recorded and fenced the same way wherever it starts.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { NotFoundError } from '../errors.js';
import { type Checkpoint, type EventDraft, type JobKindName, type JobRecord, jobKind } from '../store/records.js';
import type { JobChange, JobRecords } from '../store/store.js';
import { holds } from './claims.js';
import type { JobEvents } from './events.js';
import type { JobKind, Outcome } from './kind.js';
import type { RunHandle } from './runner.js';
import type { SharedJobs } from './shared-jobs.js';
import { type EpochMetrics, isTerminal, type JobError, type TrainingJobStatus } from './types.js';

/** Where the job machinery reports what it cannot record (it must not take the server down). */
export interface JobLog {
  error(obj: unknown, msg?: string): void;
  warn?(obj: unknown, msg?: string): void;
}

export interface JobRunsOptions {
  store: JobRecords;
  events: JobEvents;
  kinds: ReadonlyMap<JobKindName, JobKind>;
  jobsDir: string;
  now: () => Date;
  shared: SharedJobs | undefined;
  log: JobLog | undefined;
  /** A slot was freed (a run ended or was lost): the scheduler looks for the next job. */
  freed: () => void;
}

/**
 * Starts runs, records what each reports in the order it reported it, ends them (deploying the result), and frees
 * their slot. With a shared store every write of a run is fenced by this process's claim: a job taken over
 * elsewhere is `lost` here and records nothing more.
 */
export class JobRuns {
  private readonly running = new Map<string, RunHandle>();
  /** Shared store: the claim attempt this process holds per running job. */
  readonly attempts = new Map<string, number>();
  /** Per job, the tail of its recording work: progress is written in the order the run reported it. */
  private readonly chains = new Map<string, Promise<void>>();
  /** The epoch write waiting last in each job's chain, which later epochs join (see epochArrived). */
  private readonly pendingEpochs = new Map<string, { metrics: EpochMetrics[]; checkpoint: Checkpoint | null }>();

  constructor(private readonly options: JobRunsOptions) {}

  /** Jobs running in this process right now. */
  get size(): number {
    return this.running.size;
  }

  isRunning(id: string): boolean {
    return this.running.has(id);
  }

  /** Asks a run in this process to stop at its next batch boundary (no-op when it does not run here). */
  requestCancel(id: string): void {
    this.running.get(id)?.requestCancel();
  }

  /** The stored job, or 404 job_not_found (also when it is a job of another kind than `kind`, when given). */
  async require(id: string, kind?: JobKindName): Promise<JobRecord> {
    const job = await this.options.store.get(id);
    if (!job || (kind !== undefined && jobKind(job) !== kind)) {
      throw new NotFoundError(
        'job_not_found',
        `${this.options.kinds.get(kind ?? 'training')?.noun ?? 'Job'} '${id}' not found`,
      );
    }
    return job;
  }

  kindOf(job: JobRecord): JobKind {
    const kind = this.options.kinds.get(jobKind(job));
    if (!kind) throw new Error(`job ${job.id} is a ${jobKind(job)} job, which this process does not run`);
    return kind;
  }

  launch(job: JobRecord, checkpoint: Checkpoint | null): void {
    const id = job.id;
    const progress = 'recording job progress failed';
    const handle = this.kindOf(job).start(job, checkpoint, {
      epoch: (metrics, cp) => this.epochArrived(id, metrics, cp, progress),
      stage: (stage) =>
        this.serial(id, progress, () =>
          this.fenced(id, (j) => {
            (j as { stage?: string }).stage = stage;
            return { events: [{ type: 'stage', stage: stage as EventDraft['stage'] }] };
          }),
        ),
      message: (text) =>
        this.serial(id, progress, async () => {
          if (this.options.shared) await this.fenced(id, () => ({ events: [{ type: 'message', message: text }] }));
          else await this.options.events.append(id, { type: 'message', message: text });
        }),
      finished: (result) => this.serial(id, 'publishing a job result failed', () => this.onFinished(id, result)),
      cancelled: () => this.serial(id, 'recording a cancel failed', () => this.ended(id, () => this.cancelled(id))),
      failed: (error) =>
        this.serial(id, 'recording a failure failed', () => this.ended(id, () => this.fail(id, error))),
    });
    this.running.set(id, handle);
    if (job.cancelRequested) handle.requestCancel();
  }

  /** The job was taken over elsewhere (this process hung past its lease): stop the run, record nothing more. */
  async lost(id: string): Promise<void> {
    const handle = this.running.get(id);
    this.running.delete(id);
    this.attempts.delete(id);
    this.options.log?.warn?.({ job: id }, 'another process took over this job; stopping its run here');
    await handle?.stop();
    this.options.freed();
  }

  /** Shutdown: ends every run at once without changing its job (it stays resumable from its checkpoint). */
  async stopAll(): Promise<void> {
    const handles = [...this.running.values()];
    this.running.clear();
    await Promise.all(handles.map((h) => h.stop()));
  }

  /** Resolves once what runs reported (a deploy included) is recorded. */
  async settled(): Promise<void> {
    while (this.chains.size > 0) await Promise.all([...this.chains.values()]);
  }

  /** Ends the job `cancelled` (only from `onlyFrom` when given); true when this call ended it. */
  async cancelled(id: string, onlyFrom?: TrainingJobStatus): Promise<boolean> {
    const ended = await this.end(id, 'cancelled', onlyFrom, () => ({
      events: [{ type: 'status', status: 'cancelled' }],
    }));
    return ended !== undefined;
  }

  async fail(id: string, error: JobError): Promise<void> {
    await this.end(id, 'failed', undefined, (job) => {
      job.error = error;
      return { events: [{ type: 'status', status: 'failed', message: error.message }] };
    });
  }

  /**
   * A transition by the holder of a run: with a shared store, written only while this process's claim is the job's
   * claim (a job taken over elsewhere is `lost` here instead). Other writes, and every write with one process, are
   * plain transitions.
   */
  async fenced(id: string, change: (job: JobRecord) => JobChange | undefined): Promise<JobRecord | undefined> {
    const shared = this.options.shared;
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
  async transition(id: string, change: (job: JobRecord) => JobChange | undefined): Promise<JobRecord | undefined> {
    const outcome = await this.options.store.update(id, change, this.options.events.timestamp());
    if (!outcome) return undefined;
    this.options.events.publish(id, outcome.events);
    return outcome.job;
  }

  /**
   * Epochs that arrive while the job's last write is still waiting its turn join that write: one transaction for
   * all their metrics events (every one kept, in order) and the latest checkpoint. A trainer faster than the store
   * (a small job on PostgreSQL, with two trainers and a replica on two cores) then costs a transaction per write
   * the store can take, not per epoch. Only the write last in the job's chain takes more epochs, so events stay in
   * the order they happened.
   */
  private epochArrived(id: string, metrics: EpochMetrics, checkpoint: Checkpoint | null, failure: string): void {
    const waiting = this.pendingEpochs.get(id);
    if (waiting) {
      waiting.metrics.push(metrics);
      if (checkpoint) waiting.checkpoint = checkpoint;
      return;
    }
    const batch = { metrics: [metrics], checkpoint };
    this.serial(id, failure, () => {
      if (this.pendingEpochs.get(id) === batch) this.pendingEpochs.delete(id);
      return this.onEpochs(id, batch.metrics, batch.checkpoint);
    });
    this.pendingEpochs.set(id, batch);
  }

  private async onEpochs(id: string, metrics: EpochMetrics[], checkpoint: Checkpoint | null): Promise<void> {
    await this.fenced(id, (job) => {
      if ('metrics' in job) job.metrics = metrics.at(-1)!;
      return {
        events: metrics.map((m) => ({ type: 'metrics' as const, metrics: m })),
        ...(checkpoint ? { checkpoint } : {}),
      };
    });
  }

  private async onFinished(id: string, result: unknown): Promise<void> {
    const job = await this.require(id);
    const attempt = this.attempts.get(id);
    const shared = this.options.shared;
    if (shared && (attempt === undefined || !holds(job, shared.worker, attempt))) return this.lost(id);
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
        j.finished_at = this.options.now().toISOString();
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
    this.pendingEpochs.delete(id); // later epochs go after this work, not into a write before it
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
      if (!this.options.shared || this.attempts.has(id)) this.dropData(id);
      this.attempts.delete(id);
      this.options.freed();
    }
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
      j.finished_at = this.options.now().toISOString();
      return { ...change(j), checkpoint: null };
    });
    if (job) this.dropData(id);
    return job;
  }

  /** The job's own copy of its data, `<jobsDir>/<id>/`: gone once the job ended here. */
  private dropData(id: string): void {
    rmSync(join(this.options.jobsDir, id), { recursive: true, force: true });
  }
}
