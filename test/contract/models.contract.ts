// The models resource (list, retrieve, upload, versions) and the repository extension (index, load, unload).
import { statSync } from 'node:fs';
import { expect, it } from 'vitest';
import { addModel, corruptModel, identityModel } from '../../server/onnx/fixtures.js';
import { CONTRACT_AREAS } from '../support/contract-coverage.js';
import { apiError } from '../support/contract-expect.js';
import { DEMO_MODEL_NAMES, describeContract } from '../support/contract-targets.js';

const KERAS_BYTES = statSync(new URL('../../examples/models/keras_mlp/1/model.onnx', import.meta.url)).size;
const KERAS_DESCRIPTION =
  'The classic Keras MLP: 100 inputs → Dense(64, relu) → Dense(64, relu) → Dense(10, softmax); untrained, seed 42.';
const IDENTITY = identityModel('INT32', [-1, 2]);
const ADD = addModel('FP32', [-1, 4]);

describeContract('models', CONTRACT_AREAS.models, (t) => {
  it('retrieve: a demo model with its one READY version, as on disk', async () => {
    const model = await t.client.models.retrieve('keras_mlp');
    expect(model).toEqual({
      object: 'model',
      name: 'keras_mlp',
      description: KERAS_DESCRIPTION,
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
          model: 'keras_mlp',
          version: '1',
          state: 'READY',
          reason: '',
          size_bytes: KERAS_BYTES,
          created_at: expect.any(String),
          inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 100] }],
          outputs: [{ name: 'probabilities', datatype: 'FP32', shape: [-1, 10] }],
          source: 'repository',
        },
      ],
    });
    expect(await t.client.models.retrieveVersion('keras_mlp', 1)).toEqual(model.versions[0]);
  });

  it('retrieve errors: unknown model or version (404), a name the server refuses (400)', async () => {
    expect(await apiError(t.client.models.retrieve('no_such_model'))).toMatchObject({
      status: 404,
      code: 'model_not_found',
    });
    expect(await apiError(t.client.models.retrieveVersion('keras_mlp', 3))).toMatchObject({
      status: 404,
      code: 'version_not_found',
    });
    expect(await apiError(t.client.models.retrieve('-leading-dash'))).toMatchObject({
      status: 400,
      code: 'invalid_parameter',
    });
    expect(await apiError(t.client.models.retrieveVersion('keras_mlp', 0))).toMatchObject({
      status: 400,
      code: 'invalid_parameter',
    });
  });

  it('list: ordered by name, cursor pages of `limit`, bad limits are a 400', async () => {
    // Other tests of this file may have added models: the pages are checked against the full list, whatever it holds.
    const names: string[] = [];
    for await (const m of t.client.models.list({ limit: 1 })) names.push(m.name);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining([...DEMO_MODEL_NAMES]));
    const [first, second] = names;
    expect((await t.client.models.list({ limit: 1 })).data.map((m) => m.name)).toEqual([first]);
    const raw = await t.session.raw('GET', '/v1/models?limit=1');
    expect(raw.json()).toMatchObject({ object: 'list', has_more: true, next_cursor: first });
    const next = await t.session.raw('GET', `/v1/models?limit=1&after=${first}`);
    expect(next.json().data.map((m: { name: string }) => m.name)).toEqual([second]);
    for (const limit of [0, 101]) {
      expect(await apiError(t.client.models.list({ limit }))).toMatchObject({ status: 400, code: 'invalid_parameter' });
    }
  });

  it('upload: valid ONNX becomes the next version, READY and serving, described', async () => {
    const first = await t.client.models.upload('uploaded', IDENTITY, { description: 'identity on INT32 pairs' });
    expect(first).toMatchObject({
      object: 'model.version',
      model: 'uploaded',
      version: '1',
      state: 'READY',
      reason: '',
      size_bytes: IDENTITY.length,
      inputs: [{ name: 'x', datatype: 'INT32', shape: [-1, 2] }],
      outputs: [{ name: 'y', datatype: 'INT32', shape: [-1, 2] }],
      source: 'upload',
    });
    const second = await t.client.models.upload('uploaded', ADD);
    expect([second.version, second.inputs.map((i) => i.name)]).toEqual(['2', ['a', 'b']]);
    const model = await t.client.models.retrieve('uploaded');
    expect([model.description, model.default_version]).toEqual(['identity on INT32 pairs', '2']);
    const out = await t.client.models.infer('uploaded', {
      version: 2,
      inputs: { a: { data: new Float32Array(8), shape: [2, 4] }, b: { data: new Float32Array(8), shape: [2, 4] } },
    });
    expect([out.modelVersion, out.output('y').shape, out.output('y').datatype]).toEqual(['2', [2, 4], 'FP32']);
  });

  it('upload: a retry with the same Idempotency-Key returns the same version; another body with it is a 409', async () => {
    const key = 'contract-upload-key';
    const once = await t.client.models.upload('idem', IDENTITY, {}, { idempotencyKey: key });
    const again = await t.client.models.upload('idem', IDENTITY, {}, { idempotencyKey: key });
    expect(again).toEqual(once);
    expect((await t.client.models.retrieve('idem')).versions.map((v) => v.version)).toEqual(['1']);
    expect(await apiError(t.client.models.upload('idem', ADD, {}, { idempotencyKey: key }))).toMatchObject({
      status: 409,
      code: 'idempotency_conflict',
    });
  });

  it('upload errors: bytes that are not ONNX are a 422 model_invalid, and no version is left', async () => {
    const bad = await apiError(t.client.models.upload('broken_upload', corruptModel()));
    expect(bad).toMatchObject({ status: 422, code: 'model_invalid' });
    expect(await apiError(t.client.models.retrieve('broken_upload'))).toMatchObject({
      status: 404,
      code: 'model_not_found',
    });
  });

  it('delete a version: gone from retrieve and inference; unknown versions are a 404', async () => {
    const v = await t.client.models.upload('deletable', IDENTITY);
    expect(await t.client.models.deleteVersion('deletable', v.version)).toEqual({
      object: 'model.version.deleted',
      model: 'deletable',
      version: '1',
      deleted: true,
    });
    expect(await apiError(t.client.models.retrieveVersion('deletable', 1))).toMatchObject({
      status: 404,
      code: 'version_not_found',
    });
    expect(await apiError(t.client.models.deleteVersion('deletable', 1))).toMatchObject({ status: 404 });
    expect(await apiError(t.client.models.deleteVersion('no_such_model', 1))).toMatchObject({
      status: 404,
      code: 'model_not_found',
    });
  });

  it('repository index: every version with its state and reason; `ready` filters', async () => {
    const index = await t.client.repository.index();
    expect(index).toEqual(
      expect.arrayContaining([
        { name: 'keras_mlp', version: '1', state: 'READY', reason: '' },
        { name: 'multi_io', version: '1', state: 'READY', reason: '' },
      ]),
    );
    const ready = await t.client.repository.index({ ready: true });
    expect(ready.every((e) => e.state === 'READY')).toBe(true);
  });

  it('repository unload and load: the model stops and resumes serving', async () => {
    const unloaded = await t.client.repository.unload('multi_io');
    expect(unloaded.name).toBe('multi_io');
    expect(await t.client.models.ready('multi_io')).toBe(false);
    const notReady = await apiError(
      t.client.models.infer('multi_io', {
        inputs: { text: { data: ['a'] }, ids: { data: [[1n, 2n, 3n]] }, mask: { data: [[true, true, true]] } },
      }),
    );
    expect(notReady).toMatchObject({ status: 503, code: 'model_not_ready' });
    const entry = (await t.client.repository.index()).find((e) => e.name === 'multi_io');
    expect(entry?.state).toBe('UNAVAILABLE');

    const loaded = await t.client.repository.load('multi_io');
    expect(loaded).toEqual({ name: 'multi_io', loaded_versions: ['1'] });
    expect(await t.client.models.ready('multi_io')).toBe(true);
  });

  it('repository errors: load and unload of an unknown model are a 404', async () => {
    expect(await apiError(t.client.repository.load('no_such_model'))).toMatchObject({
      status: 404,
      code: 'model_not_found',
    });
    expect(await apiError(t.client.repository.unload('no_such_model'))).toMatchObject({
      status: 404,
      code: 'model_not_found',
    });
  });
});
