// Every optional peer package `maas serve` needs, checked together at startup so a user learns them all at once
// (and a training job never finds one missing after it started).
import { loadFastify } from './http/fastify.js';
import { loadOnnxRuntime } from './inference/onnx-model.js';
import { loadPromClient } from './observability/metrics.js';
import { importPeer, requirePeers } from './peers.js';
import { loadSqlite } from './store/sqlite/index.js';

/** onnx-proto is imported statically by the ONNX writer (server/onnx/model.ts); this only proves it is installed. */
const loadOnnxProto = () => importPeer('onnx-proto', () => import('onnx-proto'));

/** Throws one MissingPeerError naming every absent peer (fastify, onnxruntime-node, better-sqlite3, onnx-proto, prom-client). */
export function requireServerPeers(): Promise<void> {
  return requirePeers([loadFastify, loadOnnxRuntime, loadSqlite, loadOnnxProto, loadPromClient]);
}
