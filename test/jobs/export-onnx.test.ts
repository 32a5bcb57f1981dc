import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { modelMetadata, parseModel } from '../../server/onnx/index.js';
import { exportOnnx } from '../../server/training/export-onnx.js';
import { exportSpec, predict, train } from '../../server/training/index.js';
import type { TrainingSpec } from '../../server/training/types.js';
import { parseDataset } from '../../src/protocol/datasets/parse.js';
import type { NumberColumn, StringColumn } from '../../src/protocol/datasets/table.js';

const irisTable = (() => {
  const parsed = parseDataset(readFileSync(new URL('../../examples/iris/iris.csv', import.meta.url)), 'csv');
  if (!parsed.ok) throw new Error(parsed.summary);
  return parsed.table;
})();
const col = (name: string) => irisTable.columns.find((c) => c.name === name)!;
const featureNames = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];
const featureColumns = featureNames.map((n) => (col(n) as NumberColumn).values);
const rows = Array.from({ length: irisTable.rows }, (_, r) => featureColumns.map((c) => c[r]!));

async function run(onnx: Uint8Array, rowsIn: number[][]) {
  const session = await ort.InferenceSession.create(onnx);
  const input = new ort.Tensor('float32', Float32Array.from(rowsIn.flat()), [rowsIn.length, rowsIn[0]!.length]);
  const out = await session.run({ input });
  await session.release();
  return out;
}

const spec = (extra: Partial<TrainingSpec>): TrainingSpec => ({
  task: 'classification',
  features: featureNames,
  target: 'species',
  architecture: { type: 'mlp', hidden_layers: [8], activation: 'tanh' },
  optimizer: { type: 'adam', learning_rate: 0.01 },
  epochs: 30,
  batch_size: 16,
  seed: 1,
  ...extra,
});

describe('exportOnnx', () => {
  it('classification with string labels: probabilities and labels equal the trainer forward pass', async () => {
    const result = train(spec({}), { features: featureColumns, target: (col('species') as StringColumn).values });
    const exported = exportSpec(result.model!);
    const onnx = exportOnnx(exported, { metadata: { training_job: 'job_test' } });
    const out = await run(onnx, rows);
    const reference = predict(exported, rows);

    expect(out.probabilities!.dims).toEqual([150, 3]);
    const probs = out.probabilities!.data as Float32Array;
    let worst = 0;
    for (let i = 0; i < probs.length; i++) worst = Math.max(worst, Math.abs(probs[i]! - reference.values[i]!));
    expect(worst).toBeLessThan(1e-5);
    expect(out.label!.type).toBe('string');
    expect(Array.from(out.label!.data as string[])).toEqual(reference.labels);

    const proto = parseModel(onnx);
    expect(proto.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 13]]);
    const dims = proto.graph?.input?.[0]?.type?.tensorType?.shape?.dim ?? [];
    expect(dims.map((d) => d.dimParam || Number(d.dimValue ?? 0))).toEqual(['N', 4]);
    expect(modelMetadata(proto)).toEqual({
      task: 'classification',
      target: 'species',
      features: JSON.stringify(featureNames),
      labels: '["setosa","versicolor","virginica"]',
      training_job: 'job_test',
    });
    expect(proto.docString).toContain('columns in this order: sepal_length, sepal_width, petal_length, petal_width');
  });

  it('classification with integer labels answers INT64 labels', async () => {
    const target = Float64Array.from((col('species') as StringColumn).values, (s) =>
      s === 'setosa' ? 10 : s === 'versicolor' ? 20 : 30,
    );
    const result = train(spec({ architecture: { type: 'logistic' } }), { features: featureColumns, target });
    const exported = exportSpec(result.model!);
    const out = await run(exportOnnx(exported), rows);
    expect(out.label!.type).toBe('int64');
    const labels = Array.from(out.label!.data as BigInt64Array, Number);
    expect(labels).toEqual(predict(exported, rows).labels);
    expect(new Set(labels)).toEqual(new Set([10, 20, 30]));
  });

  it('regression answers value [N, 1] equal to the forward pass', async () => {
    const target = (col('petal_width') as NumberColumn).values;
    const features = featureNames.slice(0, 3);
    const result = train(
      spec({ task: 'regression', target: 'petal_width', features, architecture: { type: 'linear' }, epochs: 50 }),
      { features: featureColumns.slice(0, 3), target },
    );
    const exported = exportSpec(result.model!);
    const regressionRows = rows.map((r) => r.slice(0, 3));
    const out = await run(exportOnnx(exported), regressionRows);
    expect(out.value!.dims).toEqual([150, 1]);
    const values = out.value!.data as Float32Array;
    const reference = predict(exported, regressionRows).values;
    for (let i = 0; i < 150; i++)
      expect(Math.abs(values[i]! - reference[i]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(reference[i]!)));
    // A linear fit of petal width from the other three measurements is good: R² well above 0.9.
    const mean = target.reduce((a, b) => a + b, 0) / 150;
    const ssTot = target.reduce((a, b) => a + (b - mean) ** 2, 0);
    const ssRes = target.reduce((a, b, i) => a + (b - values[i]!) ** 2, 0);
    expect(1 - ssRes / ssTot).toBeGreaterThan(0.9);
  });
});

