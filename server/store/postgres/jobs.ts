import type {
  Checkpoint,
  EventDraft,
  JobRecord,
  Page,
  PageQuery,
  TrainingJobEvent,
  TrainingJobStatus,
} from '../records.js';
import type { JobChange, JobNotice, JobRecords } from '../store.js';
import { pageOf } from './datasets.js';
import { JOB_CHANNEL, type Pool, type PoolClient, transaction } from './sql.js';

/**
 * Called inside the transaction of every job insert and update, after the job is written: what must commit
 * together with the job (a queue entry, say) is written here on `tx`. `previous` is undefined for an insert.
 */
export type JobWriteHook = (tx: PoolClient, job: JobRecord, previous: JobRecord | undefined) => Promise<void>;

/**
 * Jobs, their event logs and checkpoints in PostgreSQL. Every write of a job runs in one transaction holding the
 * job's row lock (`FOR UPDATE`), which makes `update` a compare-and-set across processes and numbers each job's
 * events one writer at a time; the transaction ends with a notice on `maas_jobs` that every process hears once
 * it has committed.
 */
export class PostgresJobRecords implements JobRecords {
  private readonly hooks: JobWriteHook[] = [];

  constructor(private readonly pool: Pool) {}

  /** Adds a hook run in every job write's transaction (see JobWriteHook). */
  addWriteHook(hook: JobWriteHook): void {
    this.hooks.push(hook);
  }

  insert(job: JobRecord, events: EventDraft[], createdAt: string): Promise<TrainingJobEvent[]> {
    return transaction(this.pool, async (tx) => {
      await tx.query('INSERT INTO maas.jobs (id, status, body) VALUES ($1, $2, $3)', [
        job.id,
        job.status,
        JSON.stringify(job),
      ]);
      const recorded = await this.append(tx, job.id, events, createdAt);
      for (const hook of this.hooks) await hook(tx, job, undefined);
      await notify(tx, job, recorded);
      return recorded;
    });
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const { rows } = await this.pool.query<{ body: JobRecord }>('SELECT body FROM maas.jobs WHERE id = $1', [id]);
    return rows[0]?.body;
  }

  async list(query: PageQuery & { status?: TrainingJobStatus }): Promise<Page<JobRecord>> {
    const { rows } = await this.pool.query<{ body: JobRecord }>(
      `SELECT body FROM maas.jobs
        WHERE ($1::text IS NULL OR seq < (SELECT seq FROM maas.jobs WHERE id = $1))
          AND ($2::text IS NULL OR status = $2)
        ORDER BY seq DESC LIMIT $3`,
      [query.after ?? null, query.status ?? null, query.limit + 1],
    );
    return pageOf(
      rows.map((r) => r.body),
      query.limit,
    );
  }

  async withStatus(status: TrainingJobStatus): Promise<JobRecord[]> {
    const { rows } = await this.pool.query<{ body: JobRecord }>(
      'SELECT body FROM maas.jobs WHERE status = $1 ORDER BY seq ASC',
      [status],
    );
    return rows.map((r) => r.body);
  }

  async isCursor(id: string): Promise<boolean> {
    const { rows } = await this.pool.query('SELECT 1 FROM maas.jobs WHERE id = $1', [id]);
    return rows.length > 0;
  }

  update(
    id: string,
    change: (job: JobRecord) => JobChange | undefined,
    createdAt: string,
  ): Promise<{ job: JobRecord; events: TrainingJobEvent[] } | undefined> {
    return transaction(this.pool, async (tx) => {
      const { rows } = await tx.query<{ body: JobRecord }>('SELECT body FROM maas.jobs WHERE id = $1 FOR UPDATE', [id]);
      const previous = rows[0]?.body;
      if (!previous) return undefined;
      const job = structuredClone(previous);
      const outcome = change(job);
      if (!outcome) return undefined;
      await tx.query('UPDATE maas.jobs SET status = $1, body = $2 WHERE id = $3', [
        job.status,
        JSON.stringify(job),
        id,
      ]);
      if (outcome.checkpoint === null) await tx.query('DELETE FROM maas.checkpoints WHERE job_id = $1', [id]);
      else if (outcome.checkpoint) {
        await tx.query(
          `INSERT INTO maas.checkpoints (job_id, epoch, state) VALUES ($1, $2, $3)
           ON CONFLICT (job_id) DO UPDATE SET epoch = EXCLUDED.epoch, state = EXCLUDED.state`,
          [id, outcome.checkpoint.epoch, Buffer.from(outcome.checkpoint.state)],
        );
      }
      const events = await this.append(tx, id, outcome.events, createdAt);
      for (const hook of this.hooks) await hook(tx, job, previous);
      await notify(tx, job, events);
      return { job, events };
    });
  }

