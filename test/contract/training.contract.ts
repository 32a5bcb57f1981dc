// Training jobs: create (resolved hyperparameters), wait and serve the trained model, events as JSON pages and as
// SSE (live, and resumed with Last-Event-ID without duplicates or gaps), cancel, list by status, and the errors.
import { expect, it } from 'vitest';
import type { TrainingJobCreateRequest, TrainingJobEvent } from '../../src/index.js';
import { CONTRACT_AREAS } from '../support/contract-coverage.js';
import { apiError } from '../support/contract-expect.js';
import { describeContract } from '../support/contract-targets.js';
import { parseSse } from '../support/openapi-validator.js';

// Two well separated classes: 'a' around (0, 0), 'b' around (3, 3).
const CLASSES_CSV = `x1,x2,label\n${Array.from({ length: 20 }, (_, i) =>
  i % 2 ? `${3 + (i % 5) * 0.1},${3 - (i % 3) * 0.1},b` : `${(i % 5) * 0.1},${(i % 3) * 0.1},a`,
).join('\n')}\n`;

const EPOCHS = 12;
const classifier = (dataset: string, model: string): TrainingJobCreateRequest => ({
  model,
  dataset,
  task: 'classification',
  target: 'label',
  architecture: { type: 'logistic' },
  optimizer: { type: 'adam', learning_rate: 0.1 },
  epochs: EPOCHS,
  seed: 1,
});

