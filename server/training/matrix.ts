/**
 * Dense kernels on row-major Float64Array matrices in plain JavaScript: the reference for (and fallback to) the
 * WebAssembly SIMD kernels in wasm/kernels.ts, which follow exactly the same summation order, so both paths give
 * bit-identical results. Written for V8, which does not vectorize: outputs are computed in small blocks held in
 * local variables (8 multiply-adds per 6 loads, ~3× the plain i-k-j loop). Every kernel writes into caller-owned
 * buffers and allocates nothing.
 */

/** Y[m×n] = X[m×k] · W[k×n] + b[n]. */
export function affineForward(
  X: Float64Array,
  W: Float64Array,
  b: Float64Array,
  Y: Float64Array,
  m: number,
  k: number,
  n: number,
): void {
  let r = 0;
  for (; r + 1 < m; r += 2) {
    const x0 = r * k;
    const x1 = x0 + k;
    const y0 = r * n;
    const y1 = y0 + n;
    let j = 0;
    for (; j + 3 < n; j += 4) {
      let s00 = b[j]!;
      let s01 = b[j + 1]!;
      let s02 = b[j + 2]!;
      let s03 = b[j + 3]!;
      let s10 = s00;
      let s11 = s01;
      let s12 = s02;
      let s13 = s03;
      for (let p = 0, w = j; p < k; p++, w += n) {
        const a0 = X[x0 + p]!;
        const a1 = X[x1 + p]!;
        const w0 = W[w]!;
        const w1 = W[w + 1]!;
        const w2 = W[w + 2]!;
        const w3 = W[w + 3]!;
        s00 += a0 * w0;
        s01 += a0 * w1;
        s02 += a0 * w2;
        s03 += a0 * w3;
        s10 += a1 * w0;
        s11 += a1 * w1;
        s12 += a1 * w2;
        s13 += a1 * w3;
      }
      Y[y0 + j] = s00;
      Y[y0 + j + 1] = s01;
      Y[y0 + j + 2] = s02;
      Y[y0 + j + 3] = s03;
      Y[y1 + j] = s10;
      Y[y1 + j + 1] = s11;
      Y[y1 + j + 2] = s12;
      Y[y1 + j + 3] = s13;
    }
    for (; j < n; j++) {
      let s0 = b[j]!;
      let s1 = s0;
      for (let p = 0, w = j; p < k; p++, w += n) {
        s0 += X[x0 + p]! * W[w]!;
        s1 += X[x1 + p]! * W[w]!;
      }
      Y[y0 + j] = s0;
      Y[y1 + j] = s1;
    }
  }
  if (r < m) {
    const x0 = r * k;
    const y0 = r * n;
    for (let j = 0; j < n; j++) {
      let s = b[j]!;
      for (let p = 0, w = j; p < k; p++, w += n) s += X[x0 + p]! * W[w]!;
      Y[y0 + j] = s;
    }
  }
}