  appendEvents(jobId: string, drafts: EventDraft[], createdAt: string): Promise<TrainingJobEvent[]> {
    return transaction(this.pool, async (tx) => {
      const { rows } = await tx.query<{ body: JobRecord }>('SELECT body FROM maas.jobs WHERE id = $1 FOR UPDATE', [
        jobId,
      ]);
      const events = await this.append(tx, jobId, drafts, createdAt);
      if (rows[0]) await notify(tx, rows[0].body, events);
      return events;
    });
  }

  async listEvents(jobId: string, after: number, limit: number): Promise<TrainingJobEvent[]> {
    const { rows } = await this.pool.query<{ body: TrainingJobEvent }>(
      'SELECT body FROM maas.events WHERE job_id = $1 AND id > $2 ORDER BY id ASC LIMIT $3',
      [jobId, after, limit],
    );
    return rows.map((r) => r.body);
  }

  async loadCheckpoint(jobId: string): Promise<Checkpoint | undefined> {
    const { rows } = await this.pool.query<{ epoch: number; state: Buffer }>(
      'SELECT epoch, state FROM maas.checkpoints WHERE job_id = $1',
      [jobId],
    );
    const row = rows[0];
    return row && { epoch: row.epoch, state: new Uint8Array(row.state) };
  }

  /** Inside a transaction that holds the job's row lock. */
  private async append(
    tx: PoolClient,
    jobId: string,
    drafts: EventDraft[],
    createdAt: string,
  ): Promise<TrainingJobEvent[]> {
    if (drafts.length === 0) return [];
    const { rows } = await tx.query<{ id: number | null }>('SELECT MAX(id) AS id FROM maas.events WHERE job_id = $1', [
      jobId,
    ]);
    let last = rows[0]?.id ?? 0;
    const events = drafts.map(
      (draft): TrainingJobEvent => ({ id: ++last, object: 'training_job.event', created_at: createdAt, ...draft }),
    );
    // One statement for all of them: an epoch's metrics and a status change cost one round trip.
    await tx.query(
      `INSERT INTO maas.events (job_id, id, body)
       SELECT $1, (e->>'id')::integer, e FROM json_array_elements($2::json) AS e`,
      [jobId, JSON.stringify(events)],
    );
    return events;
  }
}

/** Compact on the wire (NOTIFY payloads are limited to 8000 bytes). */
interface NoticePayload {
  j: string;
  s: TrainingJobStatus;
  c: boolean;
  w: string | null;
  f?: number;
  l?: number;
}

async function notify(tx: PoolClient, job: JobRecord, events: TrainingJobEvent[]): Promise<void> {
  const payload: NoticePayload = { j: job.id, s: job.status, c: job.cancelRequested, w: job.claim?.worker ?? null };
  if (events.length > 0) {
    payload.f = events[0]!.id;
    payload.l = events[events.length - 1]!.id;
  }
  await tx.query('SELECT pg_notify($1, $2)', [JOB_CHANNEL, JSON.stringify(payload)]);
}

export function parseJobNotice(text: string): JobNotice | undefined {
  try {
    const p = JSON.parse(text) as NoticePayload;
    if (typeof p.j !== 'string') return undefined;
    return {
      jobId: p.j,
      status: p.s,
      cancelRequested: p.c === true,
      worker: p.w ?? null,
      events: typeof p.f === 'number' && typeof p.l === 'number' ? { first: p.f, last: p.l } : null,
    };
  } catch {
    return undefined;
  }
}
