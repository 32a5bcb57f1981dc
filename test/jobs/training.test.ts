import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportSpec, predict, train } from '../../server/training/index.js';
import type { TrainingSpec } from '../../server/training/types.js';
import { MaasClient } from '../../src/index.js';
import { parseDataset } from '../../src/protocol/datasets/parse.js';
import type { NumberColumn, StringColumn } from '../../src/protocol/datasets/table.js';
import type { TrainingJob, TrainingJobCreateRequest, TrainingJobEvent } from '../../src/types.js';
import { startTrainingServer, type TrainingTestServer } from './support.js';

const irisCsv = readFileSync(new URL('../../examples/iris/iris.csv', import.meta.url));
const iris = (() => {
  const parsed = parseDataset(irisCsv, 'csv');
  if (!parsed.ok) throw new Error(parsed.summary);
  const names = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];
  const columns = names.map((n) => (parsed.table.columns.find((c) => c.name === n) as NumberColumn).values);
  const species = (parsed.table.columns.find((c) => c.name === 'species') as StringColumn).values as string[];
  const rows = species.map((_, r) => columns.map((c) => c[r]!));
  return { columns, species, rows };
})();

/** Metrics without the wall-clock fields, for determinism checks. */
const learned = (events: TrainingJobEvent[]) =>
  events
    .filter((e) => e.type === 'metrics')
    .map(({ metrics }) => ({ ...metrics!, samples_per_second: 0, elapsed_ms: 0 }));

describe('training jobs end to end (real worker threads, ONNX Runtime)', () => {
  let server: TrainingTestServer;
  let client: MaasClient;
  let datasetId: string;
  const spec = (model: string): TrainingJobCreateRequest => ({
    model,
    dataset: datasetId,
    task: 'classification',
    target: 'species',
    architecture: { type: 'mlp', hidden_layers: [16], activation: 'relu' },
    optimizer: { type: 'adam', learning_rate: 0.01 },
    epochs: 60,
    batch_size: 16,
    seed: 7,
  });

  beforeAll(async () => {
    server = await startTrainingServer({}, { settings: { maxConcurrentJobs: 2 } });
    client = new MaasClient({ baseUrl: server.baseUrl, apiKey: null });
    datasetId = (await client.datasets.create(irisCsv, { format: 'csv', name: 'iris.csv' })).id;
  });
  afterAll(async () => {
    await server?.close();
  });

  let first: TrainingJob;
  let firstEvents: TrainingJobEvent[];
  let firstProbabilities: Float32Array;

  it('trains iris through MaasClient, deploys it, and infer answers the right classes', async () => {
    const created = await client.trainingJobs.create(spec('iris_classifier'));
    const events: TrainingJobEvent[] = [];
    first = await client.trainingJobs.wait(created.id, { onEvent: (e) => events.push(e) });
    firstEvents = events;

    expect(first).toMatchObject({
      status: 'succeeded',
      error: null,
      result: { model: 'iris_classifier', version: '1' },
    });
    expect(first.metrics?.epoch).toBe(60);
    expect(first.metrics?.val_accuracy).toBeGreaterThanOrEqual(0.9);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    expect(events.filter((e) => e.type === 'metrics').map((e) => e.metrics!.epoch)).toEqual(
      Array.from({ length: 60 }, (_, i) => i + 1),
    );
    expect(events.at(-2)).toMatchObject({ type: 'message', message: 'Deployed as model iris_classifier version 1' });
    expect(events.at(-1)).toMatchObject({ type: 'status', status: 'succeeded' });

    const version = await client.models.retrieveVersion('iris_classifier', 1);
    expect(version).toMatchObject({
      state: 'READY',
      source: 'training',
      training_job: created.id,
      inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 4] }],
      outputs: [
        { name: 'probabilities', datatype: 'FP32', shape: [-1, 3] },
        { name: 'label', datatype: 'BYTES', shape: [-1] },
      ],
    });

    const result = await client.models.infer('iris_classifier', {
      inputs: { input: { data: Float32Array.from(iris.rows.flat()), shape: [150, 4] } },
    });
    const labels = result.output('label').data as string[];
    const accuracy = labels.filter((l, i) => l === iris.species[i]).length / 150;
    expect(accuracy).toBeGreaterThanOrEqual(0.9);

    // The served model is the trainer's network: the same spec and seed in-process give the same probabilities.
    const trained = train(first.hyperparameters as TrainingSpec, { features: iris.columns, target: iris.species });
    const reference = predict(exportSpec(trained.model!), iris.rows);
    const served = result.output('probabilities').data as Float32Array;
    firstProbabilities = served;
    let worst = 0;
    for (let i = 0; i < served.length; i++) worst = Math.max(worst, Math.abs(served[i]! - reference.values[i]!));
    expect(worst).toBeLessThan(1e-5);
    expect(labels).toEqual(reference.labels);
    expect(
      learned(
        trained.history.map((metrics, i) => ({
          id: i,
          object: 'training_job.event',
          created_at: '',
          type: 'metrics',
          metrics,
        })),
      ),
    ).toEqual(learned(firstEvents));

    // TF-Serving predict on the same model, row format.
    const { predictions } = await client.models.predict('iris_classifier', {
      instances: [iris.rows[0], iris.rows[149]],
    });
    expect(predictions).toMatchObject([{ label: 'setosa' }, { label: 'virginica' }]);
  });

  it('gives the same metrics and weights for the same seed, and deploys as the next version', async () => {
    const again = await client.trainingJobs.wait((await client.trainingJobs.create(spec('iris_classifier'))).id);
    expect(again.result).toEqual({ model: 'iris_classifier', version: '2' });
    const events = (await client.trainingJobs.events(again.id, { limit: 1000 })).data;
    expect(learned(events)).toEqual(learned(firstEvents));
    // Version 2 now serves (the default policy keeps the latest version loaded), with version 1's exact weights.
    const v2 = await client.models.infer('iris_classifier', {
      inputs: { input: { data: Float32Array.from(iris.rows.flat()), shape: [150, 4] } },
    });
    expect(v2.modelVersion).toBe('2');
    expect(v2.output('probabilities').data).toEqual(firstProbabilities);
  });

  it('cancels a running job at a batch boundary', async () => {
    const job = await client.trainingJobs.create({ ...spec('iris_cancelled'), epochs: 100000, batch_size: 1 });
    for await (const event of client.trainingJobs.stream(job.id)) {
      if (event.type === 'metrics') break;
    }
    const requested = await client.trainingJobs.cancel(job.id);
    expect(requested.status).toBe('running');
    const done = await client.trainingJobs.wait(job.id);
    expect(done.status).toBe('cancelled');
    expect(done.result).toBeNull();
    expect(done.metrics!.epoch).toBeLessThan(100000);
    await expect(client.models.retrieve('iris_cancelled')).rejects.toMatchObject({ status: 404 });
  });
});
