// Triton's model-configuration and statistics extensions: the effective configuration with its defaults, and
// statistics that count the requests made — the same on the server and the mock.
import { expect, it } from 'vitest';
import { CONTRACT_AREAS } from '../support/contract-coverage.js';
import { apiError } from '../support/contract-expect.js';
import { describeContract } from '../support/contract-targets.js';

const input = { input: { data: new Float32Array(100).fill(0.5), shape: [1, 100] } };

describeContract('serving', CONTRACT_AREAS.serving, (t) => {
  it('config: the defaults filled in, inputs and outputs completed from the model', async () => {
    const config = await t.client.models.config('keras_mlp');
    expect(config).toMatchObject({
      name: 'keras_mlp',
      platform: 'onnxruntime_onnx',
      backend: 'onnxruntime',
      version_policy: { latest: { num_versions: 1 } },
      // The demo's config.json batches keras_mlp; Triton's dims then leave the batch dimension out.
      max_batch_size: 64,
      input: [{ name: 'input', data_type: 'TYPE_FP32', dims: [100] }],
      output: [{ name: 'probabilities', data_type: 'TYPE_FP32', dims: [10] }],
      dynamic_batching: {
        preferred_batch_size: [],
        max_queue_delay_microseconds: 0,
        default_queue_policy: { max_queue_size: 0 },
      },
      instance_group: [{ name: 'keras_mlp', kind: 'KIND_CPU', count: 1 }],
      model_warmup: [],
    });
    // Session parameters follow the server's settings (the contract server runs one intra-op thread).
    expect(typeof config.parameters).toBe('object');
    const multi = await t.client.models.config('multi_io');
    expect(multi).toMatchObject({ max_batch_size: 0, input: [{ name: 'ids', dims: [-1, 3] }, {}, {}] });
    expect(multi.dynamic_batching).toBeUndefined();
    expect(await t.client.models.config('keras_mlp', { version: 1 })).toEqual(config);
    expect(await apiError(t.client.models.config('no_such_model'))).toMatchObject({
      status: 404,
      code: 'model_not_found',
    });
  });

  it('stats: success and failure counts equal the requests made; every model listed', async () => {
    const before = (await t.client.models.stats('multi_io')).model_stats[0]!;
    for (let i = 0; i < 3; i++) await t.client.models.infer('keras_mlp', { inputs: input });
    await apiError(
      t.client.models.infer('keras_mlp', { inputs: { input: { data: new Float32Array(4), shape: [1, 4] } } }),
    );
    const { model_stats } = await t.client.models.stats('keras_mlp');
    expect(model_stats).toHaveLength(1);
    const s = model_stats[0]!;
    expect(s).toMatchObject({ name: 'keras_mlp', version: '1', inference_count: 3, execution_count: 3 });
    expect(s.inference_stats.success.count).toBe(3);
    expect(s.inference_stats.fail.count).toBe(1);
    expect(s.inference_stats.success.ns).toBeGreaterThan(0);
    expect(s.inference_stats.compute_infer.count).toBe(3);
    expect(s.batch_stats).toEqual([
      expect.objectContaining({ batch_size: 1, compute_infer: expect.objectContaining({ count: 3 }) }),
    ]);
    expect(s.last_inference).toBeGreaterThan(Date.now() - 60_000);
    expect(before).toMatchObject({ name: 'multi_io', inference_count: 0, execution_count: 0 });
    const all = await t.client.models.stats();
    expect(all.model_stats.map((m) => m.name)).toEqual(
      expect.arrayContaining(['keras_mlp', 'multi_io', 'iris_classifier']),
    );
    expect((await t.client.models.stats('keras_mlp', { version: 1 })).model_stats[0]).toEqual(s);
    expect(await apiError(t.client.models.stats('keras_mlp', { version: 9 }))).toMatchObject({
      status: 404,
      code: 'version_not_found',
    });
  });
});
