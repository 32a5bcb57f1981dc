import { type ActivationName, activateInPlace, activationBackward } from './activations.js';
import { jsKernels, type Kernels } from './kernels.js';
import { accumulateBiasGrad } from './matrix.js';

/**
 * A fully connected layer y = f(x·W + b). W is inputs×outputs row-major (the layout ONNX Gemm takes with transB=0).
 * W, b and their gradients are views into the network's flat parameter and gradient buffers, so an optimizer
 * updates every layer in one pass over one array.
 */
export class Dense {
  constructor(
    readonly inputs: number,
    readonly outputs: number,
    readonly activation: ActivationName,
    readonly W: Float64Array,
    readonly b: Float64Array,
    readonly gradW: Float64Array,
    readonly gradB: Float64Array,
    readonly kernels: Kernels = jsKernels,
  ) {
    const size = inputs * outputs;
    if (W.length !== size || gradW.length !== size || b.length !== outputs || gradB.length !== outputs) {
      throw new RangeError(`Dense ${inputs}×${outputs}: parameter views have the wrong lengths`);
    }
  }

  /** Y[m×outputs] = f(X[m×inputs]·W + b). */
  forward(X: Float64Array, Y: Float64Array, m: number): void {
    this.kernels.affineForward(X, this.W, this.b, Y, m, this.inputs, this.outputs);
    if (this.activation === 'relu') this.kernels.relu(Y, m * this.outputs);
    else activateInPlace(this.activation, Y, m * this.outputs);
  }

  /**
   * Given Y (this layer's outputs) and dY = ∂L/∂Y, turns dY into ∂L/∂(pre-activation) in place, ADDS the
   * parameter gradients into gradW/gradB, and writes ∂L/∂X into dX unless dX is null (first layer: not needed).
   */
  backward(X: Float64Array, Y: Float64Array, dY: Float64Array, dX: Float64Array | null, m: number): void {
    if (this.activation === 'relu') this.kernels.reluGrad(Y, dY, m * this.outputs);
    else activationBackward(this.activation, Y, dY, m * this.outputs);
    this.kernels.accumulateWeightGrad(X, dY, this.gradW, m, this.inputs, this.outputs);
    accumulateBiasGrad(dY, this.gradB, m, this.outputs);
    if (dX) this.kernels.backpropInput(dY, this.W, dX, m, this.inputs, this.outputs);
  }
}
