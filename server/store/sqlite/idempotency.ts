import type Database from 'better-sqlite3';
import type { IdempotencyRecord } from '../records.js';
import type { IdempotencyRecords } from '../store.js';

/** Idempotency-Key records in SQLite: a retried create after a restart still finds the first result. */
export class SqliteIdempotencyRecords implements IdempotencyRecords {
  private readonly s;

  constructor(db: Database.Database) {
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      get: p(
        'SELECT fingerprint, status, body, created_at AS createdAt FROM idempotency_keys WHERE scope = ? AND key = ?',
      ),
      put: p(
        'INSERT OR REPLACE INTO idempotency_keys (scope, key, fingerprint, status, body, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      deleteBefore: p('DELETE FROM idempotency_keys WHERE created_at < ?'),
    };
  }

  async get(scope: string, key: string): Promise<IdempotencyRecord | undefined> {
    const row = this.s.get.get(scope, key) as (Omit<IdempotencyRecord, 'body'> & { body: string }) | undefined;
    return row && { ...row, body: JSON.parse(row.body) };
  }

  async put(scope: string, key: string, record: IdempotencyRecord): Promise<void> {
    this.s.put.run(scope, key, record.fingerprint, record.status, JSON.stringify(record.body), record.createdAt);
  }

  async deleteBefore(createdAt: number): Promise<void> {
    this.s.deleteBefore.run(createdAt);
  }
}
