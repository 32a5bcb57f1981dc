// Model metadata and readiness, OIP v2 inference (JSON and the binary tensor extension) and TF-Serving predict, on
// the demo models: keras_mlp (FP32 [-1,100] → softmax [-1,10]) and multi_io (INT64, BOOL and BYTES in and out).
import { expect, it } from 'vitest';
import { mlpForward, mlpLayers } from '../../server/onnx/fixtures.js';
import { runFakeModel } from '../../src/msw/index.js';
import { CONTRACT_AREAS } from '../support/contract-coverage.js';
import { apiError } from '../support/contract-expect.js';
import { describeContract } from '../support/contract-targets.js';

const KERAS_INPUT = { name: 'input', datatype: 'FP32', shape: [-1, 100] };
const KERAS_OUTPUT = { name: 'probabilities', datatype: 'FP32', shape: [-1, 10] };
/** Two rows of 100 features each. */
const FEATURES = Float32Array.from({ length: 200 }, (_, i) => Math.sin(i) * 0.5);
const rowSums = (data: Float32Array, width: number) =>
  Array.from({ length: data.length / width }, (_, r) =>
    data.subarray(r * width, (r + 1) * width).reduce((a, b) => a + b),
  );

const BIG = 2n ** 62n + 7n; // far beyond 2^53: only an exact path keeps it
const multiInputs = {
  ids: { data: new BigInt64Array([BIG, -1n, 0n, 5n, 6n, 7n]), shape: [2, 3] },
  mask: {
    data: [
      [true, false, true],
      [false, false, false],
    ],
  },
  text: { data: ['ünï', 'b', ''] },
};
const multiExpected = {
  ids_plus_one: new BigInt64Array([BIG + 1n, 0n, 1n, 6n, 7n, 8n]),
  mask_not: new Uint8Array([0, 1, 0, 1, 1, 1]),
  count: new BigInt64Array([2n, 0n]),
  text_out: ['ünï', 'b', ''],
};

