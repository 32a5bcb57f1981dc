import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatasetService } from '../../server/datasets/service.js';
import { MaasServerError } from '../../server/errors.js';
import type { Deployer } from '../../server/jobs/deployer.js';
import { JobEvents } from '../../server/jobs/events.js';
import { JobService } from '../../server/jobs/service.js';
import { openSqliteStore } from '../../server/store/sqlite/index.js';
import type { Store } from '../../server/store/store.js';
import { type FakeRun, fakeRunner } from './fake-runner.js';

const irisLike = 'a,b,label\n1,2,x\n2,3,y\n3,4,x\n4,5,y\n';
/** A few turns of the event loop: what the runner reported is recorded and the queue has moved. */
const tick = async () => {
  for (let i = 0; i < 4; i++) await new Promise((r) => setImmediate(r));
};

async function errorOf(fn: () => Promise<unknown>): Promise<{ status: number; code: string; message: string }> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof MaasServerError) return { status: err.status, code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected an error');
}

describe('JobService (fake runner)', () => {
  let dir: string;
  let store: Store;
  let datasets: DatasetService;
  let runs: FakeRun[];
  let service: JobService;
  let deployed: Array<{ model: string; jobId: string; bytes: number }>;

  let findDeployed: ((model: string, jobId: string) => string | undefined) | undefined;

  async function build(maxConcurrentJobs = 1) {
    store = await openSqliteStore(join(dir, 'maas.db'));
    datasets = new DatasetService(store.datasets, join(dir, 'datasets'));
    const fake = fakeRunner();
    runs = fake.runs;
    const deployer: Deployer = {
      async deploy(model, onnx, { jobId }) {
        deployed.push({ model, jobId, bytes: onnx.length });
        return { version: String(deployed.length) };
      },
      findDeployed: (model, jobId) => findDeployed?.(model, jobId),
    };
    service = new JobService({
      jobs: store.jobs,
      events: new JobEvents(store.jobs),
      datasets,
      runner: fake.runner,
      deployer,
      jobsDir: join(dir, 'jobs'),
      maxConcurrentJobs,
      randomSeed: () => 42,
    });
    await service.start();
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'maas-jobs-'));
    deployed = [];
    findDeployed = undefined;
    await build();
  });
  afterEach(async () => {
    await service.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const body = (dataset: string, extra: Record<string, unknown> = {}) => ({
    model: 'm',
    dataset,
    task: 'classification',
    target: 'label',
    architecture: { type: 'logistic' },
    optimizer: { type: 'adam' },
    epochs: 3,
    ...extra,
  });

  it('resolves every default into hyperparameters and queues the job', async () => {
    const ds = await datasets.create(new TextEncoder().encode(irisLike), 'csv', 'x.csv');
    const job = await service.create(body(ds.id));
    expect(job).toMatchObject({
      object: 'training_job',
      status: 'queued',
      model: 'm',
      dataset: ds.id,
      validation_dataset: null,
      queue_position: 0,
      started_at: null,
      metrics: null,
      error: null,
      result: null,
    });
    expect(job.id).toMatch(/^job_[0-9A-Z]{26}$/);
    expect(job.hyperparameters).toEqual({
      task: 'classification',
      target: 'label',
      features: ['a', 'b'],
      architecture: { type: 'logistic' },
      optimizer: { type: 'adam', learning_rate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weight_decay: 0 },
      loss: 'cross_entropy',
      epochs: 3,
      batch_size: 32,
      validation_split: 0.2,
      early_stopping: null,
      seed: 42,
    });
  });

  it('rejects specs that do not fit the data, naming the field', async () => {
    const ds = await datasets.create(new TextEncoder().encode('a,s,y\n1,p,1.5\n2,q,2.5\n'), 'csv', null);
    expect(await errorOf(async () => await service.create(body('ds_nope')))).toEqual({
      status: 404,
      code: 'dataset_not_found',
      message: "Dataset 'ds_nope' not found",
    });
    expect(await errorOf(async () => await service.create(body(ds.id, { target: 'zz' })))).toMatchObject({
      status: 422,
      code: 'training_spec_invalid',
      message: "target: column 'zz' is not in the dataset; columns are a, s, y",
    });
    expect(
      await errorOf(
        async () => await service.create(body(ds.id, { task: 'regression', target: 'y', features: ['a', 'zz', 'a'] })),
      ),
    ).toMatchObject({
      status: 422,
      message:
        "features[1]: column 'zz' is not in the dataset; columns are a, s, y; features[2]: column 'a' is listed twice; " +
        'architecture.type: logistic is softmax regression for classification; use linear or mlp for regression',
    });
    expect(await errorOf(async () => await service.create(body(ds.id, { target: 'y' })))).toMatchObject({
      message: "target: column 'y' has non-integer numbers; classification needs class labels (strings or integers)",
    });
    const linear = { architecture: { type: 'linear' } };
    expect(
      await errorOf(async () => await service.create(body(ds.id, { task: 'regression', target: 's', ...linear }))),
    ).toMatchObject({
      message: "target: column 's' is a string column; regression needs a number column",
    });
    expect(await errorOf(async () => await service.create(body(ds.id, { epochs: 0 })))).toEqual({
      status: 400,
      code: 'invalid_input',
      message: 'epochs: expected an integer from 1 to 100000, got 0',
    });
    expect(
      await errorOf(async () => await service.create(body(ds.id, { optimizer: { type: 'adam', lr: 1 } }))),
    ).toMatchObject({
      status: 400,
      message: 'optimizer.lr: unknown field; expected one of type, learning_rate, beta1, beta2, epsilon, weight_decay',
    });
  });

  it('runs queued jobs one at a time, records epochs as events, deploys and frees the slot', async () => {
    const ds = await datasets.create(new TextEncoder().encode(irisLike), 'csv', null);
    const a = await service.create(body(ds.id));
    const b = await service.create(body(ds.id));
    expect((await service.retrieve(b.id)).queue_position).toBe(1);
    await tick();
    expect(runs).toHaveLength(1);
    expect(await service.retrieve(a.id)).toMatchObject({ status: 'running', queue_position: null });
    expect(await service.retrieve(b.id)).toMatchObject({ status: 'queued', queue_position: 0 });

    const run = runs[0]!;
    expect(existsSync(run.request.data.train.path)).toBe(true);
    run.epoch(1, 0.9);
    run.callbacks.message('hello');
    run.epoch(2, 0.5);
    await tick();
    expect(await store.jobs.loadCheckpoint(a.id)).toEqual({ epoch: 2, state: new Uint8Array([2]) });
    expect((await service.retrieve(a.id)).metrics).toMatchObject({ epoch: 2, train_loss: 0.5 });
    run.callbacks.finished({ onnx: new Uint8Array(10), description: 'd' });
    await tick();
    await tick();

    const done = await service.retrieve(a.id);
    expect(done).toMatchObject({ status: 'succeeded', result: { model: 'm', version: '1' } });
    expect(done.finished_at).not.toBeNull();
    expect(deployed).toEqual([{ model: 'm', jobId: a.id, bytes: 10 }]);
    expect(await store.jobs.loadCheckpoint(a.id)).toBeUndefined();
    expect(existsSync(run.request.data.train.path)).toBe(false);

    const events = (await service.listEvents(a.id, 0, 100)).items;
    expect(events.map((e) => [e.id, e.type, e.status ?? e.message ?? e.metrics?.epoch])).toEqual([
      [1, 'status', 'queued'],
      [2, 'status', 'running'],
      [3, 'metrics', 1],
      [4, 'message', 'hello'],
      [5, 'metrics', 2],
      [6, 'message', 'Deployed as model m version 1'],
      [7, 'status', 'succeeded'],
    ]);
    expect(await service.listEvents(a.id, 5, 1)).toMatchObject({ items: [{ id: 6 }], hasMore: true });

    expect(runs).toHaveLength(2);
    expect((await service.retrieve(b.id)).status).toBe('running');
  });

  it('cancels a queued job at once and a running one when the run reports it', async () => {
    const ds = await datasets.create(new TextEncoder().encode(irisLike), 'csv', null);
    const a = await service.create(body(ds.id));
    const b = await service.create(body(ds.id));
    await tick();
    expect(await service.cancel(b.id)).toMatchObject({ status: 'cancelled', queue_position: null });
    expect((await service.cancel(a.id)).status).toBe('running');
    expect(runs[0]!.cancelRequested).toBe(true);
    runs[0]!.callbacks.cancelled();
    await tick();
    expect((await service.retrieve(a.id)).status).toBe('cancelled');
    expect(await errorOf(async () => await service.cancel(a.id))).toEqual({
      status: 409,
      code: 'invalid_job_state',
      message: `Job ${a.id} is cancelled; only queued or running jobs can be cancelled`,
    });
  });

  it('records a failed run with its error', async () => {
    const ds = await datasets.create(new TextEncoder().encode(irisLike), 'csv', null);
    const a = await service.create(body(ds.id));
    await tick();
    runs[0]!.callbacks.failed({ code: 'training_failed', message: 'loss became NaN' });
    await tick();
    expect(await service.retrieve(a.id)).toMatchObject({
      status: 'failed',
      error: { code: 'training_failed', message: 'loss became NaN' },
    });
    const last = (await service.listEvents(a.id, 0, 100)).items.at(-1);
    expect(last).toMatchObject({ type: 'status', status: 'failed', message: 'loss became NaN' });
  });

  it('lists newest first with a status filter and cursor', async () => {
    const ds = await datasets.create(new TextEncoder().encode(irisLike), 'csv', null);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await service.create(body(ds.id))).id);
    await service.cancel(ids[1]!);
    const page1 = await service.list({ limit: 2 });
    expect(page1.items.map((j) => j.id)).toEqual([ids[2], ids[1]]);
    expect(page1.hasMore).toBe(true);
    expect((await service.list({ limit: 2, after: ids[1] })).items.map((j) => j.id)).toEqual([ids[0]]);
    expect((await service.list({ limit: 10, status: 'queued' })).items.map((j) => [j.id, j.queue_position])).toEqual([
      [ids[2], 1],
      [ids[0], 0],
    ]);
    expect(await errorOf(async () => await service.list({ limit: 1, status: 'done' }))).toMatchObject({
      code: 'invalid_parameter',
    });
  });

  it('writes epochs that arrive while a write waits in one transaction, keeping every event in order', async () => {
    let updates = 0;
    const update = store.jobs.update.bind(store.jobs);
    store.jobs.update = (...args) => {
      updates++;
      return update(...args);
    };
    const ds = await datasets.create(new TextEncoder().encode(irisLike), 'csv', null);
    const a = await service.create(body(ds.id));
    await tick();
    const run = runs[0]!;
    const before = updates;
    // A trainer faster than the store: 12 epochs and a message in one turn of the event loop.
    for (let n = 1; n <= 6; n++) run.epoch(n);
    run.callbacks.message('half way');
    for (let n = 7; n <= 12; n++) run.epoch(n);
    await tick();
    await tick();
    // The chain starts its work on a later turn: epochs 1–6 in one write, the message (an event append), 7–12 in one.
    expect(updates - before).toBe(2);
    const events = (await service.listEvents(a.id, 0, 100)).items.slice(2);
    expect(events.map((e) => e.message ?? e.metrics?.epoch)).toEqual([
      1,
      2,
      3,
      4,
      5,
      6,
      'half way',
      ...[7, 8, 9, 10, 11, 12],
    ]);
    expect(await store.jobs.loadCheckpoint(a.id)).toEqual({ epoch: 12, state: new Uint8Array([12]) });
    expect((await service.retrieve(a.id)).metrics).toMatchObject({ epoch: 12 });
  });

  it('resumes a running job from its checkpoint after a restart, and keeps the queue', async () => {
    const ds = await datasets.create(new TextEncoder().encode(irisLike), 'csv', null);
    const a = await service.create(body(ds.id));
    const b = await service.create(body(ds.id));
    await tick();
    runs[0]!.epoch(1);
    runs[0]!.epoch(2);
    await tick();
    // A crash: nothing is closed, the process just stops. Reopen the same directory.
    await store.close();
    await build();
    await tick();
    expect(runs).toHaveLength(1);
    expect(runs[0]!.request.checkpoint).toEqual({ epoch: 2, state: new Uint8Array([2]) });
    expect((await service.retrieve(a.id)).status).toBe('running');
    expect(await service.retrieve(b.id)).toMatchObject({ status: 'queued', queue_position: 0 });
    const events = (await service.listEvents(a.id, 0, 100)).items;
    expect(events.at(-1)).toMatchObject({
      id: 5,
      type: 'message',
      message: 'The server restarted; resuming from epoch 2',
    });
  });

  it('fails a running job with code interrupted when its data is gone after a restart', async () => {
    const ds = await datasets.create(new TextEncoder().encode(irisLike), 'csv', null);
    const a = await service.create(body(ds.id));
    await tick();
    const trainPath = runs[0]!.request.data.train.path;
    await store.close();
    rmSync(trainPath);
    await build();
    expect(await service.retrieve(a.id)).toMatchObject({ status: 'failed', error: { code: 'interrupted' } });
  });

  it('keeps a job working when its dataset is deleted after creation', async () => {
    const ds = await datasets.create(new TextEncoder().encode(irisLike), 'csv', null);
    const a = await service.create(body(ds.id));
    await datasets.delete(ds.id);
    await tick();
    expect(existsSync(runs[0]!.request.data.train.path)).toBe(true);
    expect((await service.retrieve(a.id)).status).toBe('running');
    expect(await errorOf(async () => await service.create(body(ds.id)))).toMatchObject({
      status: 404,
      code: 'dataset_not_found',
    });
  });

  it('runs up to maxConcurrentJobs at once', async () => {
    await service.close();
    await store.close();
    await build(2);
    const ds = await datasets.create(new TextEncoder().encode(irisLike), 'csv', null);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await service.create(body(ds.id))).id);
    await tick();
    expect(runs.map((r) => r.request.jobId)).toEqual([ids[0], ids[1]]);
    expect(await service.retrieve(ids[2]!)).toMatchObject({ status: 'queued', queue_position: 0 });
    runs[1]!.callbacks.failed({ code: 'training_failed', message: 'x' });
    await tick();
    expect(runs.map((r) => r.request.jobId)).toEqual([ids[0], ids[1], ids[2]]);
  });

  it('does not deploy twice when a restart finds the version an earlier run already deployed', async () => {
    const ds = await datasets.create(new TextEncoder().encode(irisLike), 'csv', null);
    const a = await service.create(body(ds.id));
    await tick();
    findDeployed = (model, jobId) => (model === 'm' && jobId === a.id ? '4' : undefined);
    runs[0]!.callbacks.finished({ onnx: new Uint8Array(3), description: 'd' });
    await tick();
    await tick();
    expect(deployed).toEqual([]);
    expect(await service.retrieve(a.id)).toMatchObject({ status: 'succeeded', result: { model: 'm', version: '4' } });
  });
});
