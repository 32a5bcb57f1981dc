import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { InjectOptions } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { assertValidResponse, validateJobEventStream } from '../support/openapi-validator.js';
import { fakeRunner } from './fake-runner.js';
import { nextTurn, settle, startTrainingServer, type TrainingTestServer } from './support.js';

/** Reads an SSE response until it ends (or `stopAfter` messages), collecting messages and comments. */
async function readStream(res: Response, stopAfter = Number.POSITIVE_INFINITY) {
  const messages: EventSourceMessage[] = [];
  const comments: string[] = [];
  const parser = createParser({ onEvent: (m) => messages.push(m), onComment: (c) => comments.push(c) });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parser.feed(decoder.decode(value, { stream: true }));
    if (messages.length >= stopAfter) {
      await reader.cancel();
      break;
    }
  }
  return { messages, comments };
}

describe('training jobs over HTTP (fake runner)', () => {
  const fake = fakeRunner();
  let server: TrainingTestServer;
  let dataset: string;

  beforeAll(async () => {
    server = await startTrainingServer({ runner: fake.runner, heartbeatMs: 20 });
    const res = await server.app.inject({
      method: 'POST',
      url: '/v1/datasets',
      headers: { 'content-type': 'text/csv' },
      payload: 'a,b,label\n1,2,x\n2,3,y\n3,4,x\n4,5,y\n',
    });
    dataset = res.json().id;
  });
  afterAll(async () => {
    await server?.close();
  });
  // Each test starts with an empty queue: cancel what is left and let its fake run confirm.
  afterEach(async () => {
    for (const status of ['queued', 'running'] as const) {
      for (const job of (await server.jobs.list({ limit: 100, status })).items) {
        await server.jobs.cancel(job.id);
        fake.runs.find((r) => r.request.jobId === job.id)?.callbacks.cancelled();
      }
    }
    await settle();
  });

  const body = (extra: Record<string, unknown> = {}) => ({
    model: 'http_model',
    dataset,
    task: 'classification',
    target: 'label',
    architecture: { type: 'mlp', hidden_layers: [4] },
    optimizer: { type: 'sgd', learning_rate: 0.1, momentum: 0.9 },
    epochs: 2,
    seed: 3,
    ...extra,
  });
  const create = (payload: unknown, headers: Record<string, string> = {}) =>
    server.app.inject({ method: 'POST', url: '/v1/training-jobs', payload: payload as object, headers });
  const get = (url: string) => server.app.inject({ method: 'GET', url });

  /** Drives the current fake run to success. */
  async function finishRun(index: number, epochs: number) {
    const run = fake.runs[index]!;
    for (let e = 1; e <= epochs; e++) run.epoch(e);
    run.callbacks.finished({ onnx: new Uint8Array([1]), description: 'x' });
    for (let i = 0; i < 5; i++) await nextTurn();
  }

  it('creates a job with resolved hyperparameters, shows it, lists it and runs it', async () => {
    const res = await create(body());
    expect(res.statusCode).toBe(201);
    const job = res.json();
    expect(job).toMatchObject({
      object: 'training_job',
      status: 'queued',
      queue_position: 0,
      hyperparameters: {
        architecture: { type: 'mlp', hidden_layers: [4], activation: 'relu' },
        optimizer: { type: 'sgd', learning_rate: 0.1, momentum: 0.9, nesterov: false },
        features: ['a', 'b'],
        batch_size: 32,
        seed: 3,
      },
    });
    await nextTurn();
    expect((await get(`/v1/training-jobs/${job.id}`)).json().status).toBe('running');
    expect((await get('/v1/training-jobs?status=running')).json().data.map((j: { id: string }) => j.id)).toEqual([
      job.id,
    ]);
    // Deploying needs a real ONNX model, which the fake run does not make: the job fails at deploy time.
    await finishRun(fake.runs.length - 1, 2);
    // The deploy opens a real ONNX Runtime session on the bytes first: wait for it to refuse them.
    // (vi.waitFor gives up after 1 s by default: too short for a session on a busy machine.)
    await vi.waitFor(
      async () => {
        const done = (await get(`/v1/training-jobs/${job.id}`)).json();
        expect(done).toMatchObject({ status: 'failed', error: { code: 'deploy_failed' } });
      },
      { timeout: 15_000, interval: 20 },
    );
  });

  it('maps errors: 400 invalid_input, 404 dataset/job, 422 spec, 409 cancel of an ended job', async () => {
    const bad = await create({ ...body(), epochs: 'ten' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      code: 'invalid_input',
      error: "epochs: expected an integer from 1 to 100000, got 'ten'",
    });
    const noDs = await create(body({ dataset: 'ds_missing' }));
    expect(noDs.statusCode).toBe(404);
    expect(noDs.json()).toMatchObject({ code: 'dataset_not_found' });
    const spec = await create(body({ features: ['label'] }));
    expect(spec.statusCode).toBe(422);
    expect(spec.json()).toMatchObject({
      code: 'training_spec_invalid',
      error: "features[0]: column 'label' is the target",
      details: [{ field: 'features[0]', message: "column 'label' is the target" }],
    });
    const missing = await get('/v1/training-jobs/job_nope');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'job_not_found', error: "Training job 'job_nope' not found" });

    const ended = (await get('/v1/training-jobs?status=failed')).json().data[0].id;
    const cancel = await server.app.inject({ method: 'POST', url: `/v1/training-jobs/${ended}/cancel` });
    expect(cancel.statusCode).toBe(409);
    expect(cancel.json()).toMatchObject({ code: 'invalid_job_state' });
  });

  it('replays a create under the same Idempotency-Key and refuses another body', async () => {
    const key = { 'idempotency-key': 'job-key-1' };
    const first = await create(body({ epochs: 5 }), key);
    const again = await create(body({ epochs: 5 }), key);
    expect(again.json().id).toBe(first.json().id);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const other = await create(body({ epochs: 6 }), key);
    expect(other.statusCode).toBe(409);
    expect(other.json().code).toBe('idempotency_conflict');
    const cancelled = await server.app.inject({ method: 'POST', url: `/v1/training-jobs/${first.json().id}/cancel` });
    expect(cancelled.json().status).toMatch(/cancelled|running/);
    await nextTurn();
    if (cancelled.json().status === 'running') fake.runs.at(-1)!.callbacks.cancelled();
  });

  it('pages events as JSON with after and limit', async () => {
    const job = (await create(body())).json();
    await nextTurn();
    const run = fake.runs.at(-1)!;
    run.epoch(1);
    run.callbacks.message('note');
    await settle();
    const page = (await get(`/v1/training-jobs/${job.id}/events?after=1&limit=2`)).json();
    expect(page.data.map((e: { id: number; type: string }) => [e.id, e.type])).toEqual([
      [2, 'status'],
      [3, 'metrics'],
    ]);
    expect(page).toMatchObject({ object: 'list', has_more: true, next_cursor: '3' });
    const bad = await get(`/v1/training-jobs/${job.id}/events?limit=0`);
    expect(bad.json()).toMatchObject({
      code: 'invalid_parameter',
      error: "limit: expected an integer from 1 to 1000, got '0'",
    });
    run.callbacks.cancelled();
  });

  it('streams events over SSE: replays from Last-Event-ID, goes live, heartbeats, ends after the terminal event', async () => {
    const job = (await create(body())).json();
    await nextTurn();
    const run = fake.runs.at(-1)!;
    run.epoch(1);
    const res = await fetch(`${server.baseUrl}/v1/training-jobs/${job.id}/events`, {
      headers: { accept: 'text/event-stream', 'last-event-id': '1' },
    });
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reading = readStream(res);
    // Live events after the replayed backlog; wait long enough for a heartbeat between them.
    await new Promise((r) => setTimeout(r, 60));
    run.epoch(2);
    run.callbacks.cancelled();
    const { messages, comments } = await reading;
    expect(messages.map((m) => [m.id, m.event])).toEqual([
      ['2', 'status'],
      ['3', 'metrics'],
      ['4', 'metrics'],
      ['5', 'status'],
    ]);
    expect(JSON.parse(messages[3]!.data)).toMatchObject({ id: 5, type: 'status', status: 'cancelled' });
    expect(comments).toContain('heartbeat');
    expect(server.events.subscriberCount(job.id)).toBe(0);

    // A finished job: the backlog from ?after=, then the stream ends; resuming past the end ends at once.
    const replay = await readStream(
      await fetch(`${server.baseUrl}/v1/training-jobs/${job.id}/events?after=3`, {
        headers: { accept: 'text/event-stream' },
      }),
    );
    expect(replay.messages.map((m) => m.id)).toEqual(['4', '5']);
    const empty = await readStream(
      await fetch(`${server.baseUrl}/v1/training-jobs/${job.id}/events`, {
        headers: { accept: 'text/event-stream', 'last-event-id': '5' },
      }),
    );
    expect(empty.messages).toEqual([]);
  });

  it('drops the subscription when the client disconnects', async () => {
    const job = (await create(body())).json();
    await nextTurn();
    const controller = new AbortController();
    const res = await fetch(`${server.baseUrl}/v1/training-jobs/${job.id}/events`, {
      headers: { accept: 'text/event-stream' },
      signal: controller.signal,
    });
    const { messages } = await readStream(res, 2);
    expect(messages.map((m) => m.event)).toEqual(['status', 'status']);
    expect(server.events.subscriberCount(job.id)).toBe(1);
    controller.abort();
    for (let i = 0; i < 50 && server.events.subscriberCount(job.id) > 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(server.events.subscriberCount(job.id)).toBe(0);
    fake.runs.at(-1)!.callbacks.cancelled();
  });

  it('answers every operation as openapi.yaml declares it', async () => {
    const check = async (operation: string, options: InjectOptions) => {
      const res = await server.app.inject(options);
      assertValidResponse(operation, res.statusCode, res.headers['content-type'] as string, res.body);
      return res;
    };
    const csv = { 'content-type': 'text/csv' };
    const ds = (
      await check('createDataset', {
        method: 'POST',
        url: '/v1/datasets?name=x.csv',
        headers: csv,
        payload: 'a,b\n1,x\n2,y\n',
      })
    ).json();
    await check('createDataset', { method: 'POST', url: '/v1/datasets', headers: csv, payload: 'a,b\n1\n' });
    await check('createDataset', {
      method: 'POST',
      url: '/v1/datasets',
      headers: { 'content-type': 'text/plain' },
      payload: 'a',
    });
    await check('listDatasets', { method: 'GET', url: '/v1/datasets?limit=1' });
    await check('retrieveDataset', { method: 'GET', url: `/v1/datasets/${ds.id}` });
    await check('retrieveDataset', { method: 'GET', url: '/v1/datasets/ds_nope' });

    const job = (
      await check('createTrainingJob', { method: 'POST', url: '/v1/training-jobs', payload: body() })
    ).json();
    await check('createTrainingJob', { method: 'POST', url: '/v1/training-jobs', payload: { ...body(), epochs: -1 } });
    await check('createTrainingJob', { method: 'POST', url: '/v1/training-jobs', payload: body({ target: 'nope' }) });
    await check('listTrainingJobs', { method: 'GET', url: '/v1/training-jobs?status=queued&limit=5' });
    await check('listTrainingJobs', { method: 'GET', url: '/v1/training-jobs?status=nope' });
    await check('retrieveTrainingJob', { method: 'GET', url: `/v1/training-jobs/${job.id}` });
    await check('retrieveTrainingJob', { method: 'GET', url: '/v1/training-jobs/job_nope' });
    await nextTurn();
    fake.runs.at(-1)!.epoch(1);
    await check('listTrainingJobEvents', { method: 'GET', url: `/v1/training-jobs/${job.id}/events` });
    await check('cancelTrainingJob', { method: 'POST', url: `/v1/training-jobs/${job.id}/cancel` });
    fake.runs.at(-1)!.callbacks.cancelled();
    await check('cancelTrainingJob', { method: 'POST', url: `/v1/training-jobs/${job.id}/cancel` });
    const sse = await check('listTrainingJobEvents', {
      method: 'GET',
      url: `/v1/training-jobs/${job.id}/events`,
      headers: { accept: 'text/event-stream' },
    });
    expect(validateJobEventStream(sse.body)).toEqual([]);
    expect(sse.body.split('\n\n').filter(Boolean)).toHaveLength(4);
    await check('deleteDataset', { method: 'DELETE', url: `/v1/datasets/${ds.id}` });
    await check('deleteDataset', { method: 'DELETE', url: `/v1/datasets/${ds.id}` });
  });
});

