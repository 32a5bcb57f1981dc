// bench/training: our trainer (server/training, in-process, no server) against scikit-learn's MLPClassifier on the
// same digits split and network: MLP 64-64 relu, Adam lr 1e-3, batch 32, 10 and 50 epochs, all 1,437 training rows
// (no validation split: scikit-learn holds none out either), accuracy on the 360 test rows.
// Env: BENCH_DIGITS_DIR (folder with train.csv/test.csv), BENCH_TRAIN_EPOCHS (default 10,50),
// BENCH_TRAIN_REPEATS (default 3; the median speed is kept), BENCH_PYTHON (default /usr/bin/python3).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { predict, Trainer, type TrainingSpec } from '../server/training/index.js';
import { envIntegers, envNumber } from './support/env.js';
import { repoRoot, tempDir } from './support/paths.js';
import { note, ratio, saveResults, table, title } from './support/report.js';
import { median } from './support/stats.js';

const run = promisify(execFile);
const epochsList = envIntegers('BENCH_TRAIN_EPOCHS', [10, 50]);
const repeats = envNumber('BENCH_TRAIN_REPEATS', 3);
const python = process.env.BENCH_PYTHON ?? '/usr/bin/python3';
const sharedBench = [join(repoRoot, '../shared'), '/work/shared'].map((d) => join(d, 'bench/sklearn_mlp_baseline.py'));
const baselineScript = sharedBench.find((f) => existsSync(f));

interface Digits {
  features: Float64Array[];
  labels: number[];
  rows: number[][];
}

/** The digits split: BENCH_DIGITS_DIR, else ../shared/data/digits next to the checkout, else exported by sklearn. */
async function digitsDir(): Promise<{ dir: string; cleanup?: () => Promise<void> }> {
  const candidates = [
    process.env.BENCH_DIGITS_DIR,
    join(repoRoot, '../shared/data/digits'),
    '/work/shared/data/digits',
  ].filter((d): d is string => Boolean(d));
  for (const dir of candidates) {
    if (existsSync(join(dir, 'train.csv')) && existsSync(join(dir, 'test.csv'))) return { dir: resolve(dir) };
  }
  if (process.env.BENCH_DIGITS_DIR)
    throw new Error(`BENCH_DIGITS_DIR=${process.env.BENCH_DIGITS_DIR} has no train.csv/test.csv`);
  if (!baselineScript || !(await hasSklearn())) {
    throw new Error(`no digits split found (tried ${candidates.join(', ')}); set BENCH_DIGITS_DIR`);
  }
  const tmp = await tempDir('digits');
  await run(python, [baselineScript, '--dataset', 'digits', '--epochs', '1', '--export-dir', tmp.dir]);
  return { dir: tmp.dir, cleanup: tmp.cleanup };
}

/** A numeric CSV with a header row whose last column is `label`. */
async function readDigits(file: string): Promise<Digits> {
  const [header, ...lines] = (await readFile(file, 'utf8')).trim().split(/\r?\n/);
  const columns = header!.split(',');
  if (columns.at(-1) !== 'label') throw new Error(`${file}: expected the last column to be 'label'`);
  const rows = lines.map((line) => line.split(',').map(Number));
  const d = columns.length - 1;
  return {
    features: Array.from({ length: d }, (_, c) => Float64Array.from(rows, (r) => r[c]!)),
    labels: rows.map((r) => r[d]!),
    rows: rows.map((r) => r.slice(0, d)),
  };
}

function ours(
  train: Digits,
  test: Digits,
  epochs: number,
): { accuracy: number; samplesPerSecond: number; seconds: number } {
  const spec: TrainingSpec = {
    task: 'classification',
    architecture: { type: 'mlp', hidden_layers: [64, 64], activation: 'relu' },
    optimizer: { type: 'adam', learning_rate: 0.001 },
    loss: 'cross_entropy',
    epochs,
    batch_size: 32,
    validation_split: 0,
    seed: 0,
  };
  const t0 = performance.now();
  const result = new Trainer(spec, { features: train.features, target: train.labels }).run();
  const seconds = (performance.now() - t0) / 1000;
  if (result.status !== 'succeeded' || !result.model) throw new Error(`training ended ${result.status}`);
  // The exported (float32) model's predictions: what `infer` on the deployed model answers.
  const labels = predict(result.model, test.rows).labels!;
  const correct = labels.filter((label, i) => Number(label) === test.labels[i]).length;
  return {
    accuracy: correct / test.labels.length,
    samplesPerSecond: (train.labels.length * epochs) / seconds,
    seconds,
  };
}

