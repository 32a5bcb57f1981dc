// The composition root of `maas worker`: a training process with no HTTP. It takes jobs from the queue engine
// (pg-boss) in the shared PostgreSQL database, trains them in worker threads, records their progress and
// checkpoints in the store, and deploys the result into the shared model repository, where every replica finds it.
import { join } from 'node:path';
import { DatasetService } from './datasets/service.js';
import { ModelRepository } from './inference/repository.js';
import { JobEvents } from './jobs/events.js';
import { repositoryDeployer } from './jobs/repository-deployer.js';
import { createWorkerRunner, type Runner } from './jobs/runner.js';
import { JobService } from './jobs/service.js';
import { sharedJobs } from './jobs/shared-jobs.js';
import { prepareModelRepository } from './model-repository-root.js';
import { type LogLevel, resolveSettings, type Settings, SettingsError } from './settings.js';
import { sharedRepository } from './shared-repository.js';
import { openStore } from './store/open.js';

export interface MaasWorker {
  readonly settings: Settings;
  readonly jobs: JobService;
  /** This process's name in job claims. */
  readonly name: string;
  /** Hands the jobs it runs back (another process resumes them at once) and closes the store. */
  close(): Promise<void>;
}

export interface WorkerOptions {
  runner?: Runner;
}

export async function startWorker(partial: Partial<Settings>, options: WorkerOptions = {}): Promise<MaasWorker> {
  const settings = resolveSettings(partial);
  if (settings.database === null || settings.queue === null) {
    throw new SettingsError(
      'maas worker needs --database postgres://… and --queue (the same URL): it takes jobs from the queue there',
    );
  }
  if (settings.maxConcurrentJobs < 1) throw new SettingsError('maas worker: --max-concurrent-jobs must be at least 1');
  prepareModelRepository(settings);
  const log = jsonLog(settings.logLevel);
  const store = await openStore(settings, (err) => log.error({ err }, 'database'));
  try {
    const shared = await sharedJobs(settings, store, (err) => log.error({ err }, 'training queue'));
    if (!shared || !store.shared) throw new Error('the store is not shared');
    const jobs = new JobService({
      jobs: store.jobs,
      events: new JobEvents(store.jobs, undefined, store.shared),
      datasets: new DatasetService(store.datasets, join(settings.dataDir, 'datasets')),
      runner: options.runner ?? createWorkerRunner(),
      deployer: repositoryDeployer(new ModelRepository(settings.modelRepository), sharedRepository(store.shared)),
      jobsDir: join(settings.dataDir, 'jobs'),
      maxConcurrentJobs: settings.maxConcurrentJobs,
      log,
      shared,
    });
    await jobs.start();
    let closing: Promise<void> | undefined;
    return {
      settings,
      jobs,
      name: shared.worker,
      close() {
        closing ??= (async () => {
          await jobs.close().catch((err: unknown) => log.error({ err }, 'stopping training jobs failed'));
          await store.close().catch((err: unknown) => log.error({ err }, 'closing the store failed'));
        })();
        return closing;
      },
    };
  } catch (err) {
    await store.close().catch(() => {});
    throw err;
  }
}

const levels: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** One JSON line per message on stderr, like the server's log (which Fastify's pino writes). */
function jsonLog(level: LogLevel) {
  const write = (name: LogLevel) => (obj: unknown, msg?: string) => {
    if (level === 'silent' || levels.indexOf(name) < levels.indexOf(level)) return;
    const fields = { ...(obj as Record<string, unknown>) };
    const err = fields.err;
    if (err instanceof Error) fields.err = { message: err.message, stack: err.stack };
    process.stderr.write(`${JSON.stringify({ level: name, time: Date.now(), msg, ...fields })}\n`);
  };
  return { error: write('error'), warn: write('warn'), info: write('info') };
}
