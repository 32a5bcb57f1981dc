import type { FastifyInstance } from 'fastify';
import type { DatasetService } from './datasets/service.js';
import type { Idempotency } from './idempotency.js';
import type { DataPlane } from './inference/data-plane.js';
import type { ModelRegistry } from './inference/registry.js';
import type { Router } from './inference/routing.js';
import type { ShadowMirror } from './inference/shadow.js';
import type { JobEvents } from './jobs/events.js';
import type { JobService } from './jobs/service.js';
import type { ServerMetrics } from './observability/metrics.js';
import type { Settings } from './settings.js';
import type { Store } from './store/store.js';

export interface Lifecycle {
  /** The models found at startup are loaded (or failed). */
  readonly loaded: boolean;
  /** Shutdown has begun: readiness is 503 and responses say `Connection: close`, but requests are still served. */
  readonly draining: boolean;
  /** The drain delay is over: the listener is closing and in-flight requests are finishing. */
  readonly closing: boolean;
  isReady(): boolean;
}

export interface ServerLogger {
  error(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  info(obj: unknown, msg?: string): void;
}

/** Every service of the server, built once by the composition root (app.ts); route features only read them. */
export interface ServerServices {
  settings: Settings;
  store: Store;
  registry: ModelRegistry;
  dataPlane: DataPlane;
  /** Labels, pinned defaults, traffic splits, shadows (and their change log). */
  router: Router;
  shadow: ShadowMirror;
  datasets: DatasetService;
  jobs: JobService;
  events: JobEvents;
  /** Runs create calls once per Idempotency-Key, over the store's records. */
  idempotency: Idempotency;
  /** Milliseconds between `: heartbeat` comments on an idle event stream. */
  sseHeartbeatMs: number;
  lifecycle: Lifecycle;
  log: ServerLogger;
  /** Prometheus metrics: what `GET /metrics` writes. */
  metrics: ServerMetrics;
}

/** Runs on shutdown after HTTP has drained and before the services close (reverse setup order). */
export type CloseHook = () => Promise<void>;

/**
 * One group of routes: registers them on the app (and may return a close hook). Services are built by app.ts;
 * adding routes is one entry in app.ts's `features` list.
 */
export interface ServerFeature {
  name: string;
  // biome-ignore lint/suspicious/noConfusingVoidType: a setup may return nothing or a close hook
  setup(app: FastifyInstance, services: ServerServices): void | CloseHook | Promise<void | CloseHook>;
}
