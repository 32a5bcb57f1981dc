import type { ActivationName } from './activations.js';
import { glorotUniform, heUniform } from './init.js';
import { allocateBuffers, type KernelChoice, type Kernels } from './kernels.js';
import { Dense } from './layers.js';
import type { Rng } from './rng.js';

/**
 * A stack of Dense layers over one flat parameter buffer (layer by layer: W row-major, then b) and one flat
 * gradient buffer of the same layout. The last layer is linear (identity); the output head (softmax or identity,
 * with its loss) runs on its raw outputs. Every buffer — parameters, gradients, the input rows and each layer's
 * activations and deltas for `capacity` rows — is allocated once, together (in the SIMD kernels' memory when
 * they are used), so a training step allocates nothing.
 */
export class Network {
  readonly params: Float64Array;
  readonly grads: Float64Array;
  /** Input rows for forward/backward (capacity × inputs); callers may fill it directly to skip a copy. */
  readonly input: Float64Array;
  readonly layers: Dense[];
  readonly kernels: Kernels;
  private readonly outs: Float64Array[];
  private readonly deltas: Float64Array[];

  /** sizes = [inputs, hidden..., outputs]; one activation for every hidden layer, or one per hidden layer. */
  constructor(
    readonly sizes: readonly number[],
    readonly hiddenActivation: ActivationName | readonly ActivationName[],
    readonly capacity: number,
    kernels: KernelChoice = 'auto',
  ) {
    if (sizes.length < 2) throw new RangeError('a network needs at least an input and an output size');
    const perLayer = typeof hiddenActivation === 'string' ? null : hiddenActivation;
    if (perLayer && perLayer.length !== sizes.length - 2) {
      throw new RangeError(`${perLayer.length} hidden activations for ${sizes.length - 2} hidden layers`);
    }
    const P = Network.paramCount(sizes);
    const widths = sizes.slice(1);
    const { arrays, kernels: chosen } = allocateBuffers(
      [P, P, capacity * sizes[0]!, ...widths.map((w) => capacity * w), ...widths.map((w) => capacity * w)],
      kernels,
    );
    this.kernels = chosen;
    this.params = arrays[0]!;
    this.grads = arrays[1]!;
    this.input = arrays[2]!;
    this.outs = arrays.slice(3, 3 + widths.length);
    this.deltas = arrays.slice(3 + widths.length);
    this.layers = [];
    let offset = 0;
    for (let l = 0; l + 1 < sizes.length; l++) {
      const inputs = sizes[l]!;
      const outputs = sizes[l + 1]!;
      const last = l + 2 === sizes.length;
      const w = inputs * outputs;
      this.layers.push(
        new Dense(
          inputs,
          outputs,
          last ? 'identity' : (perLayer?.[l] ?? (hiddenActivation as ActivationName)),
          this.params.subarray(offset, offset + w),
          this.params.subarray(offset + w, offset + w + outputs),
          this.grads.subarray(offset, offset + w),
          this.grads.subarray(offset + w, offset + w + outputs),
          chosen,
        ),
      );
      offset += w + outputs;
    }
  }

  static paramCount(sizes: readonly number[]): number {
    let n = 0;
    for (let l = 0; l + 1 < sizes.length; l++) n += (sizes[l]! + 1) * sizes[l + 1]!;
    return n;
  }

  get inputs(): number {
    return this.sizes[0]!;
  }

  get outputs(): number {
    return this.sizes[this.sizes.length - 1]!;
  }

  /** He-uniform for layers that feed a ReLU, Glorot-uniform for the rest; zero biases. */
  initialize(rng: Rng): void {
    for (const layer of this.layers) {
      if (layer.activation === 'relu') heUniform(layer.W, layer.inputs, rng);
      else glorotUniform(layer.W, layer.inputs, layer.outputs, rng);
      layer.b.fill(0);
    }
  }

  /**
   * Runs the first m rows of X (m×inputs, row-major) through every layer; returns the buffer holding the last
   * layer's raw outputs (its first m×outputs values). X may be `input` itself or any other array (then copied).
   */
  forward(X: Float64Array, m: number): Float64Array {
    if (m > this.capacity) throw new RangeError(`forward: ${m} rows exceed the buffer capacity ${this.capacity}`);
    let input = this.own(X, m, true);
    for (let l = 0; l < this.layers.length; l++) {
      const out = this.outs[l]!;
      this.layers[l]!.forward(input, out, m);
      input = out;
    }
    return input;
  }

  /** Where the output head writes ∂L/∂(raw outputs) before `backward`. */
  get outputGrad(): Float64Array {
    return this.deltas[this.deltas.length - 1]!;
  }

  /** Back-propagates `outputGrad` for the m rows of the last `forward(X, m)` (same X), ADDING into `grads`. */
  backward(X: Float64Array, m: number): void {
    const x = this.own(X, m, false);
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const input = l === 0 ? x : this.outs[l - 1]!;
      const dX = l === 0 ? null : this.deltas[l - 1]!;
      this.layers[l]!.backward(input, this.outs[l]!, this.deltas[l]!, dX, m);
    }
  }

  /** X itself when the kernels can use it, else `input` (filled with X's rows when `copy`). */
  private own(X: Float64Array, m: number, copy: boolean): Float64Array {
    if (X === this.input || this.kernels.name === 'js' || X.buffer === this.input.buffer) return X;
    if (copy) this.input.set(X.subarray(0, m * this.inputs));
    return this.input;
  }
}
