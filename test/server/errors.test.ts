import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { features } from '../../server/app.js';
import { encodeBinaryBody } from '../../src/protocol/index.js';
import { addModel, corruptModel, identityModel, unsupportedOpModel } from '../support/models.js';
import { validateSchema } from '../support/openapi-validator.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    models: {
      add: addModel('FP32'),
      id_fp32: identityModel('FP32', [-1, 3]),
      fixed: identityModel('INT32', [2, 2]),
      broken: corruptModel(),
      unsupported: unsupportedOpModel(),
    },
    settings: { maxBodySize: 4096 },
    features: [
      ...features,
      {
        name: 'test-crash',
        setup(app) {
          app.get('/test/crash', async () => {
            throw new Error('secret internals at /srv/app.js:12');
          });
        },
      },
    ],
  });
});
afterAll(() => server?.close());

interface Expected {
  status: number;
  code: string;
  /** Substrings the message must contain. */
  message: string | string[];
}

async function expectError(
  request: { method?: string; url: string; body?: unknown; headers?: Record<string, string> },
  expected: Expected,
) {
  const body = request.body;
  const payload =
    body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const res = await server.app.inject({
    method: (request.method ?? 'POST') as 'POST',
    url: request.url,
    ...(payload === undefined ? {} : { payload }),
    headers: {
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      'x-request-id': 'test-req-1',
      ...request.headers,
    },
  });
  const json = res.json();
  expect(res.statusCode).toBe(expected.status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.headers['x-request-id']).toBe('test-req-1');
  expect(json).toMatchObject({ code: expected.code, status: expected.status, request_id: 'test-req-1' });
  for (const part of Array.isArray(expected.message) ? expected.message : [expected.message]) {
    expect(json.error).toContain(part);
  }
  expect(validateSchema('Error', json)).toEqual([]);
  expect(res.body).not.toMatch(/\n\s+at /);
  return json;
}

const fp32 = (shape: number[], data: unknown[], name = 'x') => ({ name, datatype: 'FP32', shape, data });

