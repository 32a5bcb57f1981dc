// What the record classes share: the pool type, one transaction helper, and the notification channels.
import type { Pool, PoolClient } from 'pg';

export type { Pool, PoolClient };

/** Job writes (payload: a JobNotice, compact) and topic messages (payload: { t: topic, d: detail }). */
export const JOB_CHANNEL = 'maas_jobs';
export const TOPIC_CHANNEL = 'maas_topics';

/** Runs `fn` in one transaction on one pooled connection: COMMIT when it resolves, ROLLBACK when it throws. */
export async function transaction<T>(pool: Pool, fn: (tx: PoolClient) => Promise<T>): Promise<T> {
  const tx = await pool.connect();
  let broken: Error | undefined;
  try {
    await tx.query('BEGIN');
    const out = await fn(tx);
    await tx.query('COMMIT');
    return out;
  } catch (err) {
    await tx.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError; // the connection is unusable: drop it from the pool
    });
    throw err;
  } finally {
    tx.release(broken);
  }
}

/** `postgres://user:secret@host/db` → `postgres://user@host/db`: what logs and error messages may show. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString().replace(/:@/, '@');
  } catch {
    return 'the --database URL';
  }
}
