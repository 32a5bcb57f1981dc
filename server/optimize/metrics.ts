// Quality figures from a version's outputs on a dataset: accuracy and cross-entropy (classification) or RMSE, MAE
// and MSE (regression) against the target, and — given another version's outputs on the same rows — argmax
// agreement and the largest absolute difference. Pure: numbers in, numbers out.
import { LabelEncoder } from '../training/labels.js';
import type { TargetColumn, Task } from '../training/types.js';

/** The truth for the rows a model ran on: class indices (−1 = no label) or numbers (NaN = none). */
export type Truth =
  | { task: 'classification'; labels: Int32Array }
  | { task: 'regression'; targets: Float64Array }
  | { task: Task; labels?: undefined; targets?: undefined };

export interface OutputMetrics {
  /** Rows scored (labelled rows for accuracy, loss, RMSE and MAE; every row for the comparison). */
  rows: number;
  labelled_rows: number;
  accuracy?: number;
  /** Classification: mean −log p[label] (when the outputs are probabilities); regression: MSE. */
  loss?: number;
  rmse?: number;
  mae?: number;
  /** With a reference version: rows whose most probable class is the same (classification). */
  agreement?: number;
  /** With a reference version: the largest |a − b| over every output value. */
  max_abs_diff?: number;
  mean_abs_diff?: number;
}

/** Smallest probability the cross-entropy uses, so a confident mistake costs −log 1e-12 ≈ 27.6, not ∞. */
const MIN_PROBABILITY = 1e-12;

/** Class indices of `target` at `rows` in the model's label order (−1 missing or unknown). */
export function encodeLabels(target: TargetColumn, rows: Int32Array, classLabels: number[] | string[]): Int32Array {
  const encoder = new LabelEncoder(classLabels);
  return Int32Array.from(rows, (r) => encoder.encode(target[r]));
}

/** Numeric targets at `rows` (NaN where missing). */
export function regressionTargets(target: TargetColumn, rows: Int32Array): Float64Array {
  return Float64Array.from(rows, (r) => {
    const v = target[r];
    return typeof v === 'number' && Number.isFinite(v) ? v : Number.NaN;
  });
}

/** Scores `values` (rows × columns, row-major). */
export function scoreOutputs(
  values: Float32Array,
  columns: number,
  truth: Truth,
  reference?: Float32Array | null,
): OutputMetrics {
  const rows = values.length / columns;
  const out: OutputMetrics = { rows, labelled_rows: 0 };
  if (truth.task === 'classification' && truth.labels) {
    const probabilities = looksLikeProbabilities(values, columns);
    let correct = 0;
    let loss = 0;
    for (let r = 0; r < rows; r++) {
      const label = truth.labels[r]!;
      if (label < 0) continue;
      out.labelled_rows++;
      if (argmax(values, r * columns, columns) === label) correct++;
      loss -= Math.log(Math.max(MIN_PROBABILITY, values[r * columns + label]!));
    }
    if (out.labelled_rows > 0) {
      out.accuracy = correct / out.labelled_rows;
      if (probabilities) out.loss = loss / out.labelled_rows;
    }
  } else if (truth.task === 'regression' && truth.targets) {
    let se = 0;
    let ae = 0;
    for (let r = 0; r < rows; r++) {
      const t = truth.targets[r]!;
      if (Number.isNaN(t)) continue;
      out.labelled_rows++;
      // One output per row is the convention (value [N, 1]); wider outputs score their first column.
      const d = values[r * columns]! - t;
      se += d * d;
      ae += Math.abs(d);
    }
    if (out.labelled_rows > 0) {
      out.loss = se / out.labelled_rows;
      out.rmse = Math.sqrt(out.loss);
      out.mae = ae / out.labelled_rows;
    }
  }
  if (reference) Object.assign(out, compareOutputs(values, reference, columns, truth.task));
  return out;
}

/** Argmax agreement (classification) and absolute differences between two versions' outputs on the same rows. */
export function compareOutputs(
  a: Float32Array,
  b: Float32Array,
  columns: number,
  task: Task,
): Pick<OutputMetrics, 'agreement' | 'max_abs_diff' | 'mean_abs_diff'> {
  if (a.length !== b.length) throw new RangeError(`compareOutputs: ${a.length} values against ${b.length}`);
  let max = 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (d > max || Number.isNaN(d)) max = d;
    sum += d;
  }
  const out: Pick<OutputMetrics, 'agreement' | 'max_abs_diff' | 'mean_abs_diff'> = {
    max_abs_diff: max,
    mean_abs_diff: a.length > 0 ? sum / a.length : 0,
  };
  if (task === 'classification') {
    const rows = a.length / columns;
    let same = 0;
    for (let r = 0; r < rows; r++) if (argmax(a, r * columns, columns) === argmax(b, r * columns, columns)) same++;
    out.agreement = rows > 0 ? same / rows : 1;
  }
  return out;
}

/** Non-negative rows summing to 1 (within float32 rounding): a softmax output rather than logits. */
export function looksLikeProbabilities(values: Float32Array, columns: number): boolean {
  const rows = values.length / columns;
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let j = 0; j < columns; j++) {
      const v = values[r * columns + j]!;
      if (!(v >= 0)) return false;
      sum += v;
    }
    if (Math.abs(sum - 1) > 1e-3) return false;
  }
  return rows > 0;
}

export function argmax(values: ArrayLike<number>, offset: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if (values[offset + j]! > values[offset + best]!) best = j;
  return best;
}
