/**
 * Element-wise activations, applied in place. Every derivative here is written in terms of the activation's
 * output y (relu: y > 0, tanh: 1 − y², sigmoid: y(1 − y)), so the backward pass needs no pre-activation copy.
 */
export type ActivationName = 'relu' | 'tanh' | 'sigmoid' | 'identity';

export function activateInPlace(kind: ActivationName, a: Float64Array, len: number): void {
  switch (kind) {
    case 'relu':
      for (let i = 0; i < len; i++) if (a[i]! < 0) a[i] = 0;
      return;
    case 'tanh':
      for (let i = 0; i < len; i++) a[i] = Math.tanh(a[i]!);
      return;
    case 'sigmoid':
      for (let i = 0; i < len; i++) a[i] = sigmoid(a[i]!);
      return;
    case 'identity':
      return;
  }
}

/** g ← g ⊙ f′, where y holds the activation's outputs and g the gradient with respect to them. */
export function activationBackward(kind: ActivationName, y: Float64Array, g: Float64Array, len: number): void {
  switch (kind) {
    case 'relu':
      for (let i = 0; i < len; i++) if (!(y[i]! > 0)) g[i] = 0;
      return;
    case 'tanh':
      for (let i = 0; i < len; i++) {
        const v = y[i]!;
        g[i]! *= 1 - v * v;
      }
      return;
    case 'sigmoid':
      for (let i = 0; i < len; i++) {
        const v = y[i]!;
        g[i]! *= v * (1 - v);
      }
      return;
    case 'identity':
      return;
  }
}

/** Logistic sigmoid that never evaluates exp of a large positive number. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}
