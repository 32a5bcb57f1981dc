// The distributed queue (`--queue postgres://…`): pg-boss, in its own schema of the store's PostgreSQL database.
// A queue entry is written in the same transaction as the job change that needs a process (a new job, or one taken
// from a process that stopped), so no job is stored without its entry nor the other way round. Delivery is at
// least once (pg-boss re-delivers an entry whose taker died before acknowledging it); the store's claim makes
// running a job happen once. The only pg-boss import.
import type PgBoss from 'pg-boss';
import { importPeer } from '../peers.js';
import type { PostgresStore } from '../store/postgres/index.js';
import { needsWorker } from './claims.js';
import type { JobQueue } from './queue.js';

type PgBossConstructor = typeof PgBoss;
let loaded: Promise<PgBossConstructor> | undefined;

/** pg-boss is an optional peer of `maas`: loaded on first use, with a MissingPeerError saying how to add it. */
export function loadPgBoss(): Promise<PgBossConstructor> {
  loaded ??= importPeer(
    'pg-boss',
    async () => ((await import('pg-boss')) as { default: PgBossConstructor }).default,
  ).catch((err) => {
    loaded = undefined;
    throw err;
  });
  return loaded;
}

export const TRAINING_QUEUE = 'maas-training';

export interface PgBossQueueOptions {
  onError?: (err: unknown) => void;
  /** Seconds pg-boss waits for an entry taken but not acknowledged before handing it out again (default 30). */
  redeliverAfter?: number;
}

/** Starts pg-boss (creating or migrating its schema), creates the training queue, and hooks it into job writes. */
export async function openPgBossQueue(store: PostgresStore, options: PgBossQueueOptions = {}): Promise<JobQueue> {
  const Boss = await loadPgBoss();
  const redeliverAfter = options.redeliverAfter ?? 30;
  const boss = new Boss({
    connectionString: store.url,
    schema: 'pgboss',
    application_name: 'maas-queue',
    max: 3,
    schedule: false,
    supervise: true,
    maintenanceIntervalSeconds: redeliverAfter,
  });
  boss.on('error', options.onError ?? (() => {}));
  // Replicas starting at once would each create or migrate pg-boss's schema and its queue table: seen to fail with
  // "deadlock detected". One at a time, under a session advisory lock of the database.
  await store.shared.withLock('maas-pg-boss-start', async () => {
    await boss.start();
    // One waiting entry per job at most (`short` with the job id as the key): handing a job back twice is harmless.
    await boss.createQueue(TRAINING_QUEUE, {
      name: TRAINING_QUEUE,
      policy: 'short',
      retryLimit: 100,
      retryDelay: 1,
      expireInSeconds: redeliverAfter,
    });
  });
  store.jobs.addWriteHook(async (tx, job, previous) => {
    if (!needsWorker(job, previous)) return;
    await boss.send(
      TRAINING_QUEUE,
      { job: job.id },
      {
        singletonKey: job.id,
        // A job being resumed goes before the ones that have not started.
        priority: previous ? 1 : 0,
        db: { executeSql: (text: string, values: unknown[]) => tx.query(text, values) },
      },
    );
  });
  return {
    async take() {
      const [entry] = await boss.fetch<{ job: string }>(TRAINING_QUEUE, { batchSize: 1 });
      if (!entry) return undefined;
      return {
        jobId: entry.data.job,
        ack: async () => {
          await boss.complete(TRAINING_QUEUE, entry.id);
        },
      };
    },
    depth: () => boss.getQueueSize(TRAINING_QUEUE),
    close: () => boss.stop({ graceful: false, wait: true }),
  };
}
