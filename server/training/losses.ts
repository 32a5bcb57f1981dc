/**
 * Output heads: each turns the last layer's raw outputs Z (m×n, in place) into the model's outputs, returns the
 * SUM over the m rows of the per-row loss, and when `grad` is given writes scale · ∂(per-row loss)/∂Z into it.
 * The trainer passes scale = 1/B for a step batch of B rows, so gradients are those of the batch MEAN loss.
 *
 * Conventions (per row r, n outputs, target t):
 *   cross_entropy: ℓ_r = −log softmax(z_r)[t_r]        (mean over the batch; the usual PyTorch/Keras value)
 *   mse:           ℓ_r = (1/n) Σ_j (y_rj − t_rj)²      (mean over the batch AND the outputs, like PyTorch's
 *                                                     MSELoss(reduction='mean'); no ½ factor)
 * For classification with mse, y = softmax(z) and t is the one-hot label.
 */

/**
 * Softmax + cross-entropy fused: Z becomes the probabilities, the loss uses log-sum-exp (stable for any logits) and
 * the gradient is the familiar (p − onehot) · scale.
 */
export function softmaxCrossEntropy(
  Z: Float64Array,
  labels: Int32Array,
  m: number,
  n: number,
  grad: Float64Array | null,
  scale: number,
): number {
  let total = 0;
  for (let r = 0; r < m; r++) {
    const o = r * n;
    const label = labels[r]!;
    const max = rowMax(Z, o, n);
    // −log p_t = log Σ exp(z − max) − (z_t − max): finite even when p_t underflows to 0.
    const shifted = Z[o + label]! - max;
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const e = Math.exp(Z[o + j]! - max);
      Z[o + j] = e;
      sum += e;
    }
    total += Math.log(sum) - shifted;
    const inv = 1 / sum;
    for (let j = 0; j < n; j++) Z[o + j]! *= inv;
    if (grad) {
      for (let j = 0; j < n; j++) grad[o + j] = Z[o + j]! * scale;
      grad[o + label]! -= scale;
    }
  }
  return total;
}

/** Softmax followed by mse against one-hot labels; the gradient goes through the softmax Jacobian. */
export function softmaxMse(
  Z: Float64Array,
  labels: Int32Array,
  m: number,
  n: number,
  grad: Float64Array | null,
  scale: number,
): number {
  softmaxRows(Z, m, n);
  let total = 0;
  const c = (2 / n) * scale;
  for (let r = 0; r < m; r++) {
    const o = r * n;
    const label = labels[r]!;
    let rowLoss = 0;
    let dot = 0; // Σ_k g_k p_k
    for (let j = 0; j < n; j++) {
      const p = Z[o + j]!;
      const d = p - (j === label ? 1 : 0);
      rowLoss += d * d;
      dot += d * p;
    }
    total += rowLoss / n;
    if (grad) {
      // ∂ℓ/∂z_j = p_j (g_j − Σ_k g_k p_k) with g = (2/n)(p − t)
      for (let j = 0; j < n; j++) {
        const p = Z[o + j]!;
        const d = p - (j === label ? 1 : 0);
        grad[o + j] = c * p * (d - dot);
      }
    }
  }
  return total;
}

/** Identity output with mse against real targets (m×n). */
export function identityMse(
  Y: Float64Array,
  targets: Float64Array,
  m: number,
  n: number,
  grad: Float64Array | null,
  scale: number,
): number {
  let total = 0;
  const c = (2 / n) * scale;
  const len = m * n;
  for (let i = 0; i < len; i++) {
    const d = Y[i]! - targets[i]!;
    total += d * d;
    if (grad) grad[i] = c * d;
  }
  return total / n;
}

/**
 * Knowledge distillation (see DistillationOptions in types.ts): Q holds the teacher's probabilities already softened
 * at temperature T (m×n); labels[r] < 0 marks a row without a hard label. Per row, with p = softmax(z) and
 * p_T = softmax(z / T):
 *   ℓ = α · (−log p[label]) + (1 − α) · T² · KL(q ‖ p_T)     (unlabelled rows: T² · KL(q ‖ p_T) alone)
 *   ∂ℓ/∂z = α · (p − onehot) + (1 − α) · T · (p_T − q)        (unlabelled: T · (p_T − q))
 * Z becomes p, the model's own (T = 1) probabilities.
 */
