// How to test an app that uses MaasClient: the maas/msw handlers under msw's setupServer, no server needed.
// (Run by vitest through test/contract/app-example.test.ts.)
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MaasClient, ServiceUnavailableError } from '../../src/index.js'; // in your app: from 'maas'
import { createMaasHandlers, runFakeModel } from '../../src/msw/index.js'; // in your app: from 'maas/msw'
import { classify, trainFromCsv } from './classify.js';

const baseUrl = 'http://maas.test';
// `clock: false`: training jobs move only when the test calls state.advance(), so every run is the same.
const { handlers, state } = createMaasHandlers({ baseUrl, clock: false });
const server = setupServer(...handlers);
// No transport option: while msw listens, MaasClient sends through the global fetch that msw intercepts.
const client = new MaasClient({ baseUrl, maxRetries: 0 });

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => state.reset()); // back to the seeded demo models, no datasets or jobs
afterAll(() => server.close());

const row = (seed: number) => Array.from({ length: 100 }, (_, i) => Math.cos(seed + i));

describe('classify', () => {
  it('returns the argmax class of each row', async () => {
    const rows = [row(1), row(2)];
    const result = await classify(client, rows);
    // The mock's keras_mlp is a documented deterministic function (runFakeModel), so the expected classes can be
    // computed here; against the real model only the shape of the answer would be known in advance.
    const [probabilities] = runFakeModel({ outputs: [{ name: 'probabilities', datatype: 'FP32', shape: [-1, 10] }] }, [
      { name: 'input', datatype: 'FP32', shape: [2, 100], data: new Float32Array(rows.flat()) },
    ]);
    const p = probabilities!.data as Float32Array;
    const argmax = (r: number) => {
      const slice = Array.from(p.subarray(r * 10, r * 10 + 10));
      return slice.indexOf(Math.max(...slice));
    };
    expect(result.map((c) => c.label)).toEqual([argmax(0), argmax(1)]);
    expect(result[0]!.confidence).toBeCloseTo(p[argmax(0)]!, 6);
  });

  it('surfaces the server’s errors: an unloaded model is a ServiceUnavailableError (503 model_not_ready)', async () => {
    await client.repository.unload('keras_mlp');
    const error = await classify(client, [row(0)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as ServiceUnavailableError).code).toBe('model_not_ready');
  });
});

describe('trainFromCsv', () => {
  const csv = `a,b,kind\n${Array.from({ length: 12 }, (_, i) => `${i},${i % 3},${i < 6 ? 'small' : 'large'}`).join('\n')}\n`;

  it('uploads, trains, reports each epoch, and returns the deployed version', async () => {
    const losses: number[] = [];
    const training = trainFromCsv(client, csv, {
      model: 'sizer',
      target: 'kind',
      epochs: 3,
      onEpoch: (_, loss) => losses.push(loss),
    });
    // Let the create requests through, then run the queued job to its end.
    await expect.poll(() => state.jobs.list().length).toBe(1);
    state.advance();
    const { job, version } = await training;
    expect([job.status, version]).toEqual(['succeeded', '1']);
    expect(losses).toHaveLength(3);
    const model = await client.models.retrieve('sizer');
    expect(model.versions[0]?.outputs.map((o) => o.name)).toEqual(['probabilities', 'label']);
  });

  it('fails clearly when the job fails', async () => {
    const training = trainFromCsv(client, csv, { model: 'sizer', target: 'kind' });
    await expect.poll(() => state.jobs.list().length).toBe(1);
    state.failJob(state.jobs.list()[0]!.job.id, { code: 'training_failed', message: 'loss became NaN' });
    await expect(training).rejects.toThrow(/ended failed: loss became NaN/);
  });
});
