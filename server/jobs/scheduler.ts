// Which jobs run in this process, and when: resuming after a restart, starting queued jobs while slots are free,
// and (with a shared store) claims, leases and other processes' notices. The runs themselves are runs.ts's; the API
// (service.ts) only asks for a pump after it queued or cancelled a job.
import { existsSync } from 'node:fs';
import type { JobRecord } from '../store/records.js';
import type { JobNotice, JobRecords } from '../store/store.js';
import { claim, claimable, reap, release, renew } from './claims.js';
import type { JobEvents } from './events.js';
import type { JobLog, JobRuns } from './runs.js';
import type { SharedJobs } from './shared-jobs.js';

export interface JobSchedulerOptions {
  store: JobRecords;
  events: JobEvents;
  runs: JobRuns;
  maxConcurrentJobs: number;
  now: () => Date;
  shared: SharedJobs | undefined;
  log: JobLog | undefined;
}

/**
 * Everything a job goes through is persisted before it is published, so a restart (even after SIGKILL) finds every
 * job where it was: `start` resumes running jobs from their last checkpoint. With a shared store, any number of
 * processes do this on one database: a process claims a job (compare-and-set) with a lease it renews while the job
 * runs; a job whose lease runs out (its process died) is resumed by another from its last checkpoint. Jobs come from
 * the queue engine when there is one, else straight from the store.
 */
