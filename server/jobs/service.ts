// The job API (create, retrieve, list, cancel, events) for every kind of job, and the one object callers hold.
// Which jobs run and when is scheduler.ts's; a run and what it records is runs.ts's: JobService builds both and
// hands start/close to the scheduler, so app.ts and worker-app.ts wire one service as before the split.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetService } from '../datasets/service.js';
import { ConflictError, InvalidParameterError } from '../errors.js';
import { newId } from '../ids.js';
import type { EventDraft, JobEvent, JobKindName, JobRecord, Page } from '../store/records.js';
import type { JobRecords } from '../store/store.js';
import { unclaimed } from './claims.js';
import type { Deployer } from './deployer.js';
import type { JobEvents, JobOrigin } from './events.js';
import type { JobKind } from './kind.js';
import type { Runner } from './runner.js';
import { type JobLog, JobRuns } from './runs.js';
import { JobScheduler } from './scheduler.js';
import type { SharedJobs } from './shared-jobs.js';
import { trainingKind } from './training-kind.js';
import { isTerminal, type TrainingJob, type TrainingJobStatus } from './types.js';

export type { SharedJobs } from './shared-jobs.js';

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
  log?: JobLog;
  /** Kinds besides training (optimisation), on the same queue and machinery. */
  kinds?: JobKind[];
  /** Several processes share the store: jobs are claimed with a lease, and every write of a run is fenced by it. */
  shared?: SharedJobs;
}

/**
 * Jobs of every kind (training, optimisation: kind.ts says what a kind adds) — one queue, one store table. Validates
 * and queues them, and answers for them; up to maxConcurrentJobs run at once (scheduler.ts), every status change,
 * epoch and message recorded as an event and the result deployed (runs.ts). A restart (even after SIGKILL) finds
 * every job where it was: `start` resumes running jobs from their last checkpoint.
 */
export class JobService {
  private readonly store: JobRecords;
  private readonly events: JobEvents;
  private readonly shared: SharedJobs | undefined;
  private readonly now: () => Date;
  private readonly kinds = new Map<JobKindName, JobKind>();
  private readonly runs: JobRuns;
  private readonly scheduler: JobScheduler;

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
    const common = { store: this.store, events: this.events, now: this.now, shared: this.shared, log: options.log };
    this.runs = new JobRuns({
      ...common,
      kinds: this.kinds,
      jobsDir: options.jobsDir,
      freed: () => this.scheduler.schedulePump(),
    });
    this.scheduler = new JobScheduler({ ...common, runs: this.runs, maxConcurrentJobs: options.maxConcurrentJobs });
    mkdirSync(options.jobsDir, { recursive: true });
  }

  /** Resumes the jobs the last process left running, then starts the queue moving (see JobScheduler.start). */
  start(): Promise<void> {
    return this.scheduler.start();
  }

  /**
   * Stops running workers without changing their jobs: the next start resumes them from their checkpoints. With a
   * shared store the jobs are handed back, so another process resumes them at once.
   */
  close(): Promise<void> {
    return this.scheduler.close();
  }

  /** Jobs running in this process right now. */
  get runningCount(): number {
    return this.runs.size;
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
    this.scheduler.schedulePump();
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
    if (job.status === 'queued' && (await this.runs.cancelled(id, 'queued'))) {
      this.scheduler.schedulePump();
      return this.retrieve<T>(id, kind);
    }
    const asked = await this.runs.transition(id, (j) => {
      if (j.status !== 'running' || j.cancelRequested) return undefined;
      j.cancelRequested = true;
      return { events: [] };
    });
    if (asked) this.runs.requestCancel(id);
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

  /** The stored job, or 404 job_not_found (also when it is a job of another kind than `kind`, when given). */
  require(id: string, kind?: JobKindName): Promise<JobRecord> {
    return this.runs.require(id, kind);
  }

  private wire(job: JobRecord, queue: readonly string[]): unknown {
    const position = job.status === 'queued' ? queue.indexOf(job.id) : -1;
    return this.runs.kindOf(job).wire(job, position >= 0 ? position : null);
  }

  private async toWire(job: JobRecord): Promise<unknown> {
    return this.wire(job, job.status === 'queued' ? await this.queueOrder() : []);
  }

  private async queueOrder(): Promise<string[]> {
    return (await this.store.withStatus('queued')).map((j) => j.id);
  }
}

function notCancellable(job: JobRecord): ConflictError {
  return new ConflictError(
    'invalid_job_state',
    `Job ${job.id} is ${job.status}; only queued or running jobs can be cancelled`,
  );
}