describeContract('inference', CONTRACT_AREAS.inference, (t) => {
  it('metadata of the default version and of version 1', async () => {
    const expected = {
      name: 'keras_mlp',
      versions: ['1'],
      platform: 'onnxruntime_onnx',
      inputs: [KERAS_INPUT],
      outputs: [KERAS_OUTPUT],
    };
    expect(await t.client.models.metadata('keras_mlp')).toEqual(expected);
    expect(await t.client.models.metadata('keras_mlp', { version: 1 })).toEqual(expected);
    const multi = await t.client.models.metadata('multi_io');
    expect(multi.inputs.map((i) => [i.name, i.datatype, i.shape])).toEqual([
      ['ids', 'INT64', [-1, 3]],
      ['mask', 'BOOL', [-1, 3]],
      ['text', 'BYTES', [-1]],
    ]);
    expect(multi.outputs.map((o) => o.name).sort()).toEqual(['count', 'ids_plus_one', 'mask_not', 'text_out']);
  });

  it('metadata errors: unknown model, unknown version, a version that is not a number', async () => {
    expect(await apiError(t.client.models.metadata('no_such_model'))).toMatchObject({
      status: 404,
      code: 'model_not_found',
    });
    expect(await apiError(t.client.models.metadata('keras_mlp', { version: 9 }))).toMatchObject({
      status: 404,
      code: 'version_not_found',
    });
    // A version segment that is not a number is a label: none is set, so 404 naming it.
    expect(await apiError(t.client.models.metadata('keras_mlp', { version: 'latest' }))).toMatchObject({
      status: 404,
      code: 'version_not_found',
      message: "Model 'keras_mlp' has no version labelled 'latest'",
    });
    expect(await apiError(t.client.models.metadata('keras_mlp', { version: '0' }))).toMatchObject({
      status: 400,
      code: 'invalid_parameter',
    });
  });

  it('ready: model and version; 404 for unknown ones', async () => {
    expect(await t.client.models.ready('keras_mlp')).toBe(true);
    expect(await t.client.models.ready('multi_io', { version: 1 })).toBe(true);
    const raw = await t.session.raw('GET', '/v2/models/keras_mlp/versions/1/ready');
    expect([raw.status, raw.json()]).toEqual([200, { name: 'keras_mlp', version: '1', ready: true }]);
    expect(await apiError(t.client.models.ready('no_such_model'))).toMatchObject({
      status: 404,
      code: 'model_not_found',
    });
    expect(await apiError(t.client.models.ready('keras_mlp', { version: 9 }))).toMatchObject({
      status: 404,
      code: 'version_not_found',
    });
  });

  it('infer (JSON): probabilities of the right name, datatype and shape, each row summing to 1', async () => {
    const result = await t.client.models.infer('keras_mlp', {
      inputs: { input: { data: FEATURES, shape: [2, 100] } },
      binary: false,
    });
    expect(result.response.headers.get('content-type')).toMatch(/^application\/json/);
    expect([result.modelName, result.modelVersion]).toEqual(['keras_mlp', '1']);
    const out = result.output('probabilities');
    expect([out.datatype, out.shape]).toEqual(['FP32', [2, 10]]);
    for (const sum of rowSums(out.data as Float32Array, 10)) expect(sum).toBeCloseTo(1, 5);
  });

  it.runIf(t.cap.realModelValues)(
    'infer: keras_mlp values are its real network’s (server runs ONNX Runtime on the committed weights)',
    async () => {
      const result = await t.client.models.infer('keras_mlp', {
        inputs: { input: { data: FEATURES, shape: [2, 100] } },
      });
      const expected = mlpForward(mlpLayers({ seed: 42 }), FEATURES, 2);
      const got = result.output('probabilities').data as Float32Array;
      for (const [i, v] of got.entries()) expect(v).toBeCloseTo(expected[i]!, 5);
    },
  );

  it.runIf(!t.cap.realModelValues)(
    'infer: keras_mlp values are the mock’s documented function (runFakeModel), not the real weights',
    async () => {
      const result = await t.client.models.infer('keras_mlp', {
        inputs: { input: { data: FEATURES, shape: [2, 100] } },
      });
      const [expected] = runFakeModel({ outputs: [KERAS_OUTPUT as never] }, [
        { name: 'input', datatype: 'FP32', shape: [2, 100], data: FEATURES },
      ]);
      expect(result.output('probabilities').data).toEqual(expected?.data);
    },
  );

  it('infer (binary tensor extension) answers exactly what JSON answers', async () => {
    const params = { inputs: { input: { data: FEATURES, shape: [2, 100] } }, version: 1 };
    const json = await t.client.models.infer('keras_mlp', { ...params, binary: false });
    const binary = await t.client.models.infer('keras_mlp', { ...params, binary: true });
    expect(binary.response.headers.get('content-type')).toMatch(/^application\/octet-stream/);
    expect(Number(binary.response.headers.get('inference-header-content-length'))).toBeGreaterThan(0);
    expect(binary.raw.outputs[0]?.parameters?.binary_data_size).toBe(80);
    expect(binary.output('probabilities').data).toEqual(json.output('probabilities').data);
  });

  it('infer: INT64 beyond 2^53 exact, BOOL and BYTES, over JSON and binary', async () => {
    for (const binary of [false, true]) {
      const result = await t.client.models.infer('multi_io', { inputs: multiInputs, binary });
      for (const [name, data] of Object.entries(multiExpected)) expect(result.output(name).data, name).toEqual(data);
      expect(result.output('ids_plus_one').shape).toEqual([2, 3]);
      expect(result.output('mask_not').datatype).toBe('BOOL');
      expect(result.output('text_out').datatype).toBe('BYTES');
    }
  });

  it('infer: INT64 beyond 2^53 is written as an exact literal in the JSON body', async () => {
    const body = JSON.stringify({
      inputs: [
        { name: 'ids', datatype: 'INT64', shape: [1, 3], data: [0, 0, 0] },
        { name: 'mask', datatype: 'BOOL', shape: [1, 3], data: [true, true, true] },
        { name: 'text', datatype: 'BYTES', shape: [1], data: ['x'] },
      ],
      outputs: [{ name: 'ids_plus_one' }],
    }).replace('[0,0,0]', '[9007199254740993,-9223372036854775808,9223372036854775806]');
    const res = await t.session.raw('POST', '/v2/models/multi_io/infer', {
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain('[9007199254740994,-9223372036854775807,9223372036854775807]');
  });

  it('infer: only the requested outputs, and the request id echoed', async () => {
    const result = await t.client.models.infer('multi_io', {
      inputs: multiInputs,
      outputs: ['count', 'text_out'],
      id: 'contract-req-1',
    });
    expect(result.outputs.map((o) => o.name).sort()).toEqual(['count', 'text_out']);
    expect(result.output('count').data).toEqual(multiExpected.count);
    expect(result.id).toBe('contract-req-1');
  });

  it('infer errors: unknown model and version (404), shape and datatype mismatch, unknown input (400)', async () => {
    const inputs = { input: { data: FEATURES.subarray(0, 100), shape: [1, 100] } };
    expect(await apiError(t.client.models.infer('no_such_model', { inputs }))).toMatchObject({
      status: 404,
      code: 'model_not_found',
    });
    expect(await apiError(t.client.models.infer('keras_mlp', { inputs, version: 7 }))).toMatchObject({
      status: 404,
      code: 'version_not_found',
    });
    const shape = await apiError(
      t.client.models.infer('keras_mlp', { inputs: { input: { data: FEATURES.subarray(0, 99), shape: [1, 99] } } }),
    );
    expect(shape).toMatchObject({ status: 400, code: 'input_shape_mismatch' });
    expect(shape.message).toContain('input');
    const datatype = await apiError(
      t.client.models.infer('keras_mlp', { inputs: { input: { data: new Int32Array(100), shape: [1, 100] } } }),
    );
    expect(datatype).toMatchObject({ status: 400, code: 'datatype_mismatch' });
    expect(datatype.message).toMatch(/FP32/);
    const unknown = await apiError(
      t.client.models.infer('keras_mlp', {
        inputs: { ...inputs, extra: { data: new Float32Array([1]), shape: [1] } },
      }),
    );
    expect(unknown).toMatchObject({ status: 400, code: 'invalid_input' });
    expect(unknown.message).toContain('extra');
    const missing = await apiError(
      t.client.models.infer('multi_io', { inputs: { ids: multiInputs.ids, mask: multiInputs.mask } }),
    );
    expect(missing).toMatchObject({ status: 400, code: 'invalid_input' });
    expect(missing.message).toContain('text');
  });

  it('infer errors: a body that is not JSON is a 400 invalid_json', async () => {
    const res = await t.session.raw('POST', '/v2/models/keras_mlp/versions/1/infer', {
      headers: { 'content-type': 'application/json' },
      body: '{"inputs": [',
    });
    expect([res.status, res.json().code]).toEqual([400, 'invalid_json']);
  });

  it('predict (row): one prediction per instance, objects keyed by output name for several outputs', async () => {
    const rows = [Array.from(FEATURES.subarray(0, 100)), Array.from(FEATURES.subarray(100))];
    const single = await t.client.models.predict('keras_mlp', { instances: rows });
    expect(single.predictions).toHaveLength(2);
    for (const p of single.predictions as number[][]) {
      expect(p).toHaveLength(10);
      expect(p.reduce((a, b) => a + b)).toBeCloseTo(1, 5);
    }
    const multi = await t.client.models.predict('multi_io', {
      version: 1,
      instances: [
        { ids: [1, 2, 3], mask: [true, false, true], text: 'a' },
        { ids: [4, 5, 6], mask: [false, false, false], text: 'b' },
      ],
    });
    expect(multi.predictions).toEqual([
      { ids_plus_one: [2, 3, 4], mask_not: [false, true, false], text_out: 'a', count: 2 },
      { ids_plus_one: [5, 6, 7], mask_not: [true, true, true], text_out: 'b', count: 0 },
    ]);
  });

  it('predict (columnar): outputs keyed by name', async () => {
    const multi = await t.client.models.predict('multi_io', {
      inputs: { ids: [[1, 2, 3]], mask: [[true, true, false]], text: ['z'] },
    });
    expect(multi.outputs).toEqual({
      ids_plus_one: [[2, 3, 4]],
      mask_not: [[false, false, true]],
      text_out: ['z'],
      count: [2],
    });
    const single = await t.client.models.predict('keras_mlp', { inputs: [Array.from(FEATURES.subarray(0, 100))] });
    expect(single.outputs as number[][]).toHaveLength(1);
    expect((single.outputs as number[][])[0]).toHaveLength(10);
  });

  it('predict errors: unknown model and version, wrong shape, neither instances nor inputs, invalid JSON', async () => {
    expect(await apiError(t.client.models.predict('no_such_model', { instances: [[1]] }))).toMatchObject({
      status: 404,
      code: 'model_not_found',
    });
    expect(await apiError(t.client.models.predict('keras_mlp', { instances: [[1]], version: 5 }))).toMatchObject({
      status: 404,
      code: 'version_not_found',
    });
    expect(await apiError(t.client.models.predict('keras_mlp', { instances: [[1, 2, 3]] }))).toMatchObject({
      status: 400,
      code: 'input_shape_mismatch',
    });
    const neither = await t.session.raw('POST', '/v1/models/keras_mlp:predict', {
      headers: { 'content-type': 'application/json' },
      body: '{"signature_name": "serving_default"}',
    });
    expect([neither.status, neither.json().code]).toEqual([400, 'invalid_input']);
    const invalid = await t.session.raw('POST', '/v1/models/keras_mlp/versions/1:predict', {
      headers: { 'content-type': 'application/json' },
      body: '{"instances": [1,',
    });
    expect([invalid.status, invalid.json().code]).toEqual([400, 'invalid_json']);
  });
});
