import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { DatasetService } from './datasets/service.js';
import { Evaluations } from './evaluations.js';
import { loadGrpc } from './grpc/grpc-js.js';
import { createGrpcEndpoint, type GrpcEndpoint } from './grpc/grpc-server.js';
import type { HttpRules } from './grpc/http-rules.js';
import { createAuthCheck } from './http/auth.js';
import { registerBodyParsers } from './http/body-parsers.js';
import { installErrorHandling, mapError } from './http/error-handler.js';
import { loadFastify, quietRequestLogging } from './http/fastify.js';
import { listenMetrics, type MetricsServer } from './http/metrics-server.js';
import { routingKey, versionRef } from './http/params.js';
import { requestIdFor } from './http/request-id.js';
import { consoleRoutes } from './http/routes/console.js';
import { datasetRoutes } from './http/routes/datasets.js';
import { evaluateRoutes } from './http/routes/evaluate.js';
import { inferRoutes } from './http/routes/infer.js';
import { metricsRoutes } from './http/routes/metrics.js';
import { modelsRoutes } from './http/routes/models.js';
import { optimizationJobRoutes } from './http/routes/optimization-jobs.js';
import { predictRoutes } from './http/routes/predict.js';
import { repositoryRoutes } from './http/routes/repository.js';
import { serverRoutes } from './http/routes/server.js';
import { specRoutes } from './http/routes/spec.js';
import { trainingJobRoutes } from './http/routes/training-jobs.js';
import { Idempotency } from './idempotency.js';
import { DataPlane } from './inference/data-plane.js';
import { engineHooks, sessionOpener } from './inference/engine.js';
import { loadOnnxRuntime } from './inference/onnx-model.js';
import { ModelRegistry } from './inference/registry.js';
import { ModelRepository } from './inference/repository.js';
import { Router } from './inference/routing.js';
import { ShadowMirror } from './inference/shadow.js';
import { registryDeployer } from './jobs/deployer.js';
import { JobEvents } from './jobs/events.js';
import { type OptimizationRunner, optimizationKind } from './jobs/optimization-kind.js';
import { createWorkerRunner, type Runner } from './jobs/runner.js';
import { JobService } from './jobs/service.js';
import { sharedJobs } from './jobs/shared-jobs.js';
import { offThreadSummarizer } from './jobs/summarize.js';
import { prepareModelRepository } from './model-repository-root.js';
import { echoTraceparent, observeHttp } from './observability/http.js';
import { observeJobs } from './observability/jobs.js';
import { loggerOptions, logsArrivals, logsRequests, requestLoggerFactory } from './observability/logging.js';
import { loadPromClient, ServerMetrics } from './observability/metrics.js';
import { readVersions, ServedModels } from './observability/serving-readings.js';
import { packageVersion } from './package-files.js';
import type { CloseHook, ServerFeature, ServerServices } from './services.js';
import { resolveSettings, type Settings } from './settings.js';
import { followRepository, sharedRepository } from './shared-repository.js';
import { openStore } from './store/open.js';
import { ROUTING_TOPIC } from './store/postgres/routing.js';
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
  evaluateRoutes,
  optimizationJobRoutes,
  metricsRoutes,
  consoleRoutes,
];

export interface MaasServer {
  /** The Fastify instance (use `app.inject()` in tests). */
  readonly app: FastifyInstance;
  readonly registry: ModelRegistry;
  readonly dataPlane: DataPlane;
  readonly services: ServerServices;
  readonly settings: Settings;
  /** `http://HOST:PORT` once listening. */
  readonly url: string | undefined;
  /** The gRPC endpoint's `HOST:PORT` once listening (undefined with `grpc: false`). */
  readonly grpcAddress: string | undefined;
  /** `http://HOST:PORT` of `GET /metrics` on its own port, once listening with `metricsPort` set. */
  readonly metricsUrl: string | undefined;
  /**
   * Starts listening on settings.host:settings.port, gRPC on settings.grpcPort unless `grpc` is false, and on
   * metricsPort when set (0 = a free port); resolves to the HTTP URL.
   */
  listen(): Promise<string>;
  /** Resolves once the models found at startup are loaded (or UNAVAILABLE) and interrupted jobs resumed. */
  readonly loaded: Promise<void>;
  /**
   * Turns readiness 503 at once and keeps serving for `drainDelayMs` (responses say `Connection: close`), then
   * stops accepting, lets in-flight requests finish (up to settings.shutdownTimeout), runs the features' close
   * hooks, stops job runs (they stay resumable), closes the store and releases the model sessions. Safe to call
   * twice: a second call without a delay ends the drain delay at once.
   */
  close(options?: CloseOptions): Promise<void>;
}

