import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addModel, corruptModel, identityModel } from '../support/models.js';
import { assertValidResponse } from '../support/openapi-validator.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    models: {
      alpha: identityModel('FP32', [-1, 3]),
      beta: addModel('INT32'),
      gamma: identityModel('BOOL', [2]),
      broken: corruptModel(),
    },
  });
});
afterAll(() => server?.close());

const get = (url: string) => server.app.inject({ method: 'GET', url });
const post = (url: string, payload?: Buffer | object, headers: Record<string, string> = {}) =>
  server.app.inject({
    method: 'POST',
    url,
    ...(payload === undefined ? {} : { payload }),
    headers: Buffer.isBuffer(payload) ? { 'content-type': 'application/octet-stream', ...headers } : headers,
  });
const infer = (model: string, version?: string) =>
  server.app.inject({
    method: 'POST',
    url: `/v2/models/${model}${version ? `/versions/${version}` : ''}/infer`,
    payload: { inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 3], data: [1, 2, 3] }] },
  });

describe('models API', () => {
  it('lists models by name with a cursor', async () => {
    const first = await get('/v1/models?limit=2');
    assertValidResponse('listModels', 200, 'application/json', first.body);
    const page1 = first.json();
    expect(page1.data.map((m: { name: string }) => m.name)).toEqual(['alpha', 'beta']);
    expect([page1.has_more, page1.next_cursor]).toEqual([true, 'beta']);
    const page2 = (await get('/v1/models?limit=2&after=beta')).json();
    expect(page2.data.map((m: { name: string }) => m.name)).toEqual(['broken', 'gamma']);
    expect([page2.has_more, page2.next_cursor]).toEqual([false, null]);
    expect((await get('/v1/models')).json().data).toHaveLength(4);
  });

  it('retrieves a model with its versions, state, size, times, inputs and outputs', async () => {
    const res = await get('/v1/models/beta');
    assertValidResponse('retrieveModel', 200, 'application/json', res.body);
    const size = readFileSync(join(server.modelRepository, 'beta', '1', 'model.onnx')).length;
    expect(res.json()).toEqual({
      object: 'model',
      name: 'beta',
      description: '',
      platform: 'onnxruntime_onnx',
      default_version: '1',
      pinned_version: null,
      labels: {},
      traffic: null,
      rollback: null,
      shadow: null,
      ready: true,
      model_version_status: [{ version: '1', state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } }],
      versions: [
        {
          object: 'model.version',
          model: 'beta',
          version: '1',
          state: 'READY',
          reason: '',
          size_bytes: size,
          created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          inputs: [
            { name: 'a', datatype: 'INT32', shape: [-1, 4] },
            { name: 'b', datatype: 'INT32', shape: [-1, 4] },
          ],
          outputs: [{ name: 'y', datatype: 'INT32', shape: [-1, 4] }],
          source: 'repository',
        },
      ],
    });
    const broken = (await get('/v1/models/broken')).json();
    expect(broken.default_version).toBeNull();
    expect(broken.ready).toBe(false);
    // TF Serving's status for a version that failed to load: END with the load error.
    expect(broken.model_version_status[0]).toMatchObject({ state: 'END', status: { error_code: 'UNKNOWN' } });
    expect(broken.model_version_status[0].status.error_message).not.toBe('');
    expect(broken.versions[0]).toMatchObject({
      state: 'UNAVAILABLE',
      reason: expect.stringContaining('Protobuf parsing failed'),
    });
  });

  it('uploads a version: validated by a real session, written atomically as the next version, and served', async () => {
    const res = await post(
      '/v1/models/alpha/versions?description=retrained',
      Buffer.from(identityModel('FP32', [-1, 3])),
    );
    expect(res.statusCode).toBe(201);
    assertValidResponse('uploadModelVersion', 201, 'application/json', res.body);
    expect(res.json()).toMatchObject({
      object: 'model.version',
      model: 'alpha',
      version: '2',
      state: 'READY',
      source: 'upload',
      inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 3] }],
    });
    expect(readdirSync(join(server.modelRepository, 'alpha')).sort()).toEqual(['1', '2', 'config.json']);
    expect(JSON.parse(readFileSync(join(server.modelRepository, 'alpha', 'config.json'), 'utf8'))).toEqual({
      description: 'retrained',
    });
    const model = (await get('/v1/models/alpha')).json();
    expect(model.description).toBe('retrained');
    expect(model.default_version).toBe('2');
    // Default policy (latest 1): version 1 is no longer served.
    expect(model.versions.map((v: { state: string }) => v.state)).toEqual(['UNAVAILABLE', 'READY']);
    expect((await infer('alpha')).json().model_version).toBe('2');
    expect((await infer('alpha', '1')).statusCode).toBe(503);
  });

  it('creates a new model on first upload', async () => {
    const res = await post('/v1/models/fresh.model-1/versions', Buffer.from(addModel('FP64')));
    expect(res.statusCode).toBe(201);
    expect(res.json().version).toBe('1');
    expect((await get('/v2/models/fresh.model-1/ready')).statusCode).toBe(200);
  });

  it("rejects invalid ONNX with 422 model_invalid and ONNX Runtime's message, leaving nothing on disk", async () => {
    const before = readdirSync(join(server.modelRepository, 'gamma')).sort();
    const res = await post('/v1/models/gamma/versions', Buffer.from('definitely not onnx'));
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      code: 'model_invalid',
      error: expect.stringContaining(
        'The body is not a model ONNX Runtime can load: Failed to load model because protobuf parsing failed',
      ),
    });
    expect(readdirSync(join(server.modelRepository, 'gamma')).sort()).toEqual(before);
    const nothing = await post('/v1/models/newbie/versions', Buffer.from('nope'));
    expect(nothing.statusCode).toBe(422);
    expect(existsSync(join(server.modelRepository, 'newbie'))).toBe(false);
    const empty = await post('/v1/models/gamma/versions', Buffer.alloc(0));
    expect(empty.json()).toMatchObject({
      status: 400,
      code: 'invalid_input',
      error: 'body: expected the ONNX model file, got 0 bytes',
    });
  });

  it('honours Idempotency-Key: same body → same response, another body → 409', async () => {
    const bytes = Buffer.from(identityModel('INT8', [-1]));
    const first = await post('/v1/models/idem/versions', bytes, { 'idempotency-key': 'upload-1' });
    const again = await post('/v1/models/idem/versions', bytes, { 'idempotency-key': 'upload-1' });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(readdirSync(join(server.modelRepository, 'idem'))).toEqual(['1']);
    const other = await post('/v1/models/idem/versions', Buffer.from(identityModel('INT16', [-1])), {
      'idempotency-key': 'upload-1',
    });
    expect(other.statusCode).toBe(409);
    expect(other.json()).toMatchObject({
      code: 'idempotency_conflict',
      error: expect.stringContaining("Idempotency-Key 'upload-1'"),
    });
    const fresh = await post('/v1/models/idem/versions', bytes, { 'idempotency-key': 'upload-2' });
    expect(fresh.json().version).toBe('2');
  });

  it('retrieves and deletes a version; delete unloads, removes the folder and the policy picks the next', async () => {
    await post('/v1/models/gamma/versions', Buffer.from(identityModel('BOOL', [2])));
    const v2 = await get('/v1/models/gamma/versions/2');
    assertValidResponse('retrieveModelVersion', 200, 'application/json', v2.body);
    expect(v2.json()).toMatchObject({ version: '2', state: 'READY', source: 'upload' });
    const del = await server.app.inject({ method: 'DELETE', url: '/v1/models/gamma/versions/2' });
    assertValidResponse('deleteModelVersion', 200, 'application/json', del.body);
    expect(del.json()).toEqual({ object: 'model.version.deleted', model: 'gamma', version: '2', deleted: true });
    expect(existsSync(join(server.modelRepository, 'gamma', '2'))).toBe(false);
    expect((await get('/v1/models/gamma')).json().default_version).toBe('1');
    expect((await get('/v1/models/gamma/versions/2')).json()).toMatchObject({ status: 404, code: 'version_not_found' });
    expect((await server.app.inject({ method: 'DELETE', url: '/v1/models/gamma/versions/2' })).statusCode).toBe(404);
  });
});

