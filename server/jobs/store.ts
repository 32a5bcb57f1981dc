import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { importPeer } from '../peers.js';
import type {
  DatasetRecord,
  EventDraft,
  JobRecord,
  Page,
  PageQuery,
  TrainingJobEvent,
  TrainingJobStatus,
} from './types.js';

export interface Checkpoint {
  /** Epochs completed when the state was taken. */
  epoch: number;
  state: Uint8Array;
}

export interface IdempotencyRecord {
  /** Hash of what the request sent (method, path, body), to tell a replay from a different request. */
  fingerprint: string;
  status: number;
  body: string;
  createdAt: number;
}

/** Everything the job service and the dataset service persist. Synchronous: SQLite calls are microseconds. */
export interface JobStore {
  /** Runs fn in one transaction (nested calls join the outer one). */
  atomically<T>(fn: () => T): T;

  insertDataset(record: DatasetRecord): void;
  getDataset(id: string): DatasetRecord | undefined;
  /** Newest first. */
  listDatasets(query: PageQuery): Page<DatasetRecord>;
  /** Hides the dataset; its id stays known as a page cursor. */
  deleteDataset(id: string): boolean;
  /** Whether `id` was ever stored (deleted datasets included): the check for an `after` cursor. */
  hasCursor(table: 'jobs' | 'datasets', id: string): boolean;

  insertJob(job: JobRecord): void;
  getJob(id: string): JobRecord | undefined;
  /** Newest first. */
  listJobs(query: PageQuery & { status?: TrainingJobStatus }): Page<JobRecord>;
  /** Oldest first: the queue order. */
  jobsWithStatus(status: TrainingJobStatus): JobRecord[];
  updateJob(job: JobRecord): void;

  /** Numbers the event (last id + 1 for the job) and stores it. */
  appendEvent(jobId: string, draft: EventDraft, createdAt: string): TrainingJobEvent;
  /** Events with id > after, ascending, at most limit. */
  listEvents(jobId: string, after: number, limit: number): TrainingJobEvent[];

  saveCheckpoint(jobId: string, checkpoint: Checkpoint): void;
  loadCheckpoint(jobId: string): Checkpoint | undefined;
  deleteCheckpoint(jobId: string): void;

  getIdempotency(scope: string, key: string): IdempotencyRecord | undefined;
  /** Stores (or replaces) the record under scope + key. */
  putIdempotency(scope: string, key: string, record: IdempotencyRecord): void;
  deleteIdempotencyBefore(createdAt: number): void;

  close(): void;
}

/** Each entry moves the schema one version up; never edit a released one, append a new one. */
const migrations: readonly string[] = [
  `CREATE TABLE datasets (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     body TEXT NOT NULL,
     path TEXT NOT NULL,
     stats TEXT NOT NULL,
     deleted INTEGER NOT NULL DEFAULT 0
   );
   CREATE TABLE jobs (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     status TEXT NOT NULL,
     body TEXT NOT NULL
   );
   CREATE INDEX jobs_by_status ON jobs (status, seq);
   CREATE TABLE events (
     job_id TEXT NOT NULL,
     id INTEGER NOT NULL,
     body TEXT NOT NULL,
     PRIMARY KEY (job_id, id)
   ) WITHOUT ROWID;
   CREATE TABLE checkpoints (
     job_id TEXT PRIMARY KEY,
     epoch INTEGER NOT NULL,
     state BLOB NOT NULL
   );
   CREATE TABLE idempotency_keys (
     scope TEXT NOT NULL,
     key TEXT NOT NULL,
     fingerprint TEXT NOT NULL,
     status INTEGER NOT NULL,
     body TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     PRIMARY KEY (scope, key)
   ) WITHOUT ROWID;
   CREATE INDEX idempotency_by_age ON idempotency_keys (created_at);`,
];

export const SCHEMA_VERSION = migrations.length;

type DatabaseConstructor = typeof Database;
let sqlite: Promise<DatabaseConstructor> | undefined;

/** better-sqlite3 is an optional peer of `maas`: loaded on first use, with a MissingPeerError saying how to add it. */
function loadSqlite(): Promise<DatabaseConstructor> {
  sqlite ??= importPeer('better-sqlite3', async () => (await import('better-sqlite3')).default).catch((err) => {
    sqlite = undefined;
    throw err;
  });
  return sqlite;
}

