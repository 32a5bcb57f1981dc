import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MOCK_ROUTES } from '../../src/msw/index.js';
import { allOperations } from '../support/openapi-validator.js';
import { useMock } from './harness.js';
import { identityModel } from './onnx-fixture.js';

const { call, state, server } = useMock({
  clock: false,
  openapiSpec: readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8'),
});

const CSV = 'x1,x2,label\n1,2,a\n2,1,b\n3,3,a\n0,1,b\n';

describe('maas/msw covers the contract', () => {
  it('has one handler per operationId of openapi.yaml, at its method and path', () => {
    const spec = allOperations()
      .map((o) => `${o.operationId} ${o.method} ${o.path}`)
      .sort();
    const mock = MOCK_ROUTES.map(
      (r) => `${r.operationId} ${r.method} ${r.path.replace(/(?<!\\):([a-z_]+)/g, '{$1}').replace(/\\:/g, ':')}`,
    ).sort();
    expect(mock).toEqual(spec);
    expect(mock.length).toBeGreaterThanOrEqual(38);
  });

  it('answers every operation with a response the spec allows', async () => {
    const answered = new Set<string>();
    const ok = async (op: string, method: string, path: string, init?: Parameters<typeof call>[2], status = 200) => {
      const r = await call(method, path, init);
      expect(r.status, `${op}: ${JSON.stringify(r.body)}`).toBe(status);
      answered.add(op);
      return r;
    };
    await ok('getServerMetadata', 'GET', '/v2');
    await ok('getServerLive', 'GET', '/v2/health/live');
    await ok('getServerReady', 'GET', '/v2/health/ready');
    await ok('getModelMetadata', 'GET', '/v2/models/keras_mlp');
    await ok('getModelVersionMetadata', 'GET', '/v2/models/keras_mlp/versions/1');
    await ok('getModelReady', 'GET', '/v2/models/keras_mlp/ready');
    await ok('getModelVersionReady', 'GET', '/v2/models/keras_mlp/versions/1/ready');
    const input = { name: 'input', datatype: 'FP32', shape: [1, 100], data: new Array(100).fill(0) };
    await ok('modelInfer', 'POST', '/v2/models/keras_mlp/infer', { json: { inputs: [input] } });
    await ok('modelVersionInfer', 'POST', '/v2/models/keras_mlp/versions/1/infer', { json: { inputs: [input] } });
    await ok('repositoryIndex', 'POST', '/v2/repository/index');
    await ok('repositoryModelUnload', 'POST', '/v2/repository/models/keras_mlp/unload');
    await ok('repositoryModelLoad', 'POST', '/v2/repository/models/keras_mlp/load', { json: {} });
    const instances = { instances: [new Array(100).fill(1)] };
    await ok('modelPredict', 'POST', '/v1/models/keras_mlp:predict', { json: instances });
    await ok('modelVersionPredict', 'POST', '/v1/models/keras_mlp/versions/1:predict', { json: instances });
    await ok('getModelConfig', 'GET', '/v2/models/keras_mlp/config');
    await ok('getModelVersionConfig', 'GET', '/v2/models/keras_mlp/versions/1/config');
    await ok('getAllModelStats', 'GET', '/v2/models/stats');
    await ok('getModelStats', 'GET', '/v2/models/keras_mlp/stats');
    await ok('getModelVersionStats', 'GET', '/v2/models/keras_mlp/versions/1/stats');
    await ok('updateModel', 'PATCH', '/v1/models/keras_mlp', {
      json: { labels: { stable: '1' }, shadow: { version: '1', fraction: 1 } },
    });
    await ok('modelLabelPredict', 'POST', '/v1/models/keras_mlp/labels/stable:predict', { json: instances });
    await ok('listModelEvents', 'GET', '/v1/models/keras_mlp/events');
    await ok('getModelShadow', 'GET', '/v1/models/keras_mlp/shadow');
    await ok('listModels', 'GET', '/v1/models');
    await ok('retrieveModel', 'GET', '/v1/models/keras_mlp');
    const upload = {
      body: identityModel() as Uint8Array<ArrayBuffer>,
      headers: { 'content-type': 'application/octet-stream' },
    };
    await ok('uploadModelVersion', 'POST', '/v1/models/my_model/versions', upload, 201);
    await ok('retrieveModelVersion', 'GET', '/v1/models/my_model/versions/1');
    await ok('deleteModelVersion', 'DELETE', '/v1/models/my_model/versions/1');
    const ds = await ok(
      'createDataset',
      'POST',
      '/v1/datasets',
      { body: CSV, headers: { 'content-type': 'text/csv' } },
      201,
    );
    await ok('listDatasets', 'GET', '/v1/datasets');
    await ok('retrieveDataset', 'GET', `/v1/datasets/${ds.body.id}`);
    const spec = {
      model: 'clf',
      dataset: ds.body.id,
      task: 'classification',
      target: 'label',
      architecture: { type: 'logistic' },
      optimizer: { type: 'adam' },
      epochs: 2,
    };
    const job = await ok('createTrainingJob', 'POST', '/v1/training-jobs', { json: spec }, 201);
    await ok('listTrainingJobs', 'GET', '/v1/training-jobs');
    await ok('retrieveTrainingJob', 'GET', `/v1/training-jobs/${job.body.id}`);
    await ok('listTrainingJobEvents', 'GET', `/v1/training-jobs/${job.body.id}/events`);
    await ok('cancelTrainingJob', 'POST', `/v1/training-jobs/${job.body.id}/cancel`);
    await ok('deleteDataset', 'DELETE', `/v1/datasets/${ds.body.id}`);
    const yaml = await ok('getOpenApiSpec', 'GET', '/openapi.yaml');
    expect(yaml.headers.get('content-type')).toContain('application/yaml');
    expect(String(yaml.body)).toContain('openapi: 3.1.0');
    const metrics = await ok('getMetrics', 'GET', '/metrics');
    expect(metrics.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(String(metrics.body)).toContain('# TYPE maas_inference_request_success_total counter\n');
    expect([...answered].sort()).toEqual(
      allOperations()
        .map((o) => o.operationId)
        .sort(),
    );
    expect(state.models.find('my_model')?.versions.size).toBe(0);
  });

  it('serves the shipped openapi.yaml by default (resolved from the working directory)', async () => {
    const { createMaasHandlers } = await import('../../src/msw/index.js');
    server.use(...createMaasHandlers({ baseUrl: 'http://mock.test' }).handlers);
    try {
      const r = await fetch('http://mock.test/openapi.yaml');
      expect(r.status).toBe(200);
      expect(await r.text()).toBe(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8'));
    } finally {
      server.resetHandlers();
    }
  });

  it('is only imported by src/msw: the SDK entry never loads msw', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (path !== join('src', 'msw')) walk(path);
        } else if (path.endsWith('.ts') && /from ['"]msw(\/[^'"]*)?['"]/.test(readFileSync(path, 'utf8'))) {
          offenders.push(path);
        }
      }
    };
    walk('src');
    expect(offenders).toEqual([]);
  });
});

describe('server metadata', () => {
  it('reports the package version', async () => {
    const { PACKAGE_VERSION } = await import('../../src/msw/index.js');
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(PACKAGE_VERSION).toBe(pkg.version);
    const r = await call('GET', '/v2');
    expect(r.body).toEqual({
      name: 'maas',
      version: pkg.version,
      extensions: ['binary_tensor_data', 'model_repository', 'model_configuration', 'statistics', 'tf_serving_predict'],
    });
  });
});
