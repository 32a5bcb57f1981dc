import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { ServiceUnavailableError } from './errors.js';
import { createAuthCheck } from './http/auth.js';
import { registerBodyParsers } from './http/body-parsers.js';
import { installErrorHandling } from './http/error-handler.js';
import { loadFastify } from './http/fastify.js';
import { Idempotency, MemoryIdempotencyStore } from './http/idempotency.js';
import { requestIdFor } from './http/request-id.js';
import { inferRoutes } from './http/routes/infer.js';
import { modelsRoutes } from './http/routes/models.js';
import { predictRoutes } from './http/routes/predict.js';
import { repositoryRoutes } from './http/routes/repository.js';
import { serverRoutes } from './http/routes/server.js';
import { specRoutes } from './http/routes/spec.js';
import { DataPlane } from './inference/data-plane.js';
import { loadOnnxRuntime } from './inference/onnx-model.js';
import { ModelRegistry } from './inference/registry.js';
import { ModelRepository } from './inference/repository.js';
import { trainingFeature } from './jobs/feature.js';
import { packageVersion } from './package-files.js';
import type { CloseHook, ServerFeature, ServerServices } from './services.js';
import { resolveSettings, type Settings } from './settings.js';

/**
 * Every feature of the server, in setup order. A new feature (datasets, training jobs) is one entry here: it gets the
 * shared services, registers its routes and may return a close hook.
 */
export const features: ServerFeature[] = [
  serverRoutes,
  inferRoutes,
  repositoryRoutes,
  predictRoutes,
  modelsRoutes,
  specRoutes,
  // Datasets and training jobs (server/jobs): SQLite under --data-dir, persistent Idempotency-Key records.
  trainingFeature(),
];

const quietRequests = (level: string) => !['trace', 'debug', 'info'].includes(level);

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
   * the features' close hooks, then releases the model sessions. Safe to call twice.
   */
  close(): Promise<void>;
}

export interface CreateServerOptions {
  /** Defaults to `features` above; tests may add their own. */
  features?: ServerFeature[];
}

/**
 * The composition root: settings → repository → registry (models loaded) → data plane → HTTP app with every
 * feature's routes. Resolves once the models found at startup have been loaded (or marked UNAVAILABLE).
 */
export async function createServer(
  partial: Partial<Settings> = {},
  options: CreateServerOptions = {},
): Promise<MaasServer> {
  const settings = resolveSettings(partial);
  const [Fastify] = await Promise.all([loadFastify(), loadOnnxRuntime()]);

  const app = Fastify({
    bodyLimit: settings.maxBodySize,
    logger: settings.logLevel === 'silent' ? false : { level: settings.logLevel, stream: process.stderr },
    genReqId: requestIdFor,
    // Above info no request log is ever written: skip pino's per-request child logger (its bindings are serialized
    // for every request) and Fastify's request/response log calls. Error logs add the request id themselves.
    ...(quietRequests(settings.logLevel)
      ? { disableRequestLogging: true, childLoggerFactory: (logger: FastifyBaseLogger) => logger }
      : {}),
    return503OnClosing: false,
    routerOptions: { maxParamLength: 512 },
  });
  const log = app.log;

  const repository = new ModelRepository(settings.modelRepository);
  await repository.ensureRoot();
  const registry = new ModelRegistry({
    repository,
    sessionOptions: { intraOpThreads: settings.intraOpThreads },
    onError: (err) => log.error({ err }, 'model registry'),
  });

  const lifecycle = { closing: false, isReady: () => !lifecycle.closing };
  const dataPlane = new DataPlane({ registry, serverVersion: packageVersion(), isReady: lifecycle.isReady });
  const services: ServerServices = {
    settings,
    registry,
    dataPlane,
    idempotencyStore: new MemoryIdempotencyStore(),
    idempotency: new Idempotency(() => services.idempotencyStore),
    lifecycle,
    log,
  };

  // In-flight requests, counted until their response is done (or the client went away).
  let inFlight = 0;
  let onIdle: (() => void) | undefined;
  const authCheck = createAuthCheck(settings.apiKeys);
  const requestDone = () => {
    inFlight--;
    if (inFlight === 0) onIdle?.();
  };
  // Synchronous (no promise per request). A response object serves one request, so a plain `on` listener (no
  // once-wrapper) is enough; 'close' also fires when the client goes away before the response is written.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    inFlight++;
    reply.raw.on('close', requestDone);
    const route = request.routeOptions.url;
    if (lifecycle.closing && !(route !== undefined && shutdownRoutes.has(route))) {
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

  let url: string | undefined;
  let closing: Promise<void> | undefined;

  const waitForIdle = (ms: number) =>
    new Promise<void>((resolve) => {
      if (inFlight === 0) return resolve();
      const timer = setTimeout(resolve, ms);
      onIdle = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  async function close(): Promise<void> {
    lifecycle.closing = true;
    registry.stopPolling();
    const deadline = Date.now() + settings.shutdownTimeout * 1000;
    const remaining = () => Math.max(0, deadline - Date.now());
    // Stop accepting; responses from now on carry `Connection: close`.
    const httpClosed = app.close();
    await waitForIdle(remaining());
    // Keep-alive sockets that are idle (or whose request outlived the deadline) would hold close() open.
    app.server.closeAllConnections();
    await httpClosed;
    for (const hook of closeHooks.reverse()) {
      await hook().catch((err: unknown) => log.error({ err }, 'close hook failed'));
    }
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