export interface CloseOptions {
  /** Milliseconds to keep serving, not ready, before draining (default 0). */
  drainDelayMs?: number;
}

interface MutableLifecycle {
  loaded: boolean;
  draining: boolean;
  closing: boolean;
  isReady(): boolean;
}

export interface CreateServerOptions {
  /** Defaults to `features` above; tests may add their own. */
  features?: ServerFeature[];
  /** The store (default: what settings.database names, else SQLite at `<data-dir>/maas.db`). The server closes it. */
  store?: Store;
  /** How training jobs run (default: one worker thread per job). */
  runner?: Runner;
  /** How optimisation jobs run (default: one worker thread per job). */
  optimizationRunner?: OptimizationRunner;
  /** Milliseconds between SSE heartbeats (default 15 s). */
  sseHeartbeatMs?: number;
  /** Dataset uploads of this many bytes or more are parsed in a worker thread (default 1 MiB). */
  parseInWorkerFrom?: number;
  /**
   * Resolve once the models are loaded (default). `false` resolves before: listen at once, readiness reports
   * "loading" until `server.loaded`; what `maas serve` does, so liveness probes answer during a long load.
   */
  waitForModels?: boolean;
  /** Where log lines go (default stderr). */
  logStream?: NodeJS.WritableStream;
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
  const [Fastify, grpcRuntime] = await Promise.all([
    loadFastify(),
    settings.grpc ? loadGrpc() : undefined,
    loadOnnxRuntime(),
    loadPromClient(),
  ]);

  const app = Fastify({
    bodyLimit: settings.maxBodySize,
    genReqId: requestIdFor,
    logger: loggerOptions(settings, options.logStream),
    ...quietRequestLogging(Fastify, requestLoggerFactory(settings.logLevel)),
    return503OnClosing: false,
    routerOptions: { maxParamLength: 512 },
  });
  const log = app.log;

