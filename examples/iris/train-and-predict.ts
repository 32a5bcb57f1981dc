// Trains an iris classifier on a running `maas serve` and predicts with it: `npx tsx examples/iris/train-and-predict.ts`
// (MAAS_BASE_URL picks the server; default http://127.0.0.1:8000).
import { readFile } from 'node:fs/promises';
import { MaasClient } from '../../src/index.js'; // in your app: from 'maas'

const client = new MaasClient();
const csv = await readFile(new URL('./iris.csv', import.meta.url));
const dataset = await client.datasets.create(csv, { format: 'csv', name: 'iris.csv' });
const job = await client.trainingJobs.create({
  model: 'iris_classifier',
  dataset: dataset.id,
  task: 'classification',
  target: 'species',
  architecture: { type: 'mlp', hidden_layers: [16], activation: 'relu' },
  optimizer: { type: 'adam', learning_rate: 0.01 },
  epochs: 100,
  batch_size: 16,
  seed: 7,
});
const done = await client.trainingJobs.wait(job.id);
if (done.status !== 'succeeded') throw new Error(`training ${done.status}: ${done.error?.message}`);
console.log(
  `deployed ${done.result?.model} version ${done.result?.version}, val_accuracy ${done.metrics?.val_accuracy}`,
);

const flowers = [
  [5.1, 3.5, 1.4, 0.2],
  [6.7, 3.0, 5.2, 2.3],
];
const result = await client.models.infer('iris_classifier', {
  inputs: { input: { data: new Float32Array(flowers.flat()), shape: [2, 4] } },
});
console.log(result.output('label').data); // [ 'setosa', 'virginica' ]
