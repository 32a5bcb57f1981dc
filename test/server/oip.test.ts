import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOnnxModel } from '../../server/inference/onnx-model.js';
import {
  DATATYPES,
  type Datatype,
  decodeBinaryBody,
  decodeJsonTensor,
  encodeBinaryBody,
  encodeJsonTensor,
  parseJsonLossless,
  stringifyJson,
  type Tensor,
} from '../../src/protocol/index.js';
import { addModel, identityModel, mlpForward, mlpModel, multiIoModel } from '../support/models.js';
import { assertValidResponse } from '../support/openapi-validator.js';
import { startTestServer, type TestServer } from '../support/server.js';

// One sample per datatype, shape [2, 3], covering each type's edges (64-bit values beyond 2^53, non-finite floats,
// multi-byte UTF-8).
const samples: Record<Datatype, Tensor['data']> = {
  BOOL: new Uint8Array([1, 0, 1, 0, 0, 1]),
  UINT8: new Uint8Array([0, 1, 127, 128, 254, 255]),
  UINT16: new Uint16Array([0, 1, 256, 32768, 65534, 65535]),
  UINT32: new Uint32Array([0, 1, 65536, 2 ** 31, 2 ** 32 - 2, 2 ** 32 - 1]),
  UINT64: new BigUint64Array([0n, 1n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 2n, 2n ** 64n - 1n]),
  INT8: new Int8Array([-128, -1, 0, 1, 100, 127]),
  INT16: new Int16Array([-32768, -1, 0, 1, 1000, 32767]),
  INT32: new Int32Array([-(2 ** 31), -1, 0, 1, 123456789, 2 ** 31 - 1]),
  INT64: new BigInt64Array([-(2n ** 63n), -(2n ** 53n) - 1n, -1n, 0n, 2n ** 53n + 1n, 2n ** 63n - 1n]),
  // 1, -2, 0.5, 65504 (max), NaN, -Infinity as raw half bits.
  FP16: new Uint16Array([0x3c00, 0xc000, 0x3800, 0x7bff, 0x7e00, 0xfc00]),
  FP32: new Float32Array([1.5, -2.25, 3.4028234663852886e38, Number.NaN, Number.POSITIVE_INFINITY, -1e-30]),
  FP64: new Float64Array([Math.PI, -1e-300, Number.MAX_VALUE, Number.NaN, Number.NEGATIVE_INFINITY, 2 ** 60]),
  BYTES: ['hello', 'wörld', '', 'emoji 🎉', 'a,b', '"quoted"'],
};

const sample = (datatype: Datatype, name = 'x'): Tensor => ({ name, datatype, shape: [2, 3], data: samples[datatype] });

let server: TestServer;

beforeAll(async () => {
  const models: Record<string, Uint8Array> = { add: addModel('FP32'), add64: addModel('INT64'), multi: multiIoModel() };
  for (const dt of DATATYPES) models[`id_${dt.toLowerCase()}`] = identityModel(dt, [-1, 3]);
  server = await startTestServer({ models });
});
afterAll(() => server?.close());

async function inject(method: 'GET' | 'POST', url: string, body?: unknown, headers: Record<string, string> = {}) {
  const payload =
    body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : stringifyJson(body);
  return server.app.inject({
    method,
    url,
    ...(payload === undefined ? {} : { payload }),
    headers: payload === undefined ? headers : { 'content-type': 'application/json', ...headers },
  });
}

function outputsOf(res: { body: string }): Tensor[] {
  const parsed = parseJsonLossless(res.body) as { outputs: unknown[] };
  return parsed.outputs.map((o, i) => decodeJsonTensor(o, `outputs[${i}]`));
}

function binaryOutputs(res: { rawPayload: Buffer; headers: Record<string, unknown> }) {
  const headerLength = Number(res.headers['inference-header-content-length']);
  return decodeBinaryBody(res.rawPayload, headerLength, { section: 'outputs' });
}

