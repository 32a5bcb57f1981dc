import { describe, expect, it } from 'vitest';
import { type ActivationName, activateInPlace, activationBackward } from '../../server/training/activations.js';
import { createHead } from '../../server/training/head.js';
import { Dense } from '../../server/training/layers.js';
import { identityMse, softmaxCrossEntropy, softmaxMse } from '../../server/training/losses.js';
import { Network } from '../../server/training/network.js';
import { Rng } from '../../server/training/rng.js';
import { expectGradient } from './gradcheck.js';
import { randomArray } from './synthetic.js';

const activations: ActivationName[] = ['relu', 'tanh', 'sigmoid', 'identity'];

describe('activations: derivative from outputs matches finite differences', () => {
  for (const kind of activations) {
    it(kind, () => {
      const rng = new Rng(1);
      // Keep relu inputs away from its kink at 0.
      const x = Float64Array.from(randomArray(rng, 40, 3), (v) => (Math.abs(v) < 0.01 ? v + 0.1 : v));
      const c = randomArray(rng, 40);
      const loss = () => {
        const y = x.slice();
        activateInPlace(kind, y, y.length);
        return y.reduce((s, v, i) => s + c[i]! * v, 0);
      };
      const y = x.slice();
      activateInPlace(kind, y, y.length);
      const g = c.slice();
      activationBackward(kind, y, g, g.length);
      expectGradient(x, g, loss);
    });
  }

  it('computes the textbook values', () => {
    const x = Float64Array.from([-2, -0.5, 0, 0.5, 2]);
    const relu = x.slice();
    activateInPlace('relu', relu, 5);
    expect(Array.from(relu)).toEqual([0, 0, 0, 0.5, 2]);
    const sig = Float64Array.from([0, 800, -800]);
    activateInPlace('sigmoid', sig, 3);
    expect(Array.from(sig)).toEqual([0.5, 1, 0]);
    const th = Float64Array.from([1]);
    activateInPlace('tanh', th, 1);
    expect(th[0]).toBeCloseTo(Math.tanh(1), 15);
  });
});

describe('Dense layer: parameter and input gradients match finite differences', () => {
  for (const kind of activations) {
    it(kind, () => {
      const rng = new Rng(2);
      const [m, k, n] = [5, 4, 3];
      const W = randomArray(rng, k * n);
      const b = randomArray(rng, n);
      const X = randomArray(rng, m * k);
      const c = randomArray(rng, m * n); // L = Σ c ⊙ Y
      const layer = new Dense(k, n, kind, W, b, new Float64Array(k * n), new Float64Array(n));
      const Y = new Float64Array(m * n);
      const loss = () => {
        layer.forward(X, Y, m);
        return Y.reduce((s, v, i) => s + c[i]! * v, 0);
      };
      loss();
      const dY = c.slice();
      const dX = new Float64Array(m * k);
      layer.backward(X, Y, dY, dX, m);
      const gradW = layer.gradW.slice();
      const gradB = layer.gradB.slice();
      expectGradient(W, gradW, loss);
      expectGradient(b, gradB, loss);
      expectGradient(X, dX, loss);
    });
  }
});

describe('losses: values and gradients', () => {
  const rng = new Rng(3);
  const [m, n] = [6, 4];
  const labels = Int32Array.from([0, 3, 1, 2, 3, 0]);

  it('softmax cross-entropy (fused) matches finite differences of the batch mean', () => {
    const Z = randomArray(rng, m * n, 2);
    const loss = () => softmaxCrossEntropy(Z.slice(), labels, m, n, null, 1) / m;
    const grad = new Float64Array(m * n);
    softmaxCrossEntropy(Z.slice(), labels, m, n, grad, 1 / m);
    expectGradient(Z, grad, loss);
  });

  it('softmax cross-entropy is exact and finite for extreme logits', () => {
    const uniform = new Float64Array(4);
    expect(softmaxCrossEntropy(uniform, Int32Array.from([2]), 1, 4, null, 1)).toBeCloseTo(Math.log(4), 15);
    expect(Array.from(uniform)).toEqual([0.25, 0.25, 0.25, 0.25]);
    const Z = Float64Array.from([1000, -1000, 0]);
    const loss = softmaxCrossEntropy(Z, Int32Array.from([1]), 1, 3, null, 1);
    expect(loss).toBeCloseTo(2000, 9);
    expect(Z[0]).toBe(1);
    const Z2 = Float64Array.from([1000, 999]);
    expect(softmaxCrossEntropy(Z2, Int32Array.from([0]), 1, 2, null, 1)).toBeCloseTo(Math.log1p(Math.exp(-1)), 12);
  });

  it('softmax + mse (classification with mse) matches finite differences', () => {
    const Z = randomArray(rng, m * n, 2);
    const loss = () => softmaxMse(Z.slice(), labels, m, n, null, 1) / m;
    const grad = new Float64Array(m * n);
    softmaxMse(Z.slice(), labels, m, n, grad, 1 / m);
    expectGradient(Z, grad, loss);
  });

  it('mse is the mean over rows and outputs, and its gradient matches finite differences', () => {
    const Y = randomArray(rng, m * 2);
    const T = randomArray(rng, m * 2);
    let expected = 0;
    for (let i = 0; i < Y.length; i++) expected += (Y[i]! - T[i]!) ** 2;
    expect(identityMse(Y, T, m, 2, null, 1) / m).toBeCloseTo(expected / (m * 2), 14);
    const loss = () => identityMse(Y, T, m, 2, null, 1) / m;
    const grad = new Float64Array(m * 2);
    identityMse(Y, T, m, 2, grad, 1 / m);
    expectGradient(Y, grad, loss);
  });
});

describe('whole network backward pass matches finite differences', () => {
  const cases = [
    { hidden: 'relu', task: 'classification', loss: 'cross_entropy' },
    { hidden: 'tanh', task: 'classification', loss: 'mse' },
    { hidden: 'sigmoid', task: 'regression', loss: 'mse' },
    { hidden: 'relu', task: 'regression', loss: 'mse' },
  ] as const;
  for (const c of cases) {
    it(`${c.hidden} hidden, ${c.task}, ${c.loss}`, () => {
      const rng = new Rng(4);
      const outputs = c.task === 'classification' ? 3 : 2;
      const sizes = [4, 5, 3, outputs];
      const m = 7;
      const net = new Network(sizes, c.hidden, m);
      net.initialize(rng);
      for (let i = 0; i < net.params.length; i++) net.params[i]! += 0.1 * (rng.float() - 0.5); // non-zero biases
      const head = createHead(c.task, c.loss, outputs);
      const X = randomArray(rng, m * 4);
      const labels = Int32Array.from({ length: m }, (_, i) => i % 3);
      const targets = randomArray(rng, m * outputs);
      const loss = () => head.apply(net.forward(X, m), labels, targets, m, null, 1) / m;
      net.grads.fill(0);
      head.apply(net.forward(X, m), labels, targets, m, net.outputGrad, 1 / m);
      net.backward(X, m);
      expectGradient(net.params, net.grads.slice(), loss);
    });
  }
});
