import type { IdempotencyRecord } from '../records.js';
import type { IdempotencyRecords, SharedStore } from '../store.js';
import type { Pool } from './sql.js';

/** Idempotency-Key records in PostgreSQL: a retry sent to another replica still finds the first result. */
export class PostgresIdempotencyRecords implements IdempotencyRecords {
  constructor(
    private readonly pool: Pool,
    private readonly shared: SharedStore,
  ) {}

  async get(scope: string, key: string): Promise<IdempotencyRecord | undefined> {
    const { rows } = await this.pool.query<Omit<IdempotencyRecord, 'createdAt'> & { createdAt: string }>(
      `SELECT fingerprint, status, body, created_at AS "createdAt" FROM maas.idempotency_keys
        WHERE scope = $1 AND key = $2`,
      [scope, key],
    );
    const row = rows[0];
    return row && { ...row, createdAt: Number(row.createdAt) };
  }

  exclusive<T>(scope: string, key: string, fn: () => Promise<T>): Promise<T> {
    return this.shared.withLock(`idempotency:${scope}:${key}`, fn);
  }

  async put(scope: string, key: string, record: IdempotencyRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO maas.idempotency_keys (scope, key, fingerprint, status, body, created_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (scope, key) DO UPDATE
         SET fingerprint = EXCLUDED.fingerprint, status = EXCLUDED.status, body = EXCLUDED.body,
             created_at = EXCLUDED.created_at`,
      [scope, key, record.fingerprint, record.status, JSON.stringify(record.body), record.createdAt],
    );
  }

  async deleteBefore(createdAt: number): Promise<void> {
    await this.pool.query('DELETE FROM maas.idempotency_keys WHERE created_at < $1', [createdAt]);
  }
}
