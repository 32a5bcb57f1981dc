import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SessionPool } from '../../server/inference/pool.js';
import { MaasClient } from '../../src/index.js';
import { encodeBinaryBody } from '../../src/protocol/index.js';
import { addModel, constantModel, identityModel, mlpForward, mlpModel, slowModel } from '../support/models.js';
import { startTestServer, type TestServer } from '../support/server.js';

// The serving engine end to end on real sessions: configuration, worker threads, batching, warmup, stats, overload.
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(models: Record<string, { onnx: Uint8Array; config?: unknown }>, settings = {}) {
  server = await startTestServer({ settings: { intraOpThreads: 1, ...settings } });
  for (const [name, { onnx, config }] of Object.entries(models)) {
    mkdirSync(join(server.modelRepository, name, '1'), { recursive: true });
    writeFileSync(join(server.modelRepository, name, '1', 'model.onnx'), onnx);
    if (config) writeFileSync(join(server.modelRepository, name, 'config.json'), JSON.stringify(config));
  }
  await server.registry.refresh();
  return server;
}

const post = (path: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  fetch(`${server!.baseUrl}${path}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const fp32 = (shape: number[], data: number[], name = 'x') => ({ name, datatype: 'FP32', shape, data });
const slowBody = (n: number) => ({ inputs: [{ name: 'size', datatype: 'INT64', shape: [2], data: [n, n] }] });

describe('serving engine', () => {
  it('serves the effective configuration with every default filled in and inputs completed from the model', async () => {
    await start({
      m: {
        onnx: addModel('FP32', [-1, 4]),
        config: { max_batch_size: 16, dynamic_batching: { max_queue_delay_microseconds: 100 } },
      },
    });
    const res = await fetch(`${server!.baseUrl}/v2/models/m/config`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      name: 'm',
      platform: 'onnxruntime_onnx',
      backend: 'onnxruntime',
      description: '',
      version_policy: { latest: { num_versions: 1 } },
      max_batch_size: 16,
      input: [
        { name: 'a', data_type: 'TYPE_FP32', dims: [4] },
        { name: 'b', data_type: 'TYPE_FP32', dims: [4] },
      ],
      output: [{ name: 'y', data_type: 'TYPE_FP32', dims: [4] }],
      dynamic_batching: {
        preferred_batch_size: [],
        max_queue_delay_microseconds: 100,
        default_queue_policy: { max_queue_size: 0 },
      },
      instance_group: [{ name: 'm', kind: 'KIND_CPU', count: 1 }],
      parameters: { intra_op_thread_count: { string_value: '1' } },
      model_warmup: [],
    });
  });

  it('reports a bad config.json as UNAVAILABLE with the field named; the other models keep serving', async () => {
    await start({
      typo: { onnx: identityModel('FP32', [-1, 3]), config: { max_batch_size: 4, dynamic_batching: { max_delay: 5 } } },
      fixed: { onnx: identityModel('FP32', [2, 3]), config: { max_batch_size: 4 } },
      ok: { onnx: identityModel('FP32', [-1, 3]) },
    });
    expect(server!.registry.getVersion('typo', 1)).toMatchObject({
      state: 'UNAVAILABLE',
      reason: expect.stringContaining('config.json: dynamic_batching.max_delay: unknown field'),
    });
    expect(server!.registry.getVersion('fixed', 1)).toMatchObject({
      state: 'UNAVAILABLE',
      reason: expect.stringContaining("batches along the first dimension, but input 'x' has shape [2,3]"),
    });
    const ok = await post('/v2/models/ok/infer', { inputs: [fp32([1, 3], [1, 2, 3])] });
    expect((await ok.json()).outputs[0].data).toEqual([1, 2, 3]);
  });

  it('runs sessions off the server thread: a slow run does not delay health, metadata or other models', async () => {
    await start({ slow: { onnx: slowModel({ matmuls: 3 }) }, fast: { onnx: identityModel('FP32', [-1, 3]) } });
    const order: string[] = [];
    const slow = post('/v2/models/slow/infer', slowBody(1024)).then(async (r) => {
      order.push(`slow ${r.status}`);
      return r.json();
    });
    await new Promise((r) => setTimeout(r, 20));
    const ready = await fetch(`${server!.baseUrl}/v2/health/ready`);
    order.push(`ready ${ready.status}`);
    const meta = await fetch(`${server!.baseUrl}/v2/models/fast`);
    order.push(`metadata ${meta.status}`);
    const fast = await post('/v2/models/fast/infer', { inputs: [fp32([1, 3], [4, 5, 6])] });
    order.push(`fast ${fast.status}`);
    expect((await slow).outputs[0].data).toEqual([1024 ** 3]);
    expect(order).toEqual(['ready 200', 'metadata 200', 'fast 200', 'slow 200']);
  });

  it('batches concurrent requests into one execution whose rows come back to their requests exactly', async () => {
    const mlp = mlpModel({ seed: 3, inputs: 6, hidden: [5], outputs: 3 });
    await start({
      mlp: {
        onnx: mlp.bytes,
        config: {
          max_batch_size: 8,
          dynamic_batching: { max_queue_delay_microseconds: 200_000, preferred_batch_size: [4] },
        },
      },
    });
    const inputName = server!.registry.getVersion('mlp', 1)!.inputs[0]!.name;
    const width = server!.registry.getVersion('mlp', 1)!.inputs[0]!.shape[1]!;
    const requests = [1, 1, 2].map((n, r) => Array.from({ length: n * width }, (_, i) => Math.sin(r * 31 + i)));
    const responses = await Promise.all(
      requests.map((data) =>
        post('/v2/models/mlp/infer', { inputs: [fp32([data.length / width, width], data, inputName)] }).then((res) =>
          res.json(),
        ),
      ),
    );
    responses.forEach((body, r) => {
      const n = requests[r]!.length / width;
      const expected = mlpForward(mlp.layers, requests[r]!, n);
      expect(body.outputs[0].shape[0]).toBe(n);
      body.outputs[0].data.forEach((v: number, i: number) => {
        expect(v).toBeCloseTo(expected[i]!, 5);
      });
    });
    const stats = (await (await fetch(`${server!.baseUrl}/v2/models/mlp/stats`)).json()).model_stats[0];
    expect(stats).toMatchObject({ name: 'mlp', version: '1', inference_count: 4, execution_count: 1 });
    expect(stats.inference_stats.success.count).toBe(3);
    expect(stats.batch_stats.map((b: { batch_size: number }) => b.batch_size)).toEqual([4]);
    expect(stats.inference_stats.queue.ns).toBeGreaterThan(0);
  });

  it('counts every request in the statistics, successes and failures, and advertises the extension', async () => {
    await start({ m: { onnx: identityModel('FP32', [-1, 3]) } });
    for (let i = 0; i < 3; i++) await post('/v2/models/m/infer', { inputs: [fp32([2, 3], [1, 2, 3, 4, 5, 6])] });
    await post('/v2/models/m/infer', { inputs: [fp32([1, 4], [1, 2, 3, 4])] });
    await post('/v1/models/m:predict', { instances: [[1, 2, 3]] });
    const body = await (await fetch(`${server!.baseUrl}/v2/models/stats`)).json();
    const stats = body.model_stats.find((s: { name: string }) => s.name === 'm');
    expect(stats).toMatchObject({
      version: '1',
      inference_count: 7,
      execution_count: 4,
      inference_stats: { success: { count: 4 }, fail: { count: 1 }, cache_hit: { count: 0, ns: 0 } },
    });
    expect(stats.last_inference).toBeGreaterThan(Date.now() - 60_000);
    expect((await (await fetch(`${server!.baseUrl}/v2/models/m/versions/1/stats`)).json()).model_stats).toHaveLength(1);
    expect((await fetch(`${server!.baseUrl}/v2/models/nope/stats`)).status).toBe(404);
    expect((await (await fetch(`${server!.baseUrl}/v2`)).json()).extensions).toEqual(
      expect.arrayContaining(['statistics', 'model_configuration']),
    );
  });

  it('gates READY on warmup: a failing warmup leaves the version UNAVAILABLE with the reason', async () => {
    await start({
      warm: {
        onnx: identityModel('FP32', [-1, 3]),
        config: {
          max_batch_size: 4,
          model_warmup: [
            {
              name: 'ones',
              batch_size: 2,
              count: 3,
              inputs: { x: { data_type: 'TYPE_FP32', dims: [3], random_data: true } },
            },
          ],
        },
      },
      cold: {
        onnx: identityModel('FP32', [-1, 3]),
        config: {
          model_warmup: [
            { name: 'wrong', batch_size: 1, inputs: { y: { data_type: 'TYPE_FP32', dims: [1, 3], zero_data: true } } },
          ],
        },
      },
    });
    expect(server!.registry.getVersion('warm', 1)?.state).toBe('READY');
    const stats = (await (await fetch(`${server!.baseUrl}/v2/models/warm/stats`)).json()).model_stats[0];
    expect(stats.inference_count).toBe(0); // warmup runs are not requests
    expect(server!.registry.getVersion('cold', 1)).toMatchObject({
      state: 'UNAVAILABLE',
      reason: expect.stringMatching(/^warmup 'wrong' failed: /),
    });
  });

  it('replaces a crashed worker; what it was running fails with a clear 503, the next request works', async () => {
    await start({ slow: { onnx: slowModel() } });
    // The worker dies as a crashing one would, holding the next request it is sent.
    const lease = server!.registry.acquire('slow');
    (lease.model as SessionPool).crashWorkerForTest(0);
    lease.release();
    const res = await post('/v2/models/slow/infer', slowBody(256));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toMatchObject({
      code: 'unavailable',
      error:
        "Model 'slow' lost its inference worker (the inference worker exited (code 70)); the request did not run, retry it",
    });
    const again = await post('/v2/models/slow/infer', slowBody(64));
    expect((await again.json()).outputs[0].data).toEqual([64 ** 3]);
  });

  it('refuses at once with 503 overloaded and Retry-After beyond --max-inflight', async () => {
    await start({ slow: { onnx: slowModel({ matmuls: 4 }) } }, { maxInflight: 1 });
    const first = post('/v2/models/slow/infer', slowBody(1024));
    await vi.waitFor(() => expect(server!.server.dataPlane.inflightCount).toBe(1), { timeout: 10_000, interval: 5 });
    const refused = await post('/v2/models/slow/infer', slowBody(8));
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toMatchObject({
      code: 'overloaded',
      error: 'The server has 1 inference requests in progress, its limit (--max-inflight); retry shortly',
    });
    expect((await first).status).toBe(200);
  });

  it('reads infer bodies without a Content-Type (Triton clients): JSON, or binary with its header length', async () => {
    await start({ m: { onnx: identityModel('FP32', [-1, 3]) } });
    const json = await fetch(`${server!.baseUrl}/v2/models/m/infer`, {
      method: 'POST',
      body: Buffer.from(JSON.stringify({ inputs: [fp32([1, 3], [1, 2, 3])] })),
    });
    expect(json.status).toBe(200);
    expect((await json.json()).outputs[0].data).toEqual([1, 2, 3]);
    const { body, headerLength } = encodeBinaryBody({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 3] }] }, [
      { name: 'x', datatype: 'FP32', shape: [1, 3], data: new Float32Array([7, 8, 9]) },
    ]);
    const binary = await fetch(`${server!.baseUrl}/v2/models/m/infer`, {
      method: 'POST',
      headers: { 'inference-header-content-length': String(headerLength) },
      body: Buffer.from(body),
    });
    expect(binary.status).toBe(200);
    expect((await binary.json()).outputs[0].data).toEqual([7, 8, 9]);
    // Other routes still want their types.
    const upload = await fetch(`${server!.baseUrl}/v1/training-jobs`, { method: 'POST', body: '{}' });
    expect(upload.status).toBe(415);
  });

  it('serves a model with no inputs on "inputs": [], and reads bare NaN/Infinity tokens in request JSON', async () => {
    await start({ constants: { onnx: constantModel() }, m: { onnx: identityModel('FP32', [-1, 3]) } });
    const none = await post('/v2/models/constants/infer', { inputs: [] });
    expect(none.status).toBe(200);
    expect((await none.json()).outputs[0]).toMatchObject({ name: 'answer', shape: [2], data: [4, 2] });
    const sdk = new MaasClient({ baseUrl: server!.baseUrl, apiKey: null, maxRetries: 0 });
    expect(
      Array.from((await sdk.models.infer('constants', { inputs: {} })).output('answer').data as Float32Array),
    ).toEqual([4, 2]);
    const missing = await post('/v2/models/m/infer', { inputs: [] });
    expect((await missing.json()).error).toMatch(/^inputs: missing 'x'/);
    // What tritonclient writes for non-finite floats (not JSON): read as those values, answered as strict JSON.
    const text = '{"inputs":[{"name":"x","datatype":"FP32","shape":[1,3],"data":[NaN, Infinity, -Infinity]}]}';
    const res = await post('/v2/models/m/infer', text);
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(JSON.parse(body).outputs[0].data).toEqual(['NaN', 'Infinity', '-Infinity']);
  });

  it('answers 404 model_not_found for an unknown model whatever the body', async () => {
    await start({ m: { onnx: identityModel('FP32', [-1, 3]) } });
    for (const body of ['{"inputs": [', '', 'not json at all']) {
      const res = await post('/v2/models/nope/infer', body);
      expect(res.status).toBe(404);
      expect((await res.json()).code).toBe('model_not_found');
    }
    const predict = await post('/v1/models/nope:predict', '{{{');
    expect(predict.status).toBe(404);
  });
});
