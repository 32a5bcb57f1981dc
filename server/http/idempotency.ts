import { createHash } from 'node:crypto';
import { ConflictError, InvalidParameterError } from '../errors.js';

/** A create call's stored outcome under its Idempotency-Key. */
export interface IdempotencyRecord {
  /** sha256 of what identifies the request (path, query, body): another request under the same key is a 409. */
  fingerprint: string;
  status: number;
  body: unknown;
  /** ms since the epoch. */
  createdAt: number;
}

/** Where records live. The in-memory one is below; a persistent one only has to implement these two calls. */
export interface IdempotencyStore {
  get(key: string): Promise<IdempotencyRecord | undefined>;
  set(key: string, record: IdempotencyRecord): Promise<void>;
}

export const idempotencyTtlMs = 24 * 60 * 60 * 1000;

/** Records kept in a Map for 24 h (oldest evicted first beyond `maxEntries`). */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly records = new Map<string, IdempotencyRecord>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {}) {
    this.ttlMs = options.ttlMs ?? idempotencyTtlMs;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  async get(key: string): Promise<IdempotencyRecord | undefined> {
    const record = this.records.get(key);
    if (record && this.now() - record.createdAt > this.ttlMs) {
      this.records.delete(key);
      return undefined;
    }
    return record;
  }

  async set(key: string, record: IdempotencyRecord): Promise<void> {
    this.records.delete(key);
    this.records.set(key, record);
    while (this.records.size > this.maxEntries) {
      const oldest = this.records.keys().next().value;
      if (oldest === undefined) break;
      this.records.delete(oldest);
    }
  }
}

/** sha256 over the parts that make two requests "the same" (e.g. method + path + query, then the body bytes). */
export function requestFingerprint(parts: ReadonlyArray<string | Uint8Array>): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    hash.update(typeof part === 'string' ? Buffer.from(part, 'utf8') : part);
    hash.update('\u0000');
  }
  return hash.digest('hex');
}

/** The `Idempotency-Key` header, validated (1–255 printable characters), or undefined when absent. */
export function idempotencyKeyFrom(headers: Record<string, string | string[] | undefined>): string | undefined {
  const raw = headers['idempotency-key'];
  if (raw === undefined) return undefined;
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (key === undefined || key.length < 1 || key.length > 255 || !/^[\x20-\x7e]+$/.test(key)) {
    throw new InvalidParameterError('Idempotency-Key header', '1 to 255 printable ASCII characters', key);
  }
  return key;
}

export interface IdempotentResult<T> {
  status: number;
  body: T;
  /** True when this is the stored result of an earlier request. */
  replayed: boolean;
}

/**
 * Runs create calls at most once per key: the same key and fingerprint return the first successful result; the
 * same key with another fingerprint is a 409 idempotency_conflict. Concurrent requests with one key run one at a
 * time. Failures are not stored, so a retry after an error runs again.
 */
export class Idempotency {
  private readonly inProgress = new Map<string, Promise<unknown>>();

  constructor(private readonly store: () => IdempotencyStore) {}

  async run<T>(
    scope: string,
    key: string | undefined,
    fingerprint: string,
    execute: () => Promise<{ status: number; body: T }>,
  ): Promise<IdempotentResult<T>> {
    if (key === undefined) return { ...(await execute()), replayed: false };
    const storeKey = `${scope}\u0000${key}`;
    for (;;) {
      const running = this.inProgress.get(storeKey);
      if (!running) break;
      await running.catch(() => {});
    }
    const attempt = this.attempt<T>(storeKey, key, fingerprint, execute);
    this.inProgress.set(storeKey, attempt);
    try {
      return await attempt;
    } finally {
      if (this.inProgress.get(storeKey) === attempt) this.inProgress.delete(storeKey);
    }
  }

  private async attempt<T>(
    storeKey: string,
    key: string,
    fingerprint: string,
    execute: () => Promise<{ status: number; body: T }>,
  ): Promise<IdempotentResult<T>> {
    const store = this.store();
    const previous = await store.get(storeKey);
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
      await store.set(storeKey, { fingerprint, status: result.status, body: result.body, createdAt: Date.now() });
    }
    return { ...result, replayed: false };
  }
}