const idsOf = (events: readonly { id: number | string | undefined }[]) => events.map((e) => Number(e.id));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describeContract(
  'training',
  CONTRACT_AREAS.training,
  (t) => {
    let dataset = '';
    let trainedJob = '';
    // The trainer's first message ends with the matrix kernels it runs; the mock says it runs none.
    const kernels = () => (t.cap.realTraining ? '(wasm-simd kernels)' : '(simulated by maas/msw, no kernels)');

    it('create: the job comes back queued with every hyperparameter resolved', async () => {
      dataset = (await t.client.datasets.create(CLASSES_CSV, { format: 'csv', name: 'classes.csv' })).id;
      const job = await t.client.trainingJobs.create(classifier(dataset, 'clf'));
      trainedJob = job.id;
      expect(job).toMatchObject({
        id: expect.stringMatching(/^job_[A-Za-z0-9]+$/),
        object: 'training_job',
        status: 'queued',
        model: 'clf',
        dataset,
        validation_dataset: null,
        queue_position: 0,
        started_at: null,
        finished_at: null,
        metrics: null,
        error: null,
        result: null,
      });
      expect(job.hyperparameters).toEqual({
        task: 'classification',
        target: 'label',
        features: ['x1', 'x2'],
        architecture: { type: 'logistic' },
        optimizer: { type: 'adam', learning_rate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weight_decay: 0 },
        loss: 'cross_entropy',
        epochs: EPOCHS,
        batch_size: 32,
        validation_split: 0.2,
        early_stopping: null,
        seed: 1,
      });
    });

    it('wait: succeeded with result {model, version}, the last epoch’s metrics, and the model deployed', async () => {
      const job = await t.client.trainingJobs.wait(trainedJob, { timeout: 60_000 });
      expect(job).toMatchObject({ status: 'succeeded', error: null, result: { model: 'clf', version: '1' } });
      expect(job.metrics?.epoch).toBe(EPOCHS);
      expect(Date.parse(job.finished_at ?? '')).toBeGreaterThanOrEqual(Date.parse(job.started_at ?? ''));
      expect(await t.client.trainingJobs.retrieve(trainedJob)).toEqual(job);
      const model = await t.client.models.retrieve('clf');
      expect(model.description).toBe(
        "Predicts 'label' (classification) with a 2 → 2 network. Input 'input': FP32 [N, 2], raw (unstandardized) " +
          "columns in this order: x1, x2. Outputs 'probabilities' [N, 2] over the labels a, b (in that order) and 'label' [N].",
      );
      expect(model.versions[0]).toMatchObject({
        version: '1',
        state: 'READY',
        source: 'training',
        training_job: trainedJob,
        inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 2] }],
        outputs: [
          { name: 'probabilities', datatype: 'FP32', shape: [-1, 2] },
          { name: 'label', datatype: 'BYTES', shape: [-1] },
        ],
      });
    });

    it('the trained model serves: probabilities per row and a label from the training classes', async () => {
      const result = await t.client.models.infer('clf', {
        inputs: { input: { data: new Float32Array([0.1, 0.1, 3.2, 2.9]), shape: [2, 2] } },
      });
      const probabilities = result.output('probabilities');
      expect(probabilities.shape).toEqual([2, 2]);
      const p = probabilities.data as Float32Array;
      expect(p[0]! + p[1]!).toBeCloseTo(1, 5);
      expect(p[2]! + p[3]!).toBeCloseTo(1, 5);
      const labels = result.output('label').data as string[];
      expect(labels.every((l) => l === 'a' || l === 'b')).toBe(true);
    });

    it.runIf(t.cap.realTraining)(
      'the trained model separates the two classes (real gradient descent; the mock’s weights are not learned)',
      async () => {
        const result = await t.client.models.infer('clf', {
          inputs: { input: { data: new Float32Array([0.1, 0.1, 3.2, 2.9]), shape: [2, 2] } },
        });
        expect(result.output('label').data).toEqual(['a', 'b']);
      },
    );

    it('events (JSON): queued, running, what is trained, one metrics event per epoch, deployed, succeeded', async () => {
      const all = await t.client.trainingJobs.events(trainedJob);
      const events = all.data;
      expect(idsOf(events)).toEqual(range(1, events.length));
      expect(all).toMatchObject({ object: 'list', has_more: false, next_cursor: String(events.length) });
      expect(
        events.map((e) =>
          e.type === 'metrics' ? `metrics ${e.metrics?.epoch}` : `${e.type} ${e.status ?? e.message}`,
        ),
      ).toEqual([
        'status queued',
        'status running',
        `message Training logistic 2 → 2 with adam (batch 16, cross_entropy) on 16 rows, validating on 4 ${kernels()}`,
        ...range(1, EPOCHS).map((epoch) => `metrics ${epoch}`),
        'message Deployed as model clf version 1',
        'status succeeded',
      ]);
      const first = await t.client.trainingJobs.events(trainedJob, { limit: 2 });
      expect([idsOf(first.data), first.has_more, first.next_cursor]).toEqual([[1, 2], true, '2']);
      const rest = await t.client.trainingJobs.events(trainedJob, { after: 2, limit: 1000 });
      expect(idsOf(rest.data)).toEqual(range(3, events.length));
    });

    it('a regression MLP with full-batch GD and a validation dataset: resolved, described and deployed alike', async () => {
      const line = (from: number) =>
        `x,y\n${Array.from({ length: 10 }, (_, i) => `${from + i},${2 * (from + i) + 1}`).join('\n')}\n`;
      const train = await t.client.datasets.create(line(0), { format: 'csv' });
      const validation = await t.client.datasets.create(line(20), { format: 'csv' });
      const job = await t.client.trainingJobs.create({
        model: 'reg',
        dataset: train.id,
        validation_dataset: validation.id,
        task: 'regression',
        target: 'y',
        architecture: { type: 'mlp', hidden_layers: [3], activation: 'tanh' },
        optimizer: { type: 'gd', learning_rate: 0.05 },
        epochs: 2,
        seed: 3,
      });
      expect(job.hyperparameters).toMatchObject({ features: ['x'], loss: 'mse', validation_split: 0 });
      const done = await t.client.trainingJobs.wait(job.id, { timeout: 60_000 });
      expect(done.result).toEqual({ model: 'reg', version: '1' });
      const messages = (await t.client.trainingJobs.events(job.id)).data.filter((e) => e.type === 'message');
      expect(messages.map((e) => e.message)).toEqual([
        `Training mlp tanh 1 → 3 → 1 with gd (full batch, mse) on 10 rows, validating on 10 ${kernels()}`,
        'Deployed as model reg version 1',
      ]);
      const model = await t.client.models.retrieve('reg');
      expect(model.versions[0]?.outputs).toEqual([{ name: 'value', datatype: 'FP32', shape: [-1, 1] }]);
      const out = await t.client.models.infer('reg', {
        inputs: { input: { data: new Float32Array([4]), shape: [1, 1] } },
      });
      expect(out.output('value').shape).toEqual([1, 1]);
    });

    it('SSE: follows a live job to its terminal event, the same events as the JSON page', async () => {
      const job = await t.client.trainingJobs.create(classifier(dataset, 'clf_live'));
      const streamed: TrainingJobEvent[] = [];
      for await (const event of t.client.trainingJobs.stream(job.id)) streamed.push(event);
      expect(streamed.at(-1)).toMatchObject({ type: 'status', status: 'succeeded' });
      expect(idsOf(streamed)).toEqual(range(1, streamed.length));
      expect((await t.client.trainingJobs.events(job.id)).data).toEqual(streamed);
    });

    it('SSE resume: Last-Event-ID replays exactly the later events — no duplicate, no gap', async () => {
      const ended = (await t.client.trainingJobs.events(trainedJob)).data.length;
      const replay = await t.session.raw('GET', `/v1/training-jobs/${trainedJob}/events`, {
        headers: { accept: 'text/event-stream', 'last-event-id': '3' },
      });
      expect(replay.status).toBe(200);
      expect(replay.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const replayed = parseSse(replay.text);
      expect(idsOf(replayed)).toEqual(range(4, ended));
      expect(replayed.at(-1)?.event).toBe('status');

      // On a live job: open the stream, break off after two events, resume from the last id seen.
      const job = await t.client.trainingJobs.create(classifier(dataset, 'clf_resume'));
      const seen: number[] = [];
      const stream = t.client.trainingJobs.stream(job.id);
      for await (const event of stream) {
        seen.push(event.id);
        if (seen.length === 2) break;
      }
      const resumed = await t.session.raw('GET', `/v1/training-jobs/${job.id}/events`, {
        headers: { accept: 'text/event-stream', 'last-event-id': String(stream.lastEventId) },
      });
      const all = [...seen, ...idsOf(parseSse(resumed.text))];
      expect(all).toEqual(range(1, all.length));
      expect(parseSse(resumed.text).at(-1)?.data).toContain('"status":"succeeded"');
    });

    it('cancel: a queued job is cancelled at once, a running one ends cancelled; an ended job is a 409', async () => {
      const long = await t.client.trainingJobs.create({ ...classifier(dataset, 'clf_long'), epochs: 100_000 });
      const queued = await t.client.trainingJobs.create(classifier(dataset, 'clf_queued'));
      expect(queued.status).toBe('queued');
      const cancelled = await t.client.trainingJobs.cancel(queued.id);
      expect(cancelled).toMatchObject({ id: queued.id, status: 'cancelled', queue_position: null, result: null });
      expect(cancelled.finished_at).toEqual(expect.any(String));
      expect(await apiError(t.client.trainingJobs.cancel(queued.id))).toMatchObject({
        status: 409,
        code: 'invalid_job_state',
      });
      const events = await t.client.trainingJobs.events(queued.id);
      expect(events.data.map((e) => e.status)).toEqual(['queued', 'cancelled']);

      const stopping = await t.client.trainingJobs.cancel(long.id);
      expect(['queued', 'running', 'cancelled']).toContain(stopping.status);
      const stopped = await t.client.trainingJobs.wait(long.id, { timeout: 30_000 });
      expect([stopped.status, stopped.result]).toEqual(['cancelled', null]);
      expect(await apiError(t.client.trainingJobs.cancel(trainedJob))).toMatchObject({
        status: 409,
        code: 'invalid_job_state',
      });
    });

    it('list: newest first, filtered by status, in cursor pages', async () => {
      await t.session.advanceJobs();
      const succeeded: string[] = [];
      for await (const job of t.client.trainingJobs.list({ status: 'succeeded' })) {
        expect(job.status).toBe('succeeded');
        succeeded.push(job.id);
      }
      expect(succeeded).toContain(trainedJob);
      const cancelled = (await t.client.trainingJobs.list({ status: 'cancelled' })).data;
      expect(cancelled.map((j) => j.model)).toEqual(['clf_queued', 'clf_long']);
      const page = await t.session.raw('GET', '/v1/training-jobs?limit=1');
      const newest = page.json();
      expect(newest).toMatchObject({ object: 'list', has_more: true, data: [{ model: 'clf_queued' }] });
      expect(newest.next_cursor).toBe(newest.data[0].id);
      const all: string[] = [];
      for await (const job of t.client.trainingJobs.list({ limit: 2 })) all.push(job.model);
      expect(all).toEqual(['clf_queued', 'clf_long', 'clf_resume', 'clf_live', 'reg', 'clf']);
      expect(await apiError(t.client.trainingJobs.list({ status: 'paused' as never }))).toMatchObject({
        status: 400,
        code: 'invalid_parameter',
      });
    });

    it('create: the same Idempotency-Key and body return the first job; another body with it is a 409', async () => {
      const key = 'contract-job-key';
      const body = { ...classifier(dataset, 'clf_idem'), epochs: 1 };
      const first = await t.client.trainingJobs.create(body, { idempotencyKey: key });
      const again = await t.client.trainingJobs.create(body, { idempotencyKey: key });
      expect(again.id).toBe(first.id);
      expect(
        await apiError(t.client.trainingJobs.create({ ...body, epochs: 2 }, { idempotencyKey: key })),
      ).toMatchObject({ status: 409, code: 'idempotency_conflict' });
      await t.session.advanceJobs();
    });

    it('errors: unknown job (404), unknown dataset (404), a spec that does not fit the data (422), bad JSON (400)', async () => {
      for (const call of [
        () => t.client.trainingJobs.retrieve('job_unknown'),
        () => t.client.trainingJobs.cancel('job_unknown'),
        () => t.client.trainingJobs.events('job_unknown'),
      ]) {
        expect(await apiError(call())).toMatchObject({ status: 404, code: 'job_not_found' });
      }
      expect(await apiError(t.client.trainingJobs.create(classifier('ds_unknown', 'x')))).toMatchObject({
        status: 404,
        code: 'dataset_not_found',
      });
      const badTarget = await apiError(t.client.trainingJobs.create({ ...classifier(dataset, 'x'), target: 'nope' }));
      expect(badTarget).toMatchObject({ status: 422, code: 'training_spec_invalid' });
      expect(badTarget.message).toContain('nope');
      const badJson = await t.session.raw('POST', '/v1/training-jobs', {
        headers: { 'content-type': 'application/json' },
        body: '{"model": ',
      });
      expect([badJson.status, badJson.json().code]).toEqual([400, 'invalid_json']);
      const missing = await t.session.raw('POST', '/v1/training-jobs', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'x' }),
      });
      expect(missing.status).toBe(400);
      expect(missing.json()).toMatchObject({ code: 'invalid_input', error: expect.stringContaining('dataset') });
    });
  },
  {
    inOrderBecause:
      'one job is trained per target and the tests after `create` read it (wait, serve, events, resume); `create` ' +
      'expects an idle queue (queue_position 0) and `list` checks, newest first, exactly the jobs the tests before it ' +
      'made. A job per test would multiply real training on the server for no extra coverage.',
  },
);
