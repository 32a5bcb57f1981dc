// Trains the demo iris classifier in-process, on the same code path a training job runs in its worker (spec
// resolution → trainJob → ONNX export), and writes it in the Triton layout:
//   <out>/iris_classifier/1/model.onnx + <out>/iris_classifier/config.json       (default out: examples/models)
// Run: npx tsx scripts/train-demo-iris.ts [--out DIR]. Deterministic: the same code gives the same bytes.
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { checkCreateBody, resolveHyperparameters } from '../server/jobs/spec.js';
import { trainJob } from '../server/jobs/train-job.js';
import type { DatasetRecord, EpochMetrics } from '../server/jobs/types.js';
import { parseDataset } from '../src/protocol/datasets/parse.js';
import { describeColumns } from '../src/protocol/datasets/table.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const IRIS_CSV = join(root, 'examples/iris/iris.csv');

/** The same create body examples/iris/train-and-predict.ts sends. */
export const IRIS_JOB = {
  model: 'iris_classifier',
  dataset: 'ds_demo',
  task: 'classification',
  target: 'species',
  architecture: { type: 'mlp', hidden_layers: [16], activation: 'relu' },
  optimizer: { type: 'adam', learning_rate: 0.01 },
  epochs: 100,
  batch_size: 16,
  seed: 7,
} as const;

export interface IrisDemo {
  /** Paths relative to the repository root (iris_classifier/...), with their bytes. */
  files: Map<string, Uint8Array>;
  metrics: EpochMetrics;
}

/** Synchronous, so a repository generator (scripts/make-demo-models.ts) can merge `files` into its own. */
export function trainIrisDemo(csvPath = IRIS_CSV): IrisDemo {
  const bytes = readFileSync(csvPath);
  const parsed = parseDataset(bytes, 'csv');
  if (!parsed.ok) throw new Error(parsed.summary);
  const record: DatasetRecord = {
    dataset: {
      id: 'ds_demo',
      object: 'dataset',
      name: 'iris.csv',
      format: 'csv',
      rows: parsed.table.rows,
      columns: describeColumns(parsed.table),
      bytes: bytes.length,
      created_at: new Date(0).toISOString(),
    },
    path: csvPath,
    stats: parsed.stats,
  };
  const { hyperparameters } = resolveHyperparameters(checkCreateBody(structuredClone(IRIS_JOB)), record, null);
  let metrics: EpochMetrics | undefined;
  const outcome = trainJob(
    {
      jobId: null,
      hyperparameters,
      data: { train: { path: csvPath, format: 'csv' }, validation: null },
      checkpoint: null,
    },
    { epoch: (m) => (metrics = m), message: () => {}, shouldStop: () => false },
  );
  if (outcome.type !== 'done' || !metrics) throw new Error(`training ended ${outcome.type}`);
  const config = { description: outcome.description, version_policy: { latest: { num_versions: 1 } } };
  const files = new Map<string, Uint8Array>([
    ['iris_classifier/config.json', new TextEncoder().encode(`${JSON.stringify(config, null, 2)}\n`)],
    ['iris_classifier/1/model.onnx', outcome.onnx],
  ]);
  return { files, metrics };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const out = resolve(values.out ?? join(root, 'examples/models'));
  const { files, metrics } = trainIrisDemo();
  for (const [path, bytes] of files) {
    const target = join(out, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, bytes);
    console.log(`wrote ${target}`);
  }
  console.log(
    `epoch ${metrics.epoch}: train_loss ${metrics.train_loss.toFixed(4)}, train_accuracy ${metrics.train_accuracy}, val_accuracy ${metrics.val_accuracy}`,
  );
}
