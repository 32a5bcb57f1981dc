// Evaluation and optimisation jobs through the HTTP API of a real server: real ONNX Runtime sessions, real rewrites
// in worker threads, candidates that take no unversioned traffic until promoted.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateVersion } from '../../server/optimize/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { convModel, IRIS, maxAbsDiff, readTable, run, trainedModel } from './support.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response shapes
type Json = Record<string, any>;

const iris = readTable(IRIS);
const parent = trainedModel(iris, {
  task: 'classification',
  target: 'species',
  architecture: { type: 'mlp', hidden_layers: [16] },
  epochs: 60,
});

describe('evaluation and optimisation jobs over HTTP', () => {
  let server: TestServer;
  let dataset: string;

  const call = async (method: string, url: string, payload?: unknown) => {
    const res = await server.app.inject({
      method: method as 'GET',
      url,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: res.statusCode, body: res.json() as Json };
  };
  const finished = async (id: string) => {
    for (;;) {
      const { body } = await call('GET', `/v1/optimization-jobs/${id}`);
      if (['succeeded', 'failed', 'cancelled'].includes(body.status)) return body;
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  beforeAll(async () => {
    server = await startTestServer({ models: { iris: parent, conv: convModel() } });
    const res = await server.app.inject({
      method: 'POST',
      url: '/v1/datasets',
      headers: { 'content-type': 'text/csv' },
      payload: readFileSync(IRIS),
    });
    dataset = res.json().id;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('evaluates a version on a dataset with the figures evaluateVersion computes, and compares it with another', async () => {
    const { status, body } = await call('POST', '/v1/models/iris/versions/1/evaluate', {
      dataset,
      target: 'species',
      compare_to: '1',
    });
    expect(status).toBe(200);
    const direct = await evaluateVersion(parent, iris, { target: 'species', latency: false });
    expect(body).toMatchObject({
      object: 'model.evaluation',
      model: 'iris',
      version: '1',
      dataset,
      compare_to: '1',
      task: 'classification',
      output: 'probabilities',
      target: 'species',
      rows: 150,
      labelled_rows: 150,
      agreement: 1,
      max_abs_diff: 0,
      rmse: null,
      size_bytes: parent.length,
    });
    expect(body.accuracy).toBeCloseTo(direct.metrics.accuracy!, 10);
    expect(body.accuracy).toBeGreaterThan(0.8);
    expect(body.loss).toBeCloseTo(direct.metrics.loss!, 6);
    expect(body.latency.map((l: { batch: number }) => l.batch)).toEqual([1, 64]);
    expect(body.gzip_bytes).toBeLessThan(body.size_bytes);
  });

  it('rejects bad evaluate bodies and data that does not fit, naming the field', async () => {
    const bad = await call('POST', '/v1/models/iris/versions/1/evaluate', { dataset, target: 7, extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('invalid_input');
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['extra', 'target']);
    const column = await call('POST', '/v1/models/iris/versions/1/evaluate', { dataset, target: 'colour' });
    expect(column.status).toBe(422);
    expect(column.body.error).toMatch(/target: column 'colour' is not in dataset/);
    const width = await call('POST', '/v1/models/iris/versions/1/evaluate', {
      dataset,
      target: 'species',
      features: ['sepal_length'],
    });
    expect(width.status).toBe(422);
    expect(width.body.error).toMatch(/features: .*takes 4 features; features gives 1/);
    const missing = await call('POST', '/v1/models/iris/versions/9/evaluate', { dataset, target: 'species' });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('version_not_found');
  });

  it('quantises to int8, publishes a candidate that takes no unversioned traffic, and promotes it', async () => {
    const created = await call('POST', '/v1/optimization-jobs', {
      model: 'iris',
      method: { type: 'quantize', precision: 'int8', mode: 'dynamic' },
      evaluation: { dataset, target: 'species' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      object: 'optimization_job',
      status: 'queued',
      version: '1',
      promote: false,
      output_model: 'iris',
      gate: { min_agreement: 0.995, max_accuracy_drop_pt: 0.5 },
      report: null,
    });
    const job = await finished(created.body.id);
    expect(job.error).toBeNull();
    expect(job).toMatchObject({ status: 'succeeded', result: { model: 'iris', version: '2' } });
    expect(job.report.gate).toMatchObject({ method: 'quantize_int8', passed: true });
    expect(job.report.candidate.agreement).toBeGreaterThanOrEqual(0.995);
    expect(job.report.parent.accuracy).toBeCloseTo(
      (await evaluateVersion(parent, iris, { latency: false })).metrics.accuracy!,
      10,
    );
    expect(job.report.rewritten.length).toBeGreaterThan(0);

    const events = (await call('GET', `/v1/optimization-jobs/${job.id}/events`)).body.data as Array<Json>;
    expect(events.every((e) => e.object === 'optimization_job.event')).toBe(true);
    expect(events.filter((e) => e.type === 'stage').map((e) => e.stage)).toEqual([
      'evaluating_parent',
      'optimizing',
      'evaluating_candidate',
      'publishing',
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'status', status: 'succeeded' });

    const model = (await call('GET', '/v1/models/iris')).body;
    expect(model).toMatchObject({ default_version: '1', pinned_version: '1' });
    const v2 = model.versions.find((v: { version: string }) => v.version === '2');
    expect(v2).toMatchObject({
      state: 'READY',
      source: 'optimization',
      optimization_job: job.id,
      parent_model: 'iris',
      parent_version: '1',
      candidate: true,
    });
    // Both stay loaded under the default policy (latest 1): the pinned default and the candidate.
    expect(model.versions.find((v: { version: string }) => v.version === '1').state).toBe('READY');
    const x = { inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 4], data: [5.1, 3.5, 1.4, 0.2] }] };
    expect((await call('POST', '/v2/models/iris/infer', x)).body.model_version).toBe('1');
    expect((await call('POST', '/v2/models/iris/versions/2/infer', x)).body.model_version).toBe('2');
    // TF Serving's path follows the same routing (its answer names the version in a header).
    const rows = { instances: [[5.1, 3.5, 1.4, 0.2]] };
    const tfBefore = await server.app.inject({ method: 'POST', url: '/v1/models/iris:predict', payload: rows });
    expect(tfBefore.headers['x-model-version']).toBe('1');

    const promoted = await call('PATCH', '/v1/models/iris', { default_version: '2' });
    expect(promoted.status).toBe(200);
    expect(promoted.body.default_version).toBe('2');
    expect(promoted.body.versions.find((v: { version: string }) => v.version === '2').candidate).toBeUndefined();
    expect((await call('POST', '/v2/models/iris/infer', x)).body.model_version).toBe('2');
    const tfAfter = await server.app.inject({ method: 'POST', url: '/v1/models/iris:predict', payload: rows });
    expect(tfAfter.headers['x-model-version']).toBe('2');
    expect(tfAfter.json().predictions).toHaveLength(1);
  });

  it('publishes int8 weight-only with the session config it needs, which the server opens it with', async () => {
    const created = await call('POST', '/v1/optimization-jobs', {
      model: 'iris',
      version: '1',
      method: { type: 'quantize', precision: 'int8', mode: 'weight_only' },
      evaluation: { dataset, target: 'species' },
      output_model: 'iris_w8',
      promote: true,
    });
    const job = await finished(created.body.id);
    expect(job.error).toBeNull();
    expect(job.report.session_config).toEqual({ 'session.disable_quant_qdq': '1' });
    const version = (await call('GET', '/v1/models/iris_w8/versions/1')).body;
    expect(version).toMatchObject({ state: 'READY', session_config: { 'session.disable_quant_qdq': '1' } });
    expect(version.candidate).toBeUndefined();
    // Served with the option, its outputs are the ones the job evaluated: the parent's class on every row.
    const x = { inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 4], data: [6.7, 3.0, 5.2, 2.3] }] };
    const w8Out = (await call('POST', '/v2/models/iris_w8/infer', x)).body.outputs as Array<{
      name: string;
      data: number[];
    }>;
    const served = w8Out.find((t) => t.name === 'probabilities')!.data;
    const [expected] = await run(parent, { input: [Float32Array.from([6.7, 3.0, 5.2, 2.3]), [1, 4]] });
    const argmax = (p: ArrayLike<number>) => Array.from(p).indexOf(Math.max(...Array.from(p)));
    expect(argmax(served)).toBe(argmax(expected!));
    expect(maxAbsDiff(served, expected!)).toBeLessThan(0.05);
  });

  it('ends a job whose candidate fails its gate `failed` with the report, publishing nothing', async () => {
    const before = (await call('GET', '/v1/models/iris')).body.versions.length;
    const created = await call('POST', '/v1/optimization-jobs', {
      model: 'iris',
      version: '1',
      method: { type: 'prune', sparsity: 0.97 },
      evaluation: { dataset, target: 'species' },
      gate: { max_accuracy_drop_pt: 0, min_agreement: 1 },
    });
    expect(created.status).toBe(201);
    const job = await finished(created.body.id);
    expect(job.status).toBe('failed');
    expect(job.error.code).toBe('gate_failed');
    expect(job.error.message).toMatch(/FAILED/);
    expect(job.report.gate.passed).toBe(false);
    expect(job.report.sparsity.after).toBeGreaterThan(job.report.sparsity.before + 0.5);
    expect(job.result).toBeNull();
    expect((await call('GET', '/v1/models/iris')).body.versions.length).toBe(before);
  });

  it('prunes with fine-tuning and distils into a smaller student, reporting epochs as they train', async () => {
    const pruned = await call('POST', '/v1/optimization-jobs', {
      model: 'iris',
      version: '1',
      method: { type: 'prune', sparsity: 0.5, fine_tune: { dataset, target: 'species', epochs: 5 } },
      evaluation: { dataset, target: 'species' },
      output_model: 'iris_pruned',
    });
    expect(pruned.status).toBe(201);
    const p = await finished(pruned.body.id);
    expect(p.error).toBeNull();
    expect(p).toMatchObject({ status: 'succeeded', result: { model: 'iris_pruned', version: '1' } });
    expect(p.report.fine_tune.epochs).toBe(5);
    expect(p.report.notes.join(' ')).toMatch(/densifies on load/);
    const pEvents = (await call('GET', `/v1/optimization-jobs/${p.id}/events`)).body.data as Array<Json>;
    expect(pEvents.filter((e) => e.type === 'metrics').map((e) => e.metrics.epoch)).toEqual([1, 2, 3, 4, 5]);
    // A new model: its first version serves (nothing to hold traffic for), and it is still a candidate.
    const prunedModel = (await call('GET', '/v1/models/iris_pruned')).body;
    expect(prunedModel.versions[0]).toMatchObject({ parent_model: 'iris', parent_version: '1', candidate: true });

    const distilled = await call('POST', '/v1/optimization-jobs', {
      model: 'iris',
      version: '1',
      method: {
        type: 'distill',
        dataset,
        student: { architecture: { type: 'mlp', hidden_layers: [8] } },
        temperature: 2,
        alpha: 0.5,
        epochs: 40,
        optimizer: { type: 'adam', learning_rate: 0.01 },
      },
      evaluation: { dataset, target: 'species' },
      gate: { max_accuracy_drop_pt: 10 },
      output_model: 'iris_student',
    });
    expect(distilled.status).toBe(201);
    const d = await finished(distilled.body.id);
    expect(d.error).toBeNull();
    expect(d.report.distillation).toMatchObject({ temperature: 2, alpha: 0.5, rows: 150, labelled_rows: 150 });
    expect(d.report.parameters.after).toBeLessThan(d.report.parameters.before);
    expect(d.report.candidate.accuracy).toBeGreaterThan(0.8);
  });

  it('rejects bad specs with 4xx naming the field', async () => {
    const base = { model: 'iris', evaluation: { dataset, target: 'species' } };
    const unknown = await call('POST', '/v1/optimization-jobs', { ...base, method: { type: 'compress' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details).toEqual([
      { field: 'method.type', message: "expected one of quantize, prune, distill, got 'compress'" },
    ]);
    const sparsity = await call('POST', '/v1/optimization-jobs', { ...base, method: { type: 'prune', sparsity: 1.5 } });
    expect(sparsity.status).toBe(400);
    expect(sparsity.body.details[0].field).toBe('method.sparsity');
    const teacher = await call('POST', '/v1/optimization-jobs', {
      ...base,
      model: 'nobody',
      method: {
        type: 'distill',
        dataset,
        student: { architecture: { type: 'mlp', hidden_layers: [4] } },
        temperature: 2,
        alpha: 0.5,
        epochs: 2,
      },
    });
    expect(teacher.status).toBe(404);
    expect(teacher.body).toMatchObject({ code: 'model_not_found' });
    expect(teacher.body.error).toMatch(/^model: Model 'nobody' not found/);
    const dense = await call('POST', '/v1/optimization-jobs', {
      ...base,
      model: 'conv',
      method: { type: 'prune', sparsity: 0.5, fine_tune: { dataset, target: 'species', epochs: 1 } },
    });
    expect(dense.status).toBe(422);
    expect(dense.body.code).toBe('fine_tune_unsupported');
    expect(dense.body.error).toMatch(/^method\.fine_tune: /);
    const column = await call('POST', '/v1/optimization-jobs', {
      ...base,
      evaluation: { dataset, target: 'colour' },
      method: { type: 'quantize', precision: 'fp16' },
    });
    expect(column.status).toBe(422);
    expect(column.body.details[0].field).toBe('evaluation.target');
    // A training job's id is not an optimisation job.
    expect((await call('GET', '/v1/optimization-jobs/job_nothing')).status).toBe(404);
  });
});
