// bench/optimize: the optimisation library (server/optimize) against its fp32 parent, in one run.
//   1. heavy MLP 1024→2048→2048→1000 (server/onnx/mlp-fixture.ts): file size and session latency (batch 1 and 64,
//      one intra-op thread) of int8 dynamic, int8 weight-only (with and without the session option it asks for),
//      fp16; rounds interleave the versions so machine drift hits them alike, and the spread of round medians shows
//      the noise;
//   2. a digits MLP 64→256→256→10 trained by server/training: agreement, accuracy and max abs difference of the
//      same rewrites on the 360 test rows, with the default gates' verdicts;
//   3. pruning that digits MLP to 50 % and 90 % (with and without fine-tuning): gzip size and accuracy;
//   4. distillation of it into a 32-unit student: with every label, and with only 500 (transfer set = all 1,437
//      training rows) against the same student trained on those 500 labels alone — same epochs, and same number
//      of optimizer steps — over several seeds;
//   5. the same rewrites as optimisation jobs through the HTTP API (bench/optimize-jobs.ts): seconds per job, and
//      the report's figures, which must be the library's.
// Env: BENCH_OPT_ROUNDS (default 5), BENCH_OPT_SEEDS (default 3), BENCH_DIGITS_DIR (default test/data/digits).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { OnnxModel } from '../server/inference/onnx-model.js';
import { mlpModel } from '../server/onnx/mlp-fixture.js';
import {
  distill,
  evaluateVersion,
  gateVerdict,
  type LatencyFigures,
  measureLatency,
  openSession,
  prune,
  quantize,
  type VersionEvaluation,
} from '../server/optimize/index.js';
import { compareOutputs } from '../server/optimize/metrics.js';
import { exportSpec } from '../server/training/export.js';
import { exportOnnx } from '../server/training/export-onnx.js';
import { columnsFor } from '../server/training/table-columns.js';
import { train } from '../server/training/trainer.js';
import type { ArchitectureSpec, TrainingSpec } from '../server/training/types.js';
import { parseDataset } from '../src/protocol/datasets/parse.js';
import type { Table } from '../src/protocol/datasets/table.js';
import type { Tensor } from '../src/protocol/tensor.js';
import { optimizationJobs } from './optimize-jobs.js';
import { seededFloats } from './support/data.js';
import { envNumber } from './support/env.js';
import { repoRoot } from './support/paths.js';
import { bytes as formatBytes, note, ratio, saveResults, table, title } from './support/report.js';
import { median } from './support/stats.js';

const rounds = envNumber('BENCH_OPT_ROUNDS', 5);
const seeds = envNumber('BENCH_OPT_SEEDS', 3);
const digitsDir = process.env.BENCH_DIGITS_DIR ?? join(repoRoot, 'test/data/digits');
const results: Record<string, unknown> = {};

function readTable(file: string): Table {
  if (!existsSync(file)) throw new Error(`${file} is missing (set BENCH_DIGITS_DIR)`);
  const parsed = parseDataset(readFileSync(file), 'csv');
  if (!parsed.ok) throw new Error(`${file}: ${parsed.summary}`);
  return parsed.table;
}

const pt = (x: number) => (x * 100).toFixed(2);

// ---------------------------------------------------------------------------------------------------------------
// 1. Heavy MLP: size and latency
// ---------------------------------------------------------------------------------------------------------------

interface Variant {
  name: string;
  bytes: Uint8Array;
  sessionConfig: Record<string, string>;
  model?: OnnxModel;
  rounds: LatencyFigures[][];
}

