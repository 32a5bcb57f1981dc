/**
 * Optimizers. Each updates parameter arrays in place from gradient arrays of the same shapes; state (velocities,
 * moments, step count) is kept per array index and can be saved and restored for a checkpoint.
 *
 *   gd / sgd (momentum 0): p ← p − lr·g
 *   sgd with momentum μ (PyTorch convention, dampening 0): v ← μ·v + g; p ← p − lr·v
 *   sgd with Nesterov (PyTorch convention):                v ← μ·v + g; p ← p − lr·(g + μ·v)
 *     (v starts at 0, so the first step has v = g, exactly as PyTorch's buffer initialisation.)
 *   adam (Kingma & Ba, bias-corrected; PyTorch's epsilon placement), with decoupled weight decay (AdamW):
 *     p ← p·(1 − lr·wd)                                   (applied first, to every parameter, biases included)
 *     m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²
 *     p ← p − lr · (m / (1 − β1^t)) / (sqrt(v / (1 − β2^t)) + ε)
 *       (computed as PyTorch does: (lr / (1 − β1^t)) · m / (sqrt(v) / sqrt(1 − β2^t) + ε))
 */
export interface OptimizerState {
  type: 'gd' | 'sgd' | 'adam';
  /** Steps taken so far. */
  step: number;
  /** sgd: one velocity per parameter array; adam: m and v per parameter array, interleaved (m0, v0, m1, v1, …). */
  buffers: Float64Array[];
}

export interface Optimizer {
  readonly learningRate: number;
  step(params: readonly Float64Array[], grads: readonly Float64Array[]): void;
  /** A deep copy, safe to keep while training goes on. */
  getState(): OptimizerState;
  setState(state: OptimizerState): void;
}

export class GradientDescent implements Optimizer {
  private t = 0;

  constructor(readonly learningRate: number) {}

  step(params: readonly Float64Array[], grads: readonly Float64Array[]): void {
    checkShapes(params, grads);
    const lr = this.learningRate;
    for (let a = 0; a < params.length; a++) {
      const p = params[a]!;
      const g = grads[a]!;
      for (let i = 0; i < p.length; i++) p[i]! -= lr * g[i]!;
    }
    this.t++;
  }

  getState(): OptimizerState {
    return { type: 'gd', step: this.t, buffers: [] };
  }

  setState(state: OptimizerState): void {
    expectType(state, 'gd');
    this.t = state.step;
  }
}

export class Sgd implements Optimizer {
  private t = 0;
  private velocity: Float64Array[] = [];

  constructor(
    readonly learningRate: number,
    readonly momentum = 0,
    readonly nesterov = false,
  ) {
    if (nesterov && !(momentum > 0)) throw new RangeError('Nesterov momentum needs momentum > 0');
  }

  step(params: readonly Float64Array[], grads: readonly Float64Array[]): void {
    checkShapes(params, grads);
    const lr = this.learningRate;
    const mu = this.momentum;
    if (mu === 0) {
      for (let a = 0; a < params.length; a++) {
        const p = params[a]!;
        const g = grads[a]!;
        for (let i = 0; i < p.length; i++) p[i]! -= lr * g[i]!;
      }
      this.t++;
      return;
    }
    this.velocity = ensureBuffers(this.velocity, params, 1);
    for (let a = 0; a < params.length; a++) {
      const p = params[a]!;
      const g = grads[a]!;
      const v = this.velocity[a]!;
      if (this.nesterov) {
        for (let i = 0; i < p.length; i++) {
          const gi = g[i]!;
          const vi = mu * v[i]! + gi;
          v[i] = vi;
          p[i]! -= lr * (gi + mu * vi);
        }
      } else {
        for (let i = 0; i < p.length; i++) {
          const vi = mu * v[i]! + g[i]!;
          v[i] = vi;
          p[i]! -= lr * vi;
        }
      }
    }
    this.t++;
  }

  getState(): OptimizerState {
    return { type: 'sgd', step: this.t, buffers: this.velocity.map((v) => v.slice()) };
  }

