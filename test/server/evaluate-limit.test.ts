// --max-evaluations over real HTTP: evaluations beyond the limit are refused at once with 503 overloaded and
// Retry-After while the accepted ones run in their worker threads to real figures, and a failed evaluation gives its
// slot back.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateVersion } from '../../server/optimize/index.js';
import { IRIS, readTable, trainedModel } from '../optimize/support.js';
import { startTestServer, type TestServer } from '../support/server.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response shapes
type Json = Record<string, any>;

const LIMIT = 2;
const iris = readTable(IRIS);
const model = trainedModel(iris, {
  task: 'classification',
  target: 'species',
  architecture: { type: 'mlp', hidden_layers: [8] },
  epochs: 40,
});

describe('--max-evaluations', () => {
  let server: TestServer;
  let dataset: string;
  let expected: { accuracy: number; loss: number };

  const evaluate = async (body: Json) => {
    const res = await fetch(`${server.baseUrl}/v1/models/iris/versions/1/evaluate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dataset, ...body }),
    });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as Json };
  };
  const inProgress = () => server.server.services.evaluations.inProgress;
  /** Resolves once `n` evaluations hold a slot on the server (their requests arrived and passed the check). */
  const holding = async (n: number) => {
    while (inProgress() < n) await new Promise((r) => setTimeout(r, 5));
  };
  const expectFigures = (body: Json) => {
    expect(body).toMatchObject({ object: 'model.evaluation', model: 'iris', version: '1', dataset, rows: 150 });
    expect(body.accuracy).toBeCloseTo(expected.accuracy, 10);
    expect(body.loss).toBeCloseTo(expected.loss, 6);
    expect(body.latency.map((l: { batch: number }) => l.batch)).toEqual([1, 64]);
    expect(body.size_bytes).toBe(model.length);
  };

  beforeAll(async () => {
    server = await startTestServer({ models: { iris: model }, settings: { maxEvaluations: LIMIT } });
    const res = await fetch(`${server.baseUrl}/v1/datasets`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: readFileSync(IRIS),
    });
    dataset = ((await res.json()) as Json).id;
    const direct = await evaluateVersion(model, iris, { target: 'species', latency: false });
    expected = { accuracy: direct.metrics.accuracy!, loss: direct.metrics.loss! };
  });
  afterAll(async () => {
    await server?.close();
  });

  it(`refuses evaluations beyond ${LIMIT} at once with 503 overloaded and Retry-After; the accepted ones score the model`, async () => {
    const accepted = Array.from({ length: LIMIT }, () => evaluate({ target: 'species' }));
    await holding(LIMIT);
    const refused = await Promise.all(Array.from({ length: 3 }, () => evaluate({ target: 'species' })));
    // Refused while the accepted ones still run: answered without waiting for a slot.
    expect(inProgress()).toBe(LIMIT);
    for (const r of refused) {
      expect(r.status).toBe(503);
      expect(r.retryAfter).toBe('1');
      expect(r.body).toEqual({
        error: `The server has ${LIMIT} evaluations in progress, its limit (--max-evaluations); retry shortly`,
        code: 'overloaded',
        status: 503,
        request_id: expect.any(String),
      });
    }
    for (const r of await Promise.all(accepted)) {
      expect(r.status).toBe(200);
      expectFigures(r.body);
    }
    expect(inProgress()).toBe(0);
  });

  it('gives the slot back when an evaluation fails, in its worker thread or before it', async () => {
    const failed = await Promise.all([
      // The worker finds the model takes 4 features.
      evaluate({ target: 'species', features: ['sepal_length'] }),
      // Refused on the main thread, after the slot was taken.
      evaluate({ target: 'colour' }),
    ]);
    expect(failed.map((f) => [f.status, f.body.code])).toEqual([
      [422, 'optimize_data_invalid'],
      [422, 'optimize_data_invalid'],
    ]);
    expect(failed[0]!.body.error).toMatch(
      /^features: model 'iris' version 1 and dataset ds_\S+ do not fit: .*takes 4 features; features gives 1/,
    );
    expect(failed[1]!.body.error).toMatch(/^target: column 'colour' is not in dataset ds_/);
    expect(inProgress()).toBe(0);
    // Both slots are free again: as many evaluations as the limit are all accepted.
    const again = await Promise.all(Array.from({ length: LIMIT }, () => evaluate({ target: 'species' })));
    for (const r of again) {
      expect(r.status).toBe(200);
      expectFigures(r.body);
    }
  });
});
