// How processes on one PostgreSQL database hear of each other (LISTEN/NOTIFY on one dedicated connection, which
// reconnects by itself) and agree (advisory locks, each on its own short-lived connection so a waiting lock never
// holds a pooled one, and a process that dies releases its locks with its connection).
import type { Client, ClientConfig } from 'pg';
import type { JobNotice, SharedStore } from '../store.js';
import { parseJobNotice } from './jobs.js';
import { JOB_CHANNEL, type Pool, TOPIC_CHANNEL } from './sql.js';

export interface SharedOptions {
  newClient(config: ClientConfig): Client;
  config: ClientConfig;
  pool: Pool;
  onError(err: unknown): void;
}

export class PostgresShared implements SharedStore {
  private readonly jobListeners = new Set<(notice: JobNotice) => void>();
  private readonly topicListeners = new Map<string, Set<(detail: string) => void>>();
  private readonly resyncListeners = new Set<() => void>();
  private listener: Client | undefined;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(private readonly options: SharedOptions) {}

  /** Connects the listening connection; resolves once LISTEN is in place (nothing committed after is missed). */
  async start(): Promise<void> {
    const client = this.options.newClient(this.options.config);
    client.on('notification', (message) => this.dispatch(message.channel, message.payload ?? ''));
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    await client.connect();
    await client.query(`LISTEN ${JOB_CHANNEL}; LISTEN ${TOPIC_CHANNEL}`);
    this.listener = client;
  }

  onJob(listener: (notice: JobNotice) => void): () => void {
    this.jobListeners.add(listener);
    return () => this.jobListeners.delete(listener);
  }

  async publish(topic: string, detail: string): Promise<void> {
    await this.options.pool.query('SELECT pg_notify($1, $2)', [TOPIC_CHANNEL, JSON.stringify({ t: topic, d: detail })]);
  }

  subscribe(topic: string, listener: (detail: string) => void): () => void {
    let set = this.topicListeners.get(topic);
    if (!set) this.topicListeners.set(topic, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const client = this.options.newClient(this.options.config);
    client.on('error', () => {}); // a dropped lock connection surfaces as the failed query below
    await client.connect();
    try {
      await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [key]);
      return await fn();
    } finally {
      await client.end().catch(() => {}); // ending the session releases the lock
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    const client = this.listener;
    this.listener = undefined;
    await client?.end().catch(() => {});
  }

  private dispatch(channel: string, payload: string): void {
    if (channel === JOB_CHANNEL) {
      const notice = parseJobNotice(payload);
      if (notice) for (const listener of [...this.jobListeners]) this.safely(() => listener(notice));
      return;
    }
    let message: { t?: unknown; d?: unknown };
    try {
      message = JSON.parse(payload);
    } catch {
      return;
    }
    if (typeof message.t !== 'string' || typeof message.d !== 'string') return;
    const detail = message.d;
    for (const listener of [...(this.topicListeners.get(message.t) ?? [])]) this.safely(() => listener(detail));
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.options.onError(err);
    }
  }

  /** The listening connection went away: reconnect with backoff, then tell everyone to catch up. */
  private lost(client: Client, err?: unknown, delayMs = 500): void {
    if (this.closed || (this.listener !== client && this.listener !== undefined)) return;
    this.listener = undefined;
    if (err) this.options.onError(err);
    client.end().catch(() => {});
    this.retry = setTimeout(() => {
      this.start().then(
        () => {
          for (const listener of [...this.resyncListeners]) this.safely(listener);
        },
        (retryError: unknown) => this.lost(client, retryError, Math.min(delayMs * 2, 10_000)),
      );
    }, delayMs);
    this.retry.unref();
  }
}
