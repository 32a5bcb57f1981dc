import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { routingChange } from '../../server/http/wire.js';
import type { ModelRegistry } from '../../server/inference/registry.js';
import { Router } from '../../server/inference/routing.js';
import { openSqliteStore } from '../../server/store/sqlite/index.js';
import type { Store } from '../../server/store/store.js';
import { checkModelUpdate, describeUpdate, type ModelUpdate } from '../../src/protocol/model-update.js';

/** A PATCH as the route applies it: shape checked, versions as numbers, events described. */
const patch = (router: Router, update: ModelUpdate) =>
  router.update('m', routingChange(checkModelUpdate(update)), describeUpdate(update));

// The registry as routing sees it: model 'm' with versions 1..4 (READY unless listed in `down`).
function fakeRegistry(down: Set<number> = new Set()): ModelRegistry {
  const versions = [1, 2, 3, 4];
  return {
    requireModel: (name: string) => {
      if (name !== 'm') throw Object.assign(new Error(`Model '${name}' not found`), { status: 404 });
      return {
        name: 'm',
        versions: versions.map((version) => ({ version, state: down.has(version) ? 'UNAVAILABLE' : 'READY' })),
      };
    },
    getVersion: (_name: string, version: number) =>
      versions.includes(version) ? { version, state: down.has(version) ? 'UNAVAILABLE' : 'READY' } : undefined,
  } as unknown as ModelRegistry;
}

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'maas-routing-'));
  store = await openSqliteStore(join(dir, 'maas.db'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A deterministic stream of [0, 1) numbers. */
function seeded(seed = 1): () => number {
  let s = seed;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('routing', () => {
  it('honours split weights within 2 points over 10,000 unversioned requests', async () => {
    const router = new Router({ registry: fakeRegistry(), store: store.routing, random: seeded(7) });
    await patch(router, {
      traffic: [
        { version: '3', weight: 90 },
        { version: '4', weight: 10 },
      ],
    });
    const counts = new Map<number | undefined, number>();
    for (let i = 0; i < 10_000; i++) {
      const v = router.choose('m');
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    expect(Math.abs(counts.get(3)! / 10_000 - 0.9)).toBeLessThan(0.02);
    expect(Math.abs(counts.get(4)! / 10_000 - 0.1)).toBeLessThan(0.02);
  });

  it('is sticky per routing key while the weights stand, and spreads different keys by weight', async () => {
    const router = new Router({ registry: fakeRegistry(), store: store.routing });
    await patch(router, {
      traffic: [
        { version: '1', weight: 50 },
        { version: '2', weight: 50 },
      ],
    });
    const first = router.choose('m', 'user-42');
    for (let i = 0; i < 50; i++) expect(router.choose('m', 'user-42')).toBe(first);
    const spread = new Set(Array.from({ length: 200 }, (_, i) => router.choose('m', `user-${i}`)));
    expect(spread).toEqual(new Set([1, 2]));
  });

  it('skips versions of a split that are not READY; with none left, falls back to the pin', async () => {
    const down = new Set([4]);
    const router = new Router({ registry: fakeRegistry(down), store: store.routing });
    await patch(router, {
      default_version: '2',
      traffic: [
        { version: '3', weight: 1 },
        { version: '4', weight: 99 },
      ],
    });
    for (let i = 0; i < 20; i++) expect(router.choose('m')).toBe(3);
    down.add(3);
    expect(router.choose('m')).toBe(2);
  });

  it('resolves labels, names the labels there are for an unknown one, and retains routed versions', async () => {
    const router = new Router({ registry: fakeRegistry(), store: store.routing });
    await patch(router, { labels: { stable: '2', canary: '3' }, shadow: { version: '4', fraction: 0.5 } });
    expect(router.label('m', 'canary')).toBe(3);
    expect(() => router.label('m', 'beta')).toThrow(
      "Model 'm' has no version labelled 'beta'; its labels are 'stable', 'canary'",
    );
    expect(router.retained('m').sort()).toEqual([2, 3, 4]);
    await patch(router, { labels: { canary: null } });
    expect(router.routing('m').labels).toEqual({ stable: 2 });
  });

  it('refuses versions the model does not have, and records every change with its reason', async () => {
    const router = new Router({
      registry: fakeRegistry(),
      store: store.routing,
      now: () => new Date('2026-12-01T00:00:00Z'),
    });
    await expect(patch(router, { default_version: '9' })).rejects.toMatchObject({
      status: 422,
      code: 'version_not_found',
      message: "default_version: model 'm' has no version 9; its versions are 1, 2, 3, 4",
    });
    await patch(router, { default_version: '2', reason: 'v3 regressed on the eval set' });
    await patch(router, {
      traffic: [
        { version: '2', weight: 90 },
        { version: '3', weight: 10 },
      ],
    });
    const events = await router.events('m', 0, 10);
    expect(events.map((e) => [e.id, e.kind, e.reason])).toEqual([
      [1, 'default', 'v3 regressed on the eval set'],
      [2, 'traffic', 'traffic split v2 90 / v3 10'],
    ]);
    expect(events[0]!.createdAt).toBe('2026-12-01T00:00:00.000Z');
    // A restart finds the same routing.
    const again = new Router({ registry: fakeRegistry(), store: store.routing });
    await again.load();
    expect(again.routing('m')).toMatchObject({
      defaultVersion: 2,
      traffic: [
        { version: 2, weight: 90 },
        { version: 3, weight: 10 },
      ],
    });
  });

  it('takes the weight off a canary that fails more than the guard allows, and says why', async () => {
    const router = new Router({ registry: fakeRegistry(), store: store.routing, random: seeded(3) });
    await patch(router, {
      traffic: [
        { version: '2', weight: 90 },
        { version: '3', weight: 10 },
      ],
      rollback: { max_error_rate: 0.1, min_requests: 20 },
    });
    for (let i = 0; i < 100; i++) router.observe('m', 2, true, 5);
    for (let i = 0; i < 19; i++) router.observe('m', 3, i % 2 === 0, 5);
    expect(router.routing('m').traffic).toEqual([
      { version: 2, weight: 90 },
      { version: 3, weight: 10 },
    ]); // < min_requests
    router.observe('m', 3, false, 5);
    await new Promise((r) => setTimeout(r, 20));
    expect(router.routing('m').traffic).toEqual([
      { version: 2, weight: 90 },
      { version: 3, weight: 0 },
    ]);
    const last = (await router.events('m', 0, 10)).at(-1)!;
    expect(last.kind).toBe('rollback');
    expect(last.reason).toMatch(
      /^version 3 rolled back \(weight 0\): error rate 5\d\.\d % over 20 requests vs 0\.0 % for version 2 \(max_error_rate 0\.1\)$/,
    );
    for (let i = 0; i < 100; i++) expect(router.choose('m')).toBe(2);
  });

  it('keeps the guard evidence across a routing reload while the split stands (a replica reloads on every notice)', async () => {
    const router = new Router({ registry: fakeRegistry(), store: store.routing, random: seeded(3) });
    await patch(router, {
      traffic: [
        { version: '2', weight: 90 },
        { version: '3', weight: 10 },
      ],
      rollback: { max_error_rate: 0.1, min_requests: 20 },
    });
    for (let i = 0; i < 100; i++) router.observe('m', 2, true, 5);
    for (let i = 0; i < 19; i++) router.observe('m', 3, false, 5);
    await router.load();
    router.observe('m', 3, false, 5); // the 20th failure: only counted with the 19 before the reload
    await new Promise((r) => setTimeout(r, 20));
    expect(router.routing('m').traffic?.find((t) => t.version === 3)?.weight).toBe(0);
  });

  it('rolls back on latency too: canary p99 over max_p99_ratio × the stable p99', async () => {
    const router = new Router({ registry: fakeRegistry(), store: store.routing });
    await patch(router, {
      traffic: [
        { version: '1', weight: 50 },
        { version: '2', weight: 50 },
      ],
      rollback: { max_p99_ratio: 2, min_requests: 50 },
    });
    for (let i = 0; i < 60; i++) {
      router.observe('m', 1, true, 10);
      router.observe('m', 2, true, i < 55 ? 12 : 80);
    }
    await new Promise((r) => setTimeout(r, 20));
    // Both have 50 %: the "stable" one is the first of the largest weight, version 1.
    expect(router.routing('m').traffic?.find((t) => t.version === 2)?.weight).toBe(0);
    expect((await router.events('m', 0, 10)).at(-1)!.reason).toMatch(
      /^version 2 rolled back \(weight 0\): p99 .* ms vs .* ms for version 1/,
    );
  });
});

describe('PATCH /v1/models/{model} body', () => {
  it('accepts each field and lists every problem at once', () => {
    expect(
      checkModelUpdate({
        default_version: '3',
        labels: { stable: '3', canary: null },
        traffic: [
          { version: '3', weight: 90 },
          { version: '4', weight: 10 },
        ],
        rollback: { max_error_rate: 0.05, min_requests: 100 },
        shadow: { version: '5', fraction: 1 },
        reason: 'canary for v4',
      }),
    ).toMatchObject({ default_version: '3' });
    expect(checkModelUpdate({ default_version: null })).toEqual({ default_version: null });
    let caught: unknown;
    try {
      checkModelUpdate({
        default_version: 3,
        labels: { '1bad': '2' },
        traffic: [
          { version: '3', weight: -1 },
          { version: '3', weight: 1, extra: true },
        ],
        shadow: { version: '5', fraction: 1.5 },
        colour: 'red',
      });
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ status: 400, code: 'invalid_input' });
    expect((caught as { details: Array<{ field: string }> }).details.map((d) => d.field)).toEqual([
      'colour',
      'default_version',
      'labels.1bad',
      'traffic[0].weight',
      'traffic[1].extra',
      'traffic[1].version',
      'shadow.fraction',
    ]);
    expect(() => checkModelUpdate({})).toThrow(
      'body: expected at least one of default_version, labels, traffic, rollback, shadow',
    );
    expect(() => checkModelUpdate({ traffic: [{ version: '1', weight: 0 }] })).toThrow(
      'traffic: expected at least one weight above 0',
    );
  });
});