describe('repository extension', () => {
  it('indexes every version with its state, optionally only READY ones', async () => {
    const res = await post('/v2/repository/index');
    assertValidResponse('repositoryIndex', 200, 'application/json', res.body);
    const entries = res.json() as Array<{ name: string; version: string; state: string; reason: string }>;
    expect(entries.find((e) => e.name === 'beta')).toEqual({ name: 'beta', version: '1', state: 'READY', reason: '' });
    expect(entries.find((e) => e.name === 'broken')).toMatchObject({
      state: 'UNAVAILABLE',
      reason: expect.stringContaining('Protobuf'),
    });
    const ready = (await post('/v2/repository/index', { ready: true })).json() as Array<{ state: string }>;
    expect(ready.length).toBeGreaterThan(0);
    expect(ready.every((e) => e.state === 'READY')).toBe(true);
    expect((await post('/v2/repository/index', { ready: 'yes' })).json()).toMatchObject({
      code: 'invalid_input',
      error: 'ready: expected a boolean, got "yes"',
    });
  });

  it('unloads (requests then get 503) and loads again', async () => {
    const unload = await post('/v2/repository/models/beta/unload');
    assertValidResponse('repositoryModelUnload', 200, 'application/json', unload.body);
    expect(unload.json()).toEqual({ name: 'beta', loaded_versions: [] });
    expect((await get('/v2/models/beta/ready')).json()).toMatchObject({ status: 503, code: 'model_not_ready' });
    expect((await get('/v1/models/beta')).json().versions[0]).toMatchObject({
      state: 'UNAVAILABLE',
      reason: 'unloaded',
    });
    const load = await post('/v2/repository/models/beta/load', {});
    assertValidResponse('repositoryModelLoad', 200, 'application/json', load.body);
    expect(load.json()).toEqual({ name: 'beta', loaded_versions: ['1'] });
    expect((await get('/v2/models/beta/ready')).statusCode).toBe(200);
  });

  it('loads a model placed on disk while polling is off; unknown models are 404, unloadable ones 422', async () => {
    mkdirSync(join(server.modelRepository, 'late', '1'), { recursive: true });
    writeFileSync(join(server.modelRepository, 'late', '1', 'model.onnx'), identityModel('UINT8', [-1]));
    expect((await get('/v2/models/late')).statusCode).toBe(404);
    expect((await post('/v2/repository/models/late/load')).json()).toEqual({ name: 'late', loaded_versions: ['1'] });
    expect((await get('/v2/models/late')).json().inputs).toEqual([{ name: 'x', datatype: 'UINT8', shape: [-1] }]);
    expect((await post('/v2/repository/models/ghost/load')).json()).toMatchObject({
      status: 404,
      code: 'model_not_found',
    });
    const broken = (await post('/v2/repository/models/broken/load')).json();
    expect(broken).toMatchObject({
      status: 422,
      code: 'model_invalid',
      error: expect.stringContaining("Model 'broken' has no version that could be loaded (version 1:"),
    });
    expect((await post('/v2/repository/models/ghost/unload')).json()).toMatchObject({
      status: 404,
      code: 'model_not_found',
    });
  });
});
