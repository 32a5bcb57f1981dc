// A string feature end to end: upload a CSV with a number, a category and an id column, train with the defaults the
// server resolves, and call the deployed model with raw strings over OIP infer and TF-Serving row predict. The msw
// mock must describe the same trained model (inputs, outputs, description) and tell the same messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportSpec, predict, train } from '../../server/training/index.js';
import type { TrainingSpec } from '../../server/training/types.js';
import { MaasClient } from '../../src/index.js';
import { SIMULATED_KERNELS } from '../../src/msw/training.js';
import type { Model, TrainingJobCreateRequest, TrainingJobEvent } from '../../src/types.js';
import { startTrainingServer, type TrainingTestServer } from '../jobs/support.js';
import { BASE, useMock } from '../msw/harness.js';

// 'hot' when the color is red or the number is large: neither column alone predicts it.
const COLORS = ['red', 'green', 'blue'];
const ROWS = Array.from({ length: 90 }, (_, i) => {
  const num = (i * 7) % 10;
  const color = COLORS[i % 3]!;
  return { num, color, id: `row-${i}`, label: color === 'red' || num >= 8 ? 'hot' : 'cold' };
});
const CSV = `num,color,id,label\n${ROWS.map((r) => `${r.num},${r.color},${r.id},${r.label}`).join('\n')}\n`;

const body = (dataset: string): TrainingJobCreateRequest => ({
  model: 'mixed',
  dataset,
  target: 'label', // task, features: resolved by the server from the columns
  architecture: { type: 'mlp', hidden_layers: [8] },
  optimizer: { type: 'adam', learning_rate: 0.05 },
  epochs: 60,
  batch_size: 10,
  validation_split: 0,
  seed: 2,
});

const QUERY = { num: [1, 1, 9, 2, 2], color: ['red', 'green', 'blue', 'blue', 'purple'] };

const EXPECTED_MESSAGES = (kernels: string) => [
  "task: not given; classification, because the target 'label' is a string column",
  "features: left out string column 'id': it has 90 distinct values, more than the 50 a default one-hot encoding takes; list it in features to encode it anyway",
  `Training mlp relu 4 → 8 → 2 with adam (batch 10, cross_entropy) on 90 rows (${kernels})`,
  "Encoding 'color' one-hot over its 3 categories (blue, green, red); a value not among them counts as none of them (all zeros)",
  'Deployed as model mixed version 1',
];

const messagesOf = (events: TrainingJobEvent[]) => events.filter((e) => e.type === 'message').map((e) => e.message);
const layoutOf = (model: Model) => ({
  description: model.description,
  inputs: model.versions[0]!.inputs,
  outputs: model.versions[0]!.outputs,
});

let serverLayout: ReturnType<typeof layoutOf> | undefined;

