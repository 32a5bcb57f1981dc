import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { SharedStore, Store } from '../store/store.js';
import { openPgBossQueue } from './pg-boss-queue.js';
import type { JobQueue } from './queue.js';

/** How a process takes part when several share the store: it claims jobs with a lease that fences a run's writes. */
export interface SharedJobs {
  store: SharedStore;
  /** This process, as recorded in the claims it holds. */
  worker: string;
  /** How long a claim lasts unrenewed; renewed every third of it. */
  leaseMs: number;
  /** Jobs come from this queue engine; without one, this process claims queued jobs from the store itself. */
  queue?: JobQueue;
}

/** This process in job claims and logs: host (the pod name on Kubernetes), pid, and a random tag. */
export const processName = (): string => `${hostname()}/${process.pid}/${randomBytes(3).toString('hex')}`;

/**
 * How this process takes part in running jobs when the store is shared (undefined with SQLite): leases of
 * `jobLease` seconds, and jobs from pg-boss when `queue` is set (validated by the settings to be the store's
 * database), else claimed from the store directly.
 */
export async function sharedJobs(
  settings: { queue: string | null; jobLease: number },
  store: Store,
  onError: (err: unknown) => void,
): Promise<SharedJobs | undefined> {
  if (!store.shared) return undefined;
  const base = { store: store.shared, worker: processName(), leaseMs: settings.jobLease * 1000 };
  if (!settings.queue) return base;
  if (store.kind !== 'postgres') throw new Error(`--queue needs the PostgreSQL store, not ${store.kind}`);
  return { ...base, queue: await openPgBossQueue(store as Parameters<typeof openPgBossQueue>[0], { onError }) };
}