  const store = options.store ?? (await openStore(settings, (err) => log.error({ err }, 'database')));
  const repository = new ModelRepository(settings.modelRepository, {
    instanceCount: settings.instanceCount,
    intraOpThreads: settings.intraOpThreads,
  });
  const engine = {
    sessionThreads: settings.sessionThreads,
    inlineRunLimitUs: settings.inlineRunLimit,
    onWorkerCrash: (err: Error, context: { name: string }) =>
      log.error({ err, model: context.name }, 'inference worker crashed; replaced'),
    onPlaced: ({ name, where, why }: { name: string; where: string; why: string }) =>
      log.info({ model: name, sessions: where }, `runs on the ${where}: ${why}`),
  };
  const registry = new ModelRegistry({
    repository,
    openModel: sessionOpener(engine),
    onError: (err) => log.error({ err }, 'model registry'),
    ...(store.shared ? { shared: sharedRepository(store.shared) } : {}),
  });
  registry.addHooks(engineHooks(engine));
  // After the engine's hooks: they see the model a version is served through (its batcher, when it batches), to read
  // its queue and where its runs go at scrape time.
  const served = new ServedModels();
  registry.addHooks(served);
  const metrics = await ServerMetrics.create({
    versions: () => readVersions(dataPlane, served),
    failureReason: (err) => mapError(err, settings.maxBodySize).code,
    batching: (model, version) => served.depth(model, version) !== undefined,
    queuedJobs: async () => (shared?.queue ? shared.queue.depth() : (await store.jobs.withStatus('queued')).length),
  });
  const router = new Router({
    registry,
    store: store.routing,
    // A newly pinned or labelled version must load even where the version policy would not select it.
    onChange: (model) => registry.syncModel(model).catch((err: unknown) => log.error({ err, model }, 'model sync')),
    log,
  });
  await router.load();
  // Routing changed by another replica (the PostgreSQL store announces every change): take it over here too.
  const unfollowRouting = store.shared?.subscribe(ROUTING_TOPIC, (model) => {
    router
      .load()
      .then(() => registry.syncModel(model))
      .catch((err: unknown) => log.error({ err, model }, 'routing reload'));
  });
  registry.addHooks({ retain: (model) => router.retained(model) });
  const shadow = new ShadowMirror({ registry, busyAbove: Math.max(1, Math.floor(settings.maxInflight / 2)) });
  const lifecycle: MutableLifecycle = {
    loaded: false,
    draining: false,
    closing: false,
    isReady: () => lifecycle.loaded && !lifecycle.draining,
  };
  const dataPlane = new DataPlane({
    registry,
    serverVersion: packageVersion(),
    isReady: lifecycle.isReady,
    maxInflight: settings.maxInflight,
    router,
    shadow,
    onInference: (record) => metrics.observeInference(record),
  });
  const datasets = new DatasetService(store.datasets, join(settings.dataDir, 'datasets'), {
    summarize: offThreadSummarizer(options.parseInWorkerFrom),
  });
  const events = new JobEvents(store.jobs, undefined, store.shared);
  const shared = await sharedJobs(settings, store, (err) => log.error({ err }, 'training queue'));
  const evaluations = new Evaluations(registry, datasets, router, { maxEvaluations: settings.maxEvaluations });
  const deployer = registryDeployer(registry, router);
  const jobs = new JobService({
    jobs: store.jobs,
    events,
    datasets,
    runner: options.runner ?? createWorkerRunner(),
    deployer,
    kinds: [
      optimizationKind({
        datasets,
        deployer,
        versionFile: (model, version) => evaluations.versionFile(model, version),
        ...(options.optimizationRunner ? { runner: options.optimizationRunner } : {}),
      }),
    ],
    jobsDir: join(settings.dataDir, 'jobs'),
    maxConcurrentJobs: settings.maxConcurrentJobs,
    log,
    ...(shared ? { shared } : {}),
  });
  observeJobs({ events, metrics, log, retrieve: (id) => jobs.retrieve(id) });
  const services: ServerServices = {
    settings,
    store,
    registry,
    dataPlane,
    router,
    shadow,
    datasets,
    jobs,
    events,
    evaluations,
    idempotency: new Idempotency(store.idempotency),
    sseHeartbeatMs: options.sseHeartbeatMs ?? 15_000,
    lifecycle,
    log,
    metrics,
  };

  const http = installRequestHooks(app, services);
  observeHttp(app, metrics, {
    accessLog: logsRequests(settings.logLevel),
    arrivals: logsArrivals(settings.logLevel),
  });
  installErrorHandling(app, settings.maxBodySize);
  registerBodyParsers(app);
  const closeHooks: CloseHook[] = [];
  for (const feature of options.features ?? features) {
    const hook = await feature.setup(app, services);
    if (hook) closeHooks.push(hook);
  }

  await app.ready();
  // gRPC translates to the same data plane and registry: batching, --max-inflight, statistics and drain are shared.
  const grpc: GrpcEndpoint | undefined = grpcRuntime
    ? createGrpcEndpoint({
        loaded: grpcRuntime,
        dataPlane,
        registry,
        settings,
        log,
        rules: grpcRules(settings),
        // gRPC is HTTP/2 POST to the method's path.
        countCall: (path, status) => metrics.countRequest('grpc', 'POST', path, status),
      })
    : undefined;
  // Models load first (readiness waits for them); then jobs resume, so a resumed job's deploy sees the right next
  // version. With waitForModels off the caller may listen meanwhile: liveness answers, readiness says "loading".
  let unfollow = () => {};
  const loaded = (async () => {
    await registry.refresh();
    registry.startPolling(settings.pollInterval * 1000);
    if (store.shared)
      unfollow = followRepository(
        store.shared,
        registry,
        (err) => log.error({ err }, 'model registry'),
        () => router.load(),
      );
    lifecycle.loaded = true;
    await jobs.start();
  })();
  if (options.waitForModels !== false) await loaded;

  let url: string | undefined;
  let metricsServer: MetricsServer | undefined;
  let closing: Promise<void> | undefined;
  /** Cuts the drain delay short (a later close that asks for none). */
  let endDrain = () => {};