/** Opens (creating and migrating as needed) the SQLite database at `file`; ':memory:' works for tests. */
export async function openSqliteStore(file: string): Promise<JobStore> {
  const Sqlite = await loadSqlite();
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Sqlite(file);
  // WAL + NORMAL: a committed transaction survives a process crash (SIGKILL); only an OS crash may lose the last ones.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return new SqliteJobStore(db);
}

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const row = db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined;
  const current = row?.version ?? 0;
  if (current > migrations.length) {
    throw new Error(
      `The database has schema version ${current}, newer than this maas understands (${migrations.length}); use a newer maas or another --data-dir`,
    );
  }
  db.transaction(() => {
    for (let v = current; v < migrations.length; v++) db.exec(migrations[v]!);
    if (row) db.prepare('UPDATE schema_version SET version = ?').run(migrations.length);
    else db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(migrations.length);
  })();
}

class SqliteJobStore implements JobStore {
  private readonly s;

  constructor(private readonly db: Database.Database) {
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      insertDataset: p('INSERT INTO datasets (id, body, path, stats) VALUES (?, ?, ?, ?)'),
      getDataset: p('SELECT body, path, stats FROM datasets WHERE id = ? AND deleted = 0'),
      // Deleted rows stay as tombstones so a page cursor naming one still knows where it was.
      datasetSeq: p('SELECT seq FROM datasets WHERE id = ?'),
      listDatasets: p('SELECT body, path, stats FROM datasets WHERE seq < ? AND deleted = 0 ORDER BY seq DESC LIMIT ?'),
      deleteDataset: p('UPDATE datasets SET deleted = 1 WHERE id = ? AND deleted = 0'),
      insertJob: p('INSERT INTO jobs (id, status, body) VALUES (?, ?, ?)'),
      getJob: p('SELECT body FROM jobs WHERE id = ?'),
      jobSeq: p('SELECT seq FROM jobs WHERE id = ?'),
      listJobs: p('SELECT body FROM jobs WHERE seq < ? ORDER BY seq DESC LIMIT ?'),
      listJobsByStatus: p('SELECT body FROM jobs WHERE seq < ? AND status = ? ORDER BY seq DESC LIMIT ?'),
      jobsWithStatus: p('SELECT body FROM jobs WHERE status = ? ORDER BY seq ASC'),
      updateJob: p('UPDATE jobs SET status = ?, body = ? WHERE id = ?'),
      lastEventId: p('SELECT MAX(id) AS id FROM events WHERE job_id = ?'),
      insertEvent: p('INSERT INTO events (job_id, id, body) VALUES (?, ?, ?)'),
      listEvents: p('SELECT body FROM events WHERE job_id = ? AND id > ? ORDER BY id ASC LIMIT ?'),
      saveCheckpoint: p('INSERT OR REPLACE INTO checkpoints (job_id, epoch, state) VALUES (?, ?, ?)'),
      loadCheckpoint: p('SELECT epoch, state FROM checkpoints WHERE job_id = ?'),
      deleteCheckpoint: p('DELETE FROM checkpoints WHERE job_id = ?'),
      getIdempotency: p(
        'SELECT fingerprint, status, body, created_at AS createdAt FROM idempotency_keys WHERE scope = ? AND key = ?',
      ),
      putIdempotency: p(
        'INSERT OR REPLACE INTO idempotency_keys (scope, key, fingerprint, status, body, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      deleteIdempotencyBefore: p('DELETE FROM idempotency_keys WHERE created_at < ?'),
    };
  }

  atomically<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  insertDataset(record: DatasetRecord): void {
    this.s.insertDataset.run(
      record.dataset.id,
      JSON.stringify(record.dataset),
      record.path,
      JSON.stringify(record.stats),
    );
  }

  getDataset(id: string): DatasetRecord | undefined {
    const row = this.s.getDataset.get(id) as DatasetRow | undefined;
    return row && datasetFromRow(row);
  }

  listDatasets(query: PageQuery): Page<DatasetRecord> {
    const before = this.cursorSeq('datasets', query.after);
    const rows = this.s.listDatasets.all(before, query.limit + 1) as DatasetRow[];
    return page(rows.map(datasetFromRow), query.limit);
  }

