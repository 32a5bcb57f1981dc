/**
 * Per-feature mean and population standard deviation (ddof 0, as scikit-learn's StandardScaler) over the given
 * rows. A constant column (every value equal) gets std 1, so it standardizes to 0 instead of dividing by 0.
 */
export function fitStandardization(
  columns: readonly ArrayLike<number>[],
  rows: Int32Array,
): { mean: Float64Array; std: Float64Array } {
  const d = columns.length;
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  const n = rows.length;
  for (let c = 0; c < d; c++) {
    const col = columns[c]!;
    let sum = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const v = col[rows[i]!]!;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const mu = n > 0 ? sum / n : 0;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const dv = col[rows[i]!]! - mu;
      ss += dv * dv;
    }
    mean[c] = mu;
    std[c] = n > 0 && max > min ? Math.sqrt(ss / n) || 1 : 1;
  }
  return { mean, std };
}

/** Row-major matrix of the given rows, standardized: out[i·d + c] = (columns[c][rows[i]] − mean[c]) / std[c]. */
export function standardizedMatrix(
  columns: readonly ArrayLike<number>[],
  rows: Int32Array,
  mean: Float64Array,
  std: Float64Array,
): Float64Array {
  const d = columns.length;
  const out = new Float64Array(rows.length * d);
  for (let c = 0; c < d; c++) {
    const col = columns[c]!;
    const mu = mean[c]!;
    const s = std[c]!;
    for (let i = 0; i < rows.length; i++) out[i * d + c] = (col[rows[i]!]! - mu) / s;
  }
  return out;
}

/** Mean and population std of the values at `rows`; std 1 when they are all equal. */
export function fitScalar(values: ArrayLike<number>, rows: Int32Array): { mean: number; std: number } {
  const { mean, std } = fitStandardization([values], rows);
  return { mean: mean[0]!, std: std[0]! };
}
