// Models, data and an ONNX Runtime runner for the optimisation tests. Models come from the project's own builder;
// every run goes through server/inference/onnx-model.ts.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openOnnxModel } from '../../server/inference/onnx-model.js';
import { attr } from '../../server/onnx/attributes.js';
import { GraphBuilder } from '../../server/onnx/builder.js';
import { ModelGraph } from '../../server/onnx/model-graph.js';
import { mulberry32, uniform } from '../../server/onnx/seeded-random.js';
import { type ConstantValues, floatValues, tensorDims, tensorValues } from '../../server/onnx/tensor-values.js';
import { type DenseImport, importedNetwork } from '../../server/optimize/import-dense.js';
import { exportSpec } from '../../server/training/export.js';
import { exportOnnx } from '../../server/training/export-onnx.js';
import { softmaxRows } from '../../server/training/losses.js';
import { columnsFor } from '../../server/training/table-columns.js';
import { train } from '../../server/training/trainer.js';
import type { TrainingSpec } from '../../server/training/types.js';
import { parseDataset } from '../../src/protocol/datasets/parse.js';
import type { Table } from '../../src/protocol/datasets/table.js';
import type { Tensor } from '../../src/protocol/tensor.js';

/** Runs `bytes` once on FP32 `inputs` ({ name: [data, shape] }) and returns every output's values. */
export async function run(
  bytes: Uint8Array,
  inputs: Record<string, [Float32Array, number[]]>,
  configEntries: Record<string, string> = {},
): Promise<Float32Array[]> {
  const model = await openOnnxModel(bytes, { configEntries, intraOpThreads: 1 });
  try {
    const feeds: Tensor[] = Object.entries(inputs).map(([name, [data, shape]]) => ({
      name,
      datatype: 'FP32',
      shape,
      data,
    }));
    return (await model.run(feeds)).map((t) => t.data as Float32Array);
  } finally {
    await model.close();
  }
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/** Seeded inputs in [-scale, scale). */
export function inputs(n: number, seed = 7, scale = 2): Float32Array {
  return uniform(mulberry32(seed), n, scale);
}

/** The ops of a model's nodes, in order. */
export function ops(bytes: Uint8Array): string[] {
  return ModelGraph.parse(bytes).nodes.map((n) => n.opType ?? '');
}

/** An initializer's datatype code, dims and values (floating-point ones as float32, others as stored). */
export function initializer(
  bytes: Uint8Array,
  name: string,
): { dataType: number; dims: number[]; values: Float32Array; raw: ConstantValues } {
  const t = ModelGraph.parse(bytes).constant(name);
  if (!t) throw new Error(`no initializer ${name}`);
  const raw = tensorValues(t);
  const float = [1, 10, 11].includes(t.dataType ?? 0);
  return { dataType: t.dataType ?? 0, dims: tensorDims(t), values: float ? floatValues(t) : new Float32Array(), raw };
}

/**
 * x [N, 6] → MatMul(x, W1 [6, 8]) + b1 → Tanh → Gemm(transB = 1, alpha 0.5, beta 2, W2 [5, 8], C [5]) → Sigmoid,
 * and a second MatMul reading x (W3 [6, 5], no bias) added to it: every MatMul/Gemm form, x shared by two layers.
 */
export function mixedDenseModel(opset = 13): Uint8Array {
  const random = mulberry32(11);
  const g = new GraphBuilder('mixed');
  const x = g.input('x', 'FP32', ['N', 6]);
  const h = g.node('Tanh', [
    g.node('Add', [
      g.node('MatMul', [x, g.initializer('W1', 'FP32', [6, 8], uniform(random, 48, 0.6))]),
      g.initializer('b1', 'FP32', [8], uniform(random, 8, 0.2)),
    ]),
  ]);
  const gemm = g.node(
    'Gemm',
    [
      h,
      g.initializer('W2', 'FP32', [5, 8], uniform(random, 40, 0.6)),
      g.initializer('C2', 'FP32', [5], uniform(random, 5, 0.2)),
    ],
    { transB: 1, alpha: 0.5, beta: attr.float(2) },
  );
  const side = g.node('MatMul', [x, g.initializer('W3', 'FP32', [6, 5], uniform(random, 30, 0.4))]);
  g.output(g.node('Sigmoid', [g.node('Add', [gemm, side])]), 'y', 'FP32', ['N', 5]);
  return g.toModel({ opset });
}

/** x [N, 3, 8, 8] → Conv(4 filters 3×3, pad 1, bias) → Relu → Conv(group 2, 4 → 4, 3×3, no bias) → Flatten → Gemm → Softmax. */
export function convModel(): Uint8Array {
  const random = mulberry32(5);
  const g = new GraphBuilder('conv');
  const x = g.input('x', 'FP32', ['N', 3, 8, 8]);
  let y = g.node(
    'Conv',
    [
      x,
      g.initializer('K1', 'FP32', [4, 3, 3, 3], uniform(random, 108, 0.4)),
      g.initializer('B1', 'FP32', [4], uniform(random, 4, 0.1)),
    ],
    {
      pads: [1, 1, 1, 1],
    },
  );
  y = g.node('Relu', [y]);
  y = g.node('Conv', [y, g.initializer('K2', 'FP32', [4, 2, 3, 3], uniform(random, 72, 0.4))], { group: 2 });
  y = g.node('Flatten', [y], { axis: 1 });
  y = g.node('Gemm', [
    y,
    g.initializer('W', 'FP32', [144, 3], uniform(random, 432, 0.2)),
    g.initializer('b', 'FP32', [3], uniform(random, 3, 0.1)),
  ]);
  g.output(g.node('Softmax', [y], { axis: -1 }), 'p', 'FP32', ['N', 3]);
  return g.toModel();
}

export function readTable(path: string | URL): Table {
  const parsed = parseDataset(readFileSync(path), 'csv');
  if (!parsed.ok) throw new Error(parsed.summary);
  return parsed.table;
}

export const DIGITS_TRAIN = fileURLToPath(new URL('../data/digits/train.csv', import.meta.url));
export const DIGITS_TEST = fileURLToPath(new URL('../data/digits/test.csv', import.meta.url));
export const IRIS = fileURLToPath(new URL('../../examples/iris/iris.csv', import.meta.url));

/** A table of number columns, in the given order. */
export function numericTable(columns: Record<string, ArrayLike<number>>): Table {
  const entries = Object.entries(columns);
  return {
    rows: entries[0]?.[1].length ?? 0,
    columns: entries.map(([name, values]) => ({ name, type: 'number', values: Float64Array.from(values), missing: 0 })),
  };
}

/** The first `rows` rows of a table (every column). */
export function headRows(table: Table, rows: number): Table {
  return {
    rows,
    columns: table.columns.map((c) =>
      c.type === 'number' ? { ...c, values: c.values.slice(0, rows) } : { ...c, values: c.values.slice(0, rows) },
    ),
  };
}

/** The table with `column`'s cells blanked (missing) from row `keep` on. */
export function keepLabels(table: Table, column: string, keep: number): Table {
  return {
    ...table,
    columns: table.columns.map((c) => {
      if (c.name !== column) return c;
      if (c.type === 'number')
        return { ...c, values: Float64Array.from(c.values, (v, i) => (i < keep ? v : Number.NaN)) };
      return { ...c, values: c.values.map((v, i) => (i < keep ? v : null)) };
    }),
  };
}

/** Trains on `table` with the server's trainer and exports it as the server would deploy it. */
export function trainedModel(table: Table, spec: Omit<TrainingSpec, 'features'> & { features?: string[] }): Uint8Array {
  const features = spec.features ?? table.columns.map((c) => c.name).filter((n) => n !== spec.target);
  const full: TrainingSpec = { validation_split: 0, seed: 0, ...spec, features };
  const result = train(full, columnsFor(table, full));
  return exportOnnx(exportSpec(result.model!));
}

/** The imported network's outputs for raw rows x (n × F): standardize, the layers, softmax for a classifier. */
export function denseForward(imported: DenseImport, x: Float32Array, n: number): Float64Array {
  const net = importedNetwork(imported, n);
  const f = imported.sizes[0]!;
  const { mean, std } = imported.standardization;
  const X = Float64Array.from(x, (v, i) => (v - mean[i % f]!) / std[i % f]!);
  const out = net.forward(X, n).slice(0, n * net.outputs);
  if (imported.task === 'classification') softmaxRows(out, n, net.outputs);
  return out;
}

/** x [N, 4] → Sub → Div → MatMul + Add → Tanh → Gemm(transB) → (linear) → Gemm without bias → Softmax | nothing. */
export function chainModel(head: 'softmax' | 'none' | 'sigmoid'): Uint8Array {
  const random = mulberry32(3);
  const g = new GraphBuilder('chain');
  let x = g.input('x', 'FP32', ['N', 4]);
  x = g.node('Sub', [x, g.initializer('mu', 'FP32', [4], [1, -1, 0.5, 2])]);
  x = g.node('Div', [x, g.initializer('sigma', 'FP32', [1, 4], [2, 0.5, 1, 4])]);
  x = g.node('Add', [
    g.initializer('b1', 'FP32', [1, 6], uniform(random, 6, 0.2)),
    g.node('MatMul', [x, g.initializer('W1', 'FP32', [4, 6], uniform(random, 24, 0.7))]),
  ]);
  x = g.node('Tanh', [x]);
  x = g.node(
    'Gemm',
    [
      x,
      g.initializer('W2', 'FP32', [5, 6], uniform(random, 30, 0.7)),
      g.initializer('b2', 'FP32', [5], uniform(random, 5, 0.2)),
    ],
    { transB: 1 },
  );
  x = g.node('Dropout', [x]);
  x = g.node('Gemm', [x, g.initializer('W3', 'FP32', [5, 3], uniform(random, 15, 0.7))]);
  if (head === 'softmax') x = g.node('Softmax', [x], { axis: 1 });
  if (head === 'sigmoid') x = g.node('Sigmoid', [x]);
  g.output(x, 'y', 'FP32', ['N', 3]);
  return g.toModel();
}
