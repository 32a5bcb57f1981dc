import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateVersion } from '../../server/optimize/evaluate.js';
import { DEFAULT_GATES, gateVerdict } from '../../server/optimize/gates.js';
import { compareOutputs, looksLikeProbabilities, scoreOutputs } from '../../server/optimize/metrics.js';
import { quantize } from '../../server/optimize/quantize.js';
import { exportSpec } from '../../server/training/export.js';
import { exportOnnx } from '../../server/training/export-onnx.js';
import { predict } from '../../server/training/predict.js';
import { columnsFor } from '../../server/training/table-columns.js';
import { train } from '../../server/training/trainer.js';
import { IRIS, readTable } from './support.js';

const IRIS_MODEL = new Uint8Array(
  readFileSync(new URL('../../examples/models/iris_classifier/1/model.onnx', import.meta.url)),
);

describe('metrics', () => {
  it('scores classification: accuracy and cross-entropy over labelled rows', () => {
    const p = Float32Array.from([0.7, 0.2, 0.1, 0.1, 0.8, 0.1, 0.3, 0.3, 0.4, 0.5, 0.5, 0]);
    const m = scoreOutputs(p, 3, { task: 'classification', labels: Int32Array.from([0, 2, 2, -1]) });
    expect(m.rows).toBe(4);
    expect(m.labelled_rows).toBe(3);
    expect(m.accuracy).toBeCloseTo(2 / 3, 12);
    expect(m.loss).toBeCloseTo(-(Math.log(0.7) + Math.log(0.1) + Math.log(0.4)) / 3, 6);
  });

  it('scores regression: RMSE, MAE and MSE as loss, skipping missing targets', () => {
    const m = scoreOutputs(Float32Array.from([1, 2, 4, 9]), 1, {
      task: 'regression',
      targets: Float64Array.from([1, 4, 1, Number.NaN]),
    });
    expect(m.labelled_rows).toBe(3);
    expect(m.loss).toBeCloseTo((0 + 4 + 9) / 3, 12);
    expect(m.rmse).toBeCloseTo(Math.sqrt(13 / 3), 12);
    expect(m.mae).toBeCloseTo(5 / 3, 12);
  });

  it('compares two versions: argmax agreement, max and mean absolute difference', () => {
    const a = Float32Array.from([0.6, 0.4, 0.2, 0.8]);
    const b = Float32Array.from([0.4, 0.6, 0.25, 0.75]);
    const c = compareOutputs(a, b, 2, 'classification');
    expect(c.agreement).toBe(0.5);
    expect(c.max_abs_diff).toBeCloseTo(0.2, 6);
    expect(c.mean_abs_diff).toBeCloseTo(0.125, 6);
    expect(compareOutputs(a, b, 2, 'regression').agreement).toBeUndefined();
  });

  it('tells probabilities from logits', () => {
    expect(looksLikeProbabilities(Float32Array.from([0.2, 0.8, 1, 0]), 2)).toBe(true);
    expect(looksLikeProbabilities(Float32Array.from([2, -1, 0.5, 0.5]), 2)).toBe(false);
  });
});

