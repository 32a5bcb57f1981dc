import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Idempotency } from '../../server/idempotency.js';
import { JobEvents } from '../../server/jobs/events.js';
import { openSqliteStore, SQLITE_SCHEMA_VERSION } from '../../server/store/sqlite/index.js';
import { jobRecord, storeSuite } from './store-suite.js';

storeSuite({
  name: 'SQLite',
  async place() {
    return join(mkdtempSync(join(tmpdir(), 'maas-store-')), 'maas.db');
  },
  open: (file) => openSqliteStore(file),
  async dispose(file) {
    rmSync(join(file, '..'), { recursive: true, force: true });
  },
});

describe('SQLite store specifics', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'maas-store-'));
    file = join(dir, 'maas.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the schema in WAL mode and records its version', async () => {
    await (await openSqliteStore(file)).close();
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT version FROM schema_version').all()).toEqual([{ version: SQLITE_SCHEMA_VERSION }]);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((r) => (r as { name: string }).name);
    expect(tables).toEqual(expect.arrayContaining(['checkpoints', 'datasets', 'events', 'idempotency_keys', 'jobs']));
    db.close();
  });

  it('refuses a database from a newer schema', async () => {
    await (await openSqliteStore(file)).close();
    const db = new Database(file);
    db.prepare('UPDATE schema_version SET version = ?').run(SQLITE_SCHEMA_VERSION + 1);
    db.close();
    await expect(openSqliteStore(file)).rejects.toThrow(/newer than this maas understands/);
  });

  it('publishes persisted events to subscribers once, and not after unsubscribing', async () => {
    const store = await openSqliteStore(file);
    await store.jobs.insert(jobRecord('job_a'), [], '2026-01-01T00:00:00.000Z');
    const events = new JobEvents(store.jobs, () => new Date('2026-01-01T00:00:00Z'));
    const seen: number[] = [];
    const off = events.subscribe('job_a', (e) => seen.push(e.id));
    await events.append('job_a', { type: 'status', status: 'queued' });
    await events.append('job_b', { type: 'status', status: 'queued' });
    await events.append('job_a', { type: 'message', message: 'hi' });
    off();
    off();
    await events.append('job_a', { type: 'status', status: 'running' });
    expect(seen).toEqual([1, 2]);
    expect(events.subscriberCount()).toBe(0);
    expect((await events.list('job_a', 1, 10)).map((e) => e.id)).toEqual([2, 3]);
    await store.close();
  });

  it('persists Idempotency-Key records across a restart and expires them after the TTL', async () => {
    // Idempotency stamps records with its clock; it runs ahead by `offset`.
    let offset = 0;
    const now = () => Date.now() + offset;
    let store = await openSqliteStore(file);
    let created = 0;
    const run = (idem: Idempotency, fingerprint: string) =>
      idem.run('createDataset', 'k1', fingerprint, async () => ({ status: 201, body: { id: `ds_${++created}` } }));

    const first = await run(new Idempotency(store.idempotency, { ttlMs: 60_000, now }), 'f1');
    await store.close();
    store = await openSqliteStore(file);
    const idem = new Idempotency(store.idempotency, { ttlMs: 60_000, now });
    const replay = await run(idem, 'f1');
    expect(first).toEqual({ status: 201, body: { id: 'ds_1' }, replayed: false });
    expect(replay).toEqual({ status: 201, body: { id: 'ds_1' }, replayed: true });
    await expect(run(idem, 'f2')).rejects.toMatchObject({ status: 409, code: 'idempotency_conflict' });
    offset = 61_000;
    expect(await run(idem, 'f2')).toEqual({ status: 201, body: { id: 'ds_2' }, replayed: false });
    await store.close();
  });
});
