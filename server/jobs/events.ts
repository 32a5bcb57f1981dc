import type { JobStore } from './store.js';
import type { EventDraft, TrainingJobEvent } from './types.js';

export type EventListener = (event: TrainingJobEvent) => void;

/**
 * A job's event log: persisted first (ids increase per job), then handed to live subscribers. Everything runs on
 * the main thread, so reading the backlog and subscribing in the same tick cannot miss or repeat an event.
 */
export class JobEvents {
  private readonly listeners = new Map<string, Set<EventListener>>();

  constructor(
    private readonly store: JobStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Persists and publishes one event. */
  append(jobId: string, draft: EventDraft): TrainingJobEvent {
    const event = this.record(jobId, draft);
    this.publish(jobId, event);
    return event;
  }

  /** Persists only: for use inside a transaction; publish the event once it has committed. */
  record(jobId: string, draft: EventDraft): TrainingJobEvent {
    return this.store.appendEvent(jobId, draft, this.now().toISOString());
  }

  publish(jobId: string, event: TrainingJobEvent): void {
    const set = this.listeners.get(jobId);
    if (set) for (const listener of [...set]) listener(event);
  }

  list(jobId: string, after: number, limit: number): TrainingJobEvent[] {
    return this.store.listEvents(jobId, after, limit);
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
