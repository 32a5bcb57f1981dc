import type { EventDraft, TrainingJobEvent } from '../store/records.js';
import type { JobNotice, JobRecords, SharedStore } from '../store/store.js';

export type EventListener = (event: TrainingJobEvent) => void;

/** Who asked for a job: the trace of the request that created it (for the logs; not part of the events). */
export interface JobOrigin {
  traceId?: string | undefined;
}

/**
 * Sees every event this process records, as it publishes them (metrics, logs); `origin` only when the job is
 * created. Events another process records (with a shared store) are that process's to observe.
 */
export type EventObserver = (jobId: string, events: readonly TrainingJobEvent[], origin?: JobOrigin) => void;

/**
 * A job's event log: persisted first (ids increase per job), then handed to live subscribers of this process.
 * Readers that need both the backlog and live events subscribe first and drop ids they have already seen.
 *
 * With a shared store (several processes on one database) the job may run in another process: subscribers then
 * get every job's events from the store's notices instead — each committed write of any process announces the
 * event ids it recorded, in commit order, and this process reads the events after the last one it delivered. One
 * path for local and remote events keeps them in order and without gaps.
 */
export class JobEvents {
  private readonly listeners = new Map<string, Set<EventListener>>();
  /** Shared store only: per job with subscribers, the last event id delivered to them. */
  private readonly delivered = new Map<string, number>();
  /** Shared store only: per job, the catch-up read in progress (one at a time, so events stay in order). */
  private readonly reading = new Map<string, Promise<void>>();
  private readonly observers: EventObserver[] = [];

  constructor(
    private readonly jobs: JobRecords,
    private readonly now: () => Date = () => new Date(),
    private readonly shared?: SharedStore,
  ) {
    shared?.onJob((notice) => this.onNotice(notice));
    shared?.onResync(() => {
      for (const jobId of this.delivered.keys()) this.catchUp(jobId);
    });
  }

  /** Persists and publishes events. */
  async append(jobId: string, ...drafts: EventDraft[]): Promise<TrainingJobEvent[]> {
    const events = await this.jobs.appendEvents(jobId, drafts, this.timestamp());
    this.publish(jobId, events);
    return events;
  }

  /** The time stamp for events recorded now (inside a store transaction; publish once it has committed). */
  timestamp(): string {
    return this.now().toISOString();
  }

  /**
   * Hands committed events to the observers and this process's subscribers (with a shared store, the store's notice
   * reaches the subscribers).
   */
  publish(jobId: string, events: readonly TrainingJobEvent[], origin?: JobOrigin): void {
    for (const observe of this.observers) observe(jobId, events, origin);
    if (this.shared) return;
    this.deliver(jobId, events);
  }

  list(jobId: string, after: number, limit: number): Promise<TrainingJobEvent[]> {
    return this.jobs.listEvents(jobId, after, limit);
  }

  /** Adds an observer of every job's events (it must not throw). */
  observe(observer: EventObserver): void {
    this.observers.push(observer);
  }

  /** Live events of one job from now on; returns the unsubscribe function (idempotent). */
  subscribe(jobId: string, listener: EventListener): () => void {
    let set = this.listeners.get(jobId);
    if (!set) this.listeners.set(jobId, (set = new Set()));
    set.add(listener);
    return () => {
      const current = this.listeners.get(jobId);
      if (!current) return;
      current.delete(listener);
      if (current.size > 0) return;
      this.listeners.delete(jobId);
      this.delivered.delete(jobId);
    };
  }

  /** Subscriber count, for tests that check a disconnected stream cleaned up. */
  subscriberCount(jobId?: string): number {
    if (jobId !== undefined) return this.listeners.get(jobId)?.size ?? 0;
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }

  private deliver(jobId: string, events: readonly TrainingJobEvent[]): void {
    const set = this.listeners.get(jobId);
    if (!set) return;
    for (const event of events) for (const listener of [...set]) listener(event);
  }

  private onNotice(notice: JobNotice): void {
    if (!notice.events || !this.listeners.has(notice.jobId)) return;
    // The first notice after subscribing says where to start: notices arrive in commit order, and whatever
    // committed before the subscription is in the backlog the subscriber reads (it drops ids it has seen).
    if (!this.delivered.has(notice.jobId)) this.delivered.set(notice.jobId, notice.events.first - 1);
    if ((this.delivered.get(notice.jobId) ?? 0) < notice.events.last) this.catchUp(notice.jobId);
  }

  /** Reads and delivers the job's events after the last one delivered; one read per job at a time. */
  private catchUp(jobId: string): void {
    const previous = this.reading.get(jobId) ?? Promise.resolve();
    const next = previous.then(async () => {
      for (;;) {
        const after = this.delivered.get(jobId);
        if (after === undefined) return; // nobody listens any more
        const page = await this.jobs.listEvents(jobId, after, 500);
        if (this.delivered.get(jobId) === undefined) return;
        const fresh = page.filter((e) => e.id > (this.delivered.get(jobId) ?? 0));
        if (fresh.length > 0) this.delivered.set(jobId, fresh[fresh.length - 1]!.id);
        this.deliver(jobId, fresh);
        if (page.length < 500) return;
      }
    });
    const settled = next.catch(() => {}); // a failed read is retried by the next notice
    this.reading.set(jobId, settled);
    void settled.then(() => {
      if (this.reading.get(jobId) === settled) this.reading.delete(jobId);
    });
  }
}