describe('errors: one body, a stable code, a message naming the field', () => {
  it('a binary infer body without Inference-Header-Content-Length says that header is missing', async () => {
    const header = Buffer.from(
      JSON.stringify({
        inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 3], parameters: { binary_data_size: 12 } }],
      }),
    );
    await expectError(
      {
        url: '/v2/models/id_fp32/infer',
        body: Buffer.concat([header, Buffer.from(new Float32Array([1, 2, 3]).buffer)]),
        headers: { 'content-type': 'application/octet-stream' },
      },
      {
        status: 400,
        code: 'invalid_input',
        message: [
          'Inference-Header-Content-Length header: missing. A binary infer body (application/octet-stream) is a JSON header followed by raw tensor bytes',
          'Reading the body as JSON failed',
        ],
      },
    );
  });

  it(':classify and :regress say they are not supported and what to use instead', async () => {
    for (const verb of ['classify', 'regress']) {
      await expectError(
        { url: `/v1/models/add:${verb}`, body: { examples: [] } },
        {
          status: 404,
          code: 'not_found',
          message: `TF Serving's :${verb} is not supported (it takes tf.Example inputs); send the same features to :predict`,
        },
      );
    }
  });

  it('an unknown model name suggests the near matches', async () => {
    await expectError(
      { method: 'GET', url: '/v2/models/id_fp3' },
      { status: 404, code: 'model_not_found', message: "Model 'id_fp3' not found. Did you mean 'id_fp32'?" },
    );
    const far = await expectError(
      { method: 'GET', url: '/v2/models/zzzzzzzz' },
      { status: 404, code: 'model_not_found', message: "Model 'zzzzzzzz' not found" },
    );
    expect(far.error).toBe("Model 'zzzzzzzz' not found");
  });

  it("reads a CSV sent with curl's default form content type, and explains a body curl -d flattened", async () => {
    const ok = await server.app.inject({
      method: 'POST',
      url: '/v1/datasets',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'a,b\n1,2\n3,4\n',
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ format: 'csv', rows: 2 });
    const jsonl = await server.app.inject({
      method: 'POST',
      url: '/v1/datasets',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: '{"a":1}\n{"a":2}\n',
    });
    expect(jsonl.json()).toMatchObject({ format: 'jsonl', rows: 2 });
    await expectError(
      { url: '/v1/datasets', body: 'a,b1,23,4', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      {
        status: 400,
        code: 'invalid_input',
        message:
          "as `curl -d @file` makes it (it strips newlines); send the file with --data-binary @file -H 'content-type: text/csv'",
      },
    );
  });

  it('invalid_json: malformed and empty bodies', async () => {
    await expectError(
      { url: '/v2/models/add/infer', body: '{"inputs": [' },
      {
        status: 400,
        code: 'invalid_json',
        message: ['body: expected valid JSON', 'position 12'],
      },
    );
    await expectError(
      { url: '/v2/models/add/infer', body: '', headers: { 'content-type': 'application/json' } },
      {
        status: 400,
        code: 'invalid_json',
        message: 'Request body is empty; expected an InferRequest JSON object with "inputs"',
      },
    );
  });

  it('input_shape_mismatch names the input, the expected and the received shape', async () => {
    await expectError(
      { url: '/v2/models/id_fp32/infer', body: { inputs: [fp32([1, 4], [1, 2, 3, 4])] } },
      {
        status: 400,
        code: 'input_shape_mismatch',
        message: "inputs[0]: input 'x' has shape [1,4]; model 'id_fp32' expects [-1,3]",
      },
    );
    await expectError(
      {
        url: '/v2/models/fixed/infer',
        body: { inputs: [{ name: 'x', datatype: 'INT32', shape: [3, 2], data: [1, 2, 3, 4, 5, 6] }] },
      },
      { status: 400, code: 'input_shape_mismatch', message: "input 'x' has shape [3,2]; model 'fixed' expects [2,2]" },
    );
    // Data that does not fill the declared shape.
    await expectError(
      { url: '/v2/models/id_fp32/infer', body: { inputs: [fp32([1, 3], [1, 2])] } },
      {
        status: 400,
        code: 'input_shape_mismatch',
        message: 'inputs[0].data: expected 3 values for shape [1,3], got 2',
      },
    );
  });

  it('datatype_mismatch: wrong declared datatype, or a value that does not fit it', async () => {
    await expectError(
      {
        url: '/v2/models/id_fp32/infer',
        body: { inputs: [{ name: 'x', datatype: 'FP64', shape: [1, 3], data: [1, 2, 3] }] },
      },
      {
        status: 400,
        code: 'datatype_mismatch',
        message: "inputs[0]: input 'x' has datatype FP64; model 'id_fp32' expects FP32",
      },
    );
    await expectError(
      {
        url: '/v2/models/fixed/infer',
        body: { inputs: [{ name: 'x', datatype: 'INT32', shape: [2, 2], data: [1, 2, 'three', 4] }] },
      },
      { status: 400, code: 'datatype_mismatch', message: 'inputs[0].data[2]' },
    );
  });

  it('invalid_input: unknown, missing and duplicate inputs, unknown outputs, bad structure', async () => {
    await expectError(
      { url: '/v2/models/add/infer', body: { inputs: [fp32([1, 4], [1, 2, 3, 4], 'c')] } },
      {
        status: 400,
        code: 'invalid_input',
        message: "inputs[0]: model 'add' has no input 'c'; its inputs are 'a', 'b'",
      },
    );
    await expectError(
      { url: '/v2/models/add/infer', body: { inputs: [fp32([1, 4], [1, 2, 3, 4], 'a')] } },
      {
        status: 400,
        code: 'invalid_input',
        message: "inputs: missing 'b'; model 'add' takes 'a' FP32 [-1,4], 'b' FP32 [-1,4]",
      },
    );
    await expectError(
      {
        url: '/v2/models/add/infer',
        body: { inputs: [fp32([1, 4], [1, 2, 3, 4], 'a'), fp32([1, 4], [1, 2, 3, 4], 'a')] },
      },
      { status: 400, code: 'invalid_input', message: "inputs[1]: input 'a' is given twice" },
    );
    await expectError(
      { url: '/v2/models/id_fp32/infer', body: { inputs: [fp32([1, 3], [1, 2, 3])], outputs: [{ name: 'z' }] } },
      {
        status: 400,
        code: 'invalid_input',
        message: "outputs[0]: model 'id_fp32' has no output 'z'; its outputs are 'y'",
      },
    );
    await expectError(
      { url: '/v2/models/id_fp32/infer', body: { inputs: {} } },
      {
        status: 400,
        code: 'invalid_input',
        message: 'inputs: expected an array of tensors, got an object',
      },
    );
    await expectError(
      { url: '/v2/models/id_fp32/infer', body: { inputs: [{ name: 'x', datatype: 'FP8', shape: [1], data: [1] }] } },
      {
        status: 400,
        code: 'invalid_input',
        message: 'inputs[0].datatype: expected one of BOOL',
      },
    );
    await expectError(
      { url: '/v2/models/id_fp32/infer', body: { inputs: [fp32([1, 3], [1, 2, 3])], id: 5 } },
      {
        status: 400,
        code: 'invalid_input',
        message: 'id: expected a string, got 5',
      },
    );
  });

  it('invalid_input: binary bodies whose sizes do not add up', async () => {
    const { body, headerLength } = encodeBinaryBody(
      { inputs: [] },
      [{ name: 'x', datatype: 'FP32', shape: [1, 3], data: new Float32Array(3) }],
      { section: 'inputs' },
    );
    await expectError(
      {
        url: '/v2/models/id_fp32/infer',
        body: Buffer.from(body).subarray(0, body.length - 4),
        headers: {
          'content-type': 'application/octet-stream',
          'inference-header-content-length': String(headerLength),
        },
      },
      { status: 400, code: 'invalid_input', message: 'expected 12 bytes of binary tensor data' },
    );
    await expectError(
      {
        url: '/v2/models/id_fp32/infer',
        body: Buffer.from(body),
        headers: { 'content-type': 'application/octet-stream', 'inference-header-content-length': 'lots' },
      },
      {
        status: 400,
        code: 'invalid_input',
        message: 'inference-header-content-length: expected a non-negative integer',
      },
    );
  });

  it('invalid_parameter: model names and versions are checked before anything else', async () => {
    await expectError(
      { method: 'GET', url: '/v2/models/.hidden' },
      {
        status: 400,
        code: 'invalid_parameter',
        message: "model: expected a model name matching ^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$, got '.hidden'",
      },
    );
    await expectError(
      { method: 'GET', url: '/v2/models/%2E%2E%2Fetc' },
      { status: 400, code: 'invalid_parameter', message: "got '../etc'" },
    );
    await expectError(
      { method: 'GET', url: '/v2/models/add/versions/0' },
      {
        status: 400,
        code: 'invalid_parameter',
        message: "version: expected a positive integer version, got '0'",
      },
    );
    await expectError(
      { method: 'GET', url: '/v1/models?limit=500' },
      {
        status: 400,
        code: 'invalid_parameter',
        message: "limit: expected an integer from 1 to 100, got '500'",
      },
    );
  });

  it('unsupported_media_type', async () => {
    await expectError(
      { url: '/v2/models/add/infer', body: 'hello', headers: { 'content-type': 'text/plain' } },
      {
        status: 415,
        code: 'unsupported_media_type',
        message: "Content-Type 'text/plain' is not supported",
      },
    );
    await expectError(
      { url: '/v1/models/m/versions', body: { not: 'onnx' } },
      {
        status: 415,
        code: 'unsupported_media_type',
        message: "Content-Type 'application/json' is not supported here; expected application/octet-stream",
      },
    );
  });

  it('payload_too_large names the size and the limit', async () => {
    const big = JSON.stringify({ inputs: [fp32([1, 3], [1, 2, 3])], pad: 'x'.repeat(5000) });
    await expectError(
      { url: '/v2/models/id_fp32/infer', body: big },
      {
        status: 413,
        code: 'payload_too_large',
        message: `Request body is ${big.length} bytes; the limit is 4096 bytes (--max-body-size)`,
      },
    );
  });

  it('not_found and method_not_allowed', async () => {
    await expectError(
      { method: 'GET', url: '/v3/nothing' },
      { status: 404, code: 'not_found', message: 'No route GET /v3/nothing' },
    );
    const json = await expectError(
      { method: 'DELETE', url: '/v2/models/add/infer' },
      {
        status: 405,
        code: 'method_not_allowed',
        message: 'DELETE is not allowed on /v2/models/add/infer; allowed: POST',
      },
    );
    expect(json.status).toBe(405);
  });

  it('model_not_found, version_not_found', async () => {
    await expectError(
      { url: '/v2/models/nope/infer', body: { inputs: [fp32([1, 3], [1, 2, 3])] } },
      {
        status: 404,
        code: 'model_not_found',
        message: "Model 'nope' not found",
      },
    );
    await expectError(
      { url: '/v2/models/add/versions/9/infer', body: { inputs: [fp32([1, 4], [1, 2, 3, 4], 'a')] } },
      {
        status: 404,
        code: 'version_not_found',
        message: "Model 'add' has no version 9",
      },
    );
    await expectError(
      { method: 'GET', url: '/v1/models/nope' },
      { status: 404, code: 'model_not_found', message: "Model 'nope' not found" },
    );
  });

  it("model_not_ready for a model that failed to load, with ONNX Runtime's message; others still serve", async () => {
    await expectError(
      { url: '/v2/models/broken/infer', body: { inputs: [fp32([1, 3], [1, 2, 3])] } },
      {
        status: 503,
        code: 'model_not_ready',
        message: ["Model 'broken' is not ready (state UNAVAILABLE)", 'Protobuf parsing failed'],
      },
    );
    await expectError(
      { method: 'GET', url: '/v2/models/unsupported/versions/1/ready' },
      {
        status: 503,
        code: 'model_not_ready',
        message: [
          "Model 'unsupported' version 1 is not ready (state UNAVAILABLE)",
          'com.example:Nope(-1) is not a registered function/op',
        ],
      },
    );
    const ok = await server.app.inject({
      method: 'POST',
      url: '/v2/models/id_fp32/infer',
      payload: { inputs: [fp32([1, 3], [1, 2, 3])] },
    });
    expect(ok.statusCode).toBe(200);
  });

  it('internal: an unexpected failure is a 500 that reveals nothing', async () => {
    const json = await expectError(
      { method: 'GET', url: '/test/crash' },
      { status: 500, code: 'internal', message: 'Internal server error' },
    );
    expect(json.error).toBe('Internal server error');
  });
});