async function heavyMlp(): Promise<void> {
  title(`optimize 1: MLP 1024→2048→2048→1000 — size and session latency (1 thread, ${rounds} interleaved rounds)`);
  const parent = mlpModel({ inputs: 1024, hidden: [2048, 2048], outputs: 1000, seed: 42 }).bytes;
  const variants: Variant[] = [{ name: 'fp32 (parent)', bytes: parent, sessionConfig: {}, rounds: [] }];
  const add = (name: string, r: ReturnType<typeof quantize>, sessionConfig = r.sessionConfig) =>
    variants.push({ name, bytes: r.bytes, sessionConfig, rounds: [] });
  add('int8 dynamic', quantize(parent, { precision: 'int8', mode: 'dynamic' }));
  add('int8 dynamic per-channel (7-bit)', quantize(parent, { precision: 'int8', mode: 'dynamic', per_channel: true }));
  const weightOnly = quantize(parent, { precision: 'int8', mode: 'weight_only' });
  add('int8 weight-only', weightOnly);
  add('int8 weight-only, without disable_quant_qdq', weightOnly, {});
  add('fp16', quantize(parent, { precision: 'fp16' }));
  for (const v of variants) v.model = await openSession(v.bytes, { sessionConfig: v.sessionConfig });
  const feeds = (n: number): Tensor[] => [
    { name: 'input', datatype: 'FP32', shape: [n, 1024], data: seededFloats(n * 1024, 7) },
  ];
  // Outputs on 256 random rows against the parent's.
  const probe = feeds(256);
  const reference = (await variants[0]!.model!.run(probe))[0]!.data as Float32Array;
  const agreement = new Map<string, ReturnType<typeof compareOutputs>>();
  for (const v of variants) {
    const out = (await v.model!.run(probe))[0]!.data as Float32Array;
    agreement.set(v.name, compareOutputs(out, reference, 1000, 'classification'));
  }
  for (let r = 0; r < rounds; r++) {
    // Alternate the order so no version always runs first after a pause.
    const order = r % 2 === 0 ? variants : [...variants].reverse();
    for (const v of order) {
      v.rounds.push(
        await measureLatency(v.model!, feeds, { batchSizes: [1, 64], runs: (b) => (b === 1 ? 100 : 20), warmup: 5 }),
      );
    }
  }
  for (const v of variants) await v.model!.close();

  const p50 = (v: Variant, batch: number) => v.rounds.map((round) => round.find((l) => l.batch === batch)!.p50_ms);
  const p99 = (v: Variant, batch: number) => v.rounds.map((round) => round.find((l) => l.batch === batch)!.p99_ms);
  const spread = (xs: number[]) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
  const base = variants[0]!;
  const rows = variants.map((v) => {
    const a = agreement.get(v.name)!;
    return [
      v.name,
      formatBytes(v.bytes.length),
      (v.bytes.length / base.bytes.length).toFixed(3),
      median(p50(v, 1)),
      spread(p50(v, 1)),
      median(p99(v, 1)),
      median(p50(v, 64)),
      spread(p50(v, 64)),
      median(p99(v, 64)),
      (median(p50(v, 1)) / median(p50(base, 1))).toFixed(3),
      (median(p50(v, 64)) / median(p50(base, 64))).toFixed(3),
      a.max_abs_diff!.toExponential(1),
    ];
  });
  table(
    [
      'version',
      'file',
      'file ×',
      'b1 p50 ms',
      'b1 p50 rounds',
      'b1 p99',
      'b64 p50 ms',
      'b64 p50 rounds',
      'b64 p99',
      'b1 ×',
      'b64 ×',
      'max |Δp| (random rows)',
    ],
    rows,
  );
  note("(× = ratio to the fp32 parent: file size, or the median over rounds of each round's p50; the model is");
  note(' untrained, its outputs nearly flat: only max |Δp| says something about accuracy — see the digits section)');
  const get = (name: string) => variants.find((v) => v.name === name)!;
  const r = (name: string, batch: number) => median(p50(get(name), batch)) / median(p50(base, batch));
  const file = (name: string) => get(name).bytes.length / base.bytes.length;
  note('');
  ratio('int8 dynamic file', file('int8 dynamic'), { op: '<=', value: 0.3 });
  ratio('int8 dynamic batch-1 p50', r('int8 dynamic', 1), { op: '<=', value: 0.25 });
  ratio('int8 dynamic batch-64 p50', r('int8 dynamic', 64), { op: '<=', value: 0.55 });
  ratio('int8 weight-only file', file('int8 weight-only'), { op: '<=', value: 0.3 });
  // Weight-only runs the parent's FP32 kernels once folded: within ±20 % either way.
  ratio('int8 weight-only batch-1 p50 |× − 1|', Math.abs(r('int8 weight-only', 1) - 1), { op: '<=', value: 0.2 });
  ratio('int8 weight-only batch-64 p50 |× − 1|', Math.abs(r('int8 weight-only', 64) - 1), { op: '<=', value: 0.2 });
  ratio('fp16 file', file('fp16'), { op: '<=', value: 0.52 });
  results.heavy = variants.map((v) => ({
    name: v.name,
    size: v.bytes.length,
    sessionConfig: v.sessionConfig,
    p50_b1: p50(v, 1),
    p50_b64: p50(v, 64),
    p99_b1: p99(v, 1),
    p99_b64: p99(v, 64),
    ...agreement.get(v.name),
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// 2–4. Digits
// ---------------------------------------------------------------------------------------------------------------

interface Digits {
  train: Table;
  test: Table;
  features: string[];
}

function trainDigits(
  data: Table,
  architecture: ArchitectureSpec,
  epochs: number,
  seed: number,
  d: Digits,
): { bytes: Uint8Array; seconds: number } {
  const spec: TrainingSpec = {
    task: 'classification',
    features: d.features,
    target: 'label',
    architecture,
    optimizer: { type: 'adam', learning_rate: 0.001 },
    epochs,
    batch_size: 32,
    validation_split: 0,
    seed,
  };
  const t0 = performance.now();
  const result = train(spec, columnsFor(data, spec));
  return { bytes: exportOnnx(exportSpec(result.model!)), seconds: (performance.now() - t0) / 1000 };
}

async function evaluate(
  bytes: Uint8Array,
  d: Digits,
  sessionConfig: Record<string, string> = {},
  reference?: VersionEvaluation,
) {
  return evaluateVersion(bytes, d.test, { sessionConfig, latency: false, reference: reference?.outputs ?? null });
}

async function digitsQuantize(d: Digits, parentBytes: Uint8Array, parent: VersionEvaluation): Promise<void> {
  title('optimize 2: digits MLP 64→256→256→10 (trained, 30 epochs) — quantised, on the 360 test rows');
  const specs = [
    ['int8 dynamic', { precision: 'int8', mode: 'dynamic' }, 'quantize_int8'],
    ['int8 dynamic per-channel (7-bit)', { precision: 'int8', mode: 'dynamic', per_channel: true }, 'quantize_int8'],
    ['int8 weight-only', { precision: 'int8', mode: 'weight_only' }, 'quantize_int8'],
    ['int8 weight-only per-channel', { precision: 'int8', mode: 'weight_only', per_channel: true }, 'quantize_int8'],
    ['fp16', { precision: 'fp16' }, 'quantize_fp16'],
  ] as const;
  const rows: (string | number)[][] = [
    ['fp32 (parent)', formatBytes(parentBytes.length), '1.000', pt(parent.metrics.accuracy!), '', '', '', ''],
  ];
  const out: Record<string, unknown>[] = [];
  for (const [name, spec, gate] of specs) {
    const q = quantize(parentBytes, spec);
    const e = await evaluate(q.bytes, d, q.sessionConfig, parent);
    const verdict = gateVerdict(gate, e, parent);
    const drop = (parent.metrics.accuracy! - e.metrics.accuracy!) * 100;
    rows.push([
      name,
      formatBytes(q.bytes.length),
      q.report.size_ratio.toFixed(3),
      pt(e.metrics.accuracy!),
      drop.toFixed(2),
      `${pt(e.metrics.agreement!)} %`,
      e.metrics.max_abs_diff!.toExponential(2),
      verdict.passed ? `${gate}: pass` : `${gate}: FAIL`,
    ]);
    out.push({ name, size_ratio: q.report.size_ratio, metrics: e.metrics, verdict });
    if (name === 'int8 dynamic') {
      results.int8Digits = { agreement: e.metrics.agreement, drop };
    }
    if (name === 'fp16') results.fp16Digits = { agreement: e.metrics.agreement, maxAbsDiff: e.metrics.max_abs_diff };
  }
  table(['version', 'file', 'file ×', 'accuracy %', 'drop pt', 'agreement', 'max |Δp|', 'default gate'], rows);
  const int8 = results.int8Digits as { agreement: number; drop: number };
  const fp16 = results.fp16Digits as { agreement: number; maxAbsDiff: number };
  note('');
  ratio('int8 dynamic agreement on digits', int8.agreement, { op: '>=', value: 0.995 });
  ratio('int8 dynamic accuracy drop (pt)', int8.drop, { op: '<=', value: 0.5 });
  ratio('fp16 agreement on digits', fp16.agreement, { op: '>=', value: 1 });
  ratio('fp16 max abs diff on probabilities ÷ 2e-3', fp16.maxAbsDiff / 2e-3, { op: '<=', value: 1 });
  results.digitsQuantize = out;
}

async function digitsPrune(d: Digits, parentBytes: Uint8Array, parent: VersionEvaluation): Promise<void> {
  title('optimize 3: pruning the digits MLP (global magnitude), with and without fine-tuning (10 epochs, Adam 1e-3)');
  const parentGzip = parent.gzip_bytes;
  const parentGzip9 = gzipSync(parentBytes, { level: 9 }).length;
  const rows: (string | number)[][] = [
    ['fp32 (parent)', formatBytes(parentGzip), '1.000', '1.000', pt(parent.metrics.accuracy!), '', '', ''],
  ];
  const out: Record<string, unknown>[] = [];
  for (const sparsity of [0.5, 0.9]) {
    for (const fineTune of [false, true]) {
      const t0 = performance.now();
      const p = prune(parentBytes, {
        sparsity,
        scope: 'global',
        ...(fineTune
          ? { fine_tune: { data: d.train, epochs: 10, optimizer: { type: 'adam', learning_rate: 0.001 } } }
          : {}),
      });
      const seconds = (performance.now() - t0) / 1000;
      const e = await evaluate(p.bytes, d, {}, parent);
      const drop = (parent.metrics.accuracy! - e.metrics.accuracy!) * 100;
      const verdict = gateVerdict('prune', e, parent);
      rows.push([
        `${sparsity * 100} %${fineTune ? ' + fine-tune' : ''}`,
        formatBytes(e.gzip_bytes),
        (e.gzip_bytes / parentGzip).toFixed(3),
        (gzipSync(p.bytes, { level: 9 }).length / parentGzip9).toFixed(3),
        pt(e.metrics.accuracy!),
        drop.toFixed(2),
        seconds.toFixed(1),
        verdict.passed ? 'pass' : 'FAIL',
      ]);
      out.push({
        sparsity,
        fineTune,
        gzip: e.gzip_bytes,
        gzipRatio: e.gzip_bytes / parentGzip,
        drop,
        seconds,
        verdict,
      });
    }
  }
  table(['pruned', 'gzip', 'gzip ×', 'gzip -9 ×', 'accuracy %', 'drop pt', 'seconds', 'prune gate'], rows);
  note(
    '(file size is unchanged — dense storage; ONNX Runtime densifies on load, so there is no speed change to report)',
  );
  const at = (s: number) => out.find((o) => o.sparsity === s && o.fineTune) as { gzipRatio: number; drop: number };
  note('');
  ratio('prune 90 % + fine-tune gzip', at(0.9).gzipRatio, { op: '<=', value: 0.16 });
  ratio('prune 90 % + fine-tune accuracy drop (pt)', at(0.9).drop, { op: '<=', value: 1 });
  ratio('prune 50 % + fine-tune gzip', at(0.5).gzipRatio, { op: '<=', value: 0.55 });
  results.prune = out;
}

async function digitsDistill(d: Digits, teacherBytes: Uint8Array, teacher: VersionEvaluation): Promise<void> {
  const student: ArchitectureSpec = { type: 'mlp', hidden_layers: [32] };
  const epochs = 30;
  const labels = 500;
  title(
    `optimize 4: distilling the digits MLP 256-256 into a 32-unit student (T 4, alpha 0.3, ${epochs} epochs, seeds 0..${seeds - 1})`,
  );
  const few: Table = {
    ...d.train,
    columns: d.train.columns.map((c) =>
      c.name === 'label' && c.type === 'number'
        ? { ...c, values: Float64Array.from(c.values, (v, i) => (i < labels ? v : Number.NaN)) }
        : c,
    ),
  };
  const head: Table = {
    rows: labels,
    columns: d.train.columns.map((c) =>
      c.type === 'number' ? { ...c, values: c.values.slice(0, labels) } : { ...c, values: c.values.slice(0, labels) },
    ),
  };
  const steps = Math.round((epochs * d.train.rows) / labels);
  const acc = async (bytes: Uint8Array) => (await evaluate(bytes, d)).metrics.accuracy! * 100;
  const runs: Record<string, number[]> = {
    hardAll: [],
    distillAll: [],
    hardFewSameEpochs: [],
    hardFewSameSteps: [],
    distillFew: [],
  };
  let distillSeconds = 0;
  for (let seed = 0; seed < seeds; seed++) {
    const spec = {
      student: { architecture: student },
      temperature: 4,
      alpha: 0.3,
      epochs,
      optimizer: { type: 'adam' as const, learning_rate: 0.001 },
      batch_size: 32,
      seed,
    };
    const t0 = performance.now();
    const all = await distill(teacherBytes, { ...spec, data: d.train, target: 'label' });
    distillSeconds += (performance.now() - t0) / 1000;
    runs.distillAll!.push(await acc(all.bytes));
    runs.distillFew!.push(await acc((await distill(teacherBytes, { ...spec, data: few, target: 'label' })).bytes));
    runs.hardAll!.push(await acc(trainDigits(d.train, student, epochs, seed, d).bytes));
    runs.hardFewSameEpochs!.push(await acc(trainDigits(head, student, epochs, seed, d).bytes));
    runs.hardFewSameSteps!.push(await acc(trainDigits(head, student, steps, seed, d).bytes));
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const list = (xs: number[]) => `${xs.map((x) => x.toFixed(2)).join(', ')}`;
  const t = teacher.metrics.accuracy! * 100;
  table(
    ['model', 'labels', 'test accuracy % (mean)', 'per seed'],
    [
      ['teacher MLP 256-256', d.train.rows, t.toFixed(2), ''],
      ['student 32, hard labels', d.train.rows, mean(runs.hardAll!).toFixed(2), list(runs.hardAll!)],
      ['student 32, distilled', d.train.rows, mean(runs.distillAll!).toFixed(2), list(runs.distillAll!)],
      [
        `student 32, hard labels, ${epochs} epochs`,
        labels,
        mean(runs.hardFewSameEpochs!).toFixed(2),
        list(runs.hardFewSameEpochs!),
      ],
      [
        `student 32, hard labels, ${steps} epochs (same steps)`,
        labels,
        mean(runs.hardFewSameSteps!).toFixed(2),
        list(runs.hardFewSameSteps!),
      ],
      [
        `student 32, distilled (all ${d.train.rows} rows as transfer set)`,
        labels,
        mean(runs.distillFew!).toFixed(2),
        list(runs.distillFew!),
      ],
    ],
  );
  note(
    `(one test row = ${(100 / d.test.rows).toFixed(2)} points; a distillation run took ${(distillSeconds / seeds).toFixed(1)} s on average)`,
  );
  note('');
  ratio('distilled student − teacher (pt), all labels', mean(runs.distillAll!) - t, { op: '>=', value: -2 });
  ratio(
    `distilled − hard-label student (pt), ${labels} labels, same epochs`,
    mean(runs.distillFew!) - mean(runs.hardFewSameEpochs!),
    { op: '>=', value: 3 },
  );
  ratio(
    `distilled − hard-label student (pt), ${labels} labels, same optimizer steps`,
    mean(runs.distillFew!) - mean(runs.hardFewSameSteps!),
    { op: '>=', value: 3 },
  );
  results.distill = { teacher: t, ...runs, steps };
}

async function main(): Promise<void> {
  await heavyMlp();
  const train = readTable(join(digitsDir, 'train.csv'));
  const test = readTable(join(digitsDir, 'test.csv'));
  const d: Digits = { train, test, features: train.columns.map((c) => c.name).filter((n) => n !== 'label') };
  const parent = trainDigits(train, { type: 'mlp', hidden_layers: [256, 256] }, 30, 0, d);
  const evaluation = await evaluate(parent.bytes, d);
  note(
    `\ndigits parent: MLP 64→256→256→10, trained in ${parent.seconds.toFixed(1)} s, test accuracy ${pt(evaluation.metrics.accuracy!)} %`,
  );
  await digitsQuantize(d, parent.bytes, evaluation);
  await digitsPrune(d, parent.bytes, evaluation);
  await digitsDistill(d, parent.bytes, evaluation);
  results.jobs = await optimizationJobs(parent.bytes, join(digitsDir, 'train.csv'), join(digitsDir, 'test.csv'));
  await saveResults('optimize', { rounds, seeds, ...results });
}

await main();
