import { ConflictError } from './errors.js';
import type { IdempotencyRecords } from './store/store.js';

export const idempotencyTtlMs = 24 * 60 * 60 * 1000;

export interface IdempotentResult<T> {
  status: number;
  body: T;
  /** True when this is the stored result of an earlier request. */
  replayed: boolean;
}

export interface IdempotencyOptions {
  ttlMs?: number;
  now?: () => number;
}

/**
 * Runs create calls at most once per key: the same key and fingerprint return the first successful result (for
 * 24 h); the same key with another fingerprint is a 409 idempotency_conflict. Concurrent requests with one key run
 * one at a time, in this process and (when the records offer `exclusive`) in every process sharing them. Failures are not stored, so a retry after an error runs again. Records older than the TTL are
 * ignored, and purged at most once a minute.
 */
export class Idempotency {
  private readonly inProgress = new Map<string, Promise<unknown>>();
  private readonly ttlMs: number;
  private readonly now: () => number;
  private lastPurge = 0;

  constructor(
    private readonly records: IdempotencyRecords,
    options: IdempotencyOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? idempotencyTtlMs;
    this.now = options.now ?? Date.now;
  }

  async run<T>(
    scope: string,
    key: string | undefined,
    fingerprint: string,
    execute: () => Promise<{ status: number; body: T }>,
  ): Promise<IdempotentResult<T>> {
    if (key === undefined) return { ...(await execute()), replayed: false };
    const id = `${scope}\u0000${key}`;
    for (;;) {
      const running = this.inProgress.get(id);
      if (!running) break;
      await running.catch(() => {});
    }
    // Across processes sharing the records (replicas on one database), the store serialises the key too.
    const exclusive = this.records.exclusive?.bind(this.records);
    const attempt = exclusive
      ? exclusive(scope, key, () => this.attempt<T>(scope, key, fingerprint, execute))
      : this.attempt<T>(scope, key, fingerprint, execute);
    this.inProgress.set(id, attempt);
    try {
      return await attempt;
    } finally {
      if (this.inProgress.get(id) === attempt) this.inProgress.delete(id);
    }
  }

  private async attempt<T>(
    scope: string,
    key: string,
    fingerprint: string,
    execute: () => Promise<{ status: number; body: T }>,
  ): Promise<IdempotentResult<T>> {
    const found = await this.records.get(scope, key);
    const previous = found && this.now() - found.createdAt <= this.ttlMs ? found : undefined;
    if (previous) {
      if (previous.fingerprint !== fingerprint) {
        throw new ConflictError(
          'idempotency_conflict',
          `Idempotency-Key '${key}' was already used with a different request; use a new key for a new request`,
        );
      }
      return { status: previous.status, body: previous.body as T, replayed: true };
    }
    const result = await execute();
    if (result.status >= 200 && result.status < 300) {
      const now = this.now();
      await this.records.put(scope, key, { fingerprint, status: result.status, body: result.body, createdAt: now });
      if (now - this.lastPurge > 60_000) {
        this.lastPurge = now;
        await this.records.deleteBefore(now - this.ttlMs);
      }
    }
    return { ...result, replayed: false };
  }
}