describe('OIP v2 server endpoints', () => {
  it('GET /v2 advertises the extensions', async () => {
    const res = await inject('GET', '/v2');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      name: 'maas',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      extensions: ['binary_tensor_data', 'model_repository', 'model_configuration', 'statistics', 'tf_serving_predict'],
    });
    assertValidResponse('getServerMetadata', 200, res.headers['content-type'] as string, res.body);
  });

  it('live and ready', async () => {
    expect((await inject('GET', '/v2/health/live')).json()).toEqual({ live: true });
    const ready = await inject('GET', '/v2/health/ready');
    expect([ready.statusCode, ready.json()]).toEqual([200, { ready: true }]);
  });

  it('model metadata from the session, with -1 for dynamic dimensions, with and without version', async () => {
    const expected = {
      name: 'add',
      versions: ['1'],
      platform: 'onnxruntime_onnx',
      inputs: [
        { name: 'a', datatype: 'FP32', shape: [-1, 4] },
        { name: 'b', datatype: 'FP32', shape: [-1, 4] },
      ],
      outputs: [{ name: 'y', datatype: 'FP32', shape: [-1, 4] }],
    };
    const res = await inject('GET', '/v2/models/add');
    expect(res.json()).toEqual(expected);
    assertValidResponse('getModelMetadata', 200, 'application/json', res.body);
    expect((await inject('GET', '/v2/models/add/versions/1')).json()).toEqual(expected);
    const multi = (await inject('GET', '/v2/models/multi')).json();
    expect(multi.inputs.map((i: { datatype: string }) => i.datatype)).toEqual(['INT64', 'BOOL', 'BYTES']);
    expect(multi.outputs.map((o: { name: string }) => o.name)).toEqual([
      'ids_plus_one',
      'mask_not',
      'text_out',
      'count',
    ]);
  });

  it('model ready, with and without version', async () => {
    expect((await inject('GET', '/v2/models/add/ready')).json()).toEqual({ name: 'add', version: '1', ready: true });
    const res = await inject('GET', '/v2/models/add/versions/1/ready');
    expect(res.json()).toEqual({ name: 'add', version: '1', ready: true });
    assertValidResponse('getModelVersionReady', 200, 'application/json', res.body);
  });
});

