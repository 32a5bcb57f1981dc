import type { FastifyInstance } from 'fastify';
import type { Idempotency, IdempotencyStore } from './http/idempotency.js';
import type { DataPlane } from './inference/data-plane.js';
import type { ModelRegistry } from './inference/registry.js';
import type { Settings } from './settings.js';

export interface Lifecycle {
  /** True from the moment shutdown starts: readiness turns 503 and new requests are refused. */
  readonly closing: boolean;
  isReady(): boolean;
}

export interface ServerLogger {
  error(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  info(obj: unknown, msg?: string): void;
}

/** What every feature of the server shares; created once by app.ts. */
export interface ServerServices {
  settings: Settings;
  registry: ModelRegistry;
  dataPlane: DataPlane;
  /** Runs create calls once per Idempotency-Key, over `idempotencyStore`. */
  idempotency: Idempotency;
  /** Replaceable at setup time (e.g. by a persistent store); read on every request. */
  idempotencyStore: IdempotencyStore;
  lifecycle: Lifecycle;
  log: ServerLogger;
}

/** Runs on shutdown after HTTP has drained and before model sessions are released (reverse setup order). */
export type CloseHook = () => Promise<void>;

/**
 * One feature of the server: registers its routes (and starts what it needs) at startup. Adding a feature is one
 * entry in app.ts's `features` list.
 */
export interface ServerFeature {
  name: string;
  // biome-ignore lint/suspicious/noConfusingVoidType: a setup may return nothing or a close hook
  setup(app: FastifyInstance, services: ServerServices): void | CloseHook | Promise<void | CloseHook>;
}