async function hasSklearn(): Promise<boolean> {
  try {
    await run(python, ['-c', 'import sklearn']);
    return true;
  } catch {
    return false;
  }
}

async function sklearn(epochs: number): Promise<{ accuracy: number; samplesPerSecond: number; seconds: number }> {
  const { stdout } = await run(python, [baselineScript!, '--dataset', 'digits', '--epochs', String(epochs)]);
  const line = stdout.trim().split('\n').at(-1) ?? '';
  const field = (name: string) => Number(new RegExp(`${name}=([0-9.]+)`).exec(line)?.[1]);
  const result = { accuracy: field('accuracy'), samplesPerSecond: field('samples_per_s'), seconds: field('train_s') };
  if (!Number.isFinite(result.accuracy) || !Number.isFinite(result.samplesPerSecond)) {
    throw new Error(`unexpected baseline output: ${line}`);
  }
  return result;
}

async function main(): Promise<void> {
  title(`training: MLP 64-64 relu, Adam 1e-3, batch 32 on digits — ours vs scikit-learn (median of ${repeats})`);
  const data = await digitsDir();
  try {
    const train = await readDigits(join(data.dir, 'train.csv'));
    const test = await readDigits(join(data.dir, 'test.csv'));
    note(
      `data: ${data.dir} (${train.labels.length} train rows, ${test.labels.length} test rows, ${train.features.length} features)`,
    );
    const baseline = baselineScript !== undefined && (await hasSklearn());
    if (!baseline) {
      note(
        `scikit-learn baseline skipped: ${baselineScript ? `${python} has no sklearn (apt-get install -y python3-sklearn)` : 'sklearn_mlp_baseline.py not found'}`,
      );
    }
    // One short untimed run first: V8 compiles the kernels once, as it would in a long-running worker.
    ours(train, test, 1);
    const rows: (string | number)[][] = [];
    const results: Record<string, unknown>[] = [];
    for (const epochs of epochsList) {
      const mine: ReturnType<typeof ours>[] = [];
      const theirs: Awaited<ReturnType<typeof sklearn>>[] = [];
      // Alternate the two so machine drift hits both.
      for (let i = 0; i < repeats; i++) {
        mine.push(ours(train, test, epochs));
        if (baseline) theirs.push(await sklearn(epochs));
      }
      const m = { accuracy: mine[0]!.accuracy, samplesPerSecond: median(mine.map((r) => r.samplesPerSecond)) };
      rows.push([`ours`, epochs, m.samplesPerSecond, (m.accuracy * 100).toFixed(2)]);
      const entry: Record<string, unknown> = { epochs, ours: m };
      if (baseline) {
        // scikit-learn prints 4 decimals: back to a count of correct test rows, so equal counts compare equal.
        const n = test.labels.length;
        const accuracy = Math.round(theirs[0]!.accuracy * n) / n;
        const s = { accuracy, samplesPerSecond: median(theirs.map((r) => r.samplesPerSecond)) };
        rows.push([`scikit-learn`, epochs, s.samplesPerSecond, (s.accuracy * 100).toFixed(2)]);
        entry.sklearn = s;
      }
      results.push(entry);
    }
    table(['trainer', 'epochs', 'samples/s', 'test accuracy %'], rows);
    note('');
    for (const r of results) {
      const {
        epochs,
        ours: m,
        sklearn: s,
      } = r as {
        epochs: number;
        ours: { accuracy: number; samplesPerSecond: number };
        sklearn?: { accuracy: number; samplesPerSecond: number };
      };
      if (!s) continue;
      ratio(`ours÷sklearn samples/s ${epochs} epochs`, m.samplesPerSecond / s.samplesPerSecond, { op: '>=', value: 1 });
      ratio(`ours−sklearn accuracy points ${epochs} epochs`, (m.accuracy - s.accuracy) * 100, {
        op: '>=',
        value: -0.5,
      });
    }
    await saveResults('training', { repeats, results });
  } finally {
    await data.cleanup?.();
  }
}

await main();