export class JobScheduler {
  private readonly store: JobRecords;
  private readonly runs: JobRuns;
  private readonly shared: SharedJobs | undefined;
  private maintenance: NodeJS.Timeout | undefined;
  private unlisten: (() => void) | undefined;
  private pumpScheduled = false;
  private pumping: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: JobSchedulerOptions) {
    this.store = options.store;
    this.runs = options.runs;
    this.shared = options.shared;
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
        await this.runs.cancelled(job.id);
        continue;
      }
      if (this.missingFile(job)) {
        await this.runs.fail(job.id, {
          code: 'interrupted',
          message:
            'The server stopped while the job was running, and its copy of the data is gone; create the job again',
        });
        continue;
      }
      const checkpoint = (await this.store.loadCheckpoint(job.id)) ?? null;
      const from = checkpoint ? `epoch ${checkpoint.epoch}` : 'the start';
      await this.options.events.append(job.id, {
        type: 'message',
        message: `The server restarted; resuming from ${from}`,
      });
      this.runs.launch(job, checkpoint);
    }
    this.schedulePump();
  }

  /**
   * Stops running workers without changing their jobs: the next start resumes them from their checkpoints. With a
   * shared store the jobs are handed back, so another process resumes them at once.
   */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.maintenance);
    this.unlisten?.();
    await this.runs.stopAll();
    await this.pumping;
    // What runs reported before they stopped (a deploy included) is recorded before the store closes.
    await this.runs.settled();
    const shared = this.shared;
    if (shared) {
      await Promise.all(
        [...this.runs.attempts].map(([id, attempt]) =>
          this.runs
            .transition(id, release(shared.worker, attempt))
            .catch((err: unknown) =>
              this.options.log?.error({ err, job: id }, 'handing a job back failed; it resumes when its lease ends'),
            ),
        ),
      );
      this.runs.attempts.clear();
      await shared.queue?.close();
    }
  }

  /** Looks for work once the current request has answered (with the job as created: queued). */
  schedulePump(): void {
    if (this.pumpScheduled || this.closed) return;
    this.pumpScheduled = true;
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
    while (!this.closed && this.runs.size < this.options.maxConcurrentJobs) {
      const queued = await this.store.withStatus('queued');
      let started: JobRecord | undefined;
      for (const next of queued) {
        started = await this.runs.transition(next.id, (job) => {
          if (job.status !== 'queued') return undefined;
          job.status = 'running';
          job.started_at = this.options.now().toISOString();
          return { events: [{ type: 'status', status: 'running' }] };
        });
        if (started) break;
      }
      if (!started || this.closed) return;
      this.runs.launch(started, null);
    }
  }

  /** A file the job's run reads that is gone (its copy of the data): such a run cannot start. */
  private missingFile(job: JobRecord): string | undefined {
    return this.runs
      .kindOf(job)
      .files(job)
      .find((f) => !existsSync(f));
  }

  // ---- shared store ----------------------------------------------------------------------------------------------

  /** Listens for other processes' job writes, and renews, reaps and polls every third of the lease. */
  private async startShared(shared: SharedJobs): Promise<void> {
    const unlisten = shared.store.onJob((notice) => this.onNotice(notice));
    const resync = shared.store.onResync(() => this.schedulePump());
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
    if (notice.status === 'running' && notice.cancelRequested) this.runs.requestCancel(notice.jobId);
    // A job that needs a process: new, handed back, or taken from a process that stopped.
    if (notice.worker === null && (notice.status === 'queued' || notice.status === 'running')) this.schedulePump();
  }

  /** Renews this process's leases (dropping runs whose job was taken over), reaps expired ones, polls for work. */
  private async maintain(shared: SharedJobs): Promise<void> {
    if (this.closed) return;
    const now = this.options.now().getTime();
    for (const [id, attempt] of this.runs.attempts) {
      const renewed = await this.runs.transition(id, renew(shared.worker, attempt, now, shared.leaseMs));
      if (renewed?.cancelRequested) this.runs.requestCancel(id);
      if (!renewed && this.runs.attempts.get(id) === attempt && this.runs.isRunning(id)) await this.runs.lost(id);
    }
    // With a queue, an expired claim goes back to it (the queue picks the next process); without one, the pump
    // below claims it directly.
    if (shared.queue) {
      for (const job of await this.store.withStatus('running')) await this.runs.transition(job.id, reap(now));
    }
    this.schedulePump();
  }

  /** Claims jobs while slots are free: from the queue engine when there is one, else oldest first from the store. */
  private async pumpShared(shared: SharedJobs): Promise<void> {
    while (!this.closed && this.runs.size < this.options.maxConcurrentJobs) {
      let claimed: JobRecord | undefined;
      if (shared.queue) {
        const entry = await shared.queue.take();
        if (!entry) return;
        claimed = await this.claim(shared, entry.jobId);
        await entry.ack();
        if (!claimed) continue;
      } else {
        const now = this.options.now().getTime();
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
    const now = this.options.now();
    const job = await this.runs.transition(id, claim(shared.worker, now.getTime(), shared.leaseMs, now.toISOString()));
    if (job?.claim) this.runs.attempts.set(id, job.claim.attempt);
    return job;
  }

  /** Runs a job just claimed: from its checkpoint when it ran before (read now: the claim fences out the last holder). */
  private async begin(shared: SharedJobs, job: JobRecord): Promise<void> {
    const id = job.id;
    if (job.cancelRequested) {
      await this.runs.cancelled(id);
      this.runs.attempts.delete(id);
      return;
    }
    const missing = this.missingFile(job);
    if (missing) {
      await this.runs.fail(id, {
        code: 'interrupted',
        message: `The job's copy of its data is gone (${missing}); is --data-dir shared by every process? Create the job again`,
      });
      this.runs.attempts.delete(id);
      return;
    }
    const checkpoint = (await this.store.loadCheckpoint(id)) ?? null;
    // Where it runs, for whoever follows the job (and which process to look at when it misbehaves).
    const resumed = job.claim!.attempt > 1 || checkpoint;
    const from = checkpoint ? `epoch ${checkpoint.epoch}` : 'the start';
    const message = resumed ? `Resuming from ${from} in ${shared.worker}` : `Running in ${shared.worker}`;
    await this.runs.fenced(id, () => ({ events: [{ type: 'message', message }] }));
    this.runs.launch(job, checkpoint);
  }
}
