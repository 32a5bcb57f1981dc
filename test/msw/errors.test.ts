import { describe, expect, it } from 'vitest';
import { useMock } from './harness.js';

const { call, state } = useMock({ clock: false, apiKeys: ['k1', 'k2'], maxBodyBytes: 4096 });
const auth = { authorization: 'Bearer k2' };
const fp32 = (shape: number[], data: unknown[]) => ({ inputs: [{ name: 'input', datatype: 'FP32', shape, data }] });

async function expectError(
  method: string,
  path: string,
  init: Parameters<typeof call>[2],
  status: number,
  code: string,
  message?: string | RegExp,
) {
  const r = await call(method, path, { ...init, headers: { ...auth, ...init?.headers } });
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.body.code).toBe(code);
  expect(r.body.status).toBe(status);
  expect(r.body.request_id).toBe(r.headers.get('x-request-id'));
  if (typeof message === 'string') expect(r.body.error).toBe(message);
  else if (message) expect(r.body.error).toMatch(message);
  return r;
}

describe('errors, as the server gives them', () => {
  it('401 unauthorized without a key or with a wrong one; health, /v2 and the spec stay open', async () => {
    const none = await call('GET', '/v1/models');
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({
      code: 'unauthorized',
      error: 'Missing or invalid API key: send Authorization: Bearer <key>',
    });
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    const wrong = await call('GET', '/v1/models', { headers: { authorization: 'Bearer nope' } });
    expect(wrong.body.error).toBe('Invalid API key: send Authorization: Bearer <key> with a key this server accepts');
    expect((await call('GET', '/v1/models', { headers: auth })).status).toBe(200);
    for (const open of ['/v2', '/v2/health/live', '/v2/health/ready'])
      expect((await call('GET', open)).status).toBe(200);
    // Unknown routes need the key too (as on the server: auth runs before routing).
    expect((await call('GET', '/v3/nothing')).status).toBe(401);
  });

  it('echoes a sane x-request-id and makes one otherwise', async () => {
    const r = await call('GET', '/v2/models/nope', { headers: { ...auth, 'x-request-id': 'my-id.1' } });
    expect(r.headers.get('x-request-id')).toBe('my-id.1');
    expect(r.body.request_id).toBe('my-id.1');
    const other = await call('GET', '/v2/models/nope', { headers: { ...auth, 'x-request-id': 'bad id with spaces' } });
    expect(other.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]+$/);
  });

  it('unknown model, unknown version, invalid names', async () => {
    await expectError('GET', '/v2/models/nope', {}, 404, 'model_not_found', "Model 'nope' not found");
    await expectError(
      'POST',
      '/v2/models/nope/infer',
      { json: fp32([1, 100], new Array(100).fill(0)) },
      404,
      'model_not_found',
    );
    await expectError(
      'GET',
      '/v2/models/keras_mlp/versions/7',
      {},
      404,
      'version_not_found',
      "Model 'keras_mlp' has no version 7",
    );
    await expectError(
      'GET',
      '/v1/models/keras_mlp/versions/0',
      {},
      400,
      'invalid_parameter',
      "version: expected a positive integer version, got '0'",
    );
    await expectError('GET', '/v1/models/-bad', {}, 400, 'invalid_parameter', /^model: expected a model name matching/);
  });

  it('shape, datatype, missing and unknown tensors name the field, the expected and what came', async () => {
    await expectError(
      'POST',
      '/v2/models/keras_mlp/infer',
      { json: fp32([1, 99], new Array(99).fill(0)) },
      400,
      'input_shape_mismatch',
      "inputs[0]: input 'input' has shape [1,99]; model 'keras_mlp' expects [-1,100] (-1 = any size)",
    );
    await expectError(
      'POST',
      '/v2/models/keras_mlp/infer',
      { json: { inputs: [{ name: 'input', datatype: 'INT32', shape: [1, 100], data: new Array(100).fill(0) }] } },
      400,
      'datatype_mismatch',
      "inputs[0]: input 'input' has datatype INT32; model 'keras_mlp' expects FP32",
    );
    await expectError(
      'POST',
      '/v2/models/keras_mlp/infer',
      { json: fp32([1, 100], ['x', ...new Array(99).fill(0)]) },
      400,
      'datatype_mismatch',
      /^inputs\[0\]\.data\[0\]/,
    );
    await expectError(
      'POST',
      '/v2/models/keras_mlp/infer',
      { json: fp32([1, 100], [1, 2]) },
      400,
      'input_shape_mismatch',
      /^inputs\[0\]\.data: expected 100 values/,
    );
    await expectError(
      'POST',
      '/v2/models/multi_io/infer',
      { json: { inputs: [{ name: 'ids', datatype: 'INT64', shape: [1, 3], data: [1, 2, 3] }] } },
      400,
      'invalid_input',
      "inputs: missing 'mask', 'text'; model 'multi_io' takes 'ids' INT64 [-1,3], 'mask' BOOL [-1,3], 'text' BYTES [-1]",
    );
    await expectError(
      'POST',
      '/v2/models/keras_mlp/infer',
      { json: { inputs: [{ name: 'x', datatype: 'FP32', shape: [1], data: [1] }] } },
      400,
      'invalid_input',
      "inputs[0]: model 'keras_mlp' has no input 'x'; its inputs are 'input'",
    );
    await expectError(
      'POST',
      '/v2/models/keras_mlp/infer',
      { json: { ...fp32([1, 100], new Array(100).fill(0)), outputs: [{ name: 'logits' }] } },
      400,
      'invalid_input',
      "outputs[0]: model 'keras_mlp' has no output 'logits'; its outputs are 'probabilities'",
    );
  });

  it('malformed bodies: invalid JSON, unsupported media types, too large', async () => {
    await expectError(
      'POST',
      '/v2/models/keras_mlp/infer',
      { body: '{"inputs": [', headers: { 'content-type': 'application/json' } },
      400,
      'invalid_json',
      /^body: expected valid JSON, got: /,
    );
    await expectError(
      'POST',
      '/v2/models/keras_mlp/infer',
      { body: 'hello' },
      415,
      'unsupported_media_type',
      "Content-Type 'text/plain;charset=UTF-8' is not supported; this server reads application/json, application/octet-stream, text/csv and application/x-ndjson",
    );
    await expectError(
      'POST',
      '/v2/models/keras_mlp/infer',
      { body: 'a,b\n1,2\n', headers: { 'content-type': 'text/csv' } },
      415,
      'unsupported_media_type',
      "Content-Type 'text/csv' is not supported here; expected application/json or application/octet-stream",
    );
    await expectError(
      'POST',
      '/v2/models/keras_mlp/infer',
      { json: fp32([1, 1000], new Array(1000).fill(0.123456)) },
      413,
      'payload_too_large',
      /^Request body is \d+ bytes; the limit is 4096 bytes \(--max-body-size\)$/,
    );
  });

  it('unknown routes are 404 not_found, known paths with another method 405 with Allow', async () => {
    await expectError('GET', '/v2/nothing', {}, 404, 'not_found', 'No route GET /v2/nothing');
    const r = await expectError(
      'PUT',
      '/v1/models/keras_mlp',
      {},
      405,
      'method_not_allowed',
      'PUT is not allowed on /v1/models/keras_mlp; allowed: GET, PATCH',
    );
    expect(r.headers.get('allow')).toBe('GET, PATCH');
  });

  it('model_not_ready after unload, and the server not ready', async () => {
    await call('POST', '/v2/repository/models/keras_mlp/unload', { headers: auth });
    await expectError(
      'GET',
      '/v2/models/keras_mlp/ready',
      {},
      503,
      'model_not_ready',
      "Model 'keras_mlp' is not ready (state UNAVAILABLE): unloaded",
    );
    await expectError(
      'POST',
      '/v2/models/keras_mlp/versions/1/infer',
      { json: fp32([1, 100], new Array(100).fill(0)) },
      503,
      'model_not_ready',
      "Model 'keras_mlp' version 1 is not ready (state UNAVAILABLE): unloaded",
    );
    state.setReady(false);
    await expectError(
      'GET',
      '/v2/health/ready',
      {},
      503,
      'unavailable',
      'The server is not ready: it is shutting down',
    );
    await expectError('POST', '/v2/models/multi_io/infer', { json: { inputs: {} } }, 400, 'invalid_input');
  });

  it('invalid job state, idempotency conflict, dataset and spec errors', async () => {
    const csv = { body: 'a,b,y\n1,2,0\n2,3,1\n', headers: { 'content-type': 'text/csv' } };
    const ds = await call('POST', '/v1/datasets', {
      ...csv,
      headers: { ...auth, ...csv.headers, 'idempotency-key': 'k' },
    });
    expect(ds.status).toBe(201);
    const replay = await call('POST', '/v1/datasets', {
      ...csv,
      headers: { ...auth, ...csv.headers, 'idempotency-key': 'k' },
    });
    expect(replay.body).toEqual(ds.body);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    await expectError(
      'POST',
      '/v1/datasets',
      { body: 'a,b,y\n9,9,9\n', headers: { 'content-type': 'text/csv', 'idempotency-key': 'k' } },
      409,
      'idempotency_conflict',
      "Idempotency-Key 'k' was already used with a different request; use a new key for a new request",
    );
    const bad = await expectError(
      'POST',
      '/v1/datasets',
      { body: 'a,b\n1,2\n3\n4,x,5\n', headers: { 'content-type': 'text/csv' } },
      422,
      'dataset_invalid',
      'Dataset has 2 invalid rows',
    );
    expect(bad.body.details).toEqual([
      { line: 3, column: 'b', message: 'expected 2 fields, got 1' },
      { line: 4, message: 'expected 2 fields, got 3' },
    ]);
    const spec = {
      model: 'm',
      dataset: ds.body.id,
      task: 'classification',
      target: 'y',
      architecture: { type: 'linear' },
      optimizer: { type: 'sgd' },
      epochs: 1,
    };
    await expectError(
      'POST',
      '/v1/training-jobs',
      { json: { ...spec, target: 'nope' } },
      422,
      'training_spec_invalid',
      "target: column 'nope' is not in the dataset; columns are a, b, y",
    );
    await expectError(
      'POST',
      '/v1/training-jobs',
      { json: { ...spec, epochs: 0 } },
      400,
      'invalid_input',
      'epochs: expected an integer from 1 to 100000, got 0',
    );
    await expectError(
      'POST',
      '/v1/training-jobs',
      { json: { ...spec, dataset: 'ds_missing' } },
      404,
      'dataset_not_found',
      "Dataset 'ds_missing' not found",
    );
    const job = await call('POST', '/v1/training-jobs', { json: spec, headers: auth });
    expect(job.status).toBe(201);
    state.advance();
    await expectError(
      'POST',
      `/v1/training-jobs/${job.body.id}/cancel`,
      {},
      409,
      'invalid_job_state',
      `Job ${job.body.id} is succeeded; only queued or running jobs can be cancelled`,
    );
    await expectError(
      'GET',
      '/v1/training-jobs/job_nope',
      {},
      404,
      'job_not_found',
      "Training job 'job_nope' not found",
    );
    await expectError(
      'GET',
      '/v1/training-jobs?status=done',
      {},
      400,
      'invalid_parameter',
      "status: expected one of queued, running, succeeded, failed, cancelled, got 'done'",
    );
    await expectError(
      'GET',
      '/v1/datasets?limit=0',
      {},
      400,
      'invalid_parameter',
      "limit: expected an integer from 1 to 100, got '0'",
    );
  });
});
