// With API keys configured: every operation but health, server metadata and the contract needs
// `Authorization: Bearer <key>`; a missing or wrong key is a 401 `unauthorized`.
import { expect, it } from 'vitest';
import { apiError } from '../support/contract-expect.js';
import { DEMO_MODEL_NAMES, describeContract } from '../support/contract-targets.js';

const KEY = 'contract-secret-key';

describeContract(
  'auth',
  ['getServerLive', 'getServerReady', 'getServerMetadata', 'getOpenApiSpec', 'listModels', 'modelInfer', 'getMetrics'],
  (t) => {
    it('health, server metadata and the contract stay open without a key', async () => {
      expect(await t.client.server.live()).toBe(true);
      expect(await t.client.server.ready()).toBe(true);
      expect((await t.client.server.metadata()).name).toBe('maas');
      expect(await t.client.spec()).toMatch(/^openapi: 3\.1/);
    });

    it('without a key, or with a wrong one, the other operations are a 401 unauthorized', async () => {
      const wrong = t.client.withOptions({ apiKey: 'not-the-key' });
      const cases = [
        { client: t.client, message: 'Missing or invalid API key: send Authorization: Bearer <key>' },
        { client: wrong, message: 'Invalid API key: send Authorization: Bearer <key> with a key this server accepts' },
      ];
      for (const { client, message } of cases) {
        const calls = [
          () => client.models.list().page(),
          () => client.models.retrieve('keras_mlp'),
          () => client.models.metadata('keras_mlp'),
          () =>
            client.models.infer('keras_mlp', { inputs: { input: { data: new Float32Array(100), shape: [1, 100] } } }),
          () => client.repository.index(),
          () => client.datasets.create('x\n1\n', { format: 'csv' }),
          () => client.trainingJobs.list().page(),
          () => client.server.metrics(),
        ];
        for (const call of calls) {
          const error = await apiError(call());
          expect(error).toMatchObject({ status: 401, code: 'unauthorized' });
          expect(error.message).toBe(message);
        }
      }
    });

    it('with the key, the same operations answer', async () => {
      const keyed = t.client.withOptions({ apiKey: KEY });
      expect((await keyed.models.list().page()).data.map((m) => m.name)).toEqual(DEMO_MODEL_NAMES);
      const out = await keyed.models.infer('keras_mlp', {
        inputs: { input: { data: new Float32Array(100), shape: [1, 100] } },
      });
      expect(out.output('probabilities').shape).toEqual([1, 10]);
      expect(await keyed.server.metrics()).toContain('# TYPE maas_inference_request_success_total counter\n');
    });
  },
  { apiKeys: [KEY] },
);