  setState(state: OptimizerState): void {
    expectType(state, 'sgd');
    this.t = state.step;
    this.velocity = state.buffers.map((v) => Float64Array.from(v));
  }
}

export class Adam implements Optimizer {
  private t = 0;
  /** m0, v0, m1, v1, … */
  private moments: Float64Array[] = [];

  constructor(
    readonly learningRate: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly epsilon = 1e-8,
    readonly weightDecay = 0,
  ) {}

  step(params: readonly Float64Array[], grads: readonly Float64Array[]): void {
    checkShapes(params, grads);
    this.moments = ensureBuffers(this.moments, params, 2);
    this.t++;
    const { learningRate: lr, beta1: b1, beta2: b2, epsilon: eps } = this;
    // PyTorch's arrangement: step = lr / (1 − β1^t); denom = sqrt(v) / sqrt(1 − β2^t) + ε — one sqrt and one
    // division per parameter (this loop is a fifth of a small network's training time).
    const stepSize = lr / (1 - b1 ** this.t);
    const invSqrtBc2 = 1 / Math.sqrt(1 - b2 ** this.t);
    const decay = 1 - lr * this.weightDecay;
    const c1 = 1 - b1;
    const c2 = 1 - b2;
    for (let a = 0; a < params.length; a++) {
      const p = params[a]!;
      const g = grads[a]!;
      const m = this.moments[2 * a]!;
      const v = this.moments[2 * a + 1]!;
      for (let i = 0; i < p.length; i++) {
        const gi = g[i]!;
        const mi = b1 * m[i]! + c1 * gi;
        const vi = b2 * v[i]! + c2 * gi * gi;
        m[i] = mi;
        v[i] = vi;
        p[i] = p[i]! * decay - (stepSize * mi) / (Math.sqrt(vi) * invSqrtBc2 + eps);
      }
    }
  }

  getState(): OptimizerState {
    return { type: 'adam', step: this.t, buffers: this.moments.map((v) => v.slice()) };
  }

  setState(state: OptimizerState): void {
    expectType(state, 'adam');
    this.t = state.step;
    this.moments = state.buffers.map((v) => Float64Array.from(v));
  }
}

function checkShapes(params: readonly Float64Array[], grads: readonly Float64Array[]): void {
  if (params.length !== grads.length) throw new RangeError('step: params and grads differ in count');
  for (let a = 0; a < params.length; a++) {
    if (params[a]!.length !== grads[a]!.length)
      throw new RangeError(`step: params[${a}] and grads[${a}] differ in size`);
  }
}

/** Zeroed state buffers (`perParam` per parameter array), created on the first step and kept afterwards. */
function ensureBuffers(buffers: Float64Array[], params: readonly Float64Array[], perParam: number): Float64Array[] {
  const want = params.length * perParam;
  let ok = buffers.length === want;
  for (let i = 0; ok && i < want; i++) ok = buffers[i]!.length === params[Math.floor(i / perParam)]!.length;
  if (ok) return buffers;
  if (buffers.length !== 0) throw new RangeError('step: parameter shapes changed since the optimizer state was made');
  const fresh: Float64Array[] = [];
  for (let i = 0; i < want; i++) fresh.push(new Float64Array(params[Math.floor(i / perParam)]!.length));
  return fresh;
}

function expectType(state: OptimizerState, type: OptimizerState['type']): void {
  if (state.type !== type) throw new RangeError(`optimizer state is for ${state.type}, not ${type}`);
}

/** The optimizer a resolved spec asks for. */
export function createOptimizer(
  o:
    | { type: 'gd'; learning_rate: number }
    | { type: 'sgd'; learning_rate: number; momentum: number; nesterov: boolean }
    | { type: 'adam'; learning_rate: number; beta1: number; beta2: number; epsilon: number; weight_decay: number },
): Optimizer {
  switch (o.type) {
    case 'gd':
      return new GradientDescent(o.learning_rate);
    case 'sgd':
      return new Sgd(o.learning_rate, o.momentum, o.nesterov);
    case 'adam':
      return new Adam(o.learning_rate, o.beta1, o.beta2, o.epsilon, o.weight_decay);
  }
}
