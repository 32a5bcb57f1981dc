import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addModel, identityModel, multiIoModel } from '../support/models.js';
import { assertValidResponse } from '../support/openapi-validator.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    models: {
      id: identityModel('FP32', [-1, 3]),
      add: addModel('FP32', [-1, 2]),
      multi: multiIoModel(),
      text: identityModel('BYTES', [-1]),
    },
  });
});
afterAll(() => server?.close());

async function predict(url: string, body: unknown) {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await server.app.inject({
    method: 'POST',
    url,
    payload,
    headers: { 'content-type': 'application/json' },
  });
  return { status: res.statusCode, json: res.json(), body: res.body, type: res.headers['content-type'] as string };
}

describe('TF-Serving :predict', () => {
  it('row format, single input: instances → predictions', async () => {
    const res = await predict('/v1/models/id:predict', {
      instances: [
        [1, 2, 3],
        [4, 5, 6],
      ],
    });
    expect(res.status).toBe(200);
    assertValidResponse('modelPredict', 200, res.type, res.body);
    expect(res.json).toEqual({
      predictions: [
        [1, 2, 3],
        [4, 5, 6],
      ],
    });
  });

  it('with a version, and the signature name accepted', async () => {
    const res = await predict('/v1/models/id/versions/1:predict', {
      signature_name: 'serving_default',
      instances: [[0.5, 0, -1]],
    });
    expect(res.json).toEqual({ predictions: [[0.5, 0, -1]] });
    expect((await predict('/v1/models/id/versions/2:predict', { instances: [[1, 2, 3]] })).json).toMatchObject({
      status: 404,
      code: 'version_not_found',
    });
  });

  it('row format, several inputs and outputs: objects keyed by name', async () => {
    const res = await predict('/v1/models/add:predict', {
      instances: [
        { a: [1, 2], b: [10, 20] },
        { a: [3, 4], b: [30, 40] },
      ],
    });
    expect(res.json).toEqual({
      predictions: [
        [11, 22],
        [33, 44],
      ],
    });
    // Written as text: 9007199254740993 is not a float64, the server must read it exactly.
    const multi = await predict(
      '/v1/models/multi:predict',
      `{"instances": [{"ids": [9007199254740993, 0, -1], "mask": [true, false, true], "text": "a"},
        {"ids": [1, 2, 3], "mask": [false, false, false], "text": {"b64": "${Buffer.from('é').toString('base64')}"}}]}`,
    );
    expect(multi.status).toBe(200);
    expect(multi.body).toContain('"ids_plus_one":[9007199254740994,1,0]');
    expect(multi.json.predictions[1]).toEqual({
      ids_plus_one: [2, 3, 4],
      mask_not: [true, true, true],
      text_out: 'é',
      count: 0,
    });
    expect(multi.json.predictions[0].count).toBe(2);
  });

  it('columnar format: inputs → outputs', async () => {
    const single = await predict('/v1/models/id:predict', { inputs: [[1, 2, 3]] });
    expect(single.json).toEqual({ outputs: [[1, 2, 3]] });
    const named = await predict('/v1/models/add:predict', { inputs: { a: [[1, 1]], b: [[2, 3]] } });
    expect(named.json).toEqual({ outputs: [[3, 4]] });
  });

  it('BYTES as {"b64": ...}', async () => {
    const res = await predict('/v1/models/text:predict', {
      instances: [{ b64: Buffer.from('hello').toString('base64') }, 'plain'],
    });
    expect(res.json).toEqual({ predictions: ['hello', 'plain'] });
  });

  it('reports bad bodies and shapes with the one error body', async () => {
    const neither = await predict('/v1/models/id:predict', { rows: [] });
    expect(neither.status).toBe(400);
    expect(neither.json).toMatchObject({
      code: 'invalid_input',
      error: expect.stringContaining(
        'expected either "instances" (row format) or "inputs" (columnar format), got neither',
      ),
    });
    const shape = await predict('/v1/models/id:predict', { instances: [[1, 2]] });
    expect(shape.status).toBe(400);
    expect(shape.json.code).toBe('input_shape_mismatch');
    const missing = await predict('/v1/models/add:predict', { instances: [{ a: [1, 2] }] });
    expect(missing.json).toMatchObject({
      status: 400,
      code: 'invalid_input',
      error: expect.stringContaining("missing 'b'"),
    });
    const unknown = await predict('/v1/models/nope:predict', { instances: [[1]] });
    expect(unknown.json).toMatchObject({ status: 404, code: 'model_not_found' });
    assertValidResponse('modelPredict', 404, unknown.type, unknown.body);
  });
});
