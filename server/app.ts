import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { DatasetService } from './datasets/service.js';
import { ServiceUnavailableError } from './errors.js';
import { createAuthCheck } from './http/auth.js';
import { registerBodyParsers } from './http/body-parsers.js';
import { installErrorHandling } from './http/error-handler.js';
import { loadFastify, quietRequestLogging } from './http/fastify.js';
import { requestIdFor } from './http/request-id.js';
import { datasetRoutes } from './http/routes/datasets.js';
import { inferRoutes } from './http/routes/infer.js';
import { modelsRoutes } from './http/routes/models.js';
import { predictRoutes } from './http/routes/predict.js';
import { repositoryRoutes } from './http/routes/repository.js';
import { serverRoutes } from './http/routes/server.js';
import { specRoutes } from './http/routes/spec.js';
import { trainingJobRoutes } from './http/routes/training-jobs.js';
import { Idempotency } from './idempotency.js';
import { DataPlane } from './inference/data-plane.js';
import { loadOnnxRuntime } from './inference/onnx-model.js';
import { ModelRegistry } from './inference/registry.js';
import { ModelRepository } from './inference/repository.js';
import { registryDeployer } from './jobs/deployer.js';
import { JobEvents } from './jobs/events.js';
import { createWorkerRunner, type Runner } from './jobs/runner.js';
import { JobService } from './jobs/service.js';
import { offThreadSummarizer } from './jobs/summarize.js';
import { prepareModelRepository } from './model-repository-root.js';
import { packageVersion } from './package-files.js';
import type { CloseHook, ServerFeature, ServerServices } from './services.js';
import { resolveSettings, type Settings } from './settings.js';
import { openSqliteStore } from './store/sqlite/index.js';
import type { Store } from './store/store.js';

/** Every group of routes, in registration order. Routes only translate: the services they call are built below. */
export const features: ServerFeature[] = [
  serverRoutes,
  inferRoutes,
  repositoryRoutes,
  predictRoutes,
  modelsRoutes,
  specRoutes,
  datasetRoutes,
  trainingJobRoutes,
];

/** Routes that answer during shutdown (they report it themselves). */
const shutdownRoutes = new Set(['/v2/health/live', '/v2/health/ready']);

export interface MaasServer {
  /** The Fastify instance (use `app.inject()` in tests). */
  readonly app: FastifyInstance;
  readonly registry: ModelRegistry;
  readonly dataPlane: DataPlane;
  readonly services: ServerServices;
  readonly settings: Settings;
  /** `http://HOST:PORT` once listening. */
  readonly url: string | undefined;
  /** Starts listening on settings.host:settings.port (0 = a free port); resolves to the URL. */
  listen(): Promise<string>;
  /**
   * Stops accepting, turns readiness 503, lets in-flight requests finish (up to settings.shutdownTimeout), runs
   * the features' close hooks, stops job runs (they stay resumable), closes the store and releases the model
   * sessions. Safe to call twice.
   */
  close(): Promise<void>;
}

export interface CreateServerOptions {
  /** Defaults to `features` above; tests may add their own. */
  features?: ServerFeature[];
  /** The store (default: SQLite at `<data-dir>/maas.db`). The server closes it. */
  store?: Store;
  /** How training jobs run (default: one worker thread per job). */
  runner?: Runner;
  /** Milliseconds between SSE heartbeats (default 15 s). */
  sseHeartbeatMs?: number;
  /** Dataset uploads of this many bytes or more are parsed in a worker thread (default 1 MiB). */
  parseInWorkerFrom?: number;
}

/**
 * THE composition root: settings → store → repository → registry → data plane → datasets → jobs (with the
 * deployer into the registry) → HTTP app with every feature's routes. Resolves once the models found at startup
 * have been loaded (or marked UNAVAILABLE) and interrupted jobs have been picked up.
 */
