import { features } from '../../server/app.js';
import type { DatasetService } from '../../server/datasets/service.js';
import type { JobEvents } from '../../server/jobs/events.js';
import { type TrainingFeatureOptions, trainingFeature } from '../../server/jobs/feature.js';
import type { JobService } from '../../server/jobs/service.js';
import { startTestServer, type TestServer, type TestServerOptions } from '../support/server.js';

export interface TrainingTestServer extends TestServer {
  jobs: JobService;
  datasets: DatasetService;
  events: JobEvents;
}

/** A real server with the training feature configured for tests (fake runner, short heartbeats, ...). */
export async function startTrainingServer(
  training: TrainingFeatureOptions = {},
  options: TestServerOptions = {},
): Promise<TrainingTestServer> {
  let parts: Pick<TrainingTestServer, 'jobs' | 'datasets' | 'events'> | undefined;
  const feature = trainingFeature({
    ...training,
    onReady: (p) => {
      parts = p;
      training.onReady?.(p);
    },
  });
  const server = await startTestServer({
    ...options,
    features: [...features.filter((f) => f.name !== 'training'), feature],
  });
  if (!parts) throw new Error('the training feature did not start');
  return Object.assign(server, parts);
}

/** Resolves on the next turn of the event loop (after setImmediate callbacks queued so far). */
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
