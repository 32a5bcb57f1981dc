import type { Dataset, Model } from '../../../../src/index.js';
import { session } from './session.js';

/** Every item of a paginated list (the SDK's list iterates every page). */
async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

export const listAllModels = (signal: AbortSignal): Promise<Model[]> =>
  collect(session.client.models.list({ limit: 100 }, { signal }));

export const listAllDatasets = (signal: AbortSignal): Promise<Dataset[]> =>
  collect(session.client.datasets.list({ limit: 100 }, { signal }));
