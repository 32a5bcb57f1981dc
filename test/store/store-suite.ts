import { describe, expect, it } from 'vitest';
import type { JobRecord } from '../../server/store/records.js';
import type { Store } from '../../server/store/store.js';
import { datasetRecord, jobRecord, optimizationJobRecord } from './records.js';

export { datasetRecord, jobRecord };

/** How a suite gets a store: `open` twice on the same `place` must see the same data (a restart). */
export interface StoreTarget {
  name: string;
  /** A fresh place (a file, a database); removed by `dispose`. */
  place(): Promise<string>;
  open(place: string): Promise<Store>;
  dispose(place: string): Promise<void>;
}

const at = '2026-01-01T00:00:00.000Z';

/** The behaviour every Store implementation must have: run once per engine (SQLite, PostgreSQL). */
export function storeSuite(target: StoreTarget): void {
  describe(`store: ${target.name}`, () => {
    const withStore = async (fn: (store: Store, place: string) => Promise<void>) => {
      const place = await target.place();
      const store = await target.open(place);
      try {
        await fn(store, place);
      } finally {
        await store.close();
        await target.dispose(place);
      }
    };

    it('keeps datasets newest first, pages with a cursor, and hides deleted ones (their id stays a cursor)', () =>
      withStore(async (store) => {
        for (const id of ['ds_a', 'ds_b', 'ds_c']) await store.datasets.insert(datasetRecord(id));
        expect((await store.datasets.get('ds_b'))?.dataset.id).toBe('ds_b');
        const first = await store.datasets.list({ limit: 2 });
        expect(first.items.map((r) => r.dataset.id)).toEqual(['ds_c', 'ds_b']);
        expect(first.hasMore).toBe(true);
        expect(await store.datasets.delete('ds_b')).toBe(true);
        expect(await store.datasets.delete('ds_b')).toBe(false);
        expect(await store.datasets.get('ds_b')).toBeUndefined();
        expect(await store.datasets.isCursor('ds_b')).toBe(true);
        expect(await store.datasets.isCursor('ds_zz')).toBe(false);
        const next = await store.datasets.list({ limit: 2, after: 'ds_b' });
        expect(next).toEqual({ items: [datasetRecord('ds_a')], hasMore: false });
      }));

    it('inserts a job with its first events, numbers events per job, and lists by status in queue order', () =>
      withStore(async (store) => {
        const events = await store.jobs.insert(jobRecord('job_1'), [{ type: 'status', status: 'queued' }], at);
        expect(events).toEqual([
          { id: 1, object: 'training_job.event', created_at: at, type: 'status', status: 'queued' },
        ]);
        await store.jobs.insert(jobRecord('job_2'), [{ type: 'status', status: 'queued' }], at);
        await store.jobs.appendEvents(
          'job_1',
          [
            { type: 'message', message: 'a' },
            { type: 'message', message: 'b' },
          ],
          at,
        );
        expect((await store.jobs.listEvents('job_1', 1, 10)).map((e) => [e.id, e.message])).toEqual([
          [2, 'a'],
          [3, 'b'],
        ]);
        expect((await store.jobs.listEvents('job_2', 0, 10)).map((e) => e.id)).toEqual([1]);
        expect((await store.jobs.withStatus('queued')).map((j) => j.id)).toEqual(['job_1', 'job_2']);
        const newest = await store.jobs.list({ limit: 1 });
        expect(newest.items.map((j) => j.id)).toEqual(['job_2']);
        expect(newest.hasMore).toBe(true);
        expect((await store.jobs.list({ limit: 5, after: 'job_2' })).items.map((j) => j.id)).toEqual(['job_1']);
        expect((await store.jobs.list({ limit: 5, status: 'running' })).items).toEqual([]);
      }));

    it('keeps training and optimisation jobs in one queue, lists them by kind, and names their events by kind', () =>
      withStore(async (store) => {
        await store.jobs.insert(jobRecord('job_t'), [{ type: 'status', status: 'queued' }], at);
        const first = await store.jobs.insert(
          optimizationJobRecord('job_o'),
          [{ type: 'status', status: 'queued' }],
          at,
        );
        expect(first).toEqual([
          { id: 1, object: 'optimization_job.event', created_at: at, type: 'status', status: 'queued' },
        ]);
        const staged = await store.jobs.appendEvents('job_o', [{ type: 'stage', stage: 'optimizing' }], at);
        expect(staged).toEqual([
          { id: 2, object: 'optimization_job.event', created_at: at, type: 'stage', stage: 'optimizing' },
        ]);
        expect((await store.jobs.withStatus('queued')).map((j) => j.id)).toEqual(['job_t', 'job_o']);
        expect((await store.jobs.list({ limit: 10, kind: 'optimization' })).items.map((j) => j.id)).toEqual(['job_o']);
        expect((await store.jobs.list({ limit: 10, kind: 'training' })).items.map((j) => j.id)).toEqual(['job_t']);
        expect((await store.jobs.list({ limit: 10 })).items.map((j) => j.id)).toEqual(['job_o', 'job_t']);
        expect(await store.jobs.get('job_o')).toMatchObject({ kind: 'optimization', gateMethod: 'quantize_fp16' });
        expect((await store.jobs.listEvents('job_t', 0, 10))[0]!.object).toBe('training_job.event');
      }));

    it('updates a job, its events and its checkpoint atomically, and writes nothing when the change declines', () =>
      withStore(async (store) => {
        await store.jobs.insert(jobRecord('job_1'), [{ type: 'status', status: 'queued' }], at);
        const claim = (job: JobRecord) => {
          if (job.status !== 'queued') return undefined;
          job.status = 'running';
          return { events: [{ type: 'status' as const, status: 'running' as const }] };
        };
        const first = await store.jobs.update('job_1', claim, at);
        expect(first?.job.status).toBe('running');
        expect(first?.events.map((e) => e.id)).toEqual([2]);
        // A second claim of the same job is refused: compare-and-set.
        expect(await store.jobs.update('job_1', claim, at)).toBeUndefined();
        expect(await store.jobs.update('job_nope', claim, at)).toBeUndefined();
        await store.jobs.update(
          'job_1',
          (job) => ({
            events: [],
            checkpoint: { epoch: job.status === 'running' ? 3 : 0, state: new Uint8Array([1, 2]) },
          }),
          at,
        );
        expect(await store.jobs.loadCheckpoint('job_1')).toEqual({ epoch: 3, state: new Uint8Array([1, 2]) });
        await store.jobs.update(
          'job_1',
          () => ({ events: [], checkpoint: { epoch: 4, state: new Uint8Array([9]) } }),
          at,
        );
        expect(await store.jobs.loadCheckpoint('job_1')).toEqual({ epoch: 4, state: new Uint8Array([9]) });
        await store.jobs.update('job_1', () => ({ events: [], checkpoint: null }), at);
        expect(await store.jobs.loadCheckpoint('job_1')).toBeUndefined();
        expect((await store.jobs.get('job_1'))?.status).toBe('running');
        expect((await store.jobs.withStatus('running')).map((j) => j.id)).toEqual(['job_1']);
        expect((await store.jobs.listEvents('job_1', 0, 10)).map((e) => e.status)).toEqual(['queued', 'running']);
      }));

    it('keeps everything across a reopen (a restart)', async () => {
      const place = await target.place();
      try {
        let store = await target.open(place);
        await store.datasets.insert(datasetRecord('ds_a'));
        await store.jobs.insert(jobRecord('job_1'), [{ type: 'status', status: 'queued' }], at);
        await store.jobs.update(
          'job_1',
          () => ({ events: [], checkpoint: { epoch: 1, state: new Uint8Array([7]) } }),
          at,
        );
        await store.idempotency.put('s', 'k', { fingerprint: 'f', status: 201, body: { id: 1 }, createdAt: 5 });
        await store.close();
        store = await target.open(place);
        expect((await store.datasets.get('ds_a'))?.path).toBe('/data/ds_a.csv');
        expect((await store.jobs.get('job_1'))?.model).toBe('m');
        expect(await store.jobs.loadCheckpoint('job_1')).toEqual({ epoch: 1, state: new Uint8Array([7]) });
        expect(await store.idempotency.get('s', 'k')).toEqual({
          fingerprint: 'f',
          status: 201,
          body: { id: 1 },
          createdAt: 5,
        });
        await store.close();
      } finally {
        await target.dispose(place);
      }
    });

    it('keeps each model routing with a numbered log of its changes', () =>
      withStore(async (store) => {
        const routing = {
          defaultVersion: 2,
          labels: { stable: 2, canary: 3 },
          traffic: [
            { version: 2, weight: 90 },
            { version: 3, weight: 10 },
          ],
          rollback: { maxErrorRate: 0.05, maxP99Ratio: null, minRequests: 100 },
          shadow: null,
        };
        expect(await store.routing.get('m')).toBeUndefined();
        const events = await store.routing.put({ model: 'm', routing, updatedAt: at }, [
          { kind: 'default', reason: 'promoted' },
          { kind: 'traffic', reason: 'canary 10 %' },
        ]);
        expect(events.map((e) => [e.id, e.kind, e.reason])).toEqual([
          [1, 'default', 'promoted'],
          [2, 'traffic', 'canary 10 %'],
        ]);
        const later = { ...routing, traffic: null };
        await store.routing.put({ model: 'm', routing: later, updatedAt: at }, [
          { kind: 'rollback', reason: 'errors' },
        ]);
        await store.routing.put({ model: 'other', routing: later, updatedAt: at }, []);
        expect((await store.routing.get('m'))?.routing).toEqual(later);
        expect((await store.routing.list()).map((r) => r.model)).toEqual(['m', 'other']);
        const log = await store.routing.events('m', 1, 10);
        expect(log.map((e) => [e.id, e.kind, e.routing.traffic])).toEqual([
          [2, 'traffic', routing.traffic],
          [3, 'rollback', null],
        ]);
        expect(await store.routing.events('other', 0, 10)).toEqual([]);
      }));

    it('stores idempotency records by scope and key, replaces them, and purges old ones', () =>
      withStore(async (store) => {
        const record = (createdAt: number) => ({ fingerprint: 'f', status: 201, body: { a: [1, 'x'] }, createdAt });
        await store.idempotency.put('s1', 'k', record(10));
        await store.idempotency.put('s2', 'k', record(20));
        expect(await store.idempotency.get('s1', 'k')).toEqual(record(10));
        expect(await store.idempotency.get('s1', 'other')).toBeUndefined();
        await store.idempotency.put('s1', 'k', record(30));
        expect((await store.idempotency.get('s1', 'k'))?.createdAt).toBe(30);
        await store.idempotency.deleteBefore(25);
        expect(await store.idempotency.get('s2', 'k')).toBeUndefined();
        expect(await store.idempotency.get('s1', 'k')).toEqual(record(30));
      }));
  });
}
