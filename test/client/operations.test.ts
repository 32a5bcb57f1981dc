// Every operationId in openapi.yaml must be reachable through a typed client method.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MaasClient } from '../../src/index.js';
import { type MockServer, type RecordedRequest, sendJson, startMockServer } from './support/mock-server.js';

interface Operation {
  operationId: string;
  method: string;
  path: string;
  pattern: RegExp;
}

const spec = parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, { operationId?: string }>>;
};
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const operations: Operation[] = Object.entries(spec.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method, op]) => METHODS.includes(method) && op.operationId)
    .map(([method, op]) => ({
      operationId: op.operationId!,
      method: method.toUpperCase(),
      path,
      // Parameters never contain '/' or ':' (names, versions and ids are validated), so `{model}:predict` is unambiguous.
      pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/:]+')}$`),
    })),
);

const f32 = { data: new Float32Array([1, 2]), shape: [1, 2] };
const JOB_BODY = {
  model: 'm',
  dataset: 'ds_1',
  task: 'regression' as const,
  target: 'y',
  architecture: { type: 'linear' as const },
  optimizer: { type: 'gd' as const },
  epochs: 1,
};

/** How each operation is reached. Keep in step with openapi.yaml: the test fails on any missing or stale entry. */
const CALLS: Record<string, (c: MaasClient) => Promise<unknown>> = {
  getServerMetadata: (c) => c.server.metadata(),
  getServerLive: (c) => c.server.live(),
  getServerReady: (c) => c.server.ready(),
  getModelMetadata: (c) => c.models.metadata('iris'),
  getModelVersionMetadata: (c) => c.models.metadata('iris', { version: 1 }),
  getModelReady: (c) => c.models.ready('iris'),
  getModelVersionReady: (c) => c.models.ready('iris', { version: '1' }),
  modelInfer: (c) => c.models.infer('iris', { inputs: { x: f32 } }),
  modelVersionInfer: (c) => c.models.infer('iris', { inputs: { x: f32 }, version: 2 }),
  repositoryIndex: (c) => c.repository.index({ ready: true }),
  repositoryModelLoad: (c) => c.repository.load('iris'),
  repositoryModelUnload: (c) => c.repository.unload('iris'),
  modelPredict: (c) => c.models.predict('iris', { instances: [[1, 2]] }),
  modelVersionPredict: (c) => c.models.predict('iris', { inputs: [[1, 2]], version: 2 }),
  listModels: (c) => c.models.list().page(),
  retrieveModel: (c) => c.models.retrieve('iris'),
  uploadModelVersion: (c) => c.models.upload('iris', new Uint8Array([8, 1]), { description: 'd' }),
  retrieveModelVersion: (c) => c.models.retrieveVersion('iris', 1),
  deleteModelVersion: (c) => c.models.deleteVersion('iris', 1),
  createDataset: (c) => c.datasets.create('x,y\n1,2\n', { format: 'csv' }),
  listDatasets: (c) => c.datasets.list({ limit: 5 }).page(),
  retrieveDataset: (c) => c.datasets.retrieve('ds_1'),
  deleteDataset: (c) => c.datasets.delete('ds_1'),
  createTrainingJob: (c) => c.trainingJobs.create(JOB_BODY),
  listTrainingJobs: (c) => c.trainingJobs.list({ status: 'queued' }).page(),
  retrieveTrainingJob: (c) => c.trainingJobs.retrieve('job_1'),
  cancelTrainingJob: (c) => c.trainingJobs.cancel('job_1'),
  listTrainingJobEvents: async (c) => {
    await c.trainingJobs.events('job_1', { after: 0 });
    for await (const _ of c.trainingJobs.stream('job_1')) {
      // drain
    }
  },
  getModelConfig: (c) => c.models.config('iris'),
  getModelVersionConfig: (c) => c.models.config('iris', { version: 'stable' }),
  getAllModelStats: (c) => c.models.stats(),
  getModelStats: (c) => c.models.stats('iris'),
  getModelVersionStats: (c) => c.models.stats('iris', { version: 2 }),
  modelLabelPredict: (c) => c.models.predict('iris', { instances: [[1, 2]], label: 'canary', routingKey: 'u1' }),
  updateModel: (c) => c.models.update('iris', { labels: { stable: '1' } }),
  listModelEvents: (c) => c.models.events('iris', { after: 0, limit: 10 }),
  getModelShadow: (c) => c.models.shadow('iris'),
  getOpenApiSpec: (c) => c.spec(),
  getMetrics: (c) => c.server.metrics(),
};

const LIST = { object: 'list', data: [], has_more: false, next_cursor: null };
const DONE = {
  id: 1,
  object: 'training_job.event',
  created_at: '2026-01-01T00:00:00Z',
  type: 'status',
  status: 'succeeded',
};

function respond(req: RecordedRequest, res: Parameters<Parameters<typeof startMockServer>[0]>[1]) {
  if (req.headers.accept === 'text/event-stream') {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(`id: 1\nevent: status\ndata: ${JSON.stringify(DONE)}\n\n`);
  } else if (req.pathname === '/metrics') {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
    res.end('# TYPE up gauge\nup 1\n');
  } else if (req.pathname === '/openapi.yaml') {
    res.writeHead(200, { 'content-type': 'application/yaml' });
    res.end('openapi: 3.1.0\n');
  } else if (req.pathname.endsWith('/infer')) {
    sendJson(res, 200, { model_name: 'iris', outputs: [] });
  } else if (req.pathname === '/v2/repository/index') {
    sendJson(res, 200, []);
  } else if (req.method === 'GET' && /^\/v1\/(models|datasets|training-jobs)$|\/events$/.test(req.pathname)) {
    sendJson(res, 200, LIST);
  } else {
    sendJson(res, req.method === 'POST' ? 201 : 200, { name: 'iris', status: 'succeeded' });
  }
}

describe('operation coverage', () => {
  let server: MockServer;
  let client: MaasClient;
  beforeAll(async () => {
    server = await startMockServer(respond);
    client = new MaasClient({ baseUrl: server.baseUrl, maxRetries: 0 });
  });
  afterAll(() => server.close());

  it('reads the operations from openapi.yaml', () => {
    expect(operations.length).toBeGreaterThanOrEqual(29);
    expect(new Set(operations.map((o) => o.operationId)).size).toBe(operations.length);
  });

  it('has no stale entries in the call table', () => {
    const ids = new Set(operations.map((o) => o.operationId));
    expect(Object.keys(CALLS).filter((id) => !ids.has(id))).toEqual([]);
  });

  it.each(operations.map((o) => [o.operationId, o] as const))('reaches %s', async (operationId, op) => {
    const call = CALLS[operationId];
    expect(call, `no client call for ${operationId}`).toBeDefined();
    const before = server.requests.length;
    await call!(client);
    const sent = server.requests.slice(before);
    const matched = sent.filter((r) => r.method === op.method && op.pattern.test(r.pathname));
    expect(
      matched.length,
      `${op.method} ${op.path} not sent; sent ${sent.map((r) => `${r.method} ${r.pathname}`)}`,
    ).toBeGreaterThan(0);
    // ...and nothing that belongs to another operation.
    // A static path beats a parameter, as in the routers (`/v2/models/stats` is not model 'stats').
    for (const r of sent) {
      const owners = operations.filter((o) => o.method === r.method && o.pattern.test(r.pathname));
      const exact = owners.filter((o) => o.path === r.pathname);
      expect((exact.length > 0 ? exact : owners).map((o) => o.operationId)).toEqual([operationId]);
    }
  });
});
