import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobEvents } from '../../server/jobs/events.js';
import { openPgBossQueue } from '../../server/jobs/pg-boss-queue.js';
import { openPostgresStore, POSTGRES_SCHEMA_VERSION, redactUrl } from '../../server/store/postgres/index.js';
import type { JobRecord } from '../../server/store/records.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { jobRecord, storeSuite } from './store-suite.js';

const postgres = await startTestPostgres();
const at = '2026-01-01T00:00:00.000Z';

describe.skipIf(!postgres)('PostgreSQL store', () => {
  const server = postgres as TestPostgres;
  afterAll(() => server.stop());

  storeSuite({
    name: `PostgreSQL ${server?.version}`,
    place: () => server.createDatabase(),
    open: (url) => openPostgresStore(url),
    async dispose() {},
  });

  describe('PostgreSQL specifics', () => {
    let url: string;
    beforeAll(async () => {
      url = await server.createDatabase();
    });

    it('creates the maas schema, records its version and refuses a newer one', async () => {
      await (await openPostgresStore(url)).close();
      const client = new pg.Client(url);
      await client.connect();
      try {
        expect((await client.query('SELECT version FROM maas.schema_version')).rows).toEqual([
          { version: POSTGRES_SCHEMA_VERSION },
        ]);
        const tables = await client.query(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = 'maas' ORDER BY table_name",
        );
        expect(tables.rows.map((r) => r.table_name)).toEqual([
          'checkpoints',
          'datasets',
          'events',
          'idempotency_keys',
          'jobs',
          'model_events',
          'model_routing',
          'schema_version',
        ]);
        await client.query('UPDATE maas.schema_version SET version = $1', [POSTGRES_SCHEMA_VERSION + 1]);
        await expect(openPostgresStore(url)).rejects.toThrow(
          new RegExp(`schema version ${POSTGRES_SCHEMA_VERSION + 1} is newer than this maas understands`),
        );
        await client.query('UPDATE maas.schema_version SET version = $1', [POSTGRES_SCHEMA_VERSION]);
      } finally {
        await client.end();
      }
    });

    it('migrates once when several processes open a new database at the same time', async () => {
      const fresh = await server.createDatabase();
      const stores = await Promise.all([1, 2, 3, 4].map(() => openPostgresStore(fresh)));
      await stores[0]!.jobs.insert(jobRecord('job_m'), [], at);
      expect((await stores[3]!.jobs.get('job_m'))?.id).toBe('job_m');
      await Promise.all(stores.map((s) => s.close()));
    });

    it('starts pg-boss once its schema and queue exist when several processes start it on a new database at once', async () => {
      const fresh = await server.createDatabase();
      const stores = await Promise.all([1, 2, 3, 4].map(() => openPostgresStore(fresh)));
      try {
        const queues = await Promise.all(stores.map((s) => openPgBossQueue(s)));
        await Promise.all(queues.map((q) => q.close()));
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    });

    it('says which database it could not reach, without the password', async () => {
      const error = await openPostgresStore('postgres://maas:s3cret@127.0.0.1:1/none').catch((e: Error) => e);
      expect((error as Error).message).toMatch(/^cannot use the database postgres:\/\/maas@127\.0\.0\.1:1\/none: /);
      expect((error as Error).message).not.toContain('s3cret');
      expect(redactUrl('postgresql://u:p@h:5/d?sslmode=require')).toBe('postgresql://u@h:5/d?sslmode=require');
    });

    it('gives one claim of a queued job to one of two stores racing for it (compare-and-set across processes)', async () => {
      const [a, b] = await Promise.all([openPostgresStore(url), openPostgresStore(url)]);
      try {
        for (let i = 0; i < 20; i++) await a.jobs.insert(jobRecord(`job_race${i}`), [], at);
        const claim = (who: string) => (job: JobRecord) => {
          if (job.status !== 'queued') return undefined;
          job.status = 'running';
          job.claim = { attempt: 1, worker: who, leaseUntil: 0 };
          return { events: [{ type: 'status' as const, status: 'running' as const }] };
        };
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => [
            a.jobs.update(`job_race${i}`, claim('a'), at),
            b.jobs.update(`job_race${i}`, claim('b'), at),
          ]).flat(),
        );
        expect(results.filter(Boolean)).toHaveLength(20);
        for (let i = 0; i < 20; i++) {
          const events = await a.jobs.listEvents(`job_race${i}`, 0, 10);
          expect(events.map((e) => [e.id, e.status])).toEqual([[1, 'running']]);
        }
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });

    it("delivers one store's committed job events to another store's subscribers, in order, once", async () => {
      const [writer, reader] = await Promise.all([openPostgresStore(url), openPostgresStore(url)]);
      try {
        await writer.jobs.insert(jobRecord('job_feed'), [{ type: 'status', status: 'queued' }], at);
        const writes = new JobEvents(writer.jobs, () => new Date(at), writer.shared);
        const reads = new JobEvents(reader.jobs, () => new Date(at), reader.shared);
        const seen: number[] = [];
        const done = new Promise<void>((resolve) => {
          reads.subscribe('job_feed', (event) => {
            seen.push(event.id);
            if (event.id === 21) resolve();
          });
        });
        for (let i = 0; i < 20; i++) await writes.append('job_feed', { type: 'message', message: `m${i}` });
        await done;
        // Event 1 may come too: the insert's notice can still be on its way when the subscription starts (a
        // subscriber reads the backlog after subscribing and drops what it has seen).
        expect(seen.filter((id) => id > 1)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
        expect(seen.length - 20).toBeLessThanOrEqual(1);
        expect(reads.subscriberCount()).toBe(1);
      } finally {
        await Promise.all([writer.close(), reader.close()]);
      }
    });

    it('holds a lock across stores: the second waits for the first', async () => {
      const [a, b] = await Promise.all([openPostgresStore(url), openPostgresStore(url)]);
      try {
        const order: string[] = [];
        let release = () => {};
        const held = new Promise<void>((resolve) => {
          release = resolve;
        });
        let entered = () => {};
        const inside = new Promise<void>((resolve) => {
          entered = resolve;
        });
        const first = a.shared.withLock('model:m', async () => {
          order.push('a in');
          entered();
          await held;
          order.push('a out');
        });
        await inside;
        const second = b.shared.withLock('model:m', async () => {
          order.push('b in');
        });
        await new Promise((r) => setTimeout(r, 100));
        order.push('released');
        release();
        await Promise.all([first, second]);
        expect(order).toEqual(['a in', 'released', 'a out', 'b in']);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });
  });
});
