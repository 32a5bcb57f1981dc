// Evaluation and optimisation jobs: evaluate a trained version (and against another), quantise it into a candidate
// that takes no unversioned traffic until promoted, a candidate that fails its gate, events as JSON and SSE,
// listing, cancel of an ended job, idempotent create, training with promote: false, and the 4xx of bad specs.
// Figures that come from running a model are the server's measurements and the mock's documented constants
// (src/msw/fake-optimization.ts): only their shape and the verdicts are compared across targets.
import { expect, it } from 'vitest';
import type { OptimizationJobCreateRequest, OptimizationJobEvent } from '../../src/index.js';
import { CONTRACT_AREAS } from '../support/contract-coverage.js';
import { apiError } from '../support/contract-expect.js';
import { describeContract } from '../support/contract-targets.js';

// Two well separated classes, 'a' around (0, 0) and 'b' around (3, 3).
const CLASSES_CSV = `x1,x2,label\n${Array.from({ length: 40 }, (_, i) =>
  i % 2 ? `${3 + (i % 5) * 0.1},${3 - (i % 3) * 0.1},b` : `${(i % 5) * 0.1},${(i % 3) * 0.1},a`,
).join('\n')}\n`;

describeContract(
  'optimization',
  CONTRACT_AREAS.optimization,
  (t) => {
    let dataset = '';
    let quantized = '';
    const quantize = (extra: Partial<OptimizationJobCreateRequest> = {}): OptimizationJobCreateRequest => ({
      model: 'opt_clf',
      method: { type: 'quantize', precision: 'int8', mode: 'dynamic' },
      evaluation: { dataset, target: 'label' },
      ...extra,
    });

    it('setup: a trained classifier to optimise', async () => {
      dataset = (await t.client.datasets.create(CLASSES_CSV, { format: 'csv', name: 'classes.csv' })).id;
      const job = await t.client.trainingJobs.create({
        model: 'opt_clf',
        dataset,
        task: 'classification',
        target: 'label',
        architecture: { type: 'mlp', hidden_layers: [64, 64] },
        optimizer: { type: 'adam', learning_rate: 0.05 },
        epochs: 10,
        seed: 3,
      });
      await t.session.advanceJobs();
      expect(await t.client.trainingJobs.retrieve(job.id)).toMatchObject({ status: 'succeeded' });
    });

    it('evaluate: the version’s figures on the dataset; against itself, full agreement and no difference', async () => {
      const e = await t.client.models.evaluate('opt_clf', 1, { dataset, target: 'label', compare_to: '1' });
      expect(e).toMatchObject({
        object: 'model.evaluation',
        model: 'opt_clf',
        version: '1',
        dataset,
        compare_to: '1',
        task: 'classification',
        output: 'probabilities',
        target: 'label',
        features: ['x1', 'x2'],
        rows: 40,
        labelled_rows: 40,
        rmse: null,
        mae: null,
        agreement: 1,
        max_abs_diff: 0,
        mean_abs_diff: 0,
      });
      expect(e.accuracy).toBeGreaterThan(0.5);
      expect(e.accuracy).toBeLessThanOrEqual(1);
      expect(e.loss).toBeGreaterThanOrEqual(0);
      expect(e.latency.map((l) => [l.batch, l.runs])).toEqual([
        [1, 200],
        [64, 50],
      ]);
      for (const l of e.latency) expect(l.p99_ms).toBeGreaterThanOrEqual(l.p50_ms);
      expect(e.size_bytes).toBe((await t.client.models.retrieveVersion('opt_clf', 1)).size_bytes);
      expect(e.gzip_bytes).toBeGreaterThan(0);
    });

    it('evaluate errors: a bad body (400 naming each field), a column the dataset lacks (422), unknown version (404)', async () => {
      const bad = await t.session.raw('POST', '/v1/models/opt_clf/versions/1/evaluate', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ dataset, target: 3, colour: 'red' }),
      });
      expect(bad.status).toBe(400);
      expect(bad.json().code).toBe('invalid_input');
      expect(
        bad
          .json()
          .details.map((d: { field: string }) => d.field)
          .sort(),
      ).toEqual(['colour', 'target']);
      const column = await apiError(t.client.models.evaluate('opt_clf', 1, { dataset, target: 'nope' }));
      expect(column).toMatchObject({ status: 422, code: 'optimize_data_invalid' });
      expect(column.message).toContain("target: column 'nope' is not in dataset");
      expect(await apiError(t.client.models.evaluate('opt_clf', 9, { dataset, target: 'label' }))).toMatchObject({
        status: 404,
        code: 'version_not_found',
      });
    });

    it('create: queued with the method, evaluation and gate resolved; Idempotency-Key replays it', async () => {
      const key = 'contract-optimize-1';
      const job = await t.client.optimizationJobs.create(quantize(), { idempotencyKey: key });
      quantized = job.id;
      expect(job).toMatchObject({
        id: expect.stringMatching(/^job_[A-Za-z0-9]+$/),
        object: 'optimization_job',
        status: 'queued',
        model: 'opt_clf',
        version: '1',
        method: { type: 'quantize', precision: 'int8', mode: 'dynamic', per_channel: false, reduce_range: false },
        evaluation: { dataset, target: 'label', features: null },
        gate: { min_agreement: 0.995, max_accuracy_drop_pt: 0.5, max_rmse_increase: 0.02 },
        promote: false,
        output_model: 'opt_clf',
        queue_position: 0,
        stage: null,
        started_at: null,
        error: null,
        result: null,
        report: null,
      });
      expect((await t.client.optimizationJobs.create(quantize(), { idempotencyKey: key })).id).toBe(job.id);
      expect(
        await apiError(t.client.optimizationJobs.create(quantize({ promote: true }), { idempotencyKey: key })),
      ).toMatchObject({ status: 409, code: 'idempotency_conflict' });
    });

    it('wait: succeeded with a candidate, its report and gate; the candidate takes no unversioned traffic', async () => {
      const job = await t.client.optimizationJobs.wait(quantized, { timeout: 60_000 });
      expect(job).toMatchObject({ status: 'succeeded', error: null, result: { model: 'opt_clf', version: '2' } });
      const r = job.report!;
      expect(r).toMatchObject({ method: 'quantize', gate: { method: 'quantize_int8', passed: true } });
      expect(r.gate.checks.map((c) => c.name).sort()).toEqual(['max_accuracy_drop_pt', 'min_agreement']);
      expect(r.parent.agreement).toBeNull();
      expect(r.candidate.agreement).toBeGreaterThanOrEqual(0.995);
      expect(r.size_bytes.after).toBeLessThan(r.size_bytes.before);
      expect(r.size_ratio).toBeCloseTo(r.size_bytes.after / r.size_bytes.before, 6);
      expect(r.session_config).toEqual({});
      const model = await t.client.models.retrieve('opt_clf');
      expect(model).toMatchObject({ default_version: '1', pinned_version: '1' });
      expect(model.versions.map((v) => [v.version, v.state, v.candidate ?? false])).toEqual([
        ['1', 'READY', false],
        ['2', 'READY', true],
      ]);
      expect(model.versions[1]).toMatchObject({
        source: 'optimization',
        optimization_job: quantized,
        parent_model: 'opt_clf',
        parent_version: '1',
      });
      const x = { inputs: { input: { data: new Float32Array([0.1, 0.1]), shape: [1, 2] } } };
      expect((await t.client.models.infer('opt_clf', x)).modelVersion).toBe('1');
      expect((await t.client.models.infer('opt_clf', { ...x, version: 2 })).modelVersion).toBe('2');
    });

    it('events: queued, the plan, running, each stage, the gate’s verdict, published, succeeded (JSON and SSE)', async () => {
      const page = await t.client.optimizationJobs.events(quantized, { limit: 1000 });
      const events = page.data;
      expect(events.every((e) => e.object === 'optimization_job.event')).toBe(true);
      expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
      const shape = events.map((e) =>
        e.type === 'stage' ? `stage:${e.stage}` : e.type === 'status' ? `status:${e.status}` : e.type,
      );
      expect(shape).toEqual([
        'status:queued',
        'message',
        'status:running',
        'stage:evaluating_parent',
        'stage:optimizing',
        'stage:evaluating_candidate',
        'message',
        'message',
        'stage:publishing',
        'message',
        'status:succeeded',
      ]);
      expect(events[1]!.message).toBe('int8 dynamic of opt_clf version 1');
      expect(events[6]!.message).toMatch(/^Gate: /);
      expect(events[9]!.message).toBe(
        'Published as model opt_clf version 2, a candidate (no unversioned traffic until promoted)',
      );
      const streamed: OptimizationJobEvent[] = [];
      for await (const e of t.client.optimizationJobs.stream(quantized, { after: 5 })) streamed.push(e);
      expect(streamed.map((e) => e.id)).toEqual(events.slice(5).map((e) => e.id));
    });

    it('promote: pinning the candidate ends its candidacy and moves unversioned traffic to it', async () => {
      const model = await t.client.models.update('opt_clf', { default_version: '2' });
      expect(model).toMatchObject({ default_version: '2', pinned_version: '2' });
      expect(model.versions[1]!.candidate).toBeUndefined();
      const x = { inputs: { input: { data: new Float32Array([0.1, 0.1]), shape: [1, 2] } } };
      expect((await t.client.models.infer('opt_clf', x)).modelVersion).toBe('2');
    });

    it('a candidate that fails its gate ends the job failed (gate_failed) with the report, publishing nothing', async () => {
      const created = await t.client.optimizationJobs.create(
        quantize({ version: '1', method: { type: 'prune', sparsity: 0.5 }, gate: { max_accuracy_drop_pt: -100 } }),
      );
      const job = await t.client.optimizationJobs.wait(created.id, { timeout: 60_000 });
      expect(job).toMatchObject({ status: 'failed', error: { code: 'gate_failed' }, result: null });
      expect(job.error!.message).toMatch(/^The candidate failed its gate: accuracy FAILED/);
      expect(job.report).toMatchObject({ method: 'prune', gate: { method: 'prune', passed: false } });
      expect(job.report!.sparsity.after).toBeGreaterThan(job.report!.sparsity.before);
      expect((await t.client.models.retrieve('opt_clf')).versions).toHaveLength(2);
      expect(await apiError(t.client.optimizationJobs.cancel(created.id))).toMatchObject({
        status: 409,
        code: 'invalid_job_state',
      });
    });

    it('list: optimisation jobs newest first, apart from training jobs, by status', async () => {
      const all = await t.client.optimizationJobs.list();
      expect(all.data.map((j) => j.status)).toEqual(['failed', 'succeeded']);
      const failed = await t.client.optimizationJobs.list({ status: 'failed' });
      expect(failed.data).toHaveLength(1);
      expect((await t.client.trainingJobs.list()).data.map((j) => j.object)).toEqual(['training_job']);
      expect(await apiError(t.client.trainingJobs.retrieve(quantized))).toMatchObject({
        status: 404,
        code: 'job_not_found',
      });
    });

    it('training with promote: false publishes a candidate and leaves the default where it was', async () => {
      const job = await t.client.trainingJobs.create({
        model: 'opt_clf',
        dataset,
        task: 'classification',
        target: 'label',
        architecture: { type: 'logistic' },
        epochs: 2,
        seed: 1,
        promote: false,
      });
      expect(job.promote).toBe(false);
      const done = await t.client.trainingJobs.wait(job.id, { timeout: 60_000 });
      expect(done).toMatchObject({ status: 'succeeded', result: { model: 'opt_clf', version: '3' } });
      const model = await t.client.models.retrieve('opt_clf');
      expect(model.default_version).toBe('2');
      expect(model.versions.find((v) => v.version === '3')).toMatchObject({ source: 'training', candidate: true });
    });

    it('bad specs are 4xx naming the field: unknown method, sparsity 1.5, missing teacher, non-dense fine-tuning', async () => {
      const unknown = await apiError(
        t.client.optimizationJobs.create(quantize({ method: { type: 'compress' } as never })),
      );
      expect(unknown).toMatchObject({ status: 400, code: 'invalid_input' });
      expect(unknown.details).toEqual([
        { field: 'method.type', message: "expected one of quantize, prune, distill, got 'compress'" },
      ]);
      const sparsity = await apiError(
        t.client.optimizationJobs.create(quantize({ method: { type: 'prune', sparsity: 1.5 } })),
      );
      expect(sparsity).toMatchObject({ status: 400, code: 'invalid_input' });
      expect(sparsity.details?.map((d) => d.field)).toEqual(['method.sparsity']);
      const teacher = await apiError(
        t.client.optimizationJobs.create({
          ...quantize(),
          model: 'no_teacher',
          method: {
            type: 'distill',
            dataset,
            student: { architecture: { type: 'mlp', hidden_layers: [4] } },
            temperature: 2,
            alpha: 0.5,
            epochs: 2,
          },
        }),
      );
      expect(teacher).toMatchObject({ status: 404, code: 'model_not_found' });
      expect(teacher.message).toMatch(/^model: Model 'no_teacher' not found/);
      const missingVersion = await apiError(t.client.optimizationJobs.create(quantize({ version: '99' })));
      expect(missingVersion).toMatchObject({ status: 404, code: 'version_not_found' });
      expect(missingVersion.message).toBe("version: Model 'opt_clf' has no version 99");
      const missingData = await apiError(
        t.client.optimizationJobs.create(quantize({ evaluation: { dataset: 'ds_unknown', target: 'label' } })),
      );
      expect(missingData).toMatchObject({ status: 404, code: 'dataset_not_found' });
      expect(missingData.message).toBe("evaluation.dataset: Dataset 'ds_unknown' not found");
      const dense = await apiError(
        t.client.optimizationJobs.create({
          ...quantize(),
          model: 'multi_io',
          method: { type: 'prune', sparsity: 0.5, fine_tune: { dataset, target: 'label', epochs: 1 } },
        }),
      );
      expect(dense).toMatchObject({ status: 422, code: 'fine_tune_unsupported' });
      expect(dense.message).toMatch(/^method\.fine_tune: /);
      const column = await apiError(
        t.client.optimizationJobs.create(quantize({ evaluation: { dataset, target: 'nope' } })),
      );
      expect(column).toMatchObject({ status: 422, code: 'optimize_data_invalid' });
      expect(column.details?.map((d) => d.field)).toEqual(['evaluation.target']);
      for (const call of [
        () => t.client.optimizationJobs.retrieve('job_unknown'),
        () => t.client.optimizationJobs.cancel('job_unknown'),
        () => t.client.optimizationJobs.events('job_unknown'),
      ]) {
        expect(await apiError(call())).toMatchObject({ status: 404, code: 'job_not_found' });
      }
    });
  },
  {
    inOrderBecause:
      'one classifier is trained per target and optimised by the tests after `setup`; version numbers (2 the ' +
      'candidate, 3 the unpromoted training) and the list order depend on the tests before them.',
  },
);
