import { expect } from 'vitest';

/**
 * Central differences (float64): for every entry of `x`, (L(x + h) − L(x − h)) / 2h, compared with `analytic`
 * entry by entry, relative to the larger of the two magnitudes and 1.
 */
export function expectGradient(
  x: Float64Array,
  analytic: Float64Array,
  loss: () => number,
  tol = 1e-6,
  h = 1e-5,
): void {
  expect(analytic.length).toBe(x.length);
  let worst = 0;
  let where = -1;
  for (let i = 0; i < x.length; i++) {
    const keep = x[i]!;
    x[i] = keep + h;
    const up = loss();
    x[i] = keep - h;
    const down = loss();
    x[i] = keep;
    const numeric = (up - down) / (2 * h);
    const err = Math.abs(numeric - analytic[i]!) / Math.max(1, Math.abs(numeric), Math.abs(analytic[i]!));
    if (err > worst) {
      worst = err;
      where = i;
    }
  }
  expect(worst, `worst relative error at index ${where}`).toBeLessThan(tol);
}
