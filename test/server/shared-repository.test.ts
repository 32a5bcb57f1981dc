import { describe, expect, it } from 'vitest';
import type { ModelRegistry } from '../../server/inference/registry.js';
import { followRepository, MODELS_TOPIC } from '../../server/shared-repository.js';
import type { SharedStore } from '../../server/store/store.js';

/** A SharedStore whose notices the test delivers by hand. */
function fakeShared() {
  const listeners = new Map<string, Set<(detail: string) => void>>();
  const store: SharedStore = {
    onJob: () => () => {},
    publish: async () => {},
    subscribe(topic, listener) {
      if (!listeners.has(topic)) listeners.set(topic, new Set());
      listeners.get(topic)!.add(listener);
      return () => listeners.get(topic)!.delete(listener);
    },
    onResync: () => () => {},
    withLock: (_key, fn) => fn(),
  };
  return {
    store,
    notify(topic: string, detail: string) {
      for (const l of listeners.get(topic) ?? []) l(detail);
    },
  };
}

describe('followRepository', () => {
  it('reads routing again before each rescan another process announced, and coalesces notices during one', async () => {
    const { store, notify } = fakeShared();
    const steps: string[] = [];
    let finishScan!: () => void;
    const registry = {
      refresh: () =>
        new Promise<void>((resolve) => {
          steps.push('refresh');
          finishScan = resolve;
        }),
    } as unknown as ModelRegistry;
    const stop = followRepository(
      store,
      registry,
      (err) => steps.push(`error ${err}`),
      async () => {
        steps.push('routing');
      },
    );
    notify(MODELS_TOPIC, 'm');
    await new Promise((r) => setImmediate(r));
    notify(MODELS_TOPIC, 'm'); // during the scan: one more scan after it, not two
    notify(MODELS_TOPIC, 'm');
    finishScan();
    await new Promise((r) => setImmediate(r));
    finishScan();
    await new Promise((r) => setImmediate(r));
    expect(steps).toEqual(['routing', 'refresh', 'routing', 'refresh']);
    stop();
    notify(MODELS_TOPIC, 'm');
    expect(steps).toHaveLength(4);
  });
});
