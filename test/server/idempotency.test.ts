import { describe, expect, it } from 'vitest';
import { MaasServerError } from '../../server/errors.js';
import { idempotencyKeyFrom, requestFingerprint } from '../../server/http/idempotency.js';
import { Idempotency } from '../../server/idempotency.js';
import { MemoryIdempotencyStore } from '../../server/store/memory-idempotency.js';

describe('Idempotency', () => {
  it('runs once per key and replays the first result for the same fingerprint', async () => {
    const store = new MemoryIdempotencyStore();
    const idem = new Idempotency(store);
    let calls = 0;
    const create = async () => ({ status: 201, body: { id: ++calls } });
    const first = await idem.run('create', 'k1', 'fp', create);
    const again = await idem.run('create', 'k1', 'fp', create);
    expect(first).toEqual({ status: 201, body: { id: 1 }, replayed: false });
    expect(again).toEqual({ status: 201, body: { id: 1 }, replayed: true });
    // Another scope or no key runs again.
    expect((await idem.run('other', 'k1', 'fp', create)).body).toEqual({ id: 2 });
    expect((await idem.run('create', undefined, 'fp', create)).body).toEqual({ id: 3 });
  });

  it('is a 409 idempotency_conflict for the same key with another request', async () => {
    const store = new MemoryIdempotencyStore();
    const idem = new Idempotency(store);
    await idem.run('create', 'k', 'a', async () => ({ status: 201, body: 1 }));
    const err = await idem.run('create', 'k', 'b', async () => ({ status: 201, body: 2 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MaasServerError);
    expect(err).toMatchObject({ status: 409, code: 'idempotency_conflict' });
    expect((err as Error).message).toBe(
      "Idempotency-Key 'k' was already used with a different request; use a new key for a new request",
    );
  });

  it('serialises concurrent requests with one key so only one creates', async () => {
    const store = new MemoryIdempotencyStore();
    const idem = new Idempotency(store);
    let calls = 0;
    const slow = async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 20));
      return { status: 201, body: { n: calls } };
    };
    const results = await Promise.all([1, 2, 3].map(() => idem.run('create', 'same', 'fp', slow)));
    expect(calls).toBe(1);
    expect(results.map((r) => r.replayed)).toEqual([false, true, true]);
    expect(results.every((r) => (r.body as { n: number }).n === 1)).toBe(true);
  });

  it('does not store failures, so a retry runs again', async () => {
    const store = new MemoryIdempotencyStore();
    const idem = new Idempotency(store);
    await expect(idem.run('c', 'k', 'fp', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await idem.run('c', 'k', 'fp', async () => ({ status: 201, body: 'ok' }))).toMatchObject({
      body: 'ok',
      replayed: false,
    });
  });

  it('forgets records after the TTL, and the memory store evicts the oldest beyond maxEntries', async () => {
    let now = 0;
    const store = new MemoryIdempotencyStore(2);
    const idem = new Idempotency(store, { ttlMs: 1000, now: () => now });
    let calls = 0;
    const create = async () => ({ status: 201, body: ++calls });
    expect((await idem.run('c', 'a', 'f', create)).body).toBe(1);
    now = 1000;
    expect((await idem.run('c', 'a', 'f', create)).replayed).toBe(true);
    now = 1001;
    expect(await idem.run('c', 'a', 'f', create)).toEqual({ status: 201, body: 2, replayed: false });
    const record = { fingerprint: 'f', status: 201, body: 1, createdAt: now };
    await store.put('s', 'b', record);
    await store.put('s', 'c', record);
    await store.put('s', 'd', record);
    expect(await store.get('s', 'b')).toBeUndefined();
    expect((await store.get('s', 'd'))?.body).toBe(1);
  });

  it('validates the header and fingerprints parts unambiguously', () => {
    expect(idempotencyKeyFrom({})).toBeUndefined();
    expect(idempotencyKeyFrom({ 'idempotency-key': 'abc-123' })).toBe('abc-123');
    expect(() => idempotencyKeyFrom({ 'idempotency-key': 'x'.repeat(256) })).toThrow(
      'Idempotency-Key header: expected 1 to 255 printable ASCII characters',
    );
    expect(requestFingerprint(['ab', 'c'])).not.toBe(requestFingerprint(['a', 'bc']));
    expect(requestFingerprint(['a', new Uint8Array([1, 2])])).toBe(requestFingerprint(['a', Buffer.from([1, 2])]));
  });
});