/** dW[k×n] += X[m×k]ᵀ · dY[m×n]. Accumulates, so a step's gradient can be summed over several chunks. */
export function accumulateWeightGrad(
  X: Float64Array,
  dY: Float64Array,
  dW: Float64Array,
  m: number,
  k: number,
  n: number,
): void {
  let p = 0;
  for (; p + 1 < k; p += 2) {
    const w0 = p * n;
    const w1 = w0 + n;
    let j = 0;
    for (; j + 3 < n; j += 4) {
      let s00 = 0;
      let s01 = 0;
      let s02 = 0;
      let s03 = 0;
      let s10 = 0;
      let s11 = 0;
      let s12 = 0;
      let s13 = 0;
      for (let r = 0, x = p, y = j; r < m; r++, x += k, y += n) {
        const a0 = X[x]!;
        const a1 = X[x + 1]!;
        const d0 = dY[y]!;
        const d1 = dY[y + 1]!;
        const d2 = dY[y + 2]!;
        const d3 = dY[y + 3]!;
        s00 += a0 * d0;
        s01 += a0 * d1;
        s02 += a0 * d2;
        s03 += a0 * d3;
        s10 += a1 * d0;
        s11 += a1 * d1;
        s12 += a1 * d2;
        s13 += a1 * d3;
      }
      dW[w0 + j]! += s00;
      dW[w0 + j + 1]! += s01;
      dW[w0 + j + 2]! += s02;
      dW[w0 + j + 3]! += s03;
      dW[w1 + j]! += s10;
      dW[w1 + j + 1]! += s11;
      dW[w1 + j + 2]! += s12;
      dW[w1 + j + 3]! += s13;
    }
    for (; j < n; j++) {
      let s0 = 0;
      let s1 = 0;
      for (let r = 0, x = p, y = j; r < m; r++, x += k, y += n) {
        s0 += X[x]! * dY[y]!;
        s1 += X[x + 1]! * dY[y]!;
      }
      dW[w0 + j]! += s0;
      dW[w1 + j]! += s1;
    }
  }
  if (p < k) {
    const w0 = p * n;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let r = 0, x = p, y = j; r < m; r++, x += k, y += n) s += X[x]! * dY[y]!;
      dW[w0 + j]! += s;
    }
  }
}

/** db[n] += column sums of dY[m×n]. */
export function accumulateBiasGrad(dY: Float64Array, db: Float64Array, m: number, n: number): void {
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let r = 0, y = j; r < m; r++, y += n) s += dY[y]!;
    db[j]! += s;
  }
}

/**
 * dX[m×k] = dY[m×n] · W[k×n]ᵀ. Each dot product runs over j in pairs — (Σ even j) + (Σ odd j), plus the last term
 * when n is odd — the order of the two-lane SIMD kernel, so both give the same bits. Blocks of 2 rows × 2 columns.
 */
export function backpropInput(
  dY: Float64Array,
  W: Float64Array,
  dX: Float64Array,
  m: number,
  k: number,
  n: number,
): void {
  const n2 = n - (n % 2);
  const odd = n !== n2;
  for (let r = 0; r < m; r += 2) {
    const r1 = r + 1 < m ? r + 1 : r;
    const y0 = r * n;
    const y1 = r1 * n;
    for (let p = 0; p < k; p += 2) {
      const p1 = p + 1 < k ? p + 1 : p;
      const w0 = p * n;
      const w1 = p1 * n;
      let e00 = 0;
      let o00 = 0;
      let e01 = 0;
      let o01 = 0;
      let e10 = 0;
      let o10 = 0;
      let e11 = 0;
      let o11 = 0;
      for (let j = 0; j < n2; j += 2) {
        const da = dY[y0 + j]!;
        const db = dY[y0 + j + 1]!;
        const dc = dY[y1 + j]!;
        const dd = dY[y1 + j + 1]!;
        const va = W[w0 + j]!;
        const vb = W[w0 + j + 1]!;
        const vc = W[w1 + j]!;
        const vd = W[w1 + j + 1]!;
        e00 += da * va;
        o00 += db * vb;
        e01 += da * vc;
        o01 += db * vd;
        e10 += dc * va;
        o10 += dd * vb;
        e11 += dc * vc;
        o11 += dd * vd;
      }
      let t00 = e00 + o00;
      let t01 = e01 + o01;
      let t10 = e10 + o10;
      let t11 = e11 + o11;
      if (odd) {
        const j = n - 1;
        t00 += dY[y0 + j]! * W[w0 + j]!;
        t01 += dY[y0 + j]! * W[w1 + j]!;
        t10 += dY[y1 + j]! * W[w0 + j]!;
        t11 += dY[y1 + j]! * W[w1 + j]!;
      }
      // Repeated last row/column write the same value to the same cell.
      dX[r * k + p] = t00;
      dX[r * k + p1] = t01;
      dX[r1 * k + p] = t10;
      dX[r1 * k + p1] = t11;
    }
  }
}
