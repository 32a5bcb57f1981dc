// Every client method against the real reference server (started in-process on 127.0.0.1:0), on both transports.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InvalidInputError,
  MaasClient,
  NotFoundError,
  type TrainingJobEvent,
  UnprocessableEntityError,
} from '../../src/index.js';
import { startTrainingServer } from '../jobs/support.js';
import { corruptModel, identityModel, multiIoModel } from '../support/models.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startFaultProxy } from './support/fault-proxy.js';
import { recordingSleep, TRANSPORTS } from './support/mock-server.js';
import { scriptedRunner } from './support/scripted-runner.js';

let server: TestServer;

beforeAll(async () => {
  // The real job service, store, SSE and deployment; the runner plays epochs out (the trainer is tested below).
  server = await startTrainingServer(
    { runner: scriptedRunner(identityModel('FP32', [-1, 1])), heartbeatMs: 50 },
    { models: { ident: identityModel('FP32', [-1, 3]), multi: multiIoModel() } },
  );
});
afterAll(() => server?.close());

// y = 2x + 1 with a little structure, enough for a linear regression to fit in a few epochs.
const CSV = `x,y\n${Array.from({ length: 40 }, (_, i) => `${i / 10},${(2 * i) / 10 + 1}`).join('\n')}\n`;

describe.each(TRANSPORTS)('the real server over %s', (name, transport) => {
  let client: MaasClient;
  beforeAll(() => {
    client = new MaasClient({ baseUrl: server.baseUrl, ...transport });
  });
  afterAll(() => client.close());

  it('server: live, ready, metadata and the spec', async () => {
    expect(await client.server.live()).toBe(true);
    expect(await client.server.ready()).toBe(true);
    const meta = await client.server.metadata();
    expect(meta.name).toBe('maas');
    expect(meta.extensions).toContain('binary_tensor_data');
    expect(await client.spec()).toMatch(/^openapi: 3\.1/m);
  });

  it('models: list (iterable and one page), retrieve, retrieveVersion, metadata, ready', async () => {
    const names: string[] = [];
    for await (const model of client.models.list({ limit: 1 })) names.push(model.name);
    expect(names).toEqual(expect.arrayContaining(['ident', 'multi']));
    const page = await client.models.list({ limit: 1 }).page();
    expect(page.data).toHaveLength(1);
    expect(page.hasMore).toBe(true);

    const model = await client.models.retrieve('ident');
    expect(model.default_version).toBe('1');
    const version = await client.models.retrieveVersion('ident', 1);
    expect(version).toMatchObject({ version: '1', state: 'READY', source: 'repository' });
    expect(version.inputs).toEqual([{ name: 'x', datatype: 'FP32', shape: [-1, 3] }]);

    const meta = await client.models.metadata('ident');
    expect(meta.outputs).toEqual([{ name: 'y', datatype: 'FP32', shape: [-1, 3] }]);
    expect((await client.models.metadata('ident', { version: 1 })).name).toBe('ident');
    expect(await client.models.ready('ident')).toBe(true);
    expect(await client.models.ready('ident', { version: '1' })).toBe(true);
    const missing = await client.models.retrieve('nope').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect((missing as NotFoundError).code).toBe('model_not_found');
    expect((missing as NotFoundError).requestId).toBeTruthy();
  });

  it('infer: JSON for small inputs, binary for large, exact INT64, BOOL, BYTES', async () => {
    const small = await client.models.infer('ident', {
      inputs: { x: { data: new Float32Array([1, 2, 3]), shape: [1, 3] } },
    });
    expect(small.modelName).toBe('ident');
    expect(small.output('y').data).toEqual(new Float32Array([1, 2, 3]));
    expect(small.requestId).toBeTruthy();

    const big = new Float32Array(3 * 500).map((_, i) => i * 0.5);
    const large = await client.models.infer('ident', { inputs: { x: { data: big, shape: [500, 3] } }, version: 1 });
    expect(large.output('y').shape).toEqual([500, 3]);
    expect(large.output('y').data).toEqual(big);
    expect(large.raw.outputs[0]?.parameters?.binary_data_size).toBe(6000);

    // multi: ids INT64 [-1,3] → ids_plus_one; mask BOOL [-1,3] → mask_not and count INT64; text BYTES → text_out.
    for (const binary of [false, true]) {
      const multi = await client.models.infer('multi', {
        binary,
        inputs: {
          ids: { data: new BigInt64Array([2n ** 62n + 7n, -1n, 0n]), shape: [1, 3] },
          mask: { data: [[true, false, true]] },
          text: { data: ['ünï', 'b'] },
        },
      });
      expect(multi.output('ids_plus_one').data).toEqual(new BigInt64Array([2n ** 62n + 8n, 0n, 1n]));
      expect(multi.output('mask_not').data).toEqual(new Uint8Array([0, 1, 0]));
      expect(multi.output('count').data).toEqual(new BigInt64Array([2n]));
      expect(multi.output('text_out').data).toEqual(['ünï', 'b']);
    }
  });

  it('infer: local shape check, and the server’s own 400 with its code', async () => {
    const local = await client.models
      .infer('ident', { inputs: { x: { data: new Float32Array(4), shape: [1, 3] } } })
      .catch((e: unknown) => e);
    expect(local).toBeInstanceOf(InvalidInputError);
    const remote = await client.models
      .infer('ident', { inputs: { x: { data: new Float32Array(4), shape: [1, 4] } } })
      .catch((e: unknown) => e);
    expect(remote).toBeInstanceOf(BadRequestError);
    expect((remote as BadRequestError).code).toBe('input_shape_mismatch');

    // Plain numbers are FP32 unless the caller says otherwise: the server's datatype_mismatch then says what to pass.
    const numbers = await client.models
      .infer('multi', {
        inputs: { ids: { data: [[1, 2, 3]] }, mask: { data: [[true, false, true]] }, text: { data: ['a'] } },
      })
      .catch((e: unknown) => e);
    expect(numbers).toBeInstanceOf(BadRequestError);
    expect((numbers as BadRequestError).code).toBe('datatype_mismatch');
    expect((numbers as BadRequestError).message).toContain(
      "inputs.ids was sent as FP32, the default for an array of numbers: pass a BigInt64Array or `datatype: 'INT64'` on the input",
    );
  });

  it('predict: row and columnar', async () => {
    const row = await client.models.predict('ident', { instances: [[1, 2, 3], new Float32Array([4, 5, 6])] });
    expect(row.predictions).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const col = await client.models.predict('ident', { inputs: [[7, 8, 9]], version: 1 });
    expect(col.outputs).toEqual([[7, 8, 9]]);
  });

  it('repository: index, unload, load', async () => {
    const index = await client.repository.index();
    expect(index).toEqual(expect.arrayContaining([{ name: 'multi', version: '1', state: 'READY', reason: '' }]));
    await client.repository.unload('multi');
    expect(await client.models.ready('multi')).toBe(false);
    const loaded = await client.repository.load('multi');
    expect(loaded.name).toBe('multi');
    expect(await client.models.ready('multi')).toBe(true);
  });

  it('models: upload, retrieve and delete a version; invalid ONNX is a 422', async () => {
    const model = `uploaded_${name}`;
    const version = await client.models.upload(model, identityModel('INT32', [-1]), { description: 'uploaded' });
    expect(version).toMatchObject({ model, version: '1', state: 'READY', source: 'upload' });
    expect((await client.models.retrieve(model)).description).toBe('uploaded');
    const out = await client.models.infer(model, { inputs: { x: { data: new Int32Array([4, -4]) } } });
    expect(out.output('y').data).toEqual(new Int32Array([4, -4]));
    const deleted = await client.models.deleteVersion(model, 1);
    expect(deleted).toMatchObject({ model, version: '1', deleted: true });
    await expect(client.models.retrieveVersion(model, 1)).rejects.toBeInstanceOf(NotFoundError);
    const bad = await client.models.upload(model, corruptModel()).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(UnprocessableEntityError);
    expect((bad as UnprocessableEntityError).code).toBe('model_invalid');
  });

  it('datasets: create from string and Blob, idempotent retry, list, retrieve, delete, invalid rows', async () => {
    const csv = await client.datasets.create(CSV, { format: 'csv', name: 'line.csv' });
    expect(csv).toMatchObject({ object: 'dataset', format: 'csv', rows: 40, name: 'line.csv' });
    const jsonl = await client.datasets.create(new Blob(['{"a": 1}\n{"a": 2}\n']), { format: 'jsonl' });
    expect(jsonl).toMatchObject({ format: 'jsonl', rows: 2 });

    const again1 = await client.datasets.create(CSV, { format: 'csv' }, { idempotencyKey: `k-${name}` });
    const again2 = await client.datasets.create(CSV, { format: 'csv' }, { idempotencyKey: `k-${name}` });
    expect(again2.id).toBe(again1.id);
    const conflict = await client.datasets
      .create('x\n1\n', { format: 'csv' }, { idempotencyKey: `k-${name}` })
      .catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(ConflictError);
    expect((conflict as ConflictError).code).toBe('idempotency_conflict');

    const ids: string[] = [];
    for await (const ds of client.datasets.list({ limit: 2 })) ids.push(ds.id);
    expect(ids).toEqual(expect.arrayContaining([csv.id, jsonl.id, again1.id]));
    expect((await client.datasets.retrieve(csv.id)).columns.map((c) => c.name)).toEqual(['x', 'y']);
    expect(await client.datasets.delete(jsonl.id)).toMatchObject({ id: jsonl.id, deleted: true });
    await expect(client.datasets.retrieve(jsonl.id)).rejects.toBeInstanceOf(NotFoundError);

    const invalid = await client.datasets.create('a,b\n1,2\n3\n', { format: 'csv' }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(UnprocessableEntityError);
    expect((invalid as UnprocessableEntityError).code).toBe('dataset_invalid');
    expect((invalid as UnprocessableEntityError).details?.[0]).toMatchObject({ line: 3 });
    // The message itself names the first bad lines (a user reading a log sees where the file is wrong).
    expect((invalid as UnprocessableEntityError).message).toMatch(
      /^422 dataset_invalid: Dataset has 1 invalid row: line 3/,
    );
  });

  it('creates one dataset and one job when responses are lost and the client retries', async () => {
    // The server acts on the first create of each kind, then the proxy resets the connection before the answer.
    const seen = new Set<string>();
    const proxy = await startFaultProxy(server.baseUrl, (req) => {
      if (req.method !== 'POST' || seen.has(req.pathname)) return 'pass';
      seen.add(req.pathname);
      return 'drop-response';
    });
    try {
      const { sleep, delays } = recordingSleep();
      const flaky = new MaasClient({ baseUrl: proxy.baseUrl, sleep, ...transport });
      const dataset = await flaky.datasets.create(CSV, { format: 'csv', name: `retried-${name}` });
      const model = `retried_${name}`;
      const job = await flaky.trainingJobs.create({
        model,
        dataset: dataset.id,
        task: 'regression',
        target: 'y',
        architecture: { type: 'linear' },
        optimizer: { type: 'gd' },
        epochs: 2,
      });
      expect(delays).toHaveLength(2);
      const posts = proxy.requests.filter((r) => r.method === 'POST');
      expect(posts.map((r) => r.pathname)).toEqual([
        '/v1/datasets',
        '/v1/datasets',
        '/v1/training-jobs',
        '/v1/training-jobs',
      ]);
      expect(posts[0]!.headers['idempotency-key']).toBe(posts[1]!.headers['idempotency-key']);
      expect(posts[2]!.headers['idempotency-key']).toBe(posts[3]!.headers['idempotency-key']);

      const datasets: string[] = [];
      for await (const ds of client.datasets.list()) if (ds.name === `retried-${name}`) datasets.push(ds.id);
      expect(datasets).toEqual([dataset.id]);
      const jobs: string[] = [];
      for await (const j of client.trainingJobs.list()) if (j.model === model) jobs.push(j.id);
      expect(jobs).toEqual([job.id]);
      await flaky.trainingJobs.wait(job.id);
      await flaky.close();
    } finally {
      await proxy.close();
    }
  });

  it('training jobs: create, stream, wait, retrieve, list, events, cancel', async () => {
    const dataset = await client.datasets.create(CSV, { format: 'csv' });
    const model = `trained_${name}`;
    const job = await client.trainingJobs.create({
      model,
      dataset: dataset.id,
      task: 'regression',
      target: 'y',
      architecture: { type: 'linear' },
      optimizer: { type: 'adam', learning_rate: 0.05 },
      epochs: 5,
      batch_size: 8,
      seed: 1,
    });
    expect(job.id).toMatch(/^job_/);
    expect(job.hyperparameters.features).toEqual(['x']);

    const streamed: TrainingJobEvent[] = [];
    for await (const event of client.trainingJobs.stream(job.id)) streamed.push(event);
    const ids = streamed.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    expect([streamed.at(-1)?.status, streamed.at(-1)?.message]).toEqual(['succeeded', undefined]);
    expect(streamed.filter((e) => e.type === 'metrics').map((e) => e.metrics?.epoch)).toEqual([1, 2, 3, 4, 5]);

    const waited: number[] = [];
    const final = await client.trainingJobs.wait(job.id, { onEvent: (e) => waited.push(e.id) });
    expect(final.status).toBe('succeeded');
    expect(final.result).toEqual({ model, version: '1' });
    expect(waited).toEqual(ids);

    expect((await client.trainingJobs.retrieve(job.id)).metrics?.epoch).toBe(5);
    const page = await client.trainingJobs.events(job.id, { after: 0, limit: 2 });
    expect(page.data.map((e) => e.id)).toEqual(ids.slice(0, 2));
    const listed: string[] = [];
    for await (const j of client.trainingJobs.list({ status: 'succeeded' })) listed.push(j.id);
    expect(listed).toContain(job.id);

    // The deployed result (the scripted runner's identity model) serves under the job's model name.
    const trained = await client.models.infer(model, {
      inputs: { x: { data: new Float32Array([1.25]), shape: [1, 1] } },
    });
    expect(trained.output('y').data).toEqual(new Float32Array([1.25]));

    const ended = await client.trainingJobs.cancel(job.id).catch((e: unknown) => e);
    expect(ended).toBeInstanceOf(ConflictError);
    expect((ended as ConflictError).code).toBe('invalid_job_state');

    const long = await client.trainingJobs.create({
      model: `${model}_long`,
      dataset: dataset.id,
      task: 'regression',
      target: 'y',
      architecture: { type: 'linear' },
      optimizer: { type: 'sgd', learning_rate: 0.001 },
      epochs: 100_000,
    });
    const cancelled = await client.trainingJobs.cancel(long.id);
    expect(['queued', 'running', 'cancelled']).toContain(cancelled.status);
    expect((await client.trainingJobs.wait(long.id, { timeout: 20_000 })).status).toBe('cancelled');
  });
});

describe('the real server with API keys', () => {
  let secured: TestServer;
  beforeAll(async () => {
    secured = await startTestServer({ apiKeys: ['k1'] });
  });
  afterAll(() => secured?.close());

  it('sends the key, and maps a missing key to AuthenticationError while health stays open', async () => {
    const anonymous = new MaasClient({ baseUrl: secured.baseUrl, apiKey: null });
    const err = await anonymous.models
      .list()
      .page()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as AuthenticationError).code).toBe('unauthorized');
    expect(await anonymous.server.live()).toBe(true);
    const keyed = new MaasClient({ baseUrl: secured.baseUrl, apiKey: 'k1' });
    expect((await keyed.models.list().page()).data).toEqual([]);
  });
});

