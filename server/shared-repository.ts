// One model repository on a shared filesystem (a ReadWriteMany volume), written by any replica or worker: writes
// take the model's lock through the shared store and announce themselves on the `models` topic; every process
// rescans when it hears one (and after a lost notification connection). Versions are renamed into place whole
// (server/inference/repository.ts), so a scan never sees one half-written.
import type { ModelRegistry, SharedRepository } from './inference/registry.js';
import type { SharedStore } from './store/store.js';

export const MODELS_TOPIC = 'models';

export function sharedRepository(store: SharedStore): SharedRepository {
  return {
    withModelLock: (name, fn) => store.withLock(`model-repository:${name}`, fn),
    changed: (name) => store.publish(MODELS_TOPIC, name),
  };
}

/**
 * Rescans the repository whenever another process changed it; returns the function that stops following.
 * `beforeScan` runs first each time: routing is read again there, because the writer may have pinned the serving
 * version just before adding a new one, and a scan with the old routing would unload the pinned version.
 */
export function followRepository(
  store: SharedStore,
  registry: ModelRegistry,
  onError: (err: unknown) => void,
  beforeScan: () => Promise<void> = async () => {},
) {
  let running: Promise<void> | undefined;
  let again = false;
  const rescan = () => {
    if (running) {
      again = true; // one more scan after this one: the change may have landed after it read the folder
      return;
    }
    running = beforeScan()
      .then(() => registry.refresh())
      .catch(onError)
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          rescan();
        }
      });
  };
  const stops = [store.subscribe(MODELS_TOPIC, rescan), store.onResync(rescan)];
  return () => {
    for (const stop of stops) stop();
  };
}