describe('evaluateVersion', () => {
  const table = readTable(IRIS);

  it('runs the model over the dataset: accuracy matches the trainer reference, latency and sizes are measured', async () => {
    const spec = {
      task: 'classification' as const,
      features: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'],
      target: 'species',
      architecture: { type: 'mlp' as const, hidden_layers: [8] },
      epochs: 30,
      validation_split: 0,
      seed: 1,
    };
    const model = train(spec, columnsFor(table, spec)).model!;
    const bytes = exportOnnx(exportSpec(model));
    const result = await evaluateVersion(bytes, table, { latency: { batchSizes: [1, 64], runs: () => 20, warmup: 2 } });
    const columns = spec.features.map((f) => table.columns.find((c) => c.name === f)!.values as Float64Array);
    const rows = Array.from({ length: table.rows }, (_, r) => columns.map((c) => c[r]!));
    const reference = predict(model, rows);
    const species = table.columns.find((c) => c.name === 'species')!.values;
    const correct = reference.labels!.filter((label, i) => label === species[i]).length;
    expect(result.task).toBe('classification');
    expect(result.output).toBe('probabilities');
    expect(result.metrics.accuracy).toBeCloseTo(correct / table.rows, 12);
    expect(result.metrics.labelled_rows).toBe(table.rows);
    expect(result.outputs.values).toHaveLength(table.rows * 3);
    expect(result.latency.map((l) => [l.batch, l.runs])).toEqual([
      [1, 20],
      [64, 20],
    ]);
    for (const l of result.latency) expect(l.p50_ms).toBeLessThanOrEqual(l.p99_ms);
    expect(result.size_bytes).toBe(bytes.length);
    expect(result.gzip_bytes).toBeGreaterThan(0);
    expect(result.gzip_bytes).toBeLessThan(bytes.length);
  });

  it('gates a quantised version against its parent, with reasons', async () => {
    const parent = await evaluateVersion(IRIS_MODEL, table, { latency: false });
    const q = quantize(IRIS_MODEL, { precision: 'fp16' });
    const candidate = await evaluateVersion(q.bytes, table, { latency: false, reference: parent.outputs });
    expect(candidate.metrics.agreement).toBe(1);
    const verdict = gateVerdict('quantize_fp16', candidate, parent);
    expect(verdict.passed).toBe(true);
    expect(verdict.checks.map((c) => c.name)).toEqual(['min_agreement', 'max_accuracy_drop_pt', 'max_abs_diff']);
    expect(verdict.reasons[0]).toMatch(/^agreement passed: 100.00 % of rows pick the parent's class/);
    const strict = gateVerdict('quantize_fp16', candidate, parent, { max_abs_diff: 0 });
    expect(strict.passed).toBe(false);
    expect(strict.reasons[0]).toMatch(/^max abs difference FAILED: .* \(at most 0.0e\+0 allowed\)$/);
  });

  it('names what does not fit: a missing column, a wrong feature count', async () => {
    const other = {
      rows: 2,
      columns: [{ name: 'a', type: 'number' as const, values: Float64Array.from([1, 2]), missing: 0 }],
    };
    await expect(evaluateVersion(IRIS_MODEL, other, { latency: false })).rejects.toMatchObject({
      code: 'optimize_data_invalid',
      message: "column 'sepal_length' is not in the data",
    });
    await expect(
      evaluateVersion(IRIS_MODEL, table, { latency: false, features: ['sepal_length'] }),
    ).rejects.toMatchObject({
      code: 'optimize_data_invalid',
      field: 'features',
      message: "the model's input 'input' takes 4 features; features gives 1",
    });
  });
});

describe('gates', () => {
  const parent = { task: 'classification' as const, metrics: { rows: 1000, labelled_rows: 1000, accuracy: 0.95 } };

  it('has the defaults the issue sets for int8: agreement ≥ 99.5 %, accuracy drop ≤ 0.5 pt', () => {
    expect(DEFAULT_GATES.quantize_int8).toMatchObject({ min_agreement: 0.995, max_accuracy_drop_pt: 0.5 });
  });

  it('fails with every reason, failures first', () => {
    const candidate = {
      task: 'classification' as const,
      metrics: { rows: 1000, labelled_rows: 1000, accuracy: 0.94, agreement: 0.99, max_abs_diff: 0.1 },
    };
    const verdict = gateVerdict('quantize_int8', candidate, parent);
    expect(verdict.passed).toBe(false);
    expect(verdict.checks.map((c) => [c.name, c.passed])).toEqual([
      ['min_agreement', false],
      ['max_accuracy_drop_pt', false],
    ]);
    expect(verdict.reasons).toEqual([
      "agreement FAILED: 99.00 % of rows pick the parent's class (at least 99.50 % required)",
      'accuracy FAILED: 1.00 points below the parent (at most 0.5 allowed)',
    ]);
  });

  it('fails a check it cannot measure, saying why', () => {
    const candidate = { task: 'classification' as const, metrics: { rows: 10, labelled_rows: 0 } };
    const verdict = gateVerdict('prune', candidate, {
      task: 'classification',
      metrics: { rows: 10, labelled_rows: 0 },
    });
    expect(verdict.passed).toBe(false);
    expect(verdict.reasons).toEqual(['max_accuracy_drop_pt FAILED: cannot be measured (no labelled rows)']);
  });

  it('bounds the RMSE increase for regression', () => {
    const base = { task: 'regression' as const, metrics: { rows: 5, labelled_rows: 5, rmse: 2 } };
    const ok = gateVerdict('prune', { task: 'regression', metrics: { rows: 5, labelled_rows: 5, rmse: 2.05 } }, base);
    expect(ok.passed).toBe(true);
    const bad = gateVerdict('prune', { task: 'regression', metrics: { rows: 5, labelled_rows: 5, rmse: 2.5 } }, base);
    expect(bad.reasons).toEqual(["RMSE FAILED: 25.00 % above the parent's (at most 5.00 % allowed)"]);
  });
});