describe('real training in the worker thread', () => {
  let trainingServer: TestServer;
  beforeAll(async () => {
    // The default features: the real worker-thread runner and trainer.
    trainingServer = await startTestServer();
  });
  afterAll(() => trainingServer?.close());

  it('trains a linear regression, deploys it and serves it', async () => {
    const client = new MaasClient({ baseUrl: trainingServer.baseUrl });
    const dataset = await client.datasets.create(CSV, { format: 'csv' });
    const job = await client.trainingJobs.create({
      model: 'line',
      dataset: dataset.id,
      task: 'regression',
      target: 'y',
      architecture: { type: 'linear' },
      optimizer: { type: 'adam', learning_rate: 0.05 },
      epochs: 100,
      batch_size: 8,
      seed: 1,
    });
    const losses: number[] = [];
    const final = await client.trainingJobs.wait(job.id, {
      timeout: 60_000,
      onEvent: (e) => e.metrics && losses.push(e.metrics.train_loss),
    });
    expect([final.status, final.error]).toEqual(['succeeded', null]);
    expect(losses).toHaveLength(100);
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
    const meta = await client.models.metadata('line');
    const inputName = meta.inputs[0]!.name;
    const out = await client.models.infer('line', {
      inputs: { [inputName]: { data: new Float32Array([1, 2]), shape: [2, 1] } },
    });
    const y = out.outputs[0]!.data as Float32Array;
    // y = 2x + 1, learned to within a loose tolerance.
    expect(Math.abs(y[0]! - 3)).toBeLessThan(0.5);
    expect(Math.abs(y[1]! - 5)).toBeLessThan(0.5);
    await client.close();
  });
});
