// A small app module: it classifies feature vectors with the `keras_mlp` model and trains a model from a CSV file.
// Everything goes through MaasClient, so a test can point the client at the msw handlers instead of a server.
import type { MaasClient, TrainingJob } from '../../src/index.js'; // in your app: from 'maas'

export interface Classification {
  /** Index of the most probable class. */
  label: number;
  /** Its probability. */
  confidence: number;
}

/** Classifies each row of 100 features with keras_mlp: the argmax of its softmax output, per row. */
export async function classify(client: MaasClient, rows: readonly (readonly number[])[]): Promise<Classification[]> {
  const features = new Float32Array(rows.flat());
  const result = await client.models.infer('keras_mlp', {
    inputs: { input: { data: features, shape: [rows.length, 100] } },
  });
  const { data, shape } = result.output('probabilities');
  const classes = shape[1] ?? 0;
  const probabilities = data as Float32Array;
  return rows.map((_, r) => {
    const row = probabilities.subarray(r * classes, (r + 1) * classes);
    let label = 0;
    for (let c = 1; c < classes; c++) if (row[c]! > row[label]!) label = c;
    return { label, confidence: row[label]! };
  });
}

export interface TrainOptions {
  /** The model name the trained model is deployed under. */
  model: string;
  /** The CSV column to predict. */
  target: string;
  epochs?: number;
  /** Called with the train loss of each epoch. */
  onEpoch?: (epoch: number, loss: number) => void;
}

/** Uploads the CSV, trains a small classifier on it, waits for the job and returns the deployed version. */
export async function trainFromCsv(
  client: MaasClient,
  csv: string,
  options: TrainOptions,
): Promise<{ job: TrainingJob; version: string }> {
  const dataset = await client.datasets.create(csv, { format: 'csv' });
  const created = await client.trainingJobs.create({
    model: options.model,
    dataset: dataset.id,
    task: 'classification',
    target: options.target,
    architecture: { type: 'mlp', hidden_layers: [8], activation: 'relu' },
    optimizer: { type: 'adam', learning_rate: 0.05 },
    epochs: options.epochs ?? 10,
    seed: 1,
  });
  const job = await client.trainingJobs.wait(created.id, {
    onEvent: (event) => {
      if (event.metrics) options.onEpoch?.(event.metrics.epoch, event.metrics.train_loss);
    },
  });
  if (job.status !== 'succeeded' || !job.result) {
    throw new Error(`Training ${job.id} ended ${job.status}: ${job.error?.message ?? 'no result'}`);
  }
  return { job, version: job.result.version };
}
