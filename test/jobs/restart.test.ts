import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { train } from '../../server/training/index.js';
import type { TrainingSpec } from '../../server/training/types.js';
import { MaasClient } from '../../src/index.js';
import { parseDataset } from '../../src/protocol/datasets/parse.js';
import type { TrainingJobCreateRequest, TrainingJobEvent } from '../../src/types.js';
import { spawnCli, waitForListening } from '../support/cli.js';

/** 2000 rows of 4 noisy Gaussian-ish blobs in 20 dimensions (seeded), big enough that an epoch takes a while. */
function blobsCsv(): Buffer {
  let seed = 12345;
  const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const lines = [[...Array.from({ length: 20 }, (_, i) => `x${i}`), 'label'].join(',')];
  for (let r = 0; r < 2000; r++) {
    const label = r % 4;
    const xs = Array.from({ length: 20 }, (_, i) =>
      ((i % 4 === label ? 1.5 : 0) + (rand() + rand() + rand() - 1.5)).toFixed(4),
    );
    lines.push([...xs, `c${label}`].join(','));
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

describe('restart safety', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maas-restart-'));
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(): Promise<{ child: ChildProcess; client: MaasClient }> {
    const child = spawnCli([
      'serve',
      '--port',
      '0',
      '--data-dir',
      join(dir, 'data'),
      '--model-repository',
      join(dir, 'models'),
      '--create-repository',
      '--drain-delay',
      '0',
      '--log-level',
      'silent',
    ]);
    children.push(child);
    const url = await waitForListening(child);
    return { child, client: new MaasClient({ baseUrl: url, apiKey: null }) };
  }

  it('resumes a job killed with SIGKILL from its last checkpoint, and ends as an uninterrupted run would', async () => {
    const csv = blobsCsv();
    const first = await start();
    const dataset = await first.client.datasets.create(csv, { format: 'csv', name: 'blobs.csv' });
    const body: TrainingJobCreateRequest = {
      model: 'blobs',
      dataset: dataset.id,
      task: 'classification',
      target: 'label',
      architecture: { type: 'mlp', hidden_layers: [64, 64], activation: 'relu' },
      optimizer: { type: 'adam', learning_rate: 0.001 },
      epochs: 30,
      batch_size: 8,
      seed: 11,
    };
    const job = await first.client.trainingJobs.create(body);
    for await (const event of first.client.trainingJobs.stream(job.id)) {
      if (event.type === 'metrics' && event.metrics!.epoch >= 3) break;
    }
    const exited = new Promise((resolve) => first.child.once('exit', resolve));
    first.child.kill('SIGKILL');
    await exited;

    const second = await start();
    expect((await second.client.datasets.retrieve(dataset.id)).rows).toBe(2000);
    const events: TrainingJobEvent[] = [];
    const done = await second.client.trainingJobs.wait(job.id, { onEvent: (e) => events.push(e) });
    expect(done).toMatchObject({ status: 'succeeded', result: { model: 'blobs', version: '1' }, error: null });

    const resumed = events.find((e) => e.type === 'message' && e.message?.startsWith('The server restarted'));
    const from = Number(/resuming from epoch (\d+)/.exec(resumed?.message ?? '')?.[1]);
    expect(from).toBeGreaterThanOrEqual(3);
    expect(from).toBeLessThan(30);
    // Every epoch reported exactly once, across both processes; ids in order without gaps.
    const epochs = events.filter((e) => e.type === 'metrics').map((e) => e.metrics!.epoch);
    expect(epochs).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    expect(events.filter((e) => e.type === 'status').map((e) => e.status)).toEqual(['queued', 'running', 'succeeded']);

    // The resumed run is bit-for-bit the run that was never interrupted.
    const parsed = parseDataset(csv, 'csv');
    if (!parsed.ok) throw new Error(parsed.summary);
    const column = (name: string) => parsed.table.columns.find((c) => c.name === name)!.values as Float64Array;
    const labels = parsed.table.columns.find((c) => c.name === 'label')!.values as string[];
    const reference = train(done.hyperparameters as TrainingSpec, {
      features: done.hyperparameters.features.map(column),
      target: labels,
    });
    const strip = (m: object) => ({ ...m, samples_per_second: 0, elapsed_ms: 0 });
    expect(strip(done.metrics!)).toEqual(strip(reference.history.at(-1)!));
    expect(done.metrics!.val_accuracy).toBeGreaterThan(0.9);

    const point = Float32Array.from({ length: 20 }, (_, i) => (i % 4 === 2 ? 1.5 : 0));
    const served = await second.client.models.infer('blobs', { inputs: { input: { data: point, shape: [1, 20] } } });
    expect(served.output('label').data).toEqual(['c2']);
    second.child.kill('SIGTERM');
  }, 120_000);
});
