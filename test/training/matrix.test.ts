import { describe, expect, it } from 'vitest';
import {
  accumulateBiasGrad,
  accumulateWeightGrad,
  affineForward,
  backpropInput,
} from '../../server/training/matrix.js';
import { Rng } from '../../server/training/rng.js';
import { randomArray } from './synthetic.js';

// Shapes that hit every blocked path and every tail (odd rows, column counts not divisible by 4, k = 1).
const shapes = [
  [1, 1, 1],
  [2, 4, 4],
  [3, 5, 7],
  [5, 1, 9],
  [4, 6, 2],
  [7, 3, 10],
  [32, 64, 10],
] as const;

describe('matrix kernels against naive triple loops', () => {
  const rng = new Rng(11);
  for (const [m, k, n] of shapes) {
    it(`m=${m} k=${k} n=${n}`, () => {
      const X = randomArray(rng, m * k);
      const W = randomArray(rng, k * n);
      const b = randomArray(rng, n);
      const dY = randomArray(rng, m * n);

      const Y = new Float64Array(m * n);
      affineForward(X, W, b, Y, m, k, n);
      for (let r = 0; r < m; r++) {
        for (let j = 0; j < n; j++) {
          let s = b[j]!;
          for (let p = 0; p < k; p++) s += X[r * k + p]! * W[p * n + j]!;
          expect(Y[r * n + j]).toBeCloseTo(s, 12);
        }
      }

      // Accumulates onto what is there.
      const dW = new Float64Array(k * n).fill(0.5);
      accumulateWeightGrad(X, dY, dW, m, k, n);
      for (let p = 0; p < k; p++) {
        for (let j = 0; j < n; j++) {
          let s = 0.5;
          for (let r = 0; r < m; r++) s += X[r * k + p]! * dY[r * n + j]!;
          expect(dW[p * n + j]).toBeCloseTo(s, 12);
        }
      }

      const db = new Float64Array(n).fill(-1);
      accumulateBiasGrad(dY, db, m, n);
      for (let j = 0; j < n; j++) {
        let s = -1;
        for (let r = 0; r < m; r++) s += dY[r * n + j]!;
        expect(db[j]).toBeCloseTo(s, 12);
      }

      const dX = new Float64Array(m * k).fill(Number.NaN);
      backpropInput(dY, W, dX, m, k, n);
      for (let r = 0; r < m; r++) {
        for (let p = 0; p < k; p++) {
          let s = 0;
          for (let j = 0; j < n; j++) s += dY[r * n + j]! * W[p * n + j]!;
          expect(dX[r * k + p]).toBeCloseTo(s, 12);
        }
      }
    });
  }

  it('writes only the first m rows (buffers are sized for a larger capacity)', () => {
    const X = randomArray(rng, 8 * 3);
    const W = randomArray(rng, 3 * 5);
    const Y = new Float64Array(8 * 5).fill(7);
    affineForward(X, W, new Float64Array(5), Y, 3, 3, 5);
    expect(Array.from(Y.subarray(15))).toEqual(new Array(25).fill(7));
  });
});