  deleteDataset(id: string): boolean {
    return this.s.deleteDataset.run(id).changes > 0;
  }

  insertJob(job: JobRecord): void {
    this.s.insertJob.run(job.id, job.status, JSON.stringify(job));
  }

  getJob(id: string): JobRecord | undefined {
    const row = this.s.getJob.get(id) as { body: string } | undefined;
    return row && (JSON.parse(row.body) as JobRecord);
  }

  listJobs(query: PageQuery & { status?: TrainingJobStatus }): Page<JobRecord> {
    const before = this.cursorSeq('jobs', query.after);
    const rows = (
      query.status
        ? this.s.listJobsByStatus.all(before, query.status, query.limit + 1)
        : this.s.listJobs.all(before, query.limit + 1)
    ) as { body: string }[];
    return page(
      rows.map((r) => JSON.parse(r.body) as JobRecord),
      query.limit,
    );
  }

  jobsWithStatus(status: TrainingJobStatus): JobRecord[] {
    const rows = this.s.jobsWithStatus.all(status) as { body: string }[];
    return rows.map((r) => JSON.parse(r.body) as JobRecord);
  }

  updateJob(job: JobRecord): void {
    this.s.updateJob.run(job.status, JSON.stringify(job), job.id);
  }

  appendEvent(jobId: string, draft: EventDraft, createdAt: string): TrainingJobEvent {
    return this.atomically(() => {
      const last = (this.s.lastEventId.get(jobId) as { id: number | null }).id ?? 0;
      const event: TrainingJobEvent = { id: last + 1, object: 'training_job.event', created_at: createdAt, ...draft };
      this.s.insertEvent.run(jobId, event.id, JSON.stringify(event));
      return event;
    });
  }

  listEvents(jobId: string, after: number, limit: number): TrainingJobEvent[] {
    const rows = this.s.listEvents.all(jobId, after, limit) as { body: string }[];
    return rows.map((r) => JSON.parse(r.body) as TrainingJobEvent);
  }

  saveCheckpoint(jobId: string, checkpoint: Checkpoint): void {
    this.s.saveCheckpoint.run(jobId, checkpoint.epoch, Buffer.from(checkpoint.state));
  }

  loadCheckpoint(jobId: string): Checkpoint | undefined {
    const row = this.s.loadCheckpoint.get(jobId) as { epoch: number; state: Buffer } | undefined;
    return row && { epoch: row.epoch, state: new Uint8Array(row.state) };
  }

  deleteCheckpoint(jobId: string): void {
    this.s.deleteCheckpoint.run(jobId);
  }

  getIdempotency(scope: string, key: string): IdempotencyRecord | undefined {
    return this.s.getIdempotency.get(scope, key) as IdempotencyRecord | undefined;
  }

  putIdempotency(scope: string, key: string, record: IdempotencyRecord): boolean {
    const info = this.s.putIdempotency.run(
      scope,
      key,
      record.fingerprint,
      record.status,
      record.body,
      record.createdAt,
    );
    return info.changes > 0;
  }

  deleteIdempotencyBefore(createdAt: number): void {
    this.s.deleteIdempotencyBefore.run(createdAt);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  hasCursor(table: 'jobs' | 'datasets', id: string): boolean {
    return (table === 'jobs' ? this.s.jobSeq : this.s.datasetSeq).get(id) !== undefined;
  }

  /** The seq below which the next page starts; an unknown cursor gives an empty page (callers check hasCursor). */
  private cursorSeq(table: 'jobs' | 'datasets', after: string | undefined): number {
    if (after === undefined) return Number.MAX_SAFE_INTEGER;
    const row = (table === 'jobs' ? this.s.jobSeq : this.s.datasetSeq).get(after) as { seq: number } | undefined;
    return row?.seq ?? 0;
  }
}

interface DatasetRow {
  body: string;
  path: string;
  stats: string;
}

function datasetFromRow(row: DatasetRow): DatasetRecord {
  return { dataset: JSON.parse(row.body), path: row.path, stats: JSON.parse(row.stats) };
}

function page<T>(rows: T[], limit: number): Page<T> {
  return { items: rows.slice(0, limit), hasMore: rows.length > limit };
}
