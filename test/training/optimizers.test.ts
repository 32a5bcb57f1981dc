import { describe, expect, it } from 'vitest';
import { Adam, createOptimizer, GradientDescent, Sgd } from '../../server/training/optimizers.js';

const f = (...v: number[]) => Float64Array.from(v);

describe('optimizer steps against hand-computed values', () => {
  it('gd: p − lr·g', () => {
    const p = f(1, 2);
    new GradientDescent(0.1).step([p], [f(0.5, -1)]);
    expect(p[0]).toBeCloseTo(0.95, 15);
    expect(p[1]).toBeCloseTo(2.1, 15);
  });

  it('sgd without momentum is plain gradient descent', () => {
    const p = f(1);
    new Sgd(0.5).step([p], [f(2)]);
    expect(p[0]).toBe(0);
  });

  it('sgd momentum (PyTorch): v = μv + g; p −= lr·v', () => {
    const p = f(1);
    const opt = new Sgd(0.1, 0.9);
    opt.step([p], [f(1)]); // v = 1
    expect(p[0]).toBeCloseTo(0.9, 15);
    opt.step([p], [f(2)]); // v = 0.9 + 2 = 2.9
    expect(p[0]).toBeCloseTo(0.9 - 0.29, 15);
    expect(opt.getState().buffers[0]![0]).toBeCloseTo(2.9, 15);
  });

  it('sgd Nesterov (PyTorch): v = μv + g; p −= lr·(g + μv)', () => {
    const p = f(1);
    const opt = new Sgd(0.1, 0.9, true);
    opt.step([p], [f(1)]); // v = 1; p = 1 − 0.1·(1 + 0.9)
    expect(p[0]).toBeCloseTo(0.81, 15);
    opt.step([p], [f(2)]); // v = 2.9; p = 0.81 − 0.1·(2 + 2.61)
    expect(p[0]).toBeCloseTo(0.349, 15);
  });

  it('Nesterov needs momentum', () => {
    expect(() => new Sgd(0.1, 0, true)).toThrow(/momentum/);
  });

  it('adam with bias correction, steps 1 and 2', () => {
    const p = f(1);
    const opt = new Adam(0.1, 0.9, 0.999, 1e-8);
    opt.step([p], [f(2)]);
    // m = 0.2, v = 0.004; m̂ = 2, v̂ = 4 → step = 0.1·2/(2 + 1e-8)
    expect(p[0]).toBeCloseTo(1 - (0.1 * 2) / (2 + 1e-8), 15);
    expect(p[0]).toBeCloseTo(0.9000000005, 15);
    opt.step([p], [f(-1)]);
    // m = 0.9·0.2 − 0.1 = 0.08, v = 0.999·0.004 + 0.001 = 0.004996; m̂ = 0.08/0.19, v̂ = 0.004996/0.001999
    const expected = 0.9000000005 - (0.1 * (0.08 / 0.19)) / (Math.sqrt(0.004996 / 0.001999) + 1e-8);
    expect(p[0]).toBeCloseTo(expected, 14);
    expect(p[0]).toBeCloseTo(0.8733662967024315, 14);
    const state = opt.getState();
    expect(state.step).toBe(2);
    expect(state.buffers[0]![0]).toBeCloseTo(0.08, 15);
    expect(state.buffers[1]![0]).toBeCloseTo(0.004996, 15);
  });

  it('adamw decays the weights decoupled from the gradient: p·(1 − lr·wd) first', () => {
    const p = f(1, 1);
    const opt = new Adam(0.1, 0.9, 0.999, 1e-8, 0.5);
    opt.step([p], [f(0, 2)]);
    expect(p[0]).toBeCloseTo(0.95, 15); // zero gradient: only the decay
    expect(p[1]).toBeCloseTo(0.95 - (0.1 * 2) / (2 + 1e-8), 15);
  });

  it('continues identically from a saved state', () => {
    const specs = [
      { type: 'sgd', learning_rate: 0.1, momentum: 0.8, nesterov: true },
      { type: 'adam', learning_rate: 0.05, beta1: 0.9, beta2: 0.99, epsilon: 1e-8, weight_decay: 0.01 },
    ] as const;
    for (const spec of specs) {
      const grads = [f(0.3, -0.2), f(1, 0.5), f(-0.7, 0.1)];
      const a = createOptimizer(spec);
      const pa = f(1, -1);
      for (const g of grads) a.step([pa], [g]);

      const b = createOptimizer(spec);
      const pb = f(1, -1);
      b.step([pb], [grads[0]!]);
      const c = createOptimizer(spec);
      c.setState(structuredClone(b.getState()));
      const pc = pb.slice();
      for (const g of grads.slice(1)) c.step([pc], [g]);
      expect(Array.from(pc)).toEqual(Array.from(pa));
    }
  });

  it('updates several parameter arrays with separate state', () => {
    const p1 = f(1);
    const p2 = f(1, 1);
    const opt = new Sgd(0.1, 0.5);
    opt.step([p1, p2], [f(1), f(2, 3)]);
    opt.step([p1, p2], [f(1), f(2, 3)]);
    expect(p1[0]).toBeCloseTo(1 - 0.1 - 0.15, 15);
    expect(p2[1]).toBeCloseTo(1 - 0.3 - 0.45, 15);
    expect(() => opt.step([p1], [f(1, 2)])).toThrow(/differ in size/);
  });
});
