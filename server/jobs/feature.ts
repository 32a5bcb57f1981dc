import { join } from 'node:path';
import { DatasetService } from '../datasets/service.js';
import { registerDatasetRoutes } from '../http/routes/datasets.js';
import { registerTrainingJobRoutes } from '../http/routes/training-jobs.js';
import type { ModelRegistry } from '../inference/registry.js';
import type { ServerFeature } from '../services.js';
import { JobEvents } from './events.js';
import { SqliteIdempotencyStore } from './idempotency-store.js';
import { createWorkerRunner, type Runner } from './runner.js';
import { type Deployer, JobService } from './service.js';
import { openSqliteStore } from './store.js';
import { offThreadSummarizer } from './summarize.js';

export interface TrainingFeatureOptions {
  /** Milliseconds between SSE heartbeats (default 15 s; tests use less). */
  heartbeatMs?: number;
  /** Uploads of this many bytes or more are parsed in a worker thread (default 1 MiB). */
  parseInWorkerFrom?: number;
  /** Overrides settings.maxDatasetSize. */
  maxDatasetSize?: number;
  /** How jobs run (default: one worker thread per job). */
  runner?: Runner;
  /** Called with the service once it exists (tests reach in through it). */
  onReady?: (parts: { jobs: JobService; datasets: DatasetService; events: JobEvents }) => void;
}

/**
 * Datasets and training jobs: one SQLite database at `<data-dir>/maas.db`, dataset files in `<data-dir>/datasets`,
 * each job's data copy in `<data-dir>/jobs`. Also makes Idempotency-Key records persistent for every create call.
 */
export function trainingFeature(options: TrainingFeatureOptions = {}): ServerFeature {
  return {
    name: 'training',
    async setup(app, services) {
      const { settings, registry } = services;
      const dataDir = settings.dataDir;
      const store = await openSqliteStore(join(dataDir, 'maas.db'));
      services.idempotencyStore = new SqliteIdempotencyStore(store);
      const datasets = new DatasetService(store, join(dataDir, 'datasets'), {
        summarize: offThreadSummarizer(options.parseInWorkerFrom),
      });
      const events = new JobEvents(store);
      const jobs = new JobService({
        store,
        events,
        datasets,
        runner: options.runner ?? createWorkerRunner(),
        deployer: registryDeployer(registry),
        jobsDir: join(dataDir, 'jobs'),
        maxConcurrentJobs: settings.maxConcurrentJobs,
        log: services.log,
      });
      const maxDatasetSize = options.maxDatasetSize ?? settings.maxDatasetSize;
      await registerDatasetRoutes(app, { datasets, idempotency: services.idempotency, maxDatasetSize });
      registerTrainingJobRoutes(app, {
        jobs,
        events,
        idempotency: services.idempotency,
        heartbeatMs: options.heartbeatMs ?? 15_000,
      });
      // Resume and start jobs once the models on disk are loaded (so a deploy sees the right next version).
      app.addHook('onReady', async () => jobs.start());
      options.onReady?.({ jobs, datasets, events });
      return async () => {
        await jobs.close();
        store.close();
      };
    },
  };
}

/** Deploys through the registry: the next version of the model, written atomically, loaded and served at once. */
export function registryDeployer(registry: ModelRegistry): Deployer {
  return {
    async deploy(model, onnx, { jobId, description }) {
      const status = await registry.addVersion(model, onnx, { source: 'training', trainingJob: jobId, description });
      return { version: String(status.version) };
    },
    findDeployed(model, jobId) {
      const found = registry.getModel(model)?.versions.find((v) => v.trainingJob === jobId);
      return found && String(found.version);
    },
  };
}
