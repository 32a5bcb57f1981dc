// bench/training: our trainer (server/training, in-process, no server) against scikit-learn's MLPClassifier on the
// same digits split and network: MLP 64-64 relu, Adam lr 1e-3, batch 32, 10 and 50 epochs, all 1,437 training rows
// (no validation split: scikit-learn holds none out either), accuracy on the 360 test rows.
// Env: BENCH_DIGITS_DIR (folder with train.csv/test.csv), BENCH_TRAIN_EPOCHS (default 10,50),
// BENCH_TRAIN_REPEATS (default 3; the median speed is kept), BENCH_TRAIN_SEEDS (default 5: our accuracy over seeds
// 0..N-1 at the most epochs, to show the spread of one seed), BENCH_PYTHON (default /usr/bin/python3).
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
const seeds = envNumber('BENCH_TRAIN_SEEDS', 5);
const python = process.env.BENCH_PYTHON ?? '/usr/bin/python3';
// The scikit-learn baseline lives next to the checkout (../shared), not in the package.
const sharedScript = join(repoRoot, '../shared/bench/sklearn_mlp_baseline.py');
const baselineScript = existsSync(sharedScript) ? sharedScript : undefined;

interface Digits {
  features: Float64Array[];
  labels: number[];
  rows: number[][];
}

/**
 * The digits split: BENCH_DIGITS_DIR, else the copy committed with the tests (test/data/digits), else
 * ../shared/data/digits next to the checkout, else exported by the scikit-learn script.
 */
async function digitsDir(): Promise<{ dir: string; cleanup?: () => Promise<void> }> {
  const candidates = [
    process.env.BENCH_DIGITS_DIR,
    join(repoRoot, 'test/data/digits'),
    join(repoRoot, '../shared/data/digits'),
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
  seed = 0,
): { accuracy: number; samplesPerSecond: number; seconds: number } {
  const spec: TrainingSpec = {
    task: 'classification',
    architecture: { type: 'mlp', hidden_layers: [64, 64], activation: 'relu' },
    optimizer: { type: 'adam', learning_rate: 0.001 },
    loss: 'cross_entropy',
    epochs,
    batch_size: 32,
    validation_split: 0,
    seed,
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

// scikit-learn's MLPClassifier on the CSV split itself, initialization seed 0..seeds-1 (the shared script ties its
// seed to the split). Prints a JSON list of test accuracies.
const SKLEARN_SEEDS = `
import json, sys, warnings
import numpy as np
from sklearn.neural_network import MLPClassifier
warnings.filterwarnings("ignore")
d, epochs, seeds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
tr = np.loadtxt(d + "/train.csv", delimiter=",", skiprows=1)
te = np.loadtxt(d + "/test.csv", delimiter=",", skiprows=1)
Xtr, ytr, Xte, yte = tr[:, :-1], tr[:, -1].astype(int), te[:, :-1], te[:, -1].astype(int)
mu, sd = Xtr.mean(0), Xtr.std(0) + 1e-8
Xtr, Xte = (Xtr - mu) / sd, (Xte - mu) / sd
out = []
for seed in range(seeds):
    clf = MLPClassifier(hidden_layer_sizes=(64, 64), solver="adam", learning_rate_init=0.001, batch_size=32,
                        max_iter=epochs, tol=0.0, n_iter_no_change=epochs + 1, random_state=seed, shuffle=True)
    clf.fit(Xtr, ytr)
    out.append(clf.score(Xte, yte))
print(json.dumps(out))
`;

async function sklearnSeeds(dir: string, epochs: number, count: number): Promise<number[]> {
  const { stdout } = await run(python, ['-c', SKLEARN_SEEDS, dir, String(epochs), String(count)]);
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '[]') as number[];
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
    // One seed is one draw: the test set has 360 rows, so one row is 0.28 points. Both trainers over seeds
    // 0..N-1 on the same split show whether a gap is the method or the draw.
    const most = Math.max(...epochsList);
    const mine = Array.from({ length: seeds }, (_, seed) => ours(train, test, most, seed).accuracy * 100);
    const theirs = baseline ? (await sklearnSeeds(data.dir, most, seeds)).map((a) => a * 100) : [];
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const list = (xs: number[]) => `${xs.map((a) => a.toFixed(2)).join(', ')} (mean ${avg(xs).toFixed(2)})`;
    note(
      `\ntest accuracy %, ${most} epochs, seeds 0..${seeds - 1} (one test row = ${(100 / test.labels.length).toFixed(2)} points)`,
    );
    note(`  ours:         ${list(mine)}`);
    if (baseline) {
      note(`  scikit-learn: ${list(theirs)}`);
      ratio(`ours−sklearn accuracy points ${most} epochs, mean of ${seeds} seeds`, avg(mine) - avg(theirs), {
        op: '>=',
        value: -0.5,
      });
    }
    await saveResults('training', { repeats, results, seeds: { ours: mine, sklearn: theirs } });
  } finally {
    await data.cleanup?.();
  }
}

await main();
