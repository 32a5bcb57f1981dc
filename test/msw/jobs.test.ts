import { afterEach, describe, expect, it, vi } from 'vitest';
import { epochMetrics } from '../../src/msw/index.js';
import { useMock } from './harness.js';

const IRIS = `sepal_length,sepal_width,species
5.1,3.5,setosa
4.9,3.0,setosa
6.7,3.1,versicolor
6.3,2.5,versicolor
5.8,2.7,virginica
7.1,3.0,virginica
6.0,2.2,versicolor
5.0,3.4,setosa
6.9,3.1,virginica
5.5,2.4,versicolor
`;

const spec = (dataset: string, extra: Record<string, unknown> = {}) => ({
  model: 'iris',
  dataset,
  task: 'classification',
  target: 'species',
  architecture: { type: 'mlp', hidden_layers: [8] },
  optimizer: { type: 'adam', learning_rate: 0.01 },
  epochs: 3,
  seed: 7,
  ...extra,
});

describe('training jobs, driven by advance()', () => {
  const { call, state } = useMock({ clock: false });

  async function createJob(extra: Record<string, unknown> = {}) {
    const ds = await call('POST', '/v1/datasets?name=iris.csv', {
      body: IRIS,
      headers: { 'content-type': 'text/csv' },
    });
    expect(ds.status).toBe(201);
    const job = await call('POST', '/v1/training-jobs', { json: spec(ds.body.id, extra) });
    expect(job.status).toBe(201);
    return job.body;
  }

  const get = async (id: string) => (await call('GET', `/v1/training-jobs/${id}`)).body;
  const events = async (id: string) => (await call('GET', `/v1/training-jobs/${id}/events`)).body.data;

  it('resolves the spec and queues the job', async () => {
    const job = await createJob();
    expect(job).toMatchObject({
      object: 'training_job',
      status: 'queued',
      model: 'iris',
      queue_position: 0,
      started_at: null,
      metrics: null,
      result: null,
      error: null,
    });
    expect(job.id).toMatch(/^job_/);
    expect(job.hyperparameters).toEqual({
      task: 'classification',
      target: 'species',
      features: ['sepal_length', 'sepal_width'],
      architecture: { type: 'mlp', hidden_layers: [8], activation: 'relu' },
      optimizer: { type: 'adam', learning_rate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weight_decay: 0 },
      loss: 'cross_entropy',
      epochs: 3,
      batch_size: 32,
      validation_split: 0.2,
      early_stopping: null,
      seed: 7,
    });
  });

  it('moves queued → running → one metrics event per epoch → succeeded, and deploys the model', async () => {
    const job = await createJob();
    expect(state.advance(1)).toBe(1);
    expect(await get(job.id)).toMatchObject({ status: 'running', queue_position: null, metrics: null });
    state.advance(1);
    const afterOne = await get(job.id);
    const expectedEpoch1 = epochMetrics(
      { hyperparameters: job.hyperparameters, classCount: 3, trainRows: 8, validates: true, epochMs: 20 },
      1,
    );
    expect(afterOne.metrics).toEqual(expectedEpoch1);
    // The documented formula, spelled out: r = exp(-3·1/3), L0 = ln 3.
    const r = Math.exp(-1);
    expect(afterOne.metrics.train_loss).toBeCloseTo(Math.log(3) * r, 12);
    expect(afterOne.metrics.train_accuracy).toBeCloseTo(1 - (2 / 3) * r, 12);
    expect(afterOne.metrics.val_loss).toBeCloseTo(1.1 * Math.log(3) * r, 12);
    expect(afterOne.metrics.samples_per_second).toBe(400);
    expect(state.advance()).toBe(2);
    const done = await get(job.id);
    expect(done).toMatchObject({ status: 'succeeded', result: { model: 'iris', version: '1' }, error: null });
    expect(done.metrics.epoch).toBe(3);
    expect(done.finished_at).not.toBeNull();
    const list = await events(job.id);
    expect(
      list.map(
        (e: { type: string; status?: string; metrics?: { epoch: number } }) => e.status ?? e.metrics?.epoch ?? e.type,
      ),
    ).toEqual(['queued', 'running', 'message', 1, 2, 3, 'message', 'succeeded']);
    expect(list.map((e: { id: number }) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(list[2].message).toMatch(/^Training /);
    expect(list[6].message).toBe('Deployed as model iris version 1');
    const model = await call('GET', '/v1/models/iris');
    expect(model.body.default_version).toBe('1');
    expect(model.body.versions[0]).toMatchObject({
      source: 'training',
      training_job: job.id,
      inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 2] }],
      outputs: [
        { name: 'probabilities', datatype: 'FP32', shape: [-1, 3] },
        { name: 'label', datatype: 'BYTES', shape: [-1] },
      ],
    });
    expect(model.body.description).toBe(
      "Predicts 'species' (classification) with a 2 → 8 → 3 network. Input 'input': FP32 [N, 2], raw (unstandardized) columns in this order: sepal_length, sepal_width. Outputs 'probabilities' [N, 3] over the labels setosa, versicolor, virginica (in that order) and 'label' [N].",
    );
    const infer = await call('POST', '/v2/models/iris/infer', {
      json: { inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 2], data: [5, 3] }] },
    });
    expect(['setosa', 'versicolor', 'virginica']).toContain(infer.body.outputs[1].data[0]);
    expect(state.advance()).toBe(0);
  });

  it('runs one job at a time with queue positions; cancel works queued and running', async () => {
    const first = await createJob();
    const second = await createJob();
    const third = await createJob();
    expect((await get(third.id)).queue_position).toBe(2);
    state.advance(1);
    expect((await get(second.id)).queue_position).toBe(0);
    const cancelled = await call('POST', `/v1/training-jobs/${second.id}/cancel`);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', queue_position: null });
    expect((await get(third.id)).queue_position).toBe(0);
    const running = await call('POST', `/v1/training-jobs/${first.id}/cancel`);
    expect(running.body.status).toBe('running'); // stops at the next step
    state.advance(1);
    expect((await get(first.id)).status).toBe('cancelled');
    expect((await events(first.id)).at(-1)).toMatchObject({ type: 'status', status: 'cancelled' });
    expect((await get(third.id)).status).toBe('queued');
    state.advance();
    expect((await get(third.id)).status).toBe('succeeded');
    const page = await call('GET', '/v1/training-jobs?limit=2');
    expect(page.body.data.map((j: { id: string }) => j.id)).toEqual([third.id, second.id]);
    expect(page.body).toMatchObject({ has_more: true, next_cursor: second.id });
    const rest = await call('GET', `/v1/training-jobs?limit=2&after=${second.id}`);
    expect(rest.body.data.map((j: { id: string }) => j.id)).toEqual([first.id]);
    expect(rest.body).toMatchObject({ has_more: false, next_cursor: null });
    const succeeded = await call('GET', '/v1/training-jobs?status=succeeded');
    expect(succeeded.body.data.map((j: { id: string }) => j.id)).toEqual([third.id]);
  });

  it('failJob ends a job failed with its error, and events pages resume from a cursor', async () => {
    const job = await createJob();
    state.advance(2);
    const failed = state.failJob(job.id, { code: 'training_failed', message: 'diverged' });
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'training_failed', message: 'diverged' } });
    const page = await call('GET', `/v1/training-jobs/${job.id}/events?limit=2`);
    expect(page.body).toMatchObject({ has_more: true, next_cursor: '2' });
    const rest = await call('GET', `/v1/training-jobs/${job.id}/events?after=2`);
    expect(rest.body.data.map((e: { id: number }) => e.id)).toEqual([3, 4, 5]);
    expect(rest.body.data[2]).toMatchObject({ type: 'status', status: 'failed', message: 'diverged' });
    expect(rest.body).toMatchObject({ has_more: false, next_cursor: '5' });
  });

  it('replays a create with the same Idempotency-Key and body, conflicts with another body', async () => {
    const ds = await call('POST', '/v1/datasets', { body: IRIS, headers: { 'content-type': 'text/csv' } });
    const headers = { 'idempotency-key': 'job-1' };
    const a = await call('POST', '/v1/training-jobs', { json: spec(ds.body.id), headers });
    const b = await call('POST', '/v1/training-jobs', { json: spec(ds.body.id), headers });
    expect(b.status).toBe(201);
    expect(b.body.id).toBe(a.body.id);
    expect((await call('GET', '/v1/training-jobs')).body.data).toHaveLength(1);
    const c = await call('POST', '/v1/training-jobs', { json: spec(ds.body.id, { epochs: 9 }), headers });
    expect(c.status).toBe(409);
    expect(c.body.code).toBe('idempotency_conflict');
  });

  it('regression jobs deploy a one-output model; a default seed is deterministic', async () => {
    const ds = await call('POST', '/v1/datasets', {
      body: '{"x": 1, "y": 2.5}\n{"x": 2, "y": 4.5}\n{"x": 3, "y": 6.6}\n',
      headers: { 'content-type': 'application/x-ndjson' },
    });
    const body = {
      model: 'line',
      dataset: ds.body.id,
      task: 'regression',
      target: 'y',
      architecture: { type: 'linear' },
      optimizer: { type: 'gd' },
      epochs: 1,
    };
    const job = await call('POST', '/v1/training-jobs', { json: body });
    expect(job.body.hyperparameters).toMatchObject({
      loss: 'mse',
      optimizer: { type: 'gd', learning_rate: 0.1 },
      features: ['x'],
    });
    expect(job.body.hyperparameters.seed).toBe(Math.imul(2, 2654435761) >>> 0);
    state.advance();
    const version = await call('GET', '/v1/models/line/versions/1');
    expect(version.body.outputs).toEqual([{ name: 'value', datatype: 'FP32', shape: [-1, 1] }]);
    expect((await get(job.body.id)).metrics).toEqual(
      epochMetrics(
        { hyperparameters: job.body.hyperparameters, classCount: 0, trainRows: 3, validates: true, epochMs: 20 },
        1,
      ),
    );
  });
});