  async function close(closeOptions: CloseOptions = {}): Promise<void> {
    // Not ready at once, but keep serving for the drain delay (a load balancer takes a moment to stop sending);
    // responses from now on carry `Connection: close` so clients open their next connection elsewhere.
    lifecycle.draining = true;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, closeOptions.drainDelayMs ?? 0);
      endDrain = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    lifecycle.closing = true;
    registry.stopPolling();
    unfollow();
    unfollowRouting?.();
    await loaded.catch(() => {});
    const deadline = Date.now() + settings.shutdownTimeout * 1000;
    const remaining = () => Math.max(0, deadline - Date.now());
    // Connections still in the kernel's accept backlog are taken before the listener closes: answered, not reset.
    await http.acceptBacklog();
    const httpClosed = app.close();
    const grpcClosed = grpc?.close(remaining());
    await http.idle(remaining());
    // Keep-alive sockets that are idle (or whose request outlived the deadline) would hold close() open.
    app.server.closeAllConnections();
    await httpClosed;
    await grpcClosed;
    await metricsServer?.close();
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
    get grpcAddress() {
      return grpc?.address;
    },
    get metricsUrl() {
      return metricsServer?.url;
    },
    async listen() {
      await app.listen({ host: settings.host, port: settings.port });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : settings.port;
      const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
      url = `http://${host}:${port}`;
      try {
        await grpc?.listen(settings.host, settings.grpcPort);
      } catch (err) {
        // Half a server (HTTP without the gRPC port asked for) is not started: free the HTTP port too.
        await app.close();
        throw err;
      }
      if (settings.metricsPort !== undefined) {
        metricsServer = await listenMetrics(metrics, settings.host, settings.metricsPort, log);
        log.info({ url: `${metricsServer.url}/metrics` }, 'metrics listening');
      }
      return url;
    },
    loaded,
    close(closeOptions) {
      if (closing) {
        if (!closeOptions?.drainDelayMs) endDrain();
        return closing;
      }
      closing = close(closeOptions);
      return closing;
    },
  };
}

/** The HTTP API's rules, handed to gRPC so that both protocols map errors, check keys and read ids alike. */
function grpcRules(settings: Settings): HttpRules {
  const authCheck = createAuthCheck(settings.apiKeys);
  return {
    mapError: (err, maxBodySize) => mapError(err, maxBodySize),
    authorize: (open, authorization) => {
      if (!open) authCheck(undefined, authorization);
    },
    requestId: (given) =>
      requestIdFor({ headers: given === undefined ? {} : { 'x-request-id': given } } as IncomingMessage),
    versionRef: (version) => versionRef({ version }),
    routingKey: (value) => routingKey({ 'x-routing-key': value }),
  };
}

/**
 * Request ids, the traceparent echo, the in-flight count, `Connection: close` while draining, and API keys — one synchronous onRequest
 * hook (no promise per request). Returns `idle(ms)`: resolves when no request is in flight (and none arrived over the
 * last turns of the event loop), or after `ms`; and `acceptBacklog()`: resolves after the loop has polled for new
 * connections at least once.
 */
function installRequestHooks(
  app: FastifyInstance,
  services: ServerServices,
): { idle(ms: number): Promise<void>; acceptBacklog(): Promise<void> } {
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
    echoTraceparent(request, reply);
    inFlight++;
    reply.raw.on('close', requestDone);
    const route = request.routeOptions.url;
    if (services.lifecycle.draining) reply.header('connection', 'close');
    try {
      authCheck(route, request.headers.authorization);
    } catch (err) {
      done(err as Error);
      return;
    }
    done();
  });
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  // Between two setImmediate turns lies a poll phase: the loop accepts pending connections and reads their requests.
  const pollOnce = async () => {
    await turn();
    await turn();
  };
  return {
    acceptBacklog: pollOnce,
    async idle(ms) {
      const deadline = Date.now() + ms;
      for (;;) {
        if (inFlight > 0) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
            onIdle = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
        if (Date.now() >= deadline) return;
        // A request parsed from a just-accepted connection would start now: look once more before calling it idle.
        await pollOnce();
        if (inFlight === 0) return;
      }
    },
  };
}
