// Every optional peer package `maas serve` and `maas worker` need, checked together at startup so a user learns them
// all at once (and a training job never finds one missing after it started).
import { requireGrpcPeers } from './grpc/grpc-js.js';
import { loadFastify } from './http/fastify.js';
import { loadOnnxRuntime } from './inference/onnx-model.js';
import { loadPgBoss } from './jobs/pg-boss-queue.js';
import { loadPromClient } from './observability/metrics.js';
import { importPeer, requirePeers } from './peers.js';
import { loadPg } from './store/postgres/index.js';
import { loadSqlite } from './store/sqlite/index.js';

/** onnx-proto is imported statically by the ONNX writer (server/onnx/model.ts); this only proves it is installed. */
const loadOnnxProto = () => importPeer('onnx-proto', () => import('onnx-proto'));

export interface PeerNeeds {
  /** The store: PostgreSQL (pg) when a database URL is set, else SQLite (better-sqlite3). */
  database?: string | null;
  /** The queue engine (pg-boss). */
  queue?: string | null;
  /** Serving over HTTP (fastify, and prom-client for `GET /metrics`); `maas worker` does not. */
  http?: boolean;
  /** Serving gRPC too (@grpc/grpc-js, @grpc/proto-loader); only with `http`. */
  grpc?: boolean;
}

/**
 * Throws one MissingPeerError naming every absent peer: onnxruntime-node and onnx-proto always, fastify and
 * prom-client to serve (and grpc-js with proto-loader unless --no-grpc), better-sqlite3 or pg for the store, pg-boss
 * for a queue.
 */
export function requireServerPeers(needs: PeerNeeds = {}): Promise<void> {
  return requirePeers([
    ...(needs.http === false ? [] : [loadFastify]),
    ...(needs.http === false || needs.grpc === false ? [] : [requireGrpcPeers]),
    loadOnnxRuntime,
    needs.database ? loadPg : loadSqlite,
    ...(needs.queue ? [loadPgBoss] : []),
    loadOnnxProto,
    ...(needs.http === false ? [] : [loadPromClient]),
  ]);
}
