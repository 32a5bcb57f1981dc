import { onnx } from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODELS } from '../../src/msw/index.js';
import { useMock } from './harness.js';
import { identityModel } from './onnx-fixture.js';

const { call, state } = useMock({
  clock: false,
  seed: {
    models: [
      ...DEFAULT_MODELS,
      {
        name: 'broken',
        versions: [
          {
            inputs: [],
            outputs: [],
            loadError: 'Load model from broken/1/model.onnx failed: Protobuf parsing failed.',
          },
        ],
      },
    ],
  },
});
const octet = (body: Uint8Array, headers: Record<string, string> = {}) => ({
  body: body as Uint8Array<ArrayBuffer>,
  headers: { 'content-type': 'application/octet-stream', ...headers },
});

describe('models and the repository extension', () => {
  it('is seeded with the demo models, listed by name with cursor pagination', async () => {
    const all = await call('GET', '/v1/models');
    expect(all.body.data.map((m: { name: string }) => m.name)).toEqual([
      'broken',
      'iris_classifier',
      'keras_mlp',
      'multi_io',
    ]);
    const keras = all.body.data[2];
    expect(keras).toMatchObject({
      object: 'model',
      platform: 'onnxruntime_onnx',
      default_version: '1',
      description: DEFAULT_MODELS[0]?.description,
    });
    expect(keras.versions[0]).toMatchObject({
      object: 'model.version',
      model: 'keras_mlp',
      version: '1',
      state: 'READY',
      reason: '',
      source: 'repository',
    });
    const first = await call('GET', '/v1/models?limit=1');
    expect(first.body).toMatchObject({ has_more: true, next_cursor: 'broken' });
    const second = await call('GET', '/v1/models?limit=1&after=broken');
    expect(second.body.data.map((m: { name: string }) => m.name)).toEqual(['iris_classifier']);
    const broken = await call('GET', '/v1/models/broken');
    expect(broken.body).toMatchObject({
      default_version: null,
      versions: [
        { state: 'UNAVAILABLE', reason: 'Load model from broken/1/model.onnx failed: Protobuf parsing failed.' },
      ],
    });
  });

  it('uploads ONNX bytes as the next version, reading the graph signature; latest-1 policy unloads the older one', async () => {
    const v1 = await call('POST', '/v1/models/my_model/versions?description=first%20try', octet(identityModel()));
    expect(v1.status).toBe(201);
    expect(v1.body).toMatchObject({
      object: 'model.version',
      model: 'my_model',
      version: '1',
      state: 'READY',
      source: 'upload',
      inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 4] }],
      outputs: [{ name: 'y', datatype: 'FP32', shape: [-1, 4] }],
    });
    expect(v1.body.size_bytes).toBe(identityModel().length);
    expect(v1.body).not.toHaveProperty('training_job');
    const v2 = await call(
      'POST',
      '/v1/models/my_model/versions',
      octet(identityModel({ elemType: onnx.TensorProto.DataType.INT64, shape: [2] })),
    );
    expect(v2.body).toMatchObject({ version: '2', inputs: [{ name: 'x', datatype: 'INT64', shape: [2] }] });
    const model = await call('GET', '/v1/models/my_model');
    expect(model.body).toMatchObject({ description: 'first try', default_version: '2' });
    expect(model.body.versions.map((v: { state: string; reason: string }) => [v.state, v.reason])).toEqual([
      ['UNAVAILABLE', 'not selected by the version policy (latest 1)'],
      ['READY', ''],
    ]);
    const metadata = await call('GET', '/v2/models/my_model');
    expect(metadata.body).toEqual({
      name: 'my_model',
      versions: ['2'],
      platform: 'onnxruntime_onnx',
      inputs: [{ name: 'x', datatype: 'INT64', shape: [2] }],
      outputs: [{ name: 'y', datatype: 'INT64', shape: [2] }],
    });
    // The uploaded signature serves. y does not match x by name: an unmatched integer output, rows along dimension 0
    // (2 rows of 1 element): trunc(S_b) + 0.
    const infer = await call('POST', '/v2/models/my_model/infer', {
      json: { inputs: [{ name: 'x', datatype: 'INT64', shape: [2], data: [5, 6] }] },
    });
    expect(infer.body.outputs[0]).toEqual({ name: 'y', datatype: 'INT64', shape: [2], data: [5, 6] });
  });

  it('replays an upload under the same Idempotency-Key and rejects what is not ONNX', async () => {
    const bytes = identityModel();
    const a = await call('POST', '/v1/models/m/versions', octet(bytes, { 'idempotency-key': 'u1' }));
    const b = await call('POST', '/v1/models/m/versions', octet(bytes, { 'idempotency-key': 'u1' }));
    expect(b.body).toEqual(a.body);
    expect(b.headers.get('idempotent-replayed')).toBe('true');
    expect((await call('GET', '/v1/models/m')).body.versions).toHaveLength(1);
    const notOnnx = await call('POST', '/v1/models/m/versions', octet(new TextEncoder().encode('{"not": "onnx"}')));
    expect(notOnnx.status).toBe(422);
    expect(notOnnx.body.code).toBe('model_invalid');
    expect(notOnnx.body.error).toMatch(/^The body is not a model ONNX Runtime can load: /);
    const empty = await call('POST', '/v1/models/m/versions', octet(new Uint8Array()));
    expect(empty.body).toMatchObject({
      code: 'invalid_input',
      error: 'body: expected the ONNX model file, got 0 bytes',
    });
    const json = await call('POST', '/v1/models/m/versions', { json: {} });
    expect(json.body).toMatchObject({
      status: 415,
      error: "Content-Type 'application/json' is not supported here; expected application/octet-stream",
    });
  });

  it('deletes a version; the model stays without versions and stops serving', async () => {
    await call('POST', '/v1/models/gone/versions', octet(identityModel()));
    const deleted = await call('DELETE', '/v1/models/gone/versions/1');
    expect(deleted.body).toEqual({ object: 'model.version.deleted', model: 'gone', version: '1', deleted: true });
    expect((await call('GET', '/v1/models/gone')).body).toMatchObject({ default_version: null, versions: [] });
    const metadata = await call('GET', '/v2/models/gone');
    expect(metadata.body).toMatchObject({
      status: 503,
      code: 'model_not_ready',
      error: "Model 'gone' is not ready (state UNAVAILABLE): it has no versions",
    });
    expect((await call('DELETE', '/v1/models/gone/versions/1')).body.code).toBe('version_not_found');
  });

  it('repository index, unload and load', async () => {
    const index = await call('POST', '/v2/repository/index');
    expect(index.body).toEqual([
      {
        name: 'broken',
        version: '1',
        state: 'UNAVAILABLE',
        reason: 'Load model from broken/1/model.onnx failed: Protobuf parsing failed.',
      },
      { name: 'iris_classifier', version: '1', state: 'READY', reason: '' },
      { name: 'keras_mlp', version: '1', state: 'READY', reason: '' },
      { name: 'multi_io', version: '1', state: 'READY', reason: '' },
    ]);
    await call('POST', '/v2/repository/models/multi_io/unload', { json: {} });
    const ready = await call('POST', '/v2/repository/index', { json: { ready: true } });
    expect(ready.body.map((e: { name: string }) => e.name)).toEqual(['iris_classifier', 'keras_mlp']);
    const loaded = await call('POST', '/v2/repository/models/multi_io/load');
    expect(loaded.body).toEqual({ name: 'multi_io', loaded_versions: ['1'] });
    const failed = await call('POST', '/v2/repository/models/broken/load');
    expect(failed.status).toBe(422);
    expect(failed.body).toMatchObject({
      code: 'model_invalid',
      error:
        "Model 'broken' has no version that could be loaded (version 1: Load model from broken/1/model.onnx failed: Protobuf parsing failed.)",
    });
    expect((await call('POST', '/v2/repository/models/nope/load')).body.code).toBe('model_not_found');
    expect((await call('POST', '/v2/repository/index', { json: { ready: 'yes' } })).body.error).toBe(
      'ready: expected a boolean, got "yes"',
    );
  });

  it('serves iris_classifier with its real classes: label is the argmax of probabilities', async () => {
    const r = await call('POST', '/v2/models/iris_classifier/infer', {
      json: {
        inputs: [{ name: 'input', datatype: 'FP32', shape: [2, 4], data: [5.1, 3.5, 1.4, 0.2, 6.7, 3, 5.2, 2.3] }],
      },
    });
    expect(r.status).toBe(200);
    const [probabilities, label] = r.body.outputs;
    expect(probabilities).toMatchObject({ name: 'probabilities', datatype: 'FP32', shape: [2, 3] });
    expect(label).toMatchObject({ name: 'label', datatype: 'BYTES', shape: [2] });
    const classes = ['setosa', 'versicolor', 'virginica'];
    for (let row = 0; row < 2; row++) {
      const p = (probabilities.data as number[]).slice(row * 3, row * 3 + 3);
      expect(label.data[row]).toBe(classes[p.indexOf(Math.max(...p))]);
    }
  });

  it('reset() restores the seed', async () => {
    await call('POST', '/v1/models/extra/versions', octet(identityModel()));
    state.reset();
    expect((await call('GET', '/v1/models/extra')).status).toBe(404);
    expect((await call('GET', '/v1/models')).body.data).toHaveLength(4);
  });
});
