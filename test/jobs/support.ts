import type { DatasetService } from '../../server/datasets/service.js';
import type { JobEvents } from '../../server/jobs/events.js';
import type { Runner } from '../../server/jobs/runner.js';
import type { JobService } from '../../server/jobs/service.js';
import { startTestServer, type TestServer, type TestServerOptions } from '../support/server.js';

export interface TrainingTestServer extends TestServer {
  jobs: JobService;
  datasets: DatasetService;
  events: JobEvents;
}

export interface TrainingOptions {
  runner?: Runner;
  heartbeatMs?: number;
  parseInWorkerFrom?: number;
  maxDatasetSize?: number;
}

/** A real server with the job services configured for tests (fake runner, short heartbeats, ...). */
export async function startTrainingServer(
  training: TrainingOptions = {},
  options: TestServerOptions = {},
): Promise<TrainingTestServer> {
  const server = await startTestServer({
    ...options,
    ...(training.maxDatasetSize !== undefined
      ? { settings: { ...options.settings, maxDatasetSize: training.maxDatasetSize } }
      : {}),
    create: {
      ...options.create,
      ...(training.runner ? { runner: training.runner } : {}),
      ...(training.heartbeatMs !== undefined ? { sseHeartbeatMs: training.heartbeatMs } : {}),
      ...(training.parseInWorkerFrom !== undefined ? { parseInWorkerFrom: training.parseInWorkerFrom } : {}),
    },
  });
  const { jobs, datasets, events } = server.server.services;
  return Object.assign(server, { jobs, datasets, events });
}

/** Resolves on the next turn of the event loop (after setImmediate callbacks queued so far). */
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A few turns of the event loop: what a fake run reported has been recorded (job progress is written in order, asynchronously). */
export const settle = async () => {
  for (let i = 0; i < 4; i++) await nextTurn();
};
