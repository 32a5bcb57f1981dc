import { type IdempotencyRecord, type IdempotencyStore, idempotencyTtlMs } from '../http/idempotency.js';
import type { JobStore } from './store.js';

/**
 * The HTTP layer's IdempotencyStore kept in SQLite, so a retried create after a restart still returns the first
 * result instead of creating a second dataset or job. Records older than the TTL are ignored and purged.
 */
export class SqliteIdempotencyStore implements IdempotencyStore {
  private lastPurge = 0;

  constructor(
    private readonly store: JobStore,
    private readonly ttlMs = idempotencyTtlMs,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: string): Promise<IdempotencyRecord | undefined> {
    const [scope, name] = split(key);
    const row = this.store.getIdempotency(scope, name);
    if (!row || this.now() - row.createdAt > this.ttlMs) return undefined;
    return { fingerprint: row.fingerprint, status: row.status, body: JSON.parse(row.body), createdAt: row.createdAt };
  }

  async set(key: string, record: IdempotencyRecord): Promise<void> {
    const [scope, name] = split(key);
    this.store.putIdempotency(scope, name, { ...record, body: JSON.stringify(record.body) });
    const now = this.now();
    if (now - this.lastPurge > 60_000) {
      this.lastPurge = now;
      this.store.deleteIdempotencyBefore(now - this.ttlMs);
    }
  }
}

/** Idempotency keys arrive as `scope\0key` (see server/http/idempotency.ts). */
function split(key: string): [string, string] {
  const i = key.indexOf('\u0000');
  return i === -1 ? ['', key] : [key.slice(0, i), key.slice(i + 1)];
}
