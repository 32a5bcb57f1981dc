import type Database from 'better-sqlite3';
import {
  type Checkpoint,
  type EventDraft,
  eventObject,
  type JobEvent,
  type JobKindName,
  type JobRecord,
  jobKind,
  type Page,
  type PageQuery,
  type TrainingJobStatus,
} from '../records.js';
import type { JobChange, JobRecords } from '../store.js';
import { cursorSeq, pageOf } from './paging.js';

type Body = { body: string };
const parse = <T>(rows: Body[]): T[] => rows.map((r) => JSON.parse(r.body) as T);

/** Jobs, their event logs and checkpoints in SQLite; one better-sqlite3 transaction per multi-row change. */
export class SqliteJobRecords implements JobRecords {
  private readonly s;

  constructor(private readonly db: Database.Database) {
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      insert: p('INSERT INTO jobs (id, status, kind, body) VALUES (?, ?, ?, ?)'),
      get: p('SELECT body FROM jobs WHERE id = ?'),
      kind: p('SELECT kind FROM jobs WHERE id = ?'),
      seq: p('SELECT seq FROM jobs WHERE id = ?'),
      // A null status or kind matches every one.
      list: p(
        `SELECT body FROM jobs WHERE seq < @before AND (@status IS NULL OR status = @status)
           AND (@kind IS NULL OR kind = @kind) ORDER BY seq DESC LIMIT @limit`,
      ),
      withStatus: p('SELECT body FROM jobs WHERE status = ? ORDER BY seq ASC'),
      update: p('UPDATE jobs SET status = ?, body = ? WHERE id = ?'),
      lastEventId: p('SELECT MAX(id) AS id FROM events WHERE job_id = ?'),
      insertEvent: p('INSERT INTO events (job_id, id, body) VALUES (?, ?, ?)'),
      listEvents: p('SELECT body FROM events WHERE job_id = ? AND id > ? ORDER BY id ASC LIMIT ?'),
      saveCheckpoint: p('INSERT OR REPLACE INTO checkpoints (job_id, epoch, state) VALUES (?, ?, ?)'),
      loadCheckpoint: p('SELECT epoch, state FROM checkpoints WHERE job_id = ?'),
      deleteCheckpoint: p('DELETE FROM checkpoints WHERE job_id = ?'),
    };
  }

  async insert(job: JobRecord, events: EventDraft[], createdAt: string): Promise<JobEvent[]> {
    return this.db.transaction(() => {
      this.s.insert.run(job.id, job.status, jobKind(job), JSON.stringify(job));
      return this.append(job.id, jobKind(job), events, createdAt);
    })();
  }

  async get(id: string): Promise<JobRecord | undefined> {
    return this.read(id);
  }

  async list(query: PageQuery & { status?: TrainingJobStatus; kind?: JobKindName }): Promise<Page<JobRecord>> {
    const rows = this.s.list.all({
      before: cursorSeq(this.s.seq, query.after),
      status: query.status ?? null,
      kind: query.kind ?? null,
      limit: query.limit + 1,
    }) as Body[];
    return pageOf(parse<JobRecord>(rows), query.limit);
  }

  async withStatus(status: TrainingJobStatus): Promise<JobRecord[]> {
    return parse<JobRecord>(this.s.withStatus.all(status) as Body[]);
  }

  async isCursor(id: string): Promise<boolean> {
    return this.s.seq.get(id) !== undefined;
  }

  async update(
    id: string,
    change: (job: JobRecord) => JobChange | undefined,
    createdAt: string,
  ): Promise<{ job: JobRecord; events: JobEvent[] } | undefined> {
    return this.db.transaction(() => {
      const job = this.read(id);
      if (!job) return undefined;
      const outcome = change(job);
      if (!outcome) return undefined;
      this.s.update.run(job.status, JSON.stringify(job), id);
      if (outcome.checkpoint === null) this.s.deleteCheckpoint.run(id);
      else if (outcome.checkpoint)
        this.s.saveCheckpoint.run(id, outcome.checkpoint.epoch, Buffer.from(outcome.checkpoint.state));
      return { job, events: this.append(id, jobKind(job), outcome.events, createdAt) };
    })();
  }

  async appendEvents(jobId: string, drafts: EventDraft[], createdAt: string): Promise<JobEvent[]> {
    return this.db.transaction(() => {
      const row = this.s.kind.get(jobId) as { kind: JobKindName } | undefined;
      return this.append(jobId, row?.kind ?? 'training', drafts, createdAt);
    })();
  }

  async listEvents(jobId: string, after: number, limit: number): Promise<JobEvent[]> {
    return parse<JobEvent>(this.s.listEvents.all(jobId, after, limit) as Body[]);
  }

  async loadCheckpoint(jobId: string): Promise<Checkpoint | undefined> {
    const row = this.s.loadCheckpoint.get(jobId) as { epoch: number; state: Buffer } | undefined;
    return row && { epoch: row.epoch, state: new Uint8Array(row.state) };
  }

  private read(id: string): JobRecord | undefined {
    const row = this.s.get.get(id) as Body | undefined;
    return row && (JSON.parse(row.body) as JobRecord);
  }

  /** Inside a transaction. */
  private append(jobId: string, kind: JobKindName, drafts: EventDraft[], createdAt: string): JobEvent[] {
    let last = (this.s.lastEventId.get(jobId) as { id: number | null }).id ?? 0;
    return drafts.map((draft) => {
      const event: JobEvent = { id: ++last, object: eventObject(kind), created_at: createdAt, ...draft };
      this.s.insertEvent.run(jobId, event.id, JSON.stringify(event));
      return event;
    });
  }
}