describe('exportOnnx with a string feature (one-hot inside the graph)', () => {
  // 'hot' when the color is red, or the number is large; the color alone is not enough, nor the number.
  const colors = ['red', 'green', 'blue'];
  const n = 90;
  const num = Float64Array.from({ length: n }, (_, i) => (i * 7) % 10);
  const color = Array.from({ length: n }, (_, i) => colors[i % 3]!);
  const label = Array.from({ length: n }, (_, i) => (color[i] === 'red' || num[i]! >= 8 ? 'hot' : 'cold'));
  const mixedSpec: TrainingSpec = {
    task: 'classification',
    features: ['num', 'color'],
    target: 'label',
    architecture: { type: 'mlp', hidden_layers: [8], activation: 'relu' },
    optimizer: { type: 'adam', learning_rate: 0.05 },
    epochs: 60,
    batch_size: 10,
    validation_split: 0,
    seed: 2,
  };

  it('takes one input per column (FP32 and BYTES), runs in ONNX Runtime, and equals the trainer forward pass', async () => {
    const messages: string[] = [];
    const result = train(mixedSpec, { features: [num, color], target: label }, { onMessage: (m) => messages.push(m) });
    expect(messages).toContain(
      "Encoding 'color' one-hot over its 3 categories (blue, green, red); a value not among them counts as none of them (all zeros)",
    );
    const exported = exportSpec(result.model!);
    expect(exported.categories).toEqual([null, ['blue', 'green', 'red']]);
    expect(exported.layers[0]!.inputs).toBe(4); // num + 3 one-hot columns
    const onnx = exportOnnx(exported);

    const proto = parseModel(onnx);
    expect(proto.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([
      ['', 13],
      ['ai.onnx.ml', 2],
    ]);
    expect(proto.graph!.node!.map((node) => node.opType)).toContain('LabelEncoder');
    expect(proto.graph!.input!.map((i) => [i.name, i.type?.tensorType?.elemType])).toEqual([
      ['num', 1], // FLOAT
      ['color', 8], // STRING
    ]);
    expect(JSON.parse(modelMetadata(proto).categories!)).toEqual({ color: ['blue', 'green', 'red'] });

    // 'purple' was never seen: all-zero one-hot, the same as the reference forward pass.
    const rowsIn: (number | string)[][] = [
      [1, 'red'],
      [1, 'green'],
      [9, 'blue'],
      [2, 'blue'],
      [2, 'purple'],
      [2, 'zzz'],
    ];
    const session = await ort.InferenceSession.create(onnx);
    const out = await session.run({
      num: new ort.Tensor('float32', Float32Array.from(rowsIn.map((r) => r[0] as number)), [rowsIn.length]),
      color: new ort.Tensor(
        'string',
        rowsIn.map((r) => r[1] as string),
        [rowsIn.length],
      ),
    });
    await session.release();
    const reference = predict(exported, rowsIn);
    const probs = out.probabilities!.data as Float32Array;
    for (let i = 0; i < probs.length; i++) expect(Math.abs(probs[i]! - reference.values[i]!)).toBeLessThan(1e-5);
    expect(Array.from(out.label!.data as string[])).toEqual(reference.labels);
    expect(reference.labels!.slice(0, 4)).toEqual(['hot', 'cold', 'hot', 'cold']);
    // Any unknown color is the all-zero one-hot: 'purple' and 'zzz' give the very same outputs.
    expect(Array.from(probs.slice(8, 10))).toEqual(Array.from(probs.slice(10, 12)));
  });
});