describe('a string feature on the real server: one-hot inside the ONNX graph, raw strings on the wire', () => {
  let server: TrainingTestServer;
  let client: MaasClient;
  beforeAll(async () => {
    server = await startTrainingServer();
    client = new MaasClient({ baseUrl: server.baseUrl, apiKey: null });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('trains with the resolved defaults, says what it chose, and answers OIP infer and TF-Serving predict', async () => {
    const dataset = await client.datasets.create(CSV, { format: 'csv' });
    const created = await client.trainingJobs.create(body(dataset.id));
    expect(created.hyperparameters).toMatchObject({ task: 'classification', features: ['num', 'color'] });
    const done = await client.trainingJobs.wait(created.id);
    expect(done).toMatchObject({ status: 'succeeded', result: { model: 'mixed', version: '1' } });
    const events = (await client.trainingJobs.events(created.id, { limit: 1000 })).data;
    expect(messagesOf(events)).toEqual(EXPECTED_MESSAGES('wasm-simd kernels'));

    const model = await client.models.retrieve('mixed');
    serverLayout = layoutOf(model);
    expect(serverLayout).toEqual({
      description:
        "Predicts 'label' (classification) with a 4 → 8 → 2 network. Inputs, one per column, each [N]: 'num' FP32, " +
        "'color' BYTES (one of blue, green, red; any other value counts as none). Outputs 'probabilities' [N, 2] over " +
        "the labels cold, hot (in that order) and 'label' [N].",
      inputs: [
        { name: 'num', datatype: 'FP32', shape: [-1] },
        { name: 'color', datatype: 'BYTES', shape: [-1] },
      ],
      outputs: [
        { name: 'probabilities', datatype: 'FP32', shape: [-1, 2] },
        { name: 'label', datatype: 'BYTES', shape: [-1] },
      ],
    });

    // OIP infer: one tensor per column, of its own datatype.
    const result = await client.models.infer('mixed', {
      inputs: {
        num: { data: Float32Array.from(QUERY.num), shape: [5] },
        color: { data: QUERY.color, shape: [5] },
      },
    });
    const served = result.output('probabilities').data as Float32Array;
    // The same spec, seed and rows in-process give the network the server deployed.
    const trained = train(done.hyperparameters as TrainingSpec, {
      features: [Float64Array.from(ROWS, (r) => r.num), ROWS.map((r) => r.color)],
      target: ROWS.map((r) => r.label),
    });
    const reference = predict(
      exportSpec(trained.model!),
      QUERY.num.map((n, i) => [n, QUERY.color[i]!]),
    );
    for (let i = 0; i < served.length; i++) expect(Math.abs(served[i]! - reference.values[i]!)).toBeLessThan(1e-5);
    expect(result.output('label').data).toEqual(reference.labels);
    expect(reference.labels!.slice(0, 4)).toEqual(['hot', 'cold', 'hot', 'cold']);

    // TF-Serving row format: one object per row, keyed by column, numbers and strings side by side.
    const { predictions } = await client.models.predict('mixed', {
      instances: QUERY.num.map((num, i) => ({ num, color: QUERY.color[i]! })),
    });
    expect(predictions.map((p) => (p as { label: string }).label)).toEqual(reference.labels);
    const rowProbabilities = predictions.flatMap((p) => (p as { probabilities: number[] }).probabilities);
    for (let i = 0; i < served.length; i++) expect(rowProbabilities[i]).toBeCloseTo(served[i]!, 6);
  });

  it('names a column whose stray text made it a string column, with its line, in a message event', async () => {
    const rows = ROWS.map((r, i) => `${i === 6 ? 'abc' : r.num},${r.color},${r.label}`);
    const dataset = await client.datasets.create(`num,color,label\n${rows.join('\n')}\n`, { format: 'csv' });
    const job = await client.trainingJobs.create({ ...body(dataset.id), model: 'stray', task: 'classification' });
    const events = (await client.trainingJobs.events(job.id)).data;
    expect(messagesOf(events)).toContain(
      "features: column 'num' is read as text, not numbers: line 8 has 'abc', while 89 other cells are numbers. If " +
        'it is numeric, fix that cell (leave a cell empty for a missing value) and upload the data again; as it is, ' +
        'it is one-hot encoded as categories',
    );
    await client.trainingJobs.cancel(job.id);
  });
});

describe('the same job on the msw mock: the same trained model layout and messages', () => {
  const { state } = useMock({ clock: false });
  const client = new MaasClient({ baseUrl: BASE, apiKey: null, fetch: (...args) => globalThis.fetch(...args) });

  it('describes the trained version exactly as the server does', async () => {
    const dataset = await client.datasets.create(CSV, { format: 'csv' });
    const created = await client.trainingJobs.create(body(dataset.id));
    state.advance();
    const events = (await client.trainingJobs.events(created.id, { limit: 1000 })).data;
    expect(messagesOf(events)).toEqual(EXPECTED_MESSAGES(SIMULATED_KERNELS));
    const layout = layoutOf(await client.models.retrieve('mixed'));
    expect(serverLayout, 'the server test above runs first and records its layout').toBeDefined();
    expect(layout).toStrictEqual(serverLayout);
    const { predictions } = await client.models.predict('mixed', { instances: [{ num: 1, color: 'red' }] });
    expect(predictions).toEqual([
      { probabilities: [expect.any(Number), expect.any(Number)], label: expect.any(String) },
    ]);
  });
});