export function softmaxDistillation(
  Z: Float64Array,
  labels: Int32Array,
  Q: Float64Array,
  m: number,
  n: number,
  grad: Float64Array | null,
  scale: number,
  temperature: number,
  alpha: number,
): number {
  const T = temperature;
  const invT = 1 / T;
  let total = 0;
  for (let r = 0; r < m; r++) {
    const o = r * n;
    const label = labels[r]!;
    const hardWeight = label >= 0 ? alpha : 0;
    const softWeight = label >= 0 ? 1 - alpha : 1;
    const max = rowMax(Z, o, n);
    let sum = 0;
    let sumT = 0;
    for (let j = 0; j < n; j++) {
      const shifted = Z[o + j]! - max;
      sum += Math.exp(shifted);
      sumT += Math.exp(shifted * invT);
    }
    const logSum = Math.log(sum);
    const logSumT = Math.log(sumT);
    // KL(q ‖ p_T) = Σ q (log q − log p_T), with 0 · log 0 = 0.
    let kl = 0;
    for (let j = 0; j < n; j++) {
      const q = Q[o + j]!;
      if (q > 0) kl += q * (Math.log(q) - ((Z[o + j]! - max) * invT - logSumT));
    }
    const hard = label >= 0 ? logSum - (Z[o + label]! - max) : 0;
    total += hardWeight * hard + softWeight * T * T * kl;
    for (let j = 0; j < n; j++) {
      const shifted = Z[o + j]! - max;
      const p = Math.exp(shifted - logSum);
      if (grad) {
        const pT = Math.exp(shifted * invT - logSumT);
        grad[o + j] = (hardWeight * (p - (j === label ? 1 : 0)) + softWeight * T * (pT - Q[o + j]!)) * scale;
      }
      Z[o + j] = p;
    }
  }
  return total;
}

/** The teacher's probabilities P (m×n) softened at temperature T, in place: q ∝ p^(1/T), i.e. softmax(log p / T). */
export function softenRows(P: Float64Array, m: number, n: number, temperature: number): void {
  const invT = 1 / temperature;
  for (let r = 0; r < m; r++) {
    const o = r * n;
    for (let j = 0; j < n; j++) P[o + j] = P[o + j]! > 0 ? Math.log(P[o + j]!) * invT : Number.NEGATIVE_INFINITY;
    const max = rowMax(P, o, n);
    let sum = 0;
    for (let j = 0; j < n; j++) sum += P[o + j] = Math.exp(P[o + j]! - max);
    for (let j = 0; j < n; j++) P[o + j]! /= sum;
  }
}

/** Row-wise softmax in place, shifted by the row max so exp never overflows. */
export function softmaxRows(Z: Float64Array, m: number, n: number): void {
  for (let r = 0; r < m; r++) {
    const o = r * n;
    const max = rowMax(Z, o, n);
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const e = Math.exp(Z[o + j]! - max);
      Z[o + j] = e;
      sum += e;
    }
    const inv = 1 / sum;
    for (let j = 0; j < n; j++) Z[o + j]! *= inv;
  }
}

/** How many rows' largest output is at their label (first index wins ties). */
export function countCorrect(P: Float64Array, labels: Int32Array, m: number, n: number): number {
  let correct = 0;
  for (let r = 0; r < m; r++) if (argmaxRow(P, r * n, n) === labels[r]) correct++;
  return correct;
}

export function argmaxRow(P: Float64Array, o: number, n: number): number {
  let best = 0;
  let bestValue = P[o]!;
  for (let j = 1; j < n; j++) {
    const v = P[o + j]!;
    if (v > bestValue) {
      bestValue = v;
      best = j;
    }
  }
  return best;
}

function rowMax(Z: Float64Array, o: number, n: number): number {
  let max = Z[o]!;
  for (let j = 1; j < n; j++) if (Z[o + j]! > max) max = Z[o + j]!;
  return max;
}
