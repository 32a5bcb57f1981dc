import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type CreateServerOptions, createServer, type MaasServer } from '../../server/app.js';
import type { ModelRegistry } from '../../server/inference/registry.js';
import type { Settings } from '../../server/settings.js';

export interface TestServerOptions {
  /** Defaults to a fresh temp folder (removed on close). */
  modelRepository?: string;
  /** Defaults to a fresh temp folder (removed on close). */
  dataDir?: string;
  apiKeys?: string[];
  /** Written as `<repository>/<name>/1/model.onnx` (and `<name>/config.json`) before the server starts. */
  models?: Record<string, Uint8Array | { onnx: Uint8Array; config?: unknown }>;
  /** Any other setting (pollInterval, maxBodySize, ...). */
  settings?: Partial<Settings>;
  /** Extra or replacement features (see app.ts). */
  features?: CreateServerOptions['features'];
  /** Anything else createServer takes (runner, sseHeartbeatMs, ...). */
  create?: Omit<CreateServerOptions, 'features'>;
}

export interface TestServer {
  /** `http://127.0.0.1:PORT` */
  baseUrl: string;
  /** The Fastify instance: `app.inject()` for route tests. */
  app: FastifyInstance;
  server: MaasServer;
  registry: ModelRegistry;
  modelRepository: string;
  dataDir: string;
  /** Closes the server and removes the temp folders it made. */
  close(): Promise<void>;
}

/** A real server in this process on 127.0.0.1, port 0, with temp folders. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const temp = mkdtempSync(join(tmpdir(), 'maas-test-server-'));
  const modelRepository = options.modelRepository ?? join(temp, 'models');
  const dataDir = options.dataDir ?? join(temp, 'data');
  for (const [name, model] of Object.entries(options.models ?? {})) {
    const { onnx, config } = model instanceof Uint8Array ? { onnx: model, config: undefined } : model;
    mkdirSync(join(modelRepository, name, '1'), { recursive: true });
    writeFileSync(join(modelRepository, name, '1', 'model.onnx'), onnx);
    if (config !== undefined) writeFileSync(join(modelRepository, name, 'config.json'), JSON.stringify(config));
  }
  let server: MaasServer;
  try {
    server = await createServer(
      {
        logLevel: 'silent',
        createRepository: true,
        // gRPC only where a test asks for it (then on a free port).
        grpc: false,
        grpcPort: 0,
        ...options.settings,
        host: '127.0.0.1',
        port: 0,
        modelRepository,
        dataDir,
        apiKeys: options.apiKeys ?? [],
      },
      { ...options.create, ...(options.features ? { features: options.features } : {}) },
    );
  } catch (err) {
    rmSync(temp, { recursive: true, force: true });
    throw err;
  }
  const baseUrl = await server.listen();
  return {
    baseUrl,
    app: server.app,
    server,
    registry: server.registry,
    modelRepository,
    dataDir,
    async close() {
      try {
        await server.close();
      } finally {
        rmSync(temp, { recursive: true, force: true });
      }
    },
  };
}
