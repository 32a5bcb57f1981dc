import { activateInPlace } from './activations.js';
import { encodedWidth, encodeRow } from './encode.js';
import { exportSpec } from './export.js';
import { argmaxRow, softmaxRows } from './losses.js';
import { affineForward } from './matrix.js';
import type { ExportedModel, Prediction, TrainedModel } from './types.js';

/**
 * Forward pass from raw feature rows (in featureNames order; strings for string features), one-hot encoding and
 * standardization included. It evaluates the EXPORTED model — the float32-rounded weights the ONNX graph holds — in
 * float64, so it is the reference an ONNX Runtime run of the export should match to float32 rounding (≈1e-6 relative).
 */
export function predict(model: TrainedModel | ExportedModel, rows: ArrayLike<ArrayLike<number | string>>): Prediction {
  const m = 'formatVersion' in model ? model : exportSpec(model);
  const n = rows.length;
  const features = m.featureNames.length;
  const d = encodedWidth(m.categories);
  let X = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    const row = rows[r]!;
    if (row.length !== features)
      throw new RangeError(`predict: row ${r} has ${row.length} values, expected ${features}`);
    encodeRow(row, m.categories, X, r * d);
    for (let c = 0; c < d; c++) X[r * d + c] = (X[r * d + c]! - m.mean[c]!) / m.std[c]!;
  }
  for (const layer of m.layers) {
    const Y = new Float64Array(n * layer.outputs);
    affineForward(X, Float64Array.from(layer.W), Float64Array.from(layer.b), Y, n, layer.inputs, layer.outputs);
    if (layer.activation === 'softmax') softmaxRows(Y, n, layer.outputs);
    else activateInPlace(layer.activation, Y, n * layer.outputs);
    X = Y;
  }
  const columns = m.layers[m.layers.length - 1]!.outputs;
  const labels = m.classLabels
    ? Array.from({ length: n }, (_, r) => m.classLabels![argmaxRow(X, r * columns, columns)]!)
    : null;
  return { rows: n, columns, values: X, labels };
}