describe('OIP v2 inference, JSON', () => {
  it.each(DATATYPES.map((d) => [d]))('round-trips %s exactly', async (datatype) => {
    const input = sample(datatype);
    const res = await inject('POST', `/v2/models/id_${datatype.toLowerCase()}/infer`, {
      inputs: [encodeJsonTensor(input)],
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    assertValidResponse('modelInfer', 200, 'application/json', res.body);
    const [out] = outputsOf(res);
    expect(out).toEqual({ name: 'y', datatype, shape: [2, 3], data: input.data });
  });

  it('writes 64-bit integers as exact literals and non-finite floats as strings', async () => {
    const ints = await inject(
      'POST',
      '/v2/models/id_int64/infer',
      '{"inputs":[{"name":"x","datatype":"INT64","shape":[1,3],"data":[9007199254740993,-9223372036854775808,9223372036854775807]}]}',
    );
    expect(ints.body).toContain('"data":[9007199254740993,-9223372036854775808,9223372036854775807]');
    const floats = await inject('POST', '/v2/models/id_fp32/infer', {
      inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 3], data: ['NaN', 'Infinity', '-Infinity'] }],
    });
    expect(floats.body).toContain('"data":["NaN","Infinity","-Infinity"]');
    expect(() => JSON.parse(floats.body)).not.toThrow();
  });

  it('takes nested data, echoes id, accepts parameters, and returns a requested subset of outputs', async () => {
    const res = await inject('POST', '/v2/models/multi/infer', {
      id: 'req-42',
      parameters: { priority: 1, note: 'anything' },
      inputs: [
        {
          name: 'ids',
          datatype: 'INT64',
          shape: [2, 3],
          data: [
            [1, 2, 3],
            [4, 5, 6],
          ],
        },
        {
          name: 'mask',
          datatype: 'BOOL',
          shape: [2, 3],
          data: [
            [true, false, true],
            [false, false, true],
          ],
        },
        { name: 'text', datatype: 'BYTES', shape: [1], data: ['a'] },
      ],
      outputs: [{ name: 'count' }, { name: 'mask_not' }],
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.id).toBe('req-42');
    expect(body.model_name).toBe('multi');
    expect(body.model_version).toBe('1');
    expect(body.outputs).toEqual([
      { name: 'count', datatype: 'INT64', shape: [2], data: [2, 1] },
      { name: 'mask_not', datatype: 'BOOL', shape: [2, 3], data: [false, true, false, true, true, false] },
    ]);
  });

  it('matches the plain-JS forward pass of an MLP (the Keras example network)', async () => {
    const { bytes, layers } = mlpModel({ inputs: 100, hidden: [64, 64], outputs: 10 });
    const loaded = await server.app.inject({
      method: 'POST',
      url: '/v1/models/mlp/versions',
      payload: Buffer.from(bytes),
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(loaded.statusCode).toBe(201);
    const batch = 3;
    const input = Float32Array.from({ length: batch * 100 }, (_, i) => Math.sin(i * 0.37));
    const res = await inject('POST', '/v2/models/mlp/infer', {
      inputs: [encodeJsonTensor({ name: 'input', datatype: 'FP32', shape: [batch, 100], data: input })],
    });
    const [out] = outputsOf(res);
    expect(out?.shape).toEqual([batch, 10]);
    const expected = mlpForward(layers, input, batch);
    const got = out?.data as Float32Array;
    for (let i = 0; i < expected.length; i++) expect(got[i]).toBeCloseTo(expected[i]!, 5);
    for (let r = 0; r < batch; r++) expect(got.slice(r * 10, r * 10 + 10).reduce((a, b) => a + b)).toBeCloseTo(1, 5);
  });

  it('serves dynamic batch sizes and matches the same ORT session run in-process', async () => {
    const reference = await openOnnxModel(addModel('FP32'));
    try {
      for (const batch of [1, 3, 17]) {
        const a = Float32Array.from({ length: batch * 4 }, (_, i) => Math.sin(i) * 10);
        const b = Float32Array.from({ length: batch * 4 }, (_, i) => Math.cos(i) / 3);
        const tensors: Tensor[] = [
          { name: 'a', datatype: 'FP32', shape: [batch, 4], data: a },
          { name: 'b', datatype: 'FP32', shape: [batch, 4], data: b },
        ];
        const res = await inject('POST', '/v2/models/add/versions/1/infer', {
          inputs: tensors.map((t) => encodeJsonTensor(t)),
        });
        const [expected] = await reference.run(tensors);
        expect(outputsOf(res)).toEqual([expected]);
        expect(outputsOf(res)[0]?.data).toEqual(Float32Array.from(a, (v, i) => v + b[i]!));
      }
    } finally {
      await reference.close();
    }
  });

  it('adds INT64 values beyond 2^53 exactly', async () => {
    const res = await inject(
      'POST',
      '/v2/models/add64/infer',
      '{"inputs":[{"name":"a","datatype":"INT64","shape":[1,4],"data":[9007199254740993,1,-5,4611686018427387904]},' +
        '{"name":"b","datatype":"INT64","shape":[1,4],"data":[2,9007199254740993,5,4611686018427387903]}]}',
    );
    expect(res.body).toContain('"data":[9007199254740995,9007199254740994,0,9223372036854775807]');
  });

  it('accepts curl -d bodies (application/x-www-form-urlencoded) as JSON', async () => {
    const res = await inject(
      'POST',
      '/v2/models/id_fp32/infer',
      '{"inputs":[{"name":"x","datatype":"FP32","shape":[1,3],"data":[1,2,3]}]}',
      { 'content-type': 'application/x-www-form-urlencoded' },
    );
    expect(res.statusCode).toBe(200);
    expect(res.json().outputs[0].data).toEqual([1, 2, 3]);
  });
});

describe('OIP v2 inference, binary tensor extension', () => {
  it.each(DATATYPES.map((d) => [d]))('round-trips %s in binary both ways', async (datatype) => {
    const input = sample(datatype);
    const { body, headerLength } = encodeBinaryBody({ inputs: [], parameters: { binary_data_output: true } }, [input], {
      section: 'inputs',
    });
    const res = await server.app.inject({
      method: 'POST',
      url: `/v2/models/id_${datatype.toLowerCase()}/infer`,
      payload: Buffer.from(body),
      headers: { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(headerLength) },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    const decoded = binaryOutputs(res);
    expect(decoded.header).toMatchObject({ model_name: `id_${datatype.toLowerCase()}`, model_version: '1' });
    expect(decoded.tensors).toEqual([{ name: 'y', datatype, shape: [2, 3], data: input.data }]);
  });

  it('writes BYTES binary outputs with 4-byte little-endian length prefixes', async () => {
    const res = await inject('POST', '/v2/models/id_bytes/infer', {
      inputs: [{ name: 'x', datatype: 'BYTES', shape: [1, 3], data: ['ab', '', 'é'] }],
      outputs: [{ name: 'y', parameters: { binary_data: true } }],
    });
    const headerLength = Number(res.headers['inference-header-content-length']);
    const header = JSON.parse(res.rawPayload.subarray(0, headerLength).toString('utf8'));
    expect(header.outputs).toEqual([
      { name: 'y', datatype: 'BYTES', shape: [1, 3], parameters: { binary_data_size: 4 + 2 + 4 + 0 + 4 + 2 } },
    ]);
    expect([...res.rawPayload.subarray(headerLength)]).toEqual([
      2, 0, 0, 0, 97, 98, 0, 0, 0, 0, 2, 0, 0, 0, 0xc3, 0xa9,
    ]);
  });

  it('mixes JSON and binary inputs, and per-output binary_data overrides binary_data_output', async () => {
    const ids: Tensor = {
      name: 'ids',
      datatype: 'INT64',
      shape: [1, 3],
      data: new BigInt64Array([2n ** 62n, -3n, 0n]),
    };
    const text: Tensor = { name: 'text', datatype: 'BYTES', shape: [2], data: ['x', 'ÿ'] };
    const { body, headerLength } = encodeBinaryBody(
      {
        id: 'mixed',
        inputs: [
          { name: 'ids' },
          { name: 'mask', datatype: 'BOOL', shape: [1, 3], data: [true, true, false] },
          { name: 'text' },
        ],
        outputs: [
          { name: 'ids_plus_one', parameters: { binary_data: false } },
          { name: 'count' },
          { name: 'text_out' },
        ],
        parameters: { binary_data_output: true },
      },
      [ids, text],
      { section: 'inputs' },
    );
    const res = await server.app.inject({
      method: 'POST',
      url: '/v2/models/multi/infer',
      payload: Buffer.from(body),
      headers: { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(headerLength) },
    });
    expect(res.statusCode).toBe(200);
    const decoded = binaryOutputs(res);
    expect(decoded.header.id).toBe('mixed');
    const entries = decoded.header.outputs as Array<{ name: string; data?: unknown; parameters?: unknown }>;
    expect(entries.map((e) => [e.name, e.data !== undefined])).toEqual([
      ['ids_plus_one', true],
      ['count', false],
      ['text_out', false],
    ]);
    expect(decoded.tensors.map((t) => [t.name, t.data])).toEqual([
      ['ids_plus_one', new BigInt64Array([2n ** 62n + 1n, -2n, 1n])],
      ['count', new BigInt64Array([2n])],
      ['text_out', ['x', 'ÿ']],
    ]);
  });

  it('answers a binary request in JSON when no binary output is asked for', async () => {
    const { body, headerLength } = encodeBinaryBody({ inputs: [] }, [sample('FP64')], { section: 'inputs' });
    const res = await server.app.inject({
      method: 'POST',
      url: '/v2/models/id_fp64/infer',
      payload: Buffer.from(body),
      headers: { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(headerLength) },
    });
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['inference-header-content-length']).toBeUndefined();
    expect(outputsOf(res)[0]?.data).toEqual(samples.FP64);
  });
});