export async function createServer(
  partial: Partial<Settings> = {},
  options: CreateServerOptions = {},
): Promise<MaasServer> {
  const settings = resolveSettings(partial);
  prepareModelRepository(settings);
  const [Fastify] = await Promise.all([loadFastify(), loadOnnxRuntime()]);

  const app = Fastify({
    bodyLimit: settings.maxBodySize,
    logger: settings.logLevel === 'silent' ? false : { level: settings.logLevel, stream: process.stderr },
    genReqId: requestIdFor,
    ...(['trace', 'debug', 'info'].includes(settings.logLevel) ? {} : quietRequestLogging(Fastify)),
    return503OnClosing: false,
    routerOptions: { maxParamLength: 512 },
  });
  const log = app.log;

  const store = options.store ?? (await openSqliteStore(join(settings.dataDir, 'maas.db')));
  const repository = new ModelRepository(settings.modelRepository);
  const registry = new ModelRegistry({
    repository,
    sessionOptions: { intraOpThreads: settings.intraOpThreads },
    onError: (err) => log.error({ err }, 'model registry'),
  });
  const lifecycle = { closing: false, isReady: () => !lifecycle.closing };
  const dataPlane = new DataPlane({ registry, serverVersion: packageVersion(), isReady: lifecycle.isReady });
  const datasets = new DatasetService(store.datasets, join(settings.dataDir, 'datasets'), {
    summarize: offThreadSummarizer(options.parseInWorkerFrom),
  });
  const events = new JobEvents(store.jobs);
  const jobs = new JobService({
    jobs: store.jobs,
    events,
    datasets,
    runner: options.runner ?? createWorkerRunner(),
    deployer: registryDeployer(registry),
    jobsDir: join(settings.dataDir, 'jobs'),
    maxConcurrentJobs: settings.maxConcurrentJobs,
    log,
  });
  const services: ServerServices = {
    settings,
    store,
    registry,
    dataPlane,
    datasets,
    jobs,
    events,
    idempotency: new Idempotency(store.idempotency),
    sseHeartbeatMs: options.sseHeartbeatMs ?? 15_000,
    lifecycle,
    log,
  };

  const http = installRequestHooks(app, services);
  installErrorHandling(app, settings.maxBodySize);
  registerBodyParsers(app);
  const closeHooks: CloseHook[] = [];
  for (const feature of options.features ?? features) {
    const hook = await feature.setup(app, services);
    if (hook) closeHooks.push(hook);
  }

  await registry.refresh();
  registry.startPolling(settings.pollInterval * 1000);
  await app.ready();
  // Once the models on disk are loaded, so a resumed job's deploy sees the right next version.
  await jobs.start();

  let url: string | undefined;
  let closing: Promise<void> | undefined;

  async function close(): Promise<void> {
    lifecycle.closing = true;
    registry.stopPolling();
    const deadline = Date.now() + settings.shutdownTimeout * 1000;
    const remaining = () => Math.max(0, deadline - Date.now());
    // Stop accepting; responses from now on carry `Connection: close`.
    const httpClosed = app.close();
    await http.idle(remaining());
    // Keep-alive sockets that are idle (or whose request outlived the deadline) would hold close() open.
    app.server.closeAllConnections();
    await httpClosed;
    for (const hook of closeHooks.reverse()) {
      await hook().catch((err: unknown) => log.error({ err }, 'close hook failed'));
    }
    await jobs.close().catch((err: unknown) => log.error({ err }, 'stopping training jobs failed'));
    await store.close().catch((err: unknown) => log.error({ err }, 'closing the store failed'));
    await registry.close(remaining());
  }

  return {
    app,
    registry,
    dataPlane,
    services,
    settings,
    get url() {
      return url;
    },
    async listen() {
      await app.listen({ host: settings.host, port: settings.port });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : settings.port;
      const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
      url = `http://${host}:${port}`;
      return url;
    },
    close() {
      closing ??= close();
      return closing;
    },
  };
}

/**
 * Request ids, the in-flight count, refusal while shutting down, and API keys — one synchronous onRequest hook (no
 * promise per request). Returns `idle(ms)`: resolves when no request is in flight, or after `ms`.
 */
function installRequestHooks(app: FastifyInstance, services: ServerServices): { idle(ms: number): Promise<void> } {
  let inFlight = 0;
  let onIdle: (() => void) | undefined;
  const authCheck = createAuthCheck(services.settings.apiKeys);
  const requestDone = () => {
    inFlight--;
    if (inFlight === 0) onIdle?.();
  };
  // A response object serves one request, so a plain `on` listener (no once-wrapper) is enough; 'close' also fires
  // when the client goes away before the response is written.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    inFlight++;
    reply.raw.on('close', requestDone);
    const route = request.routeOptions.url;
    if (services.lifecycle.closing && !(route !== undefined && shutdownRoutes.has(route))) {
      done(new ServiceUnavailableError('unavailable', 'The server is shutting down', 1));
      return;
    }
    try {
      authCheck(route, request.headers.authorization);
    } catch (err) {
      done(err as Error);
      return;
    }
    done();
  });
  return {
    idle: (ms) =>
      new Promise<void>((resolve) => {
        if (inFlight === 0) return resolve();
        const timer = setTimeout(resolve, ms);
        onIdle = () => {
          clearTimeout(timer);
          resolve();
        };
      }),
  };
}
