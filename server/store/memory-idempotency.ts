import type { IdempotencyRecord } from './records.js';
import type { IdempotencyRecords } from './store.js';

/** Idempotency-Key records in a Map (oldest evicted first beyond `maxEntries`): for servers composed without a database. */
export class MemoryIdempotencyStore implements IdempotencyRecords {
  private readonly records = new Map<string, IdempotencyRecord>();

  constructor(private readonly maxEntries = 10_000) {}

  async get(scope: string, key: string): Promise<IdempotencyRecord | undefined> {
    return this.records.get(`${scope}\u0000${key}`);
  }

  async put(scope: string, key: string, record: IdempotencyRecord): Promise<void> {
    const id = `${scope}\u0000${key}`;
    this.records.delete(id);
    this.records.set(id, record);
    while (this.records.size > this.maxEntries) {
      const oldest = this.records.keys().next().value;
      if (oldest === undefined) break;
      this.records.delete(oldest);
    }
  }

  async deleteBefore(createdAt: number): Promise<void> {
    for (const [id, record] of this.records) if (record.createdAt < createdAt) this.records.delete(id);
  }
}