describe('training jobs, driven by time', () => {
  const { call } = useMock({ clock: { speed: 2, epochMs: 1000 } });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('moves one step per epochMs / speed of (fake) time, with timestamps from the clock', async () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00.000Z'), toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    const ds = await call('POST', '/v1/datasets', { body: IRIS, headers: { 'content-type': 'text/csv' } });
    const created = await call('POST', '/v1/training-jobs', { json: spec(ds.body.id, { epochs: 2 }) });
    const id = created.body.id;
    expect(created.body.created_at).toBe('2026-01-01T00:00:00.000Z');
    vi.advanceTimersByTime(499);
    expect((await call('GET', `/v1/training-jobs/${id}`)).body.status).toBe('queued');
    vi.advanceTimersByTime(1);
    const running = (await call('GET', `/v1/training-jobs/${id}`)).body;
    expect(running).toMatchObject({ status: 'running', started_at: '2026-01-01T00:00:00.500Z', metrics: null });
    vi.advanceTimersByTime(500);
    const one = (await call('GET', `/v1/training-jobs/${id}`)).body;
    expect(one.metrics).toMatchObject({ epoch: 1, elapsed_ms: 1000 });
    vi.advanceTimersByTime(60_000);
    const done = (await call('GET', `/v1/training-jobs/${id}`)).body;
    expect(done).toMatchObject({ status: 'succeeded', finished_at: '2026-01-01T00:00:01.500Z' });
    const events = (await call('GET', `/v1/training-jobs/${id}/events`)).body.data;
    expect(events.map((e: { created_at: string }) => e.created_at)).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T00:00:00.500Z',
      '2026-01-01T00:00:00.500Z',
      '2026-01-01T00:00:01.000Z',
      '2026-01-01T00:00:01.500Z',
      '2026-01-01T00:00:01.500Z',
      '2026-01-01T00:00:01.500Z',
    ]);
  });
});
