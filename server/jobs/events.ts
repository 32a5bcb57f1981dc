import type { EventDraft, TrainingJobEvent } from '../store/records.js';
import type { JobRecords } from '../store/store.js';

export type EventListener = (event: TrainingJobEvent) => void;

/** Who asked for a job: the trace of the request that created it (for the logs; not part of the events). */
export interface JobOrigin {
  traceId?: string | undefined;
}

/** Sees every event of every job as it is published (metrics, logs); `origin` only when the job is created. */
export type EventObserver = (jobId: string, events: readonly TrainingJobEvent[], origin?: JobOrigin) => void;

/**
 * A job's event log: persisted first (ids increase per job), then handed to live subscribers of this process.
 * Readers that need both the backlog and live events subscribe first and drop ids they have already seen.
 */
export class JobEvents {
  private readonly listeners = new Map<string, Set<EventListener>>();
  private readonly observers: EventObserver[] = [];

  constructor(
    private readonly jobs: JobRecords,
    private readonly now: () => Date = () => new Date(),
  ) {}

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

  publish(jobId: string, events: readonly TrainingJobEvent[], origin?: JobOrigin): void {
    for (const observe of this.observers) observe(jobId, events, origin);
    const set = this.listeners.get(jobId);
    if (!set) return;
    for (const event of events) for (const listener of [...set]) listener(event);
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
      if (current.size === 0) this.listeners.delete(jobId);
    };
  }

  /** Subscriber count, for tests that check a disconnected stream cleaned up. */
  subscriberCount(jobId?: string): number {
    if (jobId !== undefined) return this.listeners.get(jobId)?.size ?? 0;
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }
}
