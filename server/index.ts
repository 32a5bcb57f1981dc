// The `maas/server` entry: run the reference server from code. Its heavy runtime packages (fastify,
// onnxruntime-node, better-sqlite3) are optional peers, imported only when a server is created.
export type { CreateServerOptions, MaasServer } from './app.js';
export { createServer, features } from './app.js';
export { MaasServerError } from './errors.js';
export type { InferResult } from './inference/data-plane.js';
export type { OnnxModel, TensorSpec } from './inference/onnx-model.js';
export type { Lease, ModelState, ModelStatus, VersionStatus } from './inference/registry.js';
export { MissingPeerError } from './peers.js';
export type { CloseHook, Lifecycle, ServerFeature, ServerServices } from './services.js';
export type { LoadSettingsOptions, LogLevel, SettingSpec, Settings } from './settings.js';
export { loadSettings, resolveSettings, SettingsError, settingSpecs } from './settings.js';
export { MemoryIdempotencyStore } from './store/memory-idempotency.js';
export type { IdempotencyRecord } from './store/records.js';
export { openSqliteStore } from './store/sqlite/index.js';
export type {
  DatasetRecords,
  IdempotencyRecords,
  IdempotencyRecords as IdempotencyStore,
  JobRecords,
  Store,
} from './store/store.js';