describe('shutdown with an open event stream', () => {
  it('ends the stream at once instead of waiting out the shutdown timeout, and leaves the job resumable', async () => {
    const fake = fakeRunner();
    const server = await startTrainingServer({ runner: fake.runner }, { settings: { shutdownTimeout: 60 } });
    const ds = await server.app.inject({
      method: 'POST',
      url: '/v1/datasets',
      headers: { 'content-type': 'text/csv' },
      payload: 'a,label\n1,x\n2,y\n',
    });
    const job = (
      await server.app.inject({
        method: 'POST',
        url: '/v1/training-jobs',
        payload: {
          model: 'm',
          dataset: ds.json().id,
          task: 'classification',
          target: 'label',
          architecture: { type: 'logistic' },
          optimizer: { type: 'gd' },
          epochs: 1,
        },
      })
    ).json();
    await nextTurn();
    const res = await fetch(`${server.baseUrl}/v1/training-jobs/${job.id}/events`, {
      headers: { accept: 'text/event-stream' },
    });
    const reading = readStream(res);
    // With the stream holding the drain, close() would wait out the 60 s shutdown timeout and the test time out.
    await server.close();
    const { messages } = await reading;
    expect(messages.map((m) => m.data && JSON.parse(m.data).status)).toEqual(['queued', 'running']);
    expect(fake.runs[0]!.stopped).toBe(true);
  });
});
